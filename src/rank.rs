//! World district ranking by Borda count (DOMAIN.md §4): three metrics, standard
//! competition ranks with exact f64 ties, points N − rank + 1, a category where every
//! district has the same value scores 0, overall rank over the summed points.

use crate::model::SummaryRow;
use serde::Serialize;

/// One district's ranking, the `rankings.json` row.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Ranking {
    pub district_id: String,
    pub region: String,
    pub paid_clubs: i64,
    pub paid_club_base: i64,
    /// TI's `% Club Growth`; `None` when TI printed N/A (ranked as 0).
    pub club_growth_pct: Option<f64>,
    pub total_payments: i64,
    pub payment_base: i64,
    pub payment_growth_pct: Option<f64>,
    /// Clubs TI counts as active (`Active Clubs` of the summary).
    pub active_clubs: i64,
    /// The split of `distinguished_clubs` by level, as TI's summary reports it.
    pub distinguished_clubs_base_tier: i64,
    pub select_distinguished_clubs: i64,
    pub presidents_distinguished_clubs: i64,
    /// `None` when the summary has no Smedley column (older exports).
    pub smedley_distinguished_clubs: Option<i64>,
    pub distinguished_clubs: i64,
    /// Total distinguished / Paid Club Base × 100; `None` when the base is 0 (ranked as 0).
    pub distinguished_pct: Option<f64>,
    pub club_growth_rank: u32,
    pub club_growth_points: u32,
    pub payment_growth_rank: u32,
    pub payment_growth_points: u32,
    pub distinguished_rank: u32,
    pub distinguished_points: u32,
    pub borda_points: u32,
    pub overall_rank: u32,
}

/// Total distinguished clubs as a percentage of the paid club base, computed exactly as
/// `(d as f64 / base as f64) * 100.0` so ties are the same f64 values as TI-derived data.
pub fn distinguished_pct(distinguished: i64, paid_club_base: i64) -> Option<f64> {
    (paid_club_base > 0).then(|| (distinguished as f64 / paid_club_base as f64) * 100.0)
}

/// Rank and points of one category for values in input order.
pub fn rank_category(values: &[f64]) -> Vec<(u32, u32)> {
    let n = values.len();
    if n == 0 {
        return Vec::new();
    }
    if values.iter().all(|v| *v == values[0]) {
        return vec![(1, 0); n];
    }
    let mut order: Vec<usize> = (0..n).collect();
    // stable: ties keep input order
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    let mut out = vec![(0, 0); n];
    let mut rank = 0u32;
    for (pos, &i) in order.iter().enumerate() {
        if pos == 0 || values[i] != values[order[pos - 1]] {
            rank = pos as u32 + 1;
        }
        out[i] = (rank, n as u32 - rank + 1);
    }
    out
}

/// Ranks the summary rows (in CSV order) and returns them in output order: total points
/// descending, ties in club-growth order, then CSV order.
pub fn rank(rows: &[SummaryRow]) -> Vec<Ranking> {
    let club: Vec<f64> = rows
        .iter()
        .map(|r| r.club_growth_pct.unwrap_or(0.0))
        .collect();
    let pay: Vec<f64> = rows
        .iter()
        .map(|r| r.payment_growth_pct.unwrap_or(0.0))
        .collect();
    let dist_pct: Vec<Option<f64>> = rows
        .iter()
        .map(|r| distinguished_pct(r.distinguished_clubs, r.paid_club_base))
        .collect();
    let dist: Vec<f64> = dist_pct.iter().map(|p| p.unwrap_or(0.0)).collect();
    let (cr, pr, dr) = (
        rank_category(&club),
        rank_category(&pay),
        rank_category(&dist),
    );

    let mut out: Vec<Ranking> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| Ranking {
            district_id: r.district_id.clone(),
            region: r.region.clone(),
            paid_clubs: r.paid_clubs,
            paid_club_base: r.paid_club_base,
            club_growth_pct: r.club_growth_pct,
            total_payments: r.total_payments,
            payment_base: r.payment_base,
            payment_growth_pct: r.payment_growth_pct,
            active_clubs: r.active_clubs,
            distinguished_clubs_base_tier: r.distinguished_clubs_base_tier,
            select_distinguished_clubs: r.select_distinguished_clubs,
            presidents_distinguished_clubs: r.presidents_distinguished_clubs,
            smedley_distinguished_clubs: r.smedley_distinguished_clubs,
            distinguished_clubs: r.distinguished_clubs,
            distinguished_pct: dist_pct[i],
            club_growth_rank: cr[i].0,
            club_growth_points: cr[i].1,
            payment_growth_rank: pr[i].0,
            payment_growth_points: pr[i].1,
            distinguished_rank: dr[i].0,
            distinguished_points: dr[i].1,
            borda_points: cr[i].1 + pr[i].1 + dr[i].1,
            overall_rank: 0,
        })
        .collect();
    // Club-growth order first (stable, ties in CSV order), then total points (stable).
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by(|&a, &b| club[b].total_cmp(&club[a]));
    order.sort_by(|&a, &b| out[b].borda_points.cmp(&out[a].borda_points));
    let mut rank = 0;
    for (pos, &i) in order.iter().enumerate() {
        if pos == 0 || out[i].borda_points != out[order[pos - 1]].borda_points {
            rank = pos as u32 + 1;
        }
        out[i].overall_rank = rank;
    }
    let mut sorted = Vec::with_capacity(out.len());
    let mut slots: Vec<Option<Ranking>> = out.into_iter().map(Some).collect();
    for i in order {
        sorted.extend(slots[i].take());
    }
    sorted
}

