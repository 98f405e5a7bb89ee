//! Shared words of the pages: level names, how a reader names a division or area (TI's `0D`/`0A`
//! holding of new clubs in words, never "Division 0D"), and counted nouns. One place, so
//! the district, division, area, clubs and action pages never word them differently.

use crate::model::{Level, is_unassigned_division};

/// A level in one word or two, as tables and cards name it (the methodology names the
/// levels in full).
pub fn level_word(level: Level) -> &'static str {
    match level {
        Level::D => "Distinguished",
        Level::S => "Select",
        Level::P => "President's",
        Level::M => "Smedley",
    }
}

/// What TI's `0D`/`0A` holding is, in words.
pub const UNASSIGNED: &str = "New clubs not yet assigned to an area";
/// The same in a page title, which stays within 70 characters.
pub const UNASSIGNED_SHORT: &str = "Unassigned new clubs";

/// `Division A`, or the holding in words.
pub fn division_name(division: &str) -> String {
    if is_unassigned_division(division) {
        UNASSIGNED.into()
    } else {
        format!("Division {division}")
    }
}

/// `Area 01`, or the holding in words.
pub fn area_name(division: &str, area: &str) -> String {
    if is_unassigned_division(division) {
        UNASSIGNED.into()
    } else {
        format!("Area {area}")
    }
}

/// `Division A, area 01`, or the holding in words.
pub fn unit_label(division: &str, area: &str) -> String {
    if is_unassigned_division(division) {
        UNASSIGNED.into()
    } else {
        format!("Division {division}, area {area}")
    }
}

/// `A 01` for a line that names its area in passing, or `not yet assigned`.
pub fn unit_short(division: &str, area: &str) -> String {
    if is_unassigned_division(division) {
        "not yet assigned".into()
    } else {
        format!("{division} {area}")
    }
}

/// `1 club`, `3 clubs`.
pub fn count(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holding_of_new_clubs_is_named_in_words() {
        assert_eq!(division_name("B"), "Division B");
        assert_eq!(area_name("0D", "0A"), UNASSIGNED);
        assert_eq!(unit_label("A", "01"), "Division A, area 01");
        assert_eq!(unit_short("0D", "0A"), "not yet assigned");
        assert_eq!(count(1, "club", "clubs"), "1 club");
        assert_eq!(count(0, "club", "clubs"), "0 clubs");
    }
}
