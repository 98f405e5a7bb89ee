//! TI's recognition rules, each in one place, as era tables keyed by program year
//! (DOMAIN.md §5): DCP goals, club levels, club health, Distinguished Area and Division,
//! district tiers, and their application to a district with parity checks against TI.

pub mod actions;
pub mod assess;
pub mod club;
pub mod dcp;
pub mod deadlines;
pub mod district;
pub mod health;
pub mod level;
pub mod units;

#[cfg(test)]
mod tests {
    /// Every rule table in one fingerprint. If this test fails, a rule changed: bump
    /// `RULES_VERSION` in lib.rs and pin the new fingerprint here, in the same commit.
    #[test]
    fn rules_version_tracks_the_rule_tables() {
        let tables = format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            super::dcp::AWARD_THRESHOLDS,
            super::dcp::OFFICERS_TRAINED,
            super::level::LEVEL_ERAS,
            super::health::CHECKPOINT_BY_MONTH,
            (
                super::health::CRITICAL_MEMBERS,
                super::health::HEALTHY_MEMBERS,
                super::health::GROWTH_OVERRIDE
            ),
            super::units::VISIT_PCT,
            (
                super::units::VISIT_DEADLINES,
                super::club::CLOSE_MIN_GOALS,
                super::club::CLOSE_MAX_MEMBERS_SHORT,
                super::level::OFFICIAL_MONTHS
            ),
            super::units::targets(super::units::Unit::Area, 17),
            super::units::targets(super::units::Unit::Division, 17),
            super::district::DISTRICT_ERAS,
            crate::cache::eras::COLUMNS,
        );
        let fingerprint = &crate::hash::sha256_hex(tables.as_bytes())[..16];
        assert_eq!(
            (crate::RULES_VERSION, fingerprint),
            ("2026.12.1", "5d03b764892f49da")
        );
    }
}
