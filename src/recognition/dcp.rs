//! The ten DCP goals of a club, counted from the goal columns of the club report
//! (DOMAIN.md §5.1): independent goals, OR between the two dues flags in goal 10, and
//! goal 9 credited on round 2 alone for clubs chartered in the current program year.

use crate::model::GoalColumns;

/// Thresholds of goals 1–8, in goal order.
pub(crate) const AWARD_THRESHOLDS: [i64; 8] = [4, 2, 2, 2, 1, 1, 4, 4];
/// Officers trained needed in each round for goal 9.
pub(crate) const OFFICERS_TRAINED: i64 = 4;

/// Which of the ten goals a club has met. `None` when the era's columns cannot decide
/// (pre-2020 exports without the goal 5/6 columns).
pub fn goals(cols: &GoalColumns, chartered_this_year: bool) -> Option<[bool; 10]> {
    let awards = [
        cols.level_1s,
        cols.level_2s,
        cols.add_level_2s,
        cols.level_3s,
        cols.level_4s_path_dtm?,
        cols.add_level_4s_path_dtm?,
        cols.new_members,
        cols.add_new_members,
    ];
    let mut met = [false; 10];
    for (i, (value, threshold)) in awards.iter().zip(AWARD_THRESHOLDS).enumerate() {
        met[i] = *value >= threshold;
    }
    let round1 = cols.officers_trained_round_1 >= OFFICERS_TRAINED;
    let round2 = cols.officers_trained_round_2 >= OFFICERS_TRAINED;
    met[8] = round2 && (round1 || chartered_this_year);
    let dues = match (
        cols.dues_on_time_oct,
        cols.dues_on_time_apr,
        cols.dues_on_time_oct_apr,
    ) {
        (Some(oct), Some(apr), _) => oct >= 1 || apr >= 1,
        (_, _, Some(both)) => both >= 1,
        _ => return None,
    };
    met[9] = cols.officer_list_on_time >= 1 && dues;
    Some(met)
}

/// Number of goals met.
pub fn goals_met(cols: &GoalColumns, chartered_this_year: bool) -> Option<i64> {
    goals(cols, chartered_this_year).map(|g| g.iter().filter(|m| **m).count() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols() -> GoalColumns {
        GoalColumns {
            level_4s_path_dtm: Some(0),
            add_level_4s_path_dtm: Some(0),
            dues_on_time_oct: Some(0),
            dues_on_time_apr: Some(0),
            ..GoalColumns::default()
        }
    }

    #[test]
    fn thresholds_exactly_at_and_one_below() {
        let mut c = cols();
        c.level_1s = 3;
        assert_eq!(goals_met(&c, false), Some(0));
        c.level_1s = 4;
        assert_eq!(goals_met(&c, false), Some(1));
        c.level_4s_path_dtm = Some(1);
        assert_eq!(goals_met(&c, false), Some(2));
    }

    #[test]
    fn goal_10_uses_or_between_dues_flags() {
        let mut c = cols();
        c.officer_list_on_time = 2;
        c.dues_on_time_apr = Some(1);
        assert!(goals(&c, false).unwrap()[9]);
        c.officer_list_on_time = 0;
        assert!(!goals(&c, false).unwrap()[9]);
    }

    #[test]
    fn goal_9_round_two_alone_only_for_new_clubs() {
        let mut c = cols();
        c.officers_trained_round_2 = 5;
        assert!(!goals(&c, false).unwrap()[8]);
        assert!(goals(&c, true).unwrap()[8]);
        c.officers_trained_round_1 = 4;
        assert!(goals(&c, false).unwrap()[8]);
    }

    #[test]
    fn pre_pathways_columns_cannot_decide() {
        let mut c = cols();
        c.level_4s_path_dtm = None;
        assert_eq!(goals_met(&c, false), None);
    }
}
