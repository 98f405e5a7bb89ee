//! Club health (DOMAIN.md §5.5), a toast-stats classification rather than a TI program:
//! Thriving, Vulnerable or Intervention Required, from membership, net growth, the DCP
//! checkpoint of the program month and the Club Success Plan.

use serde::Serialize;

/// DCP goals expected by the end of each calendar month (index 0 = January).
///
/// DOMAIN.md §5.5 leaves October and December open: toast-stats' code says 2 and 3, its
/// rules document 1 and 2. We follow the code, which is what produced the published
/// figures; changing it is a rules change (bump `RULES_VERSION`).
pub(crate) const CHECKPOINT_BY_MONTH: [i64; 12] = [3, 4, 4, 5, 5, 5, 0, 0, 1, 2, 2, 3];

/// Below this many members (and without growth) a club needs intervention.
pub(crate) const CRITICAL_MEMBERS: i64 = 12;
pub(crate) const HEALTHY_MEMBERS: i64 = 20;
pub(crate) const GROWTH_OVERRIDE: i64 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Thriving,
    Vulnerable,
    InterventionRequired,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Health {
    pub status: HealthStatus,
    /// The checkpoint applied: goals expected by this month.
    pub dcp_checkpoint: i64,
    /// Why the club is not thriving, in toast-stats' exact wording; empty when thriving.
    pub risk_factors: Vec<String>,
}

pub fn checkpoint(month: u32) -> i64 {
    CHECKPOINT_BY_MONTH[(month as usize + 11) % 12]
}

/// Classifies a club. `csp` is `None` where the export has no CSP column (treated as
/// submitted, since the requirement did not exist).
pub fn classify(
    members: i64,
    net_growth: i64,
    goals: i64,
    csp: Option<bool>,
    month: u32,
) -> Health {
    let required = checkpoint(month);
    let csp_ok = csp != Some(false);
    let membership_ok = members >= HEALTHY_MEMBERS || net_growth >= GROWTH_OVERRIDE;
    let dcp_ok = goals >= required;
    let status = if members < CRITICAL_MEMBERS && net_growth < GROWTH_OVERRIDE {
        HealthStatus::InterventionRequired
    } else if membership_ok && dcp_ok && csp_ok {
        HealthStatus::Thriving
    } else {
        HealthStatus::Vulnerable
    };
    let mut risk_factors = Vec::new();
    if status != HealthStatus::Thriving {
        if members < CRITICAL_MEMBERS {
            risk_factors.push("Membership below 12 (critical)".to_string());
            if net_growth < GROWTH_OVERRIDE {
                risk_factors.push(format!(
                    "Net growth since July: {net_growth} (need 3+ to override)"
                ));
            }
        } else if !membership_ok {
            risk_factors.push(format!(
                "Membership below threshold ({members} members, need 20+ or net growth 3+)"
            ));
        }
        if !dcp_ok {
            let word = if goals == 1 { "goal" } else { "goals" };
            risk_factors.push(format!(
                "DCP checkpoint not met: {goals} {word} achieved, {required} required for {}",
                crate::cache::footer::month_name(month)
            ));
        }
        if !csp_ok {
            risk_factors.push("CSP not submitted".to_string());
        }
    }
    Health {
        status,
        dcp_checkpoint: required,
        risk_factors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_by_month() {
        let got: Vec<i64> = (1..=12).map(checkpoint).collect();
        assert_eq!(got, [3, 4, 4, 5, 5, 5, 0, 0, 1, 2, 2, 3]);
    }

    #[test]
    fn domain_worked_example() {
        // 16 members, base 12 (+4), 5 goals, CSP Y, January: thriving
        assert_eq!(
            classify(16, 4, 5, Some(true), 1).status,
            HealthStatus::Thriving
        );
        let h = classify(16, 4, 5, Some(false), 1);
        assert_eq!(h.status, HealthStatus::Vulnerable);
        assert_eq!(h.risk_factors, ["CSP not submitted"]);
        // 10 members, base 9: intervention required
        let h = classify(10, 1, 5, Some(true), 1);
        assert_eq!(h.status, HealthStatus::InterventionRequired);
        assert_eq!(
            h.risk_factors,
            [
                "Membership below 12 (critical)",
                "Net growth since July: 1 (need 3+ to override)"
            ]
        );
    }

    #[test]
    fn edges() {
        assert_eq!(
            classify(12, 0, 5, None, 4).status,
            HealthStatus::Vulnerable,
            "12 is not critical"
        );
        assert_eq!(
            classify(11, 3, 5, None, 4).status,
            HealthStatus::Thriving,
            "growth 3 overrides"
        );
        assert_eq!(classify(20, 0, 4, None, 4).status, HealthStatus::Vulnerable);
        let h = classify(20, 0, 1, None, 10);
        assert_eq!(
            h.risk_factors,
            ["DCP checkpoint not met: 1 goal achieved, 2 required for October"]
        );
        assert_eq!(
            classify(20, 0, 0, None, 7).status,
            HealthStatus::Thriving,
            "July checkpoint 0"
        );
        let h = classify(15, 0, 5, Some(true), 4);
        assert_eq!(
            h.risk_factors,
            ["Membership below threshold (15 members, need 20+ or net growth 3+)"]
        );
    }
}