/// Summary rows for unit tests elsewhere in the crate.
#[cfg(test)]
pub(crate) mod tests_support {
    use crate::model::SummaryRow;

    pub fn row(id: &str, club: f64, pay: f64, dist: i64, base: i64) -> SummaryRow {
        SummaryRow {
            line: 0,
            district_id: id.into(),
            region: "01".into(),
            dsp: None,
            training: None,
            market_analysis: None,
            communication_plan: None,
            region_advisor_visit: None,
            new_payments: 0,
            april_payments: 0,
            october_payments: 0,
            late_payments: 0,
            charter_payments: 0,
            total_payments: 0,
            payment_base: 0,
            payment_growth_pct: Some(pay),
            paid_club_base: base,
            paid_clubs: 0,
            club_growth_pct: Some(club),
            active_clubs: 0,
            distinguished_clubs_base_tier: 0,
            select_distinguished_clubs: 0,
            presidents_distinguished_clubs: 0,
            smedley_distinguished_clubs: None,
            distinguished_clubs: dist,
            ti_distinguished_pct: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::row;
    use super::*;

    #[test]
    fn domain_worked_example() {
        let rows = [
            row("10", 3.0, 2.5, 30, 100),
            row("20", 1.5, 4.0, 20, 80),
            row("30", 3.0, -1.0, 10, 40),
            row("F", -2.0, 4.0, 15, 60),
            row("U", 0.0, 0.5, 0, 0),
        ];
        let got: Vec<_> = rank(&rows)
            .into_iter()
            .map(|r| {
                (
                    r.district_id,
                    (r.club_growth_rank, r.club_growth_points),
                    (r.payment_growth_rank, r.payment_growth_points),
                    (r.distinguished_rank, r.distinguished_points),
                    r.borda_points,
                    r.overall_rank,
                )
            })
            .collect();
        let want = [
            ("10", (1, 5), (3, 3), (1, 5), 13, 1),
            ("20", (3, 3), (1, 5), (2, 4), 12, 2),
            ("30", (1, 5), (5, 1), (2, 4), 10, 3),
            ("F", (5, 1), (1, 5), (2, 4), 10, 3),
            ("U", (4, 2), (4, 2), (5, 1), 5, 5),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(id, c, p, d, b, o)| (id.to_string(), *c, *p, *d, *b, *o))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn all_equal_category_scores_zero() {
        assert_eq!(rank_category(&[0.0, 0.0, 0.0]), vec![(1, 0); 3]);
        let rows = [row("1", 1.0, 1.0, 0, 10), row("2", 2.0, 2.0, 0, 10)];
        let r = rank(&rows);
        assert!(
            r.iter()
                .all(|x| x.distinguished_points == 0 && x.distinguished_rank == 1)
        );
        assert_eq!(r[0].borda_points, 4);
        assert_eq!(r[1].borda_points, 2);
    }

    #[test]
    fn standard_competition_ties() {
        assert_eq!(
            rank_category(&[5.0, 7.0, 7.0, 1.0]),
            vec![(3, 2), (1, 4), (1, 4), (4, 1)]
        );
    }

    #[test]
    fn one_district_scores_zero_everywhere() {
        let r = rank(&[row("61", 3.0, 2.0, 5, 10)]);
        assert_eq!((r[0].borda_points, r[0].overall_rank), (0, 1));
    }

    #[test]
    fn distinguished_pct_is_bit_exact_and_unknown_on_zero_base() {
        assert_eq!(distinguished_pct(40, 69), Some(57.971014492753625));
        assert_eq!(distinguished_pct(3, 0), None);
    }
}
