//! Every real export under `../shared/realdata/` builds with zero errors, the district
//! JSON agrees with the totals those same files carry, and our Borda ranking reproduces
//! the four real 128-district ranking samples. Skipped (with a message) without shared/.

use crate::support::{self, Fixture};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use toaststats::model::SummaryRow;

/// Warnings real data is allowed to produce: absent optional reports and a lost footer.
/// (Archived downloads of different districts carry different as-of stamps; each district
/// shows its own, without a warning.) Anything else is a finding.
const EXPECTED_WARNINGS: &[&str] = &["not in the cache", "no footer line"];

fn real_dates(root: &Path) -> Vec<String> {
    let mut dates: Vec<String> = std::fs::read_dir(root.join("cache/raw-csv"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    dates.sort();
    dates
}

#[test]
fn every_real_date_builds_without_errors_or_unexpected_warnings() {
    let Some(root) = support::realdata() else {
        return;
    };
    let dates = real_dates(&root);
    assert_eq!(dates.len(), 6, "realdata README lists six date folders");
    let fx = Fixture::new();
    for date in &dates {
        let out = support::run(&[
            "build",
            "--cache",
            &root.join("cache").display().to_string(),
            "--site",
            &fx.site().display().to_string(),
            "--date",
            date,
            "--allow-older",
        ]);
        assert!(out.status.success(), "{date}: {}", support::stderr(&out));
        let meta = fx.read_json("snapshot.json");
        assert_eq!(meta["data_date"], date.as_str());
        assert_eq!(meta["status"], "success", "{date}");
        assert_eq!(meta["errors"].as_array().unwrap().len(), 0, "{date}");
        for w in meta["warnings"].as_array().unwrap() {
            let msg = w["message"].as_str().unwrap();
            assert!(
                EXPECTED_WARNINGS.iter().any(|e| msg.contains(e)),
                "{date}: unexpected warning {w}"
            );
        }
        // every club of every district file is in the JSON
        for d in meta["districts_built"].as_array().unwrap() {
            let id = d.as_str().unwrap();
            let json = fx.read_json(&format!("api/v1/districts/{id}.json"));
            let csv = root.join(format!(
                "cache/raw-csv/{date}/district-{id}/club-performance.csv"
            ));
            let rows = read_csv(&csv);
            assert_eq!(
                json["clubs"].as_array().unwrap().len(),
                rows.len(),
                "{date} {id}"
            );
            let members: i64 = rows
                .iter()
                .map(|r| r["Active Members"].parse::<i64>().unwrap())
                .sum();
            assert_eq!(json["totals"]["active_members"], members, "{date} {id}");
            let district_csv = csv.with_file_name("district-performance.csv");
            if district_csv.exists() {
                let pay: i64 = read_csv(&district_csv)
                    .iter()
                    .map(|r| r["Total to Date"].parse::<i64>().unwrap())
                    .sum();
                assert_eq!(json["totals"]["payments"], pay, "{date} {id}");
            } else {
                assert!(
                    json["totals"]["payments"].is_null(),
                    "{date} {id}: payments must be unknown"
                );
            }
        }
    }
}

#[test]
fn area_and_division_figures_match_ti_totals_in_the_division_report() {
    let Some(root) = support::realdata() else {
        return;
    };
    let fx = Fixture::new();
    let cache = root.join("cache").display().to_string();
    let site = fx.site().display().to_string();
    let out = support::run(&[
        "build",
        "--cache",
        &cache,
        "--site",
        &site,
        "--date",
        "2026-06-09",
    ]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let json = fx.read_json("api/v1/districts/61.json");
    let divisions = json["divisions"].as_array().unwrap();
    assert_eq!(divisions.len(), 8, "D61 has 8 divisions");
    let mut areas = 0;
    for div in divisions {
        let ti = &div["ti_recognition"];
        assert_eq!(
            div["paid_clubs"], ti["paid_clubs"],
            "division {}",
            div["division_id"]
        );
        assert_eq!(
            div["distinguished_total"], ti["distinguished_clubs"],
            "division {}",
            div["division_id"]
        );
        for area in div["areas"].as_array().unwrap() {
            areas += 1;
            let ti = &area["ti_recognition"];
            assert_eq!(
                area["paid_clubs"], ti["paid_clubs"],
                "area {}",
                area["area_id"]
            );
            assert_eq!(
                area["distinguished_total"], ti["distinguished_clubs"],
                "area {}",
                area["area_id"]
            );
        }
    }
    assert_eq!(areas, 35, "D61 has 35 areas");
    // D61 June 2026: counts by TI code
    let d = &json["totals"]["distinguished"];
    let total = ["D", "S", "P", "M"]
        .iter()
        .map(|k| d[k].as_i64().unwrap())
        .sum::<i64>();
    assert_eq!(json["totals"]["distinguished_total"], total);
    assert!(
        d["M"].as_i64().unwrap() > 0,
        "2025-26 data has Smedley codes"
    );
}

fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    rdr.records()
        .map(|r| r.unwrap())
        .filter(|r| r.len() == header.len())
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn ranking_samples(root: &Path) -> Vec<std::path::PathBuf> {
    let base = root.join(
        "rorygraves__toast-stats/derived/packages/collector-cli/src/services/__tests__/fixtures",
    );
    vec![
        base.join("closing-2026-05-31/prod-all-districts-rankings.json"),
        base.join("closing-2026-05-31/staging-all-districts-rankings.json"),
        base.join("closing-2026-05-31-decreases/prod/2026-05-31/all-districts-rankings.json"),
        base.join("closing-2026-05-31-decreases/staging/2026-05-31/all-districts-rankings.json"),
    ]
}

fn summary_from_ranking(r: &Value) -> SummaryRow {
    let int = |k: &str| r[k].as_i64().unwrap();
    SummaryRow {
        line: 0,
        district_id: r["districtId"].as_str().unwrap().into(),
        region: r["region"].as_str().unwrap().into(),
        dsp: None,
        training: None,
        market_analysis: None,
        communication_plan: None,
        region_advisor_visit: None,
        new_payments: int("newPayments"),
        april_payments: int("aprilPayments"),
        october_payments: int("octoberPayments"),
        late_payments: int("latePayments"),
        charter_payments: int("charterPayments"),
        total_payments: int("totalPayments"),
        payment_base: int("paymentBase"),
        payment_growth_pct: r["paymentGrowthPercent"].as_f64(),
        paid_club_base: int("paidClubBase"),
        paid_clubs: int("paidClubs"),
        club_growth_pct: r["clubGrowthPercent"].as_f64(),
        active_clubs: int("activeClubs"),
        distinguished_clubs_base_tier: 0,
        select_distinguished_clubs: int("selectDistinguished"),
        presidents_distinguished_clubs: int("presidentsDistinguished"),
        smedley_distinguished_clubs: Some(int("smedleyDistinguished")),
        distinguished_clubs: int("distinguishedClubs"),
        ti_distinguished_pct: None,
    }
}

#[test]
fn borda_ranking_reproduces_the_four_real_128_district_samples() {
    let Some(root) = support::realdata() else {
        return;
    };
    for path in ranking_samples(&root) {
        let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let theirs = doc["rankings"].as_array().unwrap();
        assert_eq!(theirs.len(), 128, "{}", path.display());
        let rows: Vec<SummaryRow> = theirs.iter().map(summary_from_ranking).collect();
        let ours = toaststats::rank::rank(&rows);
        let by_id: HashMap<&str, &toaststats::rank::Ranking> =
            ours.iter().map(|r| (r.district_id.as_str(), r)).collect();
        let mut agree = 0;
        for t in theirs {
            let id = t["districtId"].as_str().unwrap();
            let o = by_id[id];
            assert_eq!(
                o.distinguished_pct,
                t["distinguishedPercent"].as_f64(),
                "{id} distinguished %"
            );
            assert_eq!(
                i64::from(o.club_growth_rank),
                t["clubsRank"].as_i64().unwrap(),
                "{id} clubs rank"
            );
            assert_eq!(
                i64::from(o.payment_growth_rank),
                t["paymentsRank"].as_i64().unwrap(),
                "{id} payments rank"
            );
            assert_eq!(
                i64::from(o.distinguished_rank),
                t["distinguishedRank"].as_i64().unwrap(),
                "{id} dist rank"
            );
            assert_eq!(
                i64::from(o.borda_points),
                t["aggregateScore"].as_i64().unwrap(),
                "{id} score"
            );
            assert_eq!(
                i64::from(o.overall_rank),
                t["overallRank"].as_i64().unwrap(),
                "{id} overall"
            );
            agree += 1;
        }
        assert_eq!(agree, 128);
        // output order: points descending, ties in club-growth order (their file's order)
        let their_order: Vec<&str> = theirs
            .iter()
            .map(|t| t["districtId"].as_str().unwrap())
            .collect();
        let our_order: Vec<&str> = ours.iter().map(|r| r.district_id.as_str()).collect();
        assert_eq!(our_order, their_order, "{}", path.display());
    }
}

/// Parity with TI across every real club report: our goal count and level agree with
/// TI's `Goals Met` and `Club Distinguished Status` for every club, and our area and
/// division statuses with TI's words. The one understood exception is goal 9's new-club
/// credit where no district report shows charter dates (D21 2024-06-30, D61 2025-06-30): TI's count
/// chooses between the two readings, and the test pins how many clubs that concerns
/// and that each is a round 1 < 4, round 2 >= 4 club.
#[test]
fn recognition_parity_with_ti_on_every_real_club() {
    let Some(root) = support::realdata() else {
        return;
    };
    let fx = Fixture::new();
    let cache = root.join("cache").display().to_string();
    let site = fx.site().display().to_string();
    let (mut clubs, mut goals, mut levels_checked, mut levels, mut units) = (0, 0, 0, 0, 0);
    let mut new_club_readings = 0;
    for date in real_dates(&root) {
        let out = support::run(&[
            "build",
            "--cache",
            &cache,
            "--site",
            &site,
            "--date",
            &date,
            "--allow-older",
        ]);
        assert!(out.status.success(), "{}", support::stderr(&out));
        let meta = fx.read_json("snapshot.json");
        let p = &meta["parity"];
        let n = |k: &str| p[k].as_u64().unwrap();
        assert_eq!(n("goals_agree"), n("clubs_checked"), "{date}: {p}");
        assert_eq!(n("levels_agree"), n("levels_checked"), "{date}: {p}");
        assert_eq!(n("areas_agree"), n("areas_checked"), "{date}: {p}");
        assert_eq!(n("divisions_agree"), n("divisions_checked"), "{date}: {p}");
        clubs += n("clubs_checked");
        goals += n("goals_agree");
        levels_checked += n("levels_checked");
        levels += n("levels_agree");
        units += n("areas_agree") + n("divisions_agree");
        for id in meta["districts_built"].as_array().unwrap() {
            let d = fx.read_json(&format!("api/v1/districts/{}.json", id.as_str().unwrap()));
            if d["reports"]["district"] == true {
                continue;
            }
            for c in d["clubs"].as_array().unwrap() {
                let g = &c["goal_columns"];
                let cols = toaststats::model::GoalColumns {
                    level_1s: g["level_1s"].as_i64().unwrap(),
                    level_2s: g["level_2s"].as_i64().unwrap(),
                    add_level_2s: g["add_level_2s"].as_i64().unwrap(),
                    level_3s: g["level_3s"].as_i64().unwrap(),
                    level_4s_path_dtm: g["level_4s_path_dtm"].as_i64(),
                    add_level_4s_path_dtm: g["add_level_4s_path_dtm"].as_i64(),
                    new_members: g["new_members"].as_i64().unwrap(),
                    add_new_members: g["add_new_members"].as_i64().unwrap(),
                    officers_trained_round_1: g["officers_trained_round_1"].as_i64().unwrap(),
                    officers_trained_round_2: g["officers_trained_round_2"].as_i64().unwrap(),
                    dues_on_time_oct: g["dues_on_time_oct"].as_i64(),
                    dues_on_time_apr: g["dues_on_time_apr"].as_i64(),
                    officer_list_on_time: g["officer_list_on_time"].as_i64().unwrap(),
                    ..Default::default()
                };
                let plain = toaststats::recognition::dcp::goals_met(&cols, false).unwrap();
                if plain != c["goals_met"].as_i64().unwrap() {
                    new_club_readings += 1;
                    assert!(
                        g["officers_trained_round_1"].as_i64().unwrap() < 4
                            && g["officers_trained_round_2"].as_i64().unwrap() >= 4,
                        "{date} club {}: only goal 9's new-club credit may differ",
                        c["club_number"]
                    );
                    assert!(
                        c["dcp"]["goals"][8] == true,
                        "{date} club {}",
                        c["club_number"]
                    );
                }
            }
        }
    }
    assert_eq!(
        (clubs, goals),
        (1346, 1346),
        "every real club's goal count agrees with TI"
    );
    assert_eq!(
        (levels_checked, levels),
        (981, 981),
        "every coded (April-June) club's level agrees"
    );
    assert_eq!(units, 43, "D61 2026-06-09: 35 areas and 8 divisions agree");
    assert_eq!(
        new_club_readings, 4,
        "club-report-only folders (D21 2024-06-30, D61 2025-06-30): clubs credited goal 9 as new clubs"
    );
}

/// A disagreement with TI is a warning naming the club (or unit) and both values, and is
/// counted in the snapshot's parity. Built from a copy of the real D61 files with one club
/// code and one area word changed.
#[test]
fn disagreements_with_ti_are_warned_and_counted() {
    let Some(root) = support::realdata() else {
        return;
    };
    let fx = Fixture::new();
    let src = root.join("cache/raw-csv/2026-06-09/district-61");
    let rel = "2026-06-09/district-61";
    let read = |f: &str| std::fs::read_to_string(src.join(f)).unwrap();
    // the first coded club: swap its code in all three reports (they must agree)
    let club = read("club-performance.csv");
    let line = club
        .lines()
        .find(|l| l.ends_with(",\"D\""))
        .unwrap()
        .to_string();
    let number = line
        .split(',')
        .nth(3)
        .unwrap()
        .trim_matches('"')
        .to_string();
    fx.write(
        &format!("{rel}/club-performance.csv"),
        club.replace(&line, &line.replace(",\"D\"", ",\"S\"")),
    );
    let swap = |text: String| {
        text.lines()
            .map(|l| {
                if l.contains(&format!("\"{number}\"")) {
                    l.replacen(",\"D\",", ",\"S\",", 1)
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\r\n")
            + "\r\n"
    };
    fx.write(
        &format!("{rel}/district-performance.csv"),
        swap(read("district-performance.csv")),
    );
    // an area TI calls Distinguished: call it President's Distinguished
    let division = swap(read("division-performance.csv"));
    let area_line = division
        .lines()
        .find(|l| l.contains(",\"Distinguished\","))
        .unwrap()
        .to_string();
    let area = area_line.split(',').nth(2).unwrap().to_string();
    let div = area_line.split(',').nth(1).unwrap().to_string();
    let changed: String = division
        .lines()
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            if cells.len() > 21 && cells[1] == div && cells[2] == area {
                l.replacen(",\"Distinguished\",", ",\"President's Distinguished\",", 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n")
        + "\r\n";
    fx.write(&format!("{rel}/division-performance.csv"), changed);
    // the build clock must not precede the folder date (a folder from the future is refused)
    let out = fx.build(&["--snapshot-time", "2026-06-10T06:00:00Z"]);
    assert!(out.status.success(), "{}", support::stderr(&out));
    let meta = fx.read_json("snapshot.json");
    let p = &meta["parity"];
    assert_eq!(
        (p["levels_checked"].as_u64(), p["levels_agree"].as_u64()),
        (Some(162), Some(161)),
        "{p}"
    );
    assert_eq!(
        p["areas_agree"].as_u64().unwrap() + 1,
        p["areas_checked"].as_u64().unwrap(),
        "{p}"
    );
    let warnings = meta["warnings"].as_array().unwrap();
    let club_warning = warnings
        .iter()
        .find(|w| {
            w["message"]
                .as_str()
                .unwrap()
                .contains(&format!("club {number}"))
        })
        .expect("a warning names the club");
    assert!(
        club_warning["message"]
            .as_str()
            .unwrap()
            .contains("our level D differs from TI's Club Distinguished Status S"),
        "{club_warning}"
    );
    assert_eq!(
        club_warning["file"],
        format!("raw-csv/{rel}/club-performance.csv")
    );
    let area_warning = warnings
        .iter()
        .find(|w| {
            w["message"]
                .as_str()
                .unwrap()
                .contains("our status Distinguished differs from TI's President's Distinguished")
        })
        .expect("a warning names the area");
    assert_eq!(
        area_warning["file"],
        format!("raw-csv/{rel}/division-performance.csv")
    );
}
