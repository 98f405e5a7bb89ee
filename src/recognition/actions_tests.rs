use super::*;
use crate::model::{ClubPayments, ClubVisits, GoalColumns, Level};
use crate::recognition::health::classify;
use crate::recognition::level::Needs;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// An active club of 22 members that has done everything so far: no action on any date.
fn club(number: &str) -> Club {
    Club {
        line: 2,
        club_number: number.into(),
        club_name: format!("Club {number} "),
        district_id: "61".into(),
        division_id: "B".into(),
        area_id: "12".into(),
        status: Some("Active".into()),
        csp: Some(true),
        membership_base: 20,
        active_members: 22,
        net_growth: 2,
        goals_met: 5,
        distinguished_status: None,
        goal_columns: GoalColumns {
            officers_trained_round_1: 4,
            officers_trained_round_2: 4,
            ..GoalColumns::default()
        },
        payments: Some(ClubPayments {
            new: 2,
            late_renewals: 0,
            october_renewals: 18,
            april_renewals: 17,
            total_renewals: 35,
            charter: 0,
            total_to_date: 37,
        }),
        visits: Some(ClubVisits {
            october_renewed: 1,
            april_renewed: 1,
            nov_visit_award: 1,
            may_visit_award: 1,
        }),
        charter_date: None,
        suspend_date: None,
        extra: Default::default(),
        dcp: None,
        health: Some(classify(22, 2, 5, Some(true), 11)),
    }
}

fn district_of(clubs: Vec<Club>) -> District {
    District {
        id: "61".into(),
        clubs,
        has_payments: true,
        has_division_report: true,
        as_of_date: None,
        area_reports: Default::default(),
        division_reports: Default::default(),
    }
}

fn kinds(list: &ActionList) -> Vec<(ActionKind, &str, NaiveDate, bool)> {
    list.actions
        .iter()
        .map(|a| (a.kind, a.club_number.as_str(), a.due, a.overdue))
        .collect()
}

#[test]
fn a_club_with_everything_done_has_no_action() {
    for date in [
        d(2026, 7, 20),
        d(2026, 9, 15),
        d(2026, 11, 8),
        d(2027, 3, 5),
    ] {
        let list = district(&district_of(vec![club("1")]), date);
        assert_eq!(kinds(&list), [], "{date}");
        assert!(list.unknown.is_empty());
    }
}

#[test]
fn the_club_success_plan_is_due_30_september_or_90_days_after_a_new_charter() {
    let mut late = club("1");
    late.csp = Some(false);
    let mut new = late.clone();
    new.club_number = "2".into();
    new.charter_date = Some(d(2026, 9, 1));
    let dist = district_of(vec![late, new]);
    assert_eq!(
        kinds(&district(&dist, d(2026, 9, 15))),
        [
            (ActionKind::CspMissing, "1", d(2026, 9, 30), false),
            (ActionKind::CspMissing, "2", d(2026, 11, 30), false),
        ]
    );
    let after = district(&dist, d(2026, 10, 10));
    assert_eq!(after.actions[0].due, d(2026, 9, 30));
    assert!(after.actions[0].overdue);
    assert!(!after.actions[1].overdue);
    // before 2025-26 there is no plan to submit
    assert_eq!(kinds(&district(&dist, d(2024, 9, 15))), []);
}

#[test]
fn a_visit_is_needed_in_the_round_whose_deadline_is_next() {
    let mut c = club("1");
    c.visits.as_mut().unwrap().nov_visit_award = 0;
    let mut suspended = c.clone();
    suspended.club_number = "2".into();
    suspended.status = Some("Suspended".into());
    let dist = district_of(vec![c.clone(), suspended]);
    let list = district(&dist, d(2026, 11, 8));
    assert_eq!(
        kinds(&list),
        [(ActionKind::VisitNeeded, "1", d(2026, 11, 30), false)]
    );
    assert_eq!(list.actions[0].who, "area director");
    assert!(list.actions[0].step.contains("round 1"));
    // December: round 1 is over; round 2's flag is set, so nothing
    assert_eq!(kinds(&district(&dist, d(2026, 12, 5))), []);
    c.visits.as_mut().unwrap().may_visit_award = 0;
    assert_eq!(
        kinds(&district(&district_of(vec![c.clone()]), d(2026, 12, 5))),
        [(ActionKind::VisitNeeded, "1", d(2027, 5, 31), false)]
    );
    // June: both rounds are over
    assert_eq!(kinds(&district(&district_of(vec![c]), d(2027, 6, 5))), []);
}

#[test]
fn dues_are_due_from_two_months_before_to_a_month_after_the_deadline() {
    let mut c = club("1");
    c.payments.as_mut().unwrap().october_renewals = 0;
    let dist = district_of(vec![c]);
    assert_eq!(kinds(&district(&dist, d(2026, 7, 20))), []);
    assert_eq!(
        kinds(&district(&dist, d(2026, 8, 15))),
        [(ActionKind::DuesRenewal, "1", d(2026, 10, 1), false)]
    );
    assert_eq!(
        kinds(&district(&dist, d(2026, 10, 20))),
        [(ActionKind::DuesRenewal, "1", d(2026, 10, 1), true)]
    );
    assert_eq!(kinds(&district(&dist, d(2026, 11, 8))), []);
}

