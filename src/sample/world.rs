//! The club population of one seed, drawn once and shared by every date: districts (ids,
//! regions, which reports are collected), their area/division structure with club bases,
//! payment bases and prerequisite days, and the clubs of each district (drawn in
//! [`super::club`]) with world-unique club numbers.

use super::SampleOptions;
use super::calendar::day_of;
use super::club::{Club, Core, Fate, charter_pay, gen_club, gen_core};
use super::rng::Rng;
use crate::cache::eras::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Full,
    ClubOnly,
    Uncollected,
}

pub(super) struct Area {
    pub(super) code: String,
    pub(super) div: usize,
    pub(super) base: i64,
}

pub(super) struct District {
    pub(super) id: String,
    pub(super) region: String,
    pub(super) role: Role,
    pub(super) clubs: Vec<Club>,
    pub(super) areas: Vec<Area>,
    /// Division letter and club base (sum of its area bases).
    pub(super) divisions: Vec<(String, i64)>,
    pub(super) paid_club_base: i64,
    pub(super) payment_base: i64,
    /// Day from which each prerequisite flag of the summary is `Y`.
    pub(super) flag_days: [i64; 5],
}

impl District {
    pub(super) fn reports(&self) -> &'static [Report] {
        match self.role {
            Role::Full => &[Report::Club, Report::Division, Report::District],
            Role::ClubOnly => &[Report::Club],
            Role::Uncollected => &[],
        }
    }
}

/// Sort key: numeric ids by number, then lettered ones.
pub(super) fn id_key(id: &str) -> (bool, u64, String) {
    let n = id.parse::<u64>();
    (n.is_err(), n.unwrap_or(0), id.to_string())
}

type Structure = (Vec<Core>, Vec<Area>, Vec<(String, i64)>);

pub(super) fn build_world(opts: &SampleOptions) -> Vec<District> {
    let n = opts.districts;
    let mut rng = Rng::new(opts.seed, 1);
    let factors: Vec<u64> = (0..n).map(|_| 60 + rng.below(81)).collect();
    let (total, want) = (
        factors.iter().sum::<u64>(),
        (opts.clubs_per_district * n) as u64,
    );
    let mut sizes: Vec<usize> = factors
        .iter()
        .map(|f| ((want * f + total / 2) / total).max(5) as usize)
        .collect();
    // District 03 copies district 01's structure: equal paid clubs and base, a Borda tie.
    let twin = n >= 3;
    if twin {
        sizes[2] = sizes[0];
    }
    let uncollected = (n >= 6).then_some(n / 2 + usize::from(n / 2 % 5 == 4));
    let numeric = if n >= 4 { n - 2 } else { n };
    let regions = numeric.div_ceil(3).min(14);
    let structures: Vec<Structure> = (0..n)
        .map(|i| {
            let mut srng = Rng::new(opts.seed, 1000 + if twin && i == 2 { 0 } else { i as u64 });
            gen_structure(
                &mut srng,
                sizes[i],
                i == usize::from(n >= 2),
                n >= 3 && i == 1,
            )
        })
        .collect();
    // Old clubs: numbers spread over 00001000..07991000, unique world-wide; this year's
    // charters: sequential 2867xxxx numbers.
    let all_cores = structures.iter().flat_map(|s| &s.0);
    let old_total = all_cores.filter(|c| c.charter.is_none()).count().max(1) as u64;
    let block = (7_990_000 / old_total).max(1);
    let mut nrng = Rng::new(opts.seed, 7);
    let (mut g, mut next_new) = (0, 28_670_000 + nrng.below(400));
    let mut world = Vec::with_capacity(n);
    for (i, (cores, areas, divisions)) in structures.into_iter().enumerate() {
        let mut arng = Rng::new(opts.seed, 5000 + i as u64);
        let mut clubs: Vec<Club> = Vec::with_capacity(cores.len());
        for core in cores {
            let number = if core.charter.is_some() {
                next_new += 1 + nrng.below(4);
                next_new
            } else {
                g += 1;
                1000 + (g - 1) * 1_000_003 % old_total * block + nrng.below(block)
            };
            clubs.push(gen_club(&mut arng, core, format!("{number:08}")));
        }
        clubs.sort_by(|a, b| (a.core.area, &a.number).cmp(&(b.core.area, &b.number)));
        let id = match i {
            _ if n >= 4 && i + 2 >= n => ["F", "U"][i + 2 - n].to_string(),
            _ if i < 99 => format!("{:02}", i + 1),
            _ => (i + 1).to_string(),
        };
        let region = match id.as_str() {
            "F" => "02".to_string(),
            "U" => "DNAR".to_string(),
            _ => format!("{:02}", i * regions / numeric + 1),
        };
        let role = match i {
            _ if uncollected == Some(i) => Role::Uncollected,
            _ if i % 5 == 4 => Role::ClubOnly,
            _ => Role::Full,
        };
        let year_end = |c: &Club| c.finals[4] + c.renewals.iter().sum::<i64>() + charter_pay(c);
        let expected: i64 = clubs.iter().map(year_end).sum();
        world.push(District {
            id,
            region,
            role,
            paid_club_base: areas.iter().map(|a| a.base).sum(),
            payment_base: (expected * arng.range(90, 110) / 100).max(1),
            flag_days: [0; 5]
                .map(|_| arng.range(20, 280) + i64::MAX / 2 * i64::from(arng.chance(15))),
            clubs,
            areas,
            divisions,
        });
    }
    world
}

