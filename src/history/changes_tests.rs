//! Tests of the club changes between two dates of a year and since the start of a year.

use super::*;
use crate::model::Level;

fn point(goals: [bool; 10], level: Option<Level>) -> ClubPoint {
    ClubPoint {
        club_number: "00001234".into(),
        club_name: "Test Club".into(),
        district_id: "21".into(),
        division_id: "A".into(),
        area_id: "01".into(),
        status: Some("Active".into()),
        membership_base: 20,
        active_members: 20,
        goals: Some(goals),
        goals_met: Some(goals.iter().filter(|g| **g).count() as i64),
        ti_goals_met: 0,
        level,
        ti_level: None,
        provisional: false,
        charter_date: None,
        suspend_date: None,
    }
}

fn kinds(out: &[ClubChange]) -> Vec<&'static str> {
    out.iter().map(|c| c.change.kind()).collect()
}

#[test]
fn levels_within_a_year_say_from_and_to_and_unchanged_levels_are_not_listed() {
    let d = point([true; 10], Some(Level::D));
    let s = point([true; 10], Some(Level::S));
    let none = point([true; 10], None);
    let run = |b: &ClubPoint, a: &ClubPoint| {
        let mut out = Vec::new();
        club_changes(Some(b), Some(a), &mut out);
        out
    };
    assert_eq!(
        run(&d, &s)[0].change,
        Change::LevelReached {
            from: Some(Level::D),
            to: Level::S,
            provisional: false
        }
    );
    assert_eq!(
        run(&s, &none)[0].change,
        Change::LevelDropped {
            from: Level::S,
            to: None
        }
    );
    assert!(run(&s, &s).is_empty(), "the same level is no change");
}

#[test]
fn paid_and_unpaid_are_a_change_kind() {
    let active = point([false; 10], None);
    let mut low = active.clone();
    low.status = Some("Low".into());
    let mut out = Vec::new();
    club_changes(Some(&active), Some(&low), &mut out);
    assert_eq!(kinds(&out), ["became_unpaid"]);
    out.clear();
    club_changes(Some(&low), Some(&active), &mut out);
    assert_eq!(kinds(&out), ["became_paid"]);
}

#[test]
fn since_the_start_of_the_year_lists_what_was_reached_and_met_this_year() {
    let mut goals = [false; 10];
    goals[0] = true;
    goals[9] = true;
    let mut club = point(goals, Some(Level::D));
    club.active_members = 24;
    club.charter_date = NaiveDate::from_ymd_opt(2025, 6, 1);
    let start = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
    let mut out = Vec::new();
    since_year_start(&club, start, &mut out);
    assert_eq!(kinds(&out), ["level", "goals", "membership"]);
    assert_eq!(out[1].change, Change::Goals { goals: vec![1, 10] });
    assert_eq!(
        out[2].change,
        Change::Membership {
            from: 20,
            to: 24,
            change: 4
        },
        "members against the base"
    );
}