#[test]
fn officer_training_is_due_while_its_window_is_open() {
    let mut c = club("1");
    c.goal_columns.officers_trained_round_2 = 1;
    let dist = district_of(vec![c]);
    let list = district(&dist, d(2026, 11, 8));
    assert_eq!(
        kinds(&list),
        [(ActionKind::OfficerTraining, "1", d(2027, 2, 28), false)]
    );
    assert_eq!(
        list.actions[0].step,
        "Train 3 more officers in round 2 (1 of 4 so far)."
    );
    // between the windows there is nothing to train for
    assert_eq!(kinds(&district(&dist, d(2026, 9, 15))), []);
}

#[test]
fn small_clubs_are_due_by_the_next_renewal() {
    let mut weak = club("1");
    (weak.active_members, weak.net_growth) = (10, 0);
    weak.health = Some(classify(10, 0, 5, Some(true), 11));
    let mut small = club("2");
    small.active_members = 15;
    small.health = Some(classify(15, 2, 5, Some(true), 11));
    let mut low = small.clone();
    low.club_number = "3".into();
    low.status = Some("Low".into());
    let list = district(&district_of(vec![weak, small, low]), d(2026, 11, 8));
    assert_eq!(
        kinds(&list),
        [
            (ActionKind::Intervention, "1", d(2027, 4, 1), false),
            (ActionKind::BelowCharterStrength, "2", d(2027, 4, 1), false),
        ]
    );
    assert_eq!(
        list.actions[1].step,
        "Find 5 more members to reach charter strength (15 now)."
    );
    // in September the next renewal is October's
    let sept = district(&district_of(vec![club("1")]), d(2026, 9, 15));
    assert!(sept.actions.is_empty());
}

#[test]
fn close_to_the_next_level_names_what_it_lacks() {
    let mut c = club("1");
    let mut dcp = crate::recognition::club::ClubDcp {
        goals: None,
        goals_met: Some(4),
        level: Some(Level::D),
        provisional: true,
        confirmed: None,
        next_level: Some(Needs {
            level: Level::S,
            goals_needed: 1,
            members_needed: 2,
            csp_needed: false,
        }),
        goals_agree_with_ti: Some(true),
        level_agrees_with_ti: None,
    };
    c.dcp = Some(dcp.clone());
    let list = district(&district_of(vec![c.clone()]), d(2026, 11, 8));
    assert_eq!(
        kinds(&list),
        [(ActionKind::CloseToNextLevel, "1", d(2027, 6, 30), false)]
    );
    assert_eq!(
        list.actions[0].step,
        "1 more goal and 2 more members for Select Distinguished."
    );
    // three goals away is not close
    dcp.next_level.as_mut().unwrap().goals_needed = 3;
    c.dcp = Some(dcp);
    assert!(
        district(&district_of(vec![c]), d(2026, 11, 8))
            .actions
            .is_empty()
    );
}

#[test]
fn actions_sort_by_deadline_and_filter_by_unit() {
    let mut a = club("1");
    a.visits.as_mut().unwrap().nov_visit_award = 0;
    a.goal_columns.officers_trained_round_2 = 0;
    let mut b = a.clone();
    (b.club_number, b.division_id, b.area_id) = ("2".into(), "A".into(), "03".into());
    let list = district(&district_of(vec![a, b]), d(2026, 11, 8));
    assert_eq!(
        kinds(&list),
        [
            (ActionKind::VisitNeeded, "2", d(2026, 11, 30), false),
            (ActionKind::VisitNeeded, "1", d(2026, 11, 30), false),
            (ActionKind::OfficerTraining, "2", d(2027, 2, 28), false),
            (ActionKind::OfficerTraining, "1", d(2027, 2, 28), false),
        ]
    );
    assert_eq!(list.of_unit("B", None).count(), 2);
    assert_eq!(list.of_unit("B", Some("03")).count(), 0);
    assert_eq!(list.of_unit("A", Some("03")).count(), 2);
    assert_eq!(
        ActionList::counts(list.actions.iter()),
        [
            (ActionKind::VisitNeeded, 2),
            (ActionKind::OfficerTraining, 2)
        ]
    );
    assert_eq!(list.actions[1].club_name, "Club 1", "names are trimmed");
}

#[test]
fn what_the_reports_cannot_decide_is_unknown() {
    let mut dist = district_of(vec![club("1")]);
    dist.has_division_report = false;
    dist.has_payments = false;
    let unknown: Vec<ActionKind> = district(&dist, d(2026, 11, 8))
        .unknown
        .iter()
        .map(|u| u.kind)
        .collect();
    assert_eq!(unknown, [ActionKind::VisitNeeded, ActionKind::DuesRenewal]);
}
