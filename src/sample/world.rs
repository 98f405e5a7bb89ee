//! The club population of one seed, drawn once and shared by every date: districts (ids,
//! regions, which reports are collected), their area/division structure with club bases,
//! payment bases and prerequisite days per program year, and the clubs of each district
//! (drawn in [`super::club`]) with world-unique club numbers. The second program year
//! continues the first: the same clubs (suspended ones gone, last year's charters assigned
//! to an area), membership bases equal to June's members, new charters, and in the district
//! with the special clubs one club that moves to another division and one suspended during
//! the year.

use super::SampleOptions;
use super::calendar::{PYS, day_of, horizon};
use super::club::{Club, Core, Fate, charter_pay, gen_club, gen_core, gen_trend};
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
    /// Club base of each program year.
    pub(super) base: [i64; 2],
}

pub(super) struct District {
    pub(super) id: String,
    pub(super) region: String,
    pub(super) role: Role,
    /// The club-years of each program year, sorted by area and number.
    pub(super) clubs: [Vec<Club>; 2],
    pub(super) areas: Vec<Area>,
    /// Division letter and club base of each program year (sum of its area bases).
    pub(super) divisions: Vec<(String, [i64; 2])>,
    pub(super) paid_club_base: [i64; 2],
    pub(super) payment_base: [i64; 2],
    /// Day of each program year from which each prerequisite flag of the summary is `Y`.
    pub(super) flag_days: [[i64; 5]; 2],
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

type Structure = (Vec<Core>, Vec<Area>, Vec<(String, [i64; 2])>);

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
    // Old clubs: numbers spread over 00001000..07991000, unique world-wide; each program
    // year's charters: sequential numbers from 28670000 (2025-26) and 28690000 (2026-27).
    let all_cores = structures.iter().flat_map(|s| &s.0);
    let old_total = all_cores.filter(|c| c.charter.is_none()).count().max(1) as u64;
    let block = (7_990_000 / old_total).max(1);
    let mut nrng = Rng::new(opts.seed, 7);
    let mut g = 0;
    let mut next_new = [28_670_000, 28_690_000].map(|n| n + nrng.below(400));
    let mut world = Vec::with_capacity(n);
    for (i, (cores, mut areas, mut divisions)) in structures.into_iter().enumerate() {
        let mut arng = Rng::new(opts.seed, 5000 + i as u64);
        let mut number = |charter: bool, py: usize| {
            if charter {
                next_new[py] += 1 + nrng.below(4);
                next_new[py]
            } else {
                g += 1;
                1000 + (g - 1) * 1_000_003 % old_total * block + nrng.below(block)
            }
        };
        let mut first: Vec<Club> = Vec::with_capacity(cores.len());
        for core in cores {
            let number = number(core.charter.is_some(), 0);
            first.push(gen_club(&mut arng, PYS[0], core, format!("{number:08}")));
        }
        let mut yrng = Rng::new(opts.seed, 2000 + if twin && i == 2 { 0 } else { i as u64 });
        let special = n >= 3 && i == 1;
        let cores = next_year(&mut yrng, &first, &areas, special);
        let mut second: Vec<Club> = Vec::with_capacity(cores.len());
        for (core, prev) in cores {
            let club = match prev {
                Some(p) => {
                    let mut c = gen_club(&mut arng, PYS[1], core, first[p].number.clone());
                    // A club keeps its character: its name, and award totals and pace
                    // near last year's, so a district's year compares with the one before.
                    let last = &first[p];
                    c.name.clone_from(&last.name);
                    c.speed = last.speed;
                    for (now, then) in c.finals.iter_mut().zip(last.finals) {
                        *now = then * arng.range(80, 120) / 100;
                    }
                    c
                }
                None => {
                    let number = number(true, 1);
                    gen_club(&mut arng, PYS[1], core, format!("{number:08}"))
                }
            };
            second.push(club);
        }
        let second_cores = second.iter().map(|c| &c.core);
        set_bases(&mut yrng, 1, second_cores, &mut areas, &mut divisions);
        let mut clubs = [first, second];
        for list in &mut clubs {
            list.sort_by(|a, b| (a.core.area, &a.number).cmp(&(b.core.area, &b.number)));
        }
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
        // TI's payment base is about last year's payments: near the expected total in the
        // first year, near the first year's total in the second.
        let first_year: i64 = clubs[0].iter().map(year_end).sum();
        let payment_base =
            [(90, 110), (95, 105)].map(|(lo, hi)| (first_year * arng.range(lo, hi) / 100).max(1));
        let flag_days = [0; 2].map(|_| {
            [0; 5].map(|_| arng.range(20, 280) + i64::MAX / 2 * i64::from(arng.chance(15)))
        });
        world.push(District {
            id,
            region,
            role,
            paid_club_base: [0, 1].map(|y| areas.iter().map(|a| a.base[y]).sum()),
            payment_base,
            flag_days,
            clubs,
            areas,
            divisions,
        });
    }
    world
}