/// Areas of 3–7 clubs, about 4–5 areas per division, areas numbered by division when they
/// fit (A → 01…, B → 10…), a charter of this year in about 3 % of the slots.
fn gen_structure(rng: &mut Rng, size: usize, special: bool, unassigned: bool) -> Structure {
    let off = usize::from(unassigned);
    let regular = size - off;
    let n_areas = ((regular + 2) / 5).clamp(1, 99);
    let mut counts: Vec<usize> = (0..n_areas)
        .map(|a| (a + 1) * regular / n_areas - a * regular / n_areas)
        .collect();
    for a in 1..n_areas {
        let (from, to) = if rng.chance(50) {
            (a - 1, a)
        } else {
            (a, a - 1)
        };
        if rng.chance(40) && counts[from] > 3 && counts[to] < 7 {
            counts[from] -= 1;
            counts[to] += 1;
        }
    }
    let n_div = ((n_areas * 2 + 4) / 9).clamp(1, 26);
    let div_of = |a: usize| a * n_div / n_areas;
    let first = |a: usize| (0..=a).find(|&b| div_of(b) == div_of(a)).unwrap_or(a);
    let by_div = n_div <= 10 && (0..n_areas).all(|a| a - first(a) < 9);
    let mut divisions: Vec<(String, i64)> =
        unassigned.then(|| ("0D".into(), 0)).into_iter().collect();
    divisions.extend((0..n_div).map(|d| (char::from(b'A' + d as u8).to_string(), 0)));
    let unassigned_area = Area {
        code: "0A".into(),
        div: 0,
        base: 0,
    };
    let mut areas: Vec<Area> = unassigned.then_some(unassigned_area).into_iter().collect();
    for a in 0..n_areas {
        let (d, k) = (div_of(a), a - first(a));
        let number = match (by_div, d) {
            (false, _) => a + 1,
            (true, 0) => k + 1,
            _ => d * 10 + k,
        };
        areas.push(Area {
            code: format!("{number:02}"),
            div: d + off,
            base: 0,
        });
    }
    let mut cores: Vec<Core> = Vec::with_capacity(size);
    for (a, &count) in counts.iter().enumerate() {
        for _ in 0..count {
            let is_new = rng.chance(3);
            cores.push(gen_core(rng, a + off, is_new));
        }
    }
    if special {
        let c = &mut cores[rng.below(regular as u64) as usize];
        (c.charter, c.susp) = (Some(day_of(2025, 8, 14)), Some(day_of(2026, 2, 28)));
        (c.fate, c.base, c.trend) = (Fate::Suspended, 20, rng.range(4, 8) - 20);
    }
    if unassigned {
        let mut c = gen_core(rng, 0, true);
        c.charter = Some(day_of(2026, 4, 8) + rng.range(0, 10));
        cores.push(c);
    }
    for (a, area) in areas.iter_mut().enumerate().skip(off) {
        let old = cores
            .iter()
            .filter(|c| c.area == a && c.charter.is_none())
            .count() as i64;
        let r = rng.below(100);
        area.base = (old + i64::from(r < 8) - i64::from((8..13).contains(&r))).max(1);
        divisions[area.div].1 += area.base;
    }
    (cores, areas, divisions)
}
