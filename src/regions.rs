//! The regions leaderboard (issue 22): each region's totals, summed from its districts'
//! rows of TI's summary, and its standing by the same Borda count the districts are
//! ranked by ([`crate::rank::rank_category`] over the regions' three metrics, computed
//! from the sums as TI computes a district's: growth over the base, distinguished clubs
//! over the paid club base). TI publishes no region ranking: this one is ours, and the
//! methodology page says so.
//!
//! A region here is a numbered one (`01`…`14`): `DNAR` is TI's code for district U,
//! which is in none, and `Unknown` a blank cell; their districts are counted apart.

use crate::rank::{Ranking, distinguished_pct, rank_category};
use serde::Serialize;

/// One region of the leaderboard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionStanding {
    pub region: String,
    pub districts: usize,
    pub paid_clubs: i64,
    pub paid_club_base: i64,
    /// (paid − base) / base × 100; `None` with no base.
    pub club_growth_pct: Option<f64>,
    pub total_payments: i64,
    pub payment_base: i64,
    pub payment_growth_pct: Option<f64>,
    pub active_clubs: i64,
    pub distinguished_clubs: i64,
    pub distinguished_pct: Option<f64>,
    pub club_growth_points: u32,
    pub payment_growth_points: u32,
    pub distinguished_points: u32,
    pub borda_points: u32,
    /// Standard competition rank over `borda_points` (ties share a standing).
    pub standing: u32,
    /// The region's best-ranked district and its world rank.
    pub best_district: (String, u32),
}

/// Whether `region` is a numbered region of TI (not `DNAR`, `Unknown` or blank).
pub fn is_numbered(region: &str) -> bool {
    let r = region.trim();
    !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit())
}

/// Growth of `now` over `base` in percent, as TI computes a district's.
fn growth_pct(now: i64, base: i64) -> Option<f64> {
    (base > 0).then(|| (now - base) as f64 / base as f64 * 100.0)
}

/// The numbered regions of a world ranking, best standing first (ties in region order).
/// A metric a region has no base for counts as 0, as a district's N/A does.
pub fn standings(rankings: &[Ranking]) -> Vec<RegionStanding> {
    let mut regions: Vec<String> = rankings
        .iter()
        .map(|r| r.region.trim().to_string())
        .filter(|r| is_numbered(r))
        .collect();
    regions.sort();
    regions.dedup();
    let mut out: Vec<RegionStanding> = regions
        .into_iter()
        .map(|region| {
            let members: Vec<&Ranking> = rankings
                .iter()
                .filter(|r| r.region.trim() == region)
                .collect();
            let sum = |f: fn(&Ranking) -> i64| members.iter().map(|r| f(r)).sum::<i64>();
            let (paid_clubs, paid_club_base) = (sum(|r| r.paid_clubs), sum(|r| r.paid_club_base));
            let (total_payments, payment_base) =
                (sum(|r| r.total_payments), sum(|r| r.payment_base));
            let distinguished_clubs = sum(|r| r.distinguished_clubs);
            let best = members
                .iter()
                .min_by_key(|r| r.overall_rank)
                .map(|r| (r.district_id.clone(), r.overall_rank))
                .unwrap_or_default();
            RegionStanding {
                districts: members.len(),
                paid_clubs,
                paid_club_base,
                club_growth_pct: growth_pct(paid_clubs, paid_club_base),
                total_payments,
                payment_base,
                payment_growth_pct: growth_pct(total_payments, payment_base),
                active_clubs: sum(|r| r.active_clubs),
                distinguished_clubs,
                distinguished_pct: distinguished_pct(distinguished_clubs, paid_club_base),
                club_growth_points: 0,
                payment_growth_points: 0,
                distinguished_points: 0,
                borda_points: 0,
                standing: 0,
                best_district: best,
                region,
            }
        })
        .collect();
    let category = |f: fn(&RegionStanding) -> Option<f64>| -> Vec<u32> {
        let values: Vec<f64> = out.iter().map(|r| f(r).unwrap_or(0.0)).collect();
        rank_category(&values).into_iter().map(|(_, p)| p).collect()
    };
    let club = category(|r| r.club_growth_pct);
    let pay = category(|r| r.payment_growth_pct);
    let dist = category(|r| r.distinguished_pct);
    for (i, r) in out.iter_mut().enumerate() {
        r.club_growth_points = club[i];
        r.payment_growth_points = pay[i];
        r.distinguished_points = dist[i];
        r.borda_points = club[i] + pay[i] + dist[i];
    }
    let totals: Vec<f64> = out.iter().map(|r| f64::from(r.borda_points)).collect();
    for (r, (rank, _)) in out.iter_mut().zip(rank_category(&totals)) {
        r.standing = rank;
    }
    // stable: equal standings keep region order
    out.sort_by_key(|r| r.standing);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranking(id: &str, region: &str, paid: i64, base: i64, pay: i64, dist: i64) -> Ranking {
        Ranking {
            district_id: id.into(),
            region: region.into(),
            paid_clubs: paid,
            paid_club_base: base,
            club_growth_pct: None,
            total_payments: pay,
            payment_base: 100,
            payment_growth_pct: None,
            active_clubs: paid,
            distinguished_clubs_base_tier: dist,
            select_distinguished_clubs: 0,
            presidents_distinguished_clubs: 0,
            smedley_distinguished_clubs: None,
            distinguished_clubs: dist,
            distinguished_pct: None,
            club_growth_rank: 0,
            club_growth_points: 0,
            payment_growth_rank: 0,
            payment_growth_points: 0,
            distinguished_rank: 0,
            distinguished_points: 0,
            borda_points: 0,
            overall_rank: 0,
        }
    }

    #[test]
    fn regions_sum_their_districts_and_rank_by_the_borda_count() {
        let mut rows = vec![
            ranking("1", "01", 110, 100, 120, 10),
            ranking("2", "01", 90, 100, 100, 0),
            ranking("3", "02", 105, 100, 90, 30),
            ranking("U", "DNAR", 500, 100, 900, 90),
        ];
        for (i, r) in rows.iter_mut().enumerate() {
            r.overall_rank = 4 - i as u32;
        }
        let s = standings(&rows);
        assert_eq!(s.len(), 2, "DNAR is no region");
        let one = s.iter().find(|r| r.region == "01").unwrap();
        assert_eq!(
            (one.districts, one.paid_clubs, one.paid_club_base),
            (2, 200, 200)
        );
        assert_eq!(one.club_growth_pct, Some(0.0));
        assert_eq!(one.payment_growth_pct, Some(10.0));
        assert_eq!(one.distinguished_pct, Some(5.0));
        assert_eq!(one.best_district, ("2".into(), 3));
        let two = s.iter().find(|r| r.region == "02").unwrap();
        // 02 leads club growth (5 % > 0 %) and distinguished (30 % > 5 %): 2 + 1 + 2
        assert_eq!((two.borda_points, two.standing), (5, 1));
        assert_eq!((one.borda_points, one.standing), (4, 2));
        assert_eq!(s[0].region, "02");
    }

    #[test]
    fn equal_regions_share_a_standing_and_no_base_counts_as_zero() {
        let rows = vec![
            ranking("1", "01", 0, 0, 100, 0),
            ranking("2", "02", 0, 0, 100, 0),
        ];
        let s = standings(&rows);
        assert!(s.iter().all(|r| r.standing == 1 && r.borda_points == 0));
        assert_eq!(s[0].club_growth_pct, None);
    }
}