/// The club-years of the second program year, each with the index of its first-year club
/// (`None` for this year's charters). Suspended clubs are gone; June's members become the
/// membership base; last year's unassigned charter gets an area.
fn next_year(
    rng: &mut Rng,
    first: &[Club],
    areas: &[Area],
    special: bool,
) -> Vec<(Core, Option<usize>)> {
    let py = PYS[1];
    let june = day_of(PYS[0], py, 6, 30);
    let real = |a: usize| areas[a].base[0] > 0;
    let assigned: Vec<usize> = (0..areas.len()).filter(|&a| real(a)).collect();
    let mut out = Vec::with_capacity(first.len() + 2);
    for (p, prev) in first.iter().enumerate() {
        if prev.core.susp.is_some() {
            continue;
        }
        let area = if real(prev.core.area) {
            prev.core.area
        } else {
            assigned[rng.below(assigned.len() as u64) as usize]
        };
        let mut core = gen_core(rng, py, area, false);
        // Bases under 4 would leave a low club no room between 4 and base + 1 members.
        core.base = prev.core.members(june).max(4);
        if core.base < 8 && core.fate == Fate::Normal {
            core.fate = Fate::Low;
        }
        core.trend = gen_trend(rng, core.fate, core.base, false);
        out.push((core, Some(p)));
        if rng.chance(3) {
            let area = assigned[rng.below(assigned.len() as u64) as usize];
            out.push((gen_core(rng, py, area, true), None));
        }
    }
    if special {
        special_year(rng, &mut out, areas);
    }
    out
}

/// The second year's events of the special district: a club moves to an area of another
/// division on 15 September, another is suspended on 30 September, and a club chartered in
/// late October is not yet assigned to an area (division `0D`, area `0A`).
fn special_year(rng: &mut Rng, out: &mut Vec<(Core, Option<usize>)>, areas: &[Area]) {
    let py = PYS[1];
    let regular = |c: &Core| c.charter.is_none() && c.susp.is_none() && areas[c.area].base[0] > 0;
    let candidates: Vec<usize> = (0..out.len()).filter(|&k| regular(&out[k].0)).collect();
    if let Some(&mover) = candidates.first() {
        let from = out[mover].0.area;
        let target = (0..areas.len())
            .filter(|&a| a != from && areas[a].base[0] > 0)
            .min_by_key(|&a| (areas[a].div == areas[from].div, a));
        if let Some(to) = target {
            out[mover].0.moved = Some((day_of(py, py, 9, 15), to));
        }
    }
    // The middle candidate, never the mover (the first).
    if let Some(&k) = candidates
        .get(candidates.len() / 2)
        .filter(|_| candidates.len() > 1)
    {
        let core = &mut out[k].0;
        (core.fate, core.susp) = (Fate::Suspended, Some(day_of(py, py, 9, 30)));
        core.trend = rng.range(4, 8) - core.base;
    }
    let mut core = gen_core(rng, py, 0, true);
    core.charter = Some((day_of(py, py, 10, 20) + rng.range(0, 10)).min(horizon(py)));
    out.push((core, None));
}

/// Each area's club base for program year `y`: its clubs on 1 July, give or take one (TI's
/// base is set before the year's changes), and the division bases as their sums.
fn set_bases<'a>(
    rng: &mut Rng,
    y: usize,
    cores: impl Iterator<Item = &'a Core> + Clone,
    areas: &mut [Area],
    divisions: &mut [(String, [i64; 2])],
) {
    for (a, area) in areas.iter_mut().enumerate() {
        if area.code == "0A" {
            continue;
        }
        let old = cores
            .clone()
            .filter(|c| c.area == a && c.charter.is_none())
            .count() as i64;
        let r = rng.below(100);
        area.base[y] = (old + i64::from(r < 8) - i64::from((8..13).contains(&r))).max(1);
        divisions[area.div].1[y] += area.base[y];
    }
}

/// Areas of 3–7 clubs, about 4–5 areas per division, areas numbered by division when they
/// fit (A → 01…, B → 10…), a charter of this year in about 3 % of the slots.
fn gen_structure(rng: &mut Rng, size: usize, special: bool, unassigned: bool) -> Structure {
    let py = PYS[0];
    let off = usize::from(unassigned);
    let regular = size - off;
    // The special district gets three areas even when small: two divisions to move between.
    let least = if special { (regular / 3).min(3) } else { 1 };
    let n_areas = ((regular + 2) / 5).max(least).clamp(1, 99);
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
    // Two divisions from three areas on, so a club can move between divisions.
    let n_div = ((n_areas * 2 + 4) / 9).clamp(1 + usize::from(n_areas >= 3), 26);
    let div_of = |a: usize| a * n_div / n_areas;
    let first = |a: usize| (0..=a).find(|&b| div_of(b) == div_of(a)).unwrap_or(a);
    let by_div = n_div <= 10 && (0..n_areas).all(|a| a - first(a) < 9);
    let mut divisions: Vec<(String, [i64; 2])> = unassigned
        .then(|| ("0D".into(), [0; 2]))
        .into_iter()
        .collect();
    divisions.extend((0..n_div).map(|d| (char::from(b'A' + d as u8).to_string(), [0; 2])));
    let unassigned_area = Area {
        code: "0A".into(),
        div: 0,
        base: [0; 2],
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
            base: [0; 2],
        });
    }
    let mut cores: Vec<Core> = Vec::with_capacity(size);
    for (a, &count) in counts.iter().enumerate() {
        for _ in 0..count {
            let is_new = rng.chance(3);
            cores.push(gen_core(rng, py, a + off, is_new));
        }
    }
    if special {
        let c = &mut cores[rng.below(regular as u64) as usize];
        let (charter, susp) = (day_of(py, py, 8, 14), day_of(py, py + 1, 2, 28));
        (c.charter, c.susp) = (Some(charter), Some(susp));
        (c.fate, c.base, c.trend) = (Fate::Suspended, 20, rng.range(4, 8) - 20);
    }
    if unassigned {
        let mut c = gen_core(rng, py, 0, true);
        c.charter = Some(day_of(py, py + 1, 4, 8) + rng.range(0, 10));
        cores.push(c);
    }
    set_bases(rng, 0, cores.iter(), &mut areas, &mut divisions);
    (cores, areas, divisions)
}
