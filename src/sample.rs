//! Deterministic synthetic raw cache in TI's exact export formats (DOMAIN.md §1–§2, §5).
//!
//! One club population is drawn from the seed with a hand-written SplitMix64 (so the committed
//! sample never changes with a crate upgrade) and every folder date is derived from it: award
//! counts and goals only grow from one date to the next, membership drifts. Header rows come
//! from [`crate::cache::eras`] and every cell is placed by its logical column.

use crate::cache::eras::{Col, Report, canonical_headers, lookup};
use crate::fsx;
use anyhow::{Result, bail};
use chrono::{Datelike, Days, NaiveDate};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

const PY_START: i32 = 2025;
/// Folder dates (YYYYMMDD), oldest first; `dates: K` takes the last K. A folder in the first
/// week of a month is a closing-period download still carrying the previous month's data.
const DATES: [u32; 12] = [
    20250726, 20250820, 20250920, 20251020, 20251120, 20251220, 20260120, 20260220, 20260305,
    20260322, 20260405, 20260420,
];
/// Program month (July = 0) of April data: club codes and area/division words start here.
const APRIL: i64 = 9;

#[derive(Debug, Clone)]
pub struct SampleOptions {
    pub districts: usize,
    pub clubs_per_district: usize,
    pub dates: usize,
    pub seed: u64,
}

impl Default for SampleOptions {
    fn default() -> Self {
        let (districts, clubs_per_district, dates, seed) = (12, 40, 3, 1);
        SampleOptions {
            districts,
            clubs_per_district,
            dates,
            seed,
        }
    }
}

/// What [`write_sample`] produced. `clubs` counts the world's clubs on the newest date,
/// including those of the district listed in the summary but not collected.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SampleSummary {
    pub dates: Vec<String>,
    pub districts: usize,
    pub clubs: usize,
    pub files: usize,
    pub bytes: u64,
}

/// Writes `out/raw-csv/<date>/…` for the last `opts.dates` sample dates.
pub fn write_sample(out: &Path, opts: &SampleOptions) -> Result<SampleSummary> {
    let (n, k, cpd) = (opts.districts, opts.dates, opts.clubs_per_district);
    if !(1..=300).contains(&n) || !(1..=DATES.len()).contains(&k) || !(1..=500).contains(&cpd) {
        bail!("a sample needs 1-300 districts, 1-500 clubs per district and 1-12 dates: {opts:?}");
    }
    let world = build_world(opts);
    let mut order: Vec<&District> = world.iter().collect();
    order.sort_by_key(|d| (d.region.clone(), id_key(&d.id)));
    let ctxs: Vec<Ctx> = DATES[DATES.len() - k..]
        .iter()
        .map(|&d| Ctx::new(d))
        .collect();
    let dates = ctxs.iter().map(|c| c.folder.clone()).collect();
    let mut sum = SampleSummary {
        dates,
        districts: n,
        clubs: 0,
        files: 0,
        bytes: 0,
    };
    for (i, ctx) in ctxs.iter().enumerate() {
        let dir = out.join("raw-csv").join(&ctx.folder);
        fsx::create_dir_all(&dir)?;
        let mut all = Csv::new(Report::Summary);
        sum.clubs = 0;
        for d in &order {
            let day = evaluate(d, ctx);
            sum.clubs += day.evals.len();
            let sub = dir.join(format!("district-{}", d.id));
            for &report in d.reports() {
                fsx::create_dir_all(&sub)?;
                let mut csv = Csv::new(report);
                for e in &day.evals {
                    csv.row(|col| club_cell(col, &day, e));
                }
                put(&mut sum, &sub.join(report.file_name()), csv.finish(ctx))?;
            }
            let row = SummaryRow::new(&day, ctx);
            all.row(|col| summary_cell(col, &row));
        }
        put(
            &mut sum,
            &dir.join(Report::Summary.file_name()),
            all.finish(ctx),
        )?;
        if i > 0 {
            let json = serde_json::to_string_pretty(&Metadata::new(ctx, &world))? + "\n";
            put(&mut sum, &dir.join("metadata.json"), json)?;
        }
    }
    Ok(sum)
}

fn put(sum: &mut SampleSummary, path: &Path, text: String) -> Result<()> {
    fsx::write(path, text.as_bytes())?;
    sum.files += 1;
    sum.bytes += text.len() as u64;
    Ok(())
}

// ---------------------------------------------------------------- random numbers, dates

/// SplitMix64: tiny, fast and fixed forever.
struct Rng(u64);

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        Rng(mix(seed ^ mix(stream.wrapping_add(0x9E37_79B9_7F4A_7C15))))
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    /// One item of a `|`-separated list.
    fn pick<'a>(&mut self, list: &'a str) -> &'a str {
        let n = list.split('|').count() as u64;
        list.split('|').nth(self.below(n) as usize).unwrap_or(list)
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Days since 1 July of the program year.
fn day_of(y: i32, m: u32, d: u32) -> i64 {
    (ymd(y, m, d) - ymd(PY_START, 7, 1)).num_days()
}

/// `MM/DD/YY`, as in TI's charter/suspend cells.
fn short_date(day: i64) -> String {
    let date = ymd(PY_START, 7, 1) + Days::new(day as u64);
    date.format("%m/%d/%y").to_string()
}

struct Ctx {
    folder: String,
    day: i64,
    /// Program month of the data month (July = 0 … June = 11).
    pm: i64,
    closing: bool,
    data_month: String,
    footer: String,
    timestamp: i64,
}

impl Ctx {
    fn new(code: u32) -> Ctx {
        let date = ymd((code / 10_000) as i32, code / 100 % 100, code % 100);
        let closing = date.day() <= 7;
        let data = if closing { date - Days::new(10) } else { date };
        let (month, as_of) = (data.format("%b"), date.format("%m/%d/%Y"));
        let noon = date.and_hms_opt(14, 40, 0).expect("valid time");
        Ctx {
            folder: date.format("%Y-%m-%d").to_string(),
            day: day_of(date.year(), date.month(), date.day()),
            pm: (i64::from(data.month()) + 5) % 12,
            closing,
            data_month: data.format("%Y-%m").to_string(),
            footer: format!("Month of {month}, As of {as_of}"),
            timestamp: noon.and_utc().timestamp_millis(),
        }
    }
}

// ---------------------------------------------------------------- the club population

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Full,
    ClubOnly,
    Uncollected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Normal,
    Low,
    Suspended,
    Ineligible,
}

/// Everything that decides a club's presence, members and status on a date.
#[derive(Debug, Clone)]
struct Core {
    area: usize,
    charter: Option<i64>,
    susp: Option<i64>,
    fate: Fate,
    base: i64,
    trend: i64,
    speed: i64,
    wob: u64,
    susp_members: i64,
}

struct Club {
    core: Core,
    number: String,
    name: String,
    /// Year-end Level 1s, Level 2s, Level 3s, Level 4s/paths/DTMs and new members.
    finals: [i64; 5],
    speed: i64,
    /// Officers trained in rounds 1 and 2 (year end).
    train: [i64; 2],
    list: i64,
    /// Dues on time Oct/Apr, division-file renewal flags Oct/Apr, Nov/May visits.
    flags: [bool; 6],
    csp_day: Option<i64>,
    /// Year-end October, April and late renewals.
    renewals: [i64; 3],
}

struct Area {
    code: String,
    div: usize,
    base: i64,
}

struct District {
    id: String,
    region: String,
    role: Role,
    clubs: Vec<Club>,
    areas: Vec<Area>,
    /// Division letter and club base (sum of its area bases).
    divisions: Vec<(String, i64)>,
    paid_club_base: i64,
    payment_base: i64,
    /// Day from which each prerequisite flag of the summary is `Y`.
    flag_days: [i64; 5],
}

impl District {
    fn reports(&self) -> &'static [Report] {
        match self.role {
            Role::Full => &[Report::Club, Report::Division, Report::District],
            Role::ClubOnly => &[Report::Club],
            Role::Uncollected => &[],
        }
    }
}

/// Sort key: numeric ids by number, then lettered ones.
fn id_key(id: &str) -> (bool, u64, String) {
    let n = id.parse::<u64>();
    (n.is_err(), n.unwrap_or(0), id.to_string())
}

type Structure = (Vec<Core>, Vec<Area>, Vec<(String, i64)>);

fn build_world(opts: &SampleOptions) -> Vec<District> {
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

fn gen_core(rng: &mut Rng, area: usize, is_new: bool) -> Core {
    let fate = match if is_new { 999 } else { rng.below(1000) } {
        0..=39 => Fate::Low,
        40..=64 => Fate::Suspended,
        65..=79 => Fate::Ineligible,
        _ => Fate::Normal,
    };
    let u = rng.range(0, 32);
    let base = match fate {
        Fate::Normal if is_new => rng.range(20, 27),
        Fate::Normal => 8 + u * u / 32,
        _ => rng.range(8, 14),
    };
    let trend = match fate {
        Fate::Normal if is_new => rng.range(-10, 5),
        Fate::Normal => rng.range(-8, 8),
        Fate::Low => rng.range(4, 7) - base,
        Fate::Suspended => rng.range(4, 8) - base,
        Fate::Ineligible => rng.range(0, 6) - base,
    };
    let susp_days = [(2025, 9, 30), (2025, 12, 31), (2026, 3, 31), (2026, 3, 31)];
    let (y, m, d) = susp_days[rng.below(4) as usize];
    Core {
        area,
        charter: is_new.then(|| rng.range(0, day_of(2026, 4, 20))),
        susp: (fate == Fate::Suspended).then(|| day_of(y, m, d)),
        fate,
        base,
        trend,
        speed: rng.range(100, 160),
        wob: rng.next(),
        susp_members: rng.range(0, 9),
    }
}

const PLACES: &str = "Kingston|Ottawa|Montréal|Québec|Lyon|Zürich|São Paulo|Kraków|Malmö|\
    Reykjavík|Bogotá|Dublin|Austin|Denver|Nairobi|Lagos|Pune|Chennai|Osaka|Auckland|Perth|\
    Calgary|Halifax|Tampa|Boise|Trois-Rivières|Lévis|Gdańsk|Göteborg|Cork|Accra|Cebu|Taipei|\
    Busan|Doha|Leeds|Bristol|Porto|Drummondville|Sherbrooke";
const ORGS: &str = "Queen's|City Hall|St. Lawrence College|Health Canada|the Library|\
    Université Laval|Riverside|Harbourfront|Lakeshore|Downtown|Sunrise|Lunchtime|Evening|\
    Tech Park|Airport|General Hospital|Engineers|Morgan Stanley|Genetec Inc.|Family";
const ADJECTIVES: &str = "Sunrise|Evening|Lunchtime|Golden|Capital|Harbour|Summit|Pioneer|\
    Eloquent|Advanced|Bilingual|Corporate|Community|Metro|Northern|Early Bird";
const PATTERNS: &str = "{p} Toastmasters Club|{a} {p} Toastmasters|{o} Toastmasters {p}|\
    Toastmasters At {o}|{a} Speakers of {p}|Club Toastmasters {a} de {p}|{p} {o} Club|\
    {a} {o} Speakers|{p} {a} Orators";
const ODD_NAMES: &str = "Club Progresser, Bâtir et Inspirer|Parler, Écouter, Réussir|\
    Speak, Lead, Succeed|Québec Orateurs|Toastmasters Bâtisseurs de Lévis";

/// Mostly plain names; some with commas and accents, a `#1234` suffix, a trailing space or
/// a double inner space, as TI keeps them. Never a double quote.
fn gen_name(rng: &mut Rng) -> String {
    let list = if rng.chance(3) { ODD_NAMES } else { PATTERNS };
    let pattern = rng.pick(list);
    let (p, o, a) = (rng.pick(PLACES), rng.pick(ORGS), rng.pick(ADJECTIVES));
    let mut name = pattern
        .replace("{p}", p)
        .replace("{o}", o)
        .replace("{a}", a);
    if rng.chance(5) {
        write!(name, " #{}", rng.range(100, 9999)).expect("write to a String");
    }
    match rng.below(100) {
        0 => name.push(' '),
        1 => name = name.replacen(' ', "  ", 1),
        _ => {}
    }
    name
}

fn gen_club(rng: &mut Rng, core: Core, number: String) -> Club {
    let (is_new, start) = (core.charter.is_some(), core.charter.unwrap_or(0));
    let late = |y, m, d| is_new && start > day_of(y, m, d);
    let weak = matches!(core.fate, Fate::Suspended | Fate::Ineligible);
    // Star clubs reach (nearly) every goal; about 6 % of the others reach almost none.
    let star = !weak && !is_new && core.base >= 18 && rng.chance(12);
    let e = if weak {
        rng.range(0, 2)
    } else {
        rng.range(2, 10) * i64::from(!rng.chance(6))
    };
    let mut finals = [14, 8, 6, 4, 16].map(|top| e * rng.range(0, top) / 10);
    finals[4] += rng.range(0, 3 + 2 * i64::from(e > 0));
    if star {
        finals = [(5, 14), (4, 8), (2, 6), (2, 5), (8, 20)].map(|(lo, hi)| rng.range(lo, hi));
    }
    let p = if star { 100 } else { 72 };
    let mut trained = || rng.range(0, 3) + 4 * i64::from(rng.chance(p));
    let train = [
        trained() * i64::from(!is_new),
        trained() * i64::from(!late(2026, 2, 1)),
    ];
    let r = rng.below(100);
    let list = 1 + i64::from(r < 3) - i64::from((3..11).contains(&r) && !star);
    let oct = !late(2025, 10, 1) && (star || rng.chance(if weak { 30 } else { 85 }));
    let apr = rng.chance(if core.fate == Fate::Suspended { 5 } else { 88 });
    let nov = !late(2025, 11, 30) && rng.chance(92);
    // Round-2 visits include every round-1 visit, so an area's visit condition does not
    // depend on whether a reader counts the May round, still open in April, as met (§5.6).
    let div_oct = !late(2025, 10, 1) && oct != rng.chance(8);
    let flags = [
        oct,
        apr,
        div_oct,
        apr != rng.chance(8),
        nov,
        nov || rng.chance(60),
    ];
    let end = (core.base + core.trend).max(0);
    let renewals = [
        core.base * rng.range(50, 100) / 100 * i64::from(!is_new),
        match core.fate {
            Fate::Suspended => rng.range(0, 1),
            _ if late(2026, 3, 1) => 0,
            _ => end * rng.range(70, 100) / 100,
        },
        i64::from(!is_new) * [0, 0, 0, 0, 0, 0, 0, 0, 1, 2][rng.below(10) as usize],
    ];
    Club {
        name: gen_name(rng),
        finals,
        speed: if star { 200 } else { rng.range(100, 190) },
        train,
        list,
        flags,
        csp_day: rng.chance(90).then(|| start + rng.range(10, 200)),
        renewals,
        number,
        core,
    }
}

fn charter_pay(c: &Club) -> i64 {
    c.core.base * i64::from(c.core.charter.is_some())
}

// ---------------------------------------------------------------- one club on one date

struct Eval {
    club: usize,
    members: i64,
    status: &'static str,
    csp: bool,
    goals: i64,
    /// Level 1s, Level 2s, Add., Level 3s, Level 4s…, Add., New Members, Add.
    aw: [i64; 8],
    train: [i64; 2],
    dues: [i64; 2],
    list: i64,
    code: &'static str,
    /// New, Late Ren., Oct. Ren., Apr. Ren., Total Chart.
    pay: [i64; 5],
    /// October Renewals, April Renewals, Nov Visit award, May Visit award.
    div: [i64; 4],
    charter_cell: String,
}

fn eval_club(club: usize, c: &Club, ctx: &Ctx) -> Option<Eval> {
    let (k, day, pm) = (&c.core, ctx.day, ctx.pm);
    let start = k.charter.unwrap_or(0);
    if start > day {
        return None;
    }
    let suspended = k.susp.is_some_and(|s| day >= s);
    let wobble = (mix(k.wob ^ day as u64) % 3) as i64 - 1;
    let m = k.base + k.trend * ((day - start) * k.speed).min(36_500) / 36_500 + wobble;
    let members = match k.fate {
        Fate::Normal => m.max(8),
        Fate::Suspended if suspended => k.susp_members,
        Fate::Low | Fate::Suspended => m.clamp(4, k.base + 1),
        Fate::Ineligible => m.clamp(0, (k.base - 1).min(12)),
    };
    let status = match k.fate {
        _ if suspended => "Suspended",
        Fate::Ineligible => "Ineligible",
        Fate::Low | Fate::Suspended if members <= 7 => "Low",
        _ => "Active",
    };
    // Awards grow towards the year-end totals (frozen at a suspension); TI reports Level 2s,
    // Level 4s and new members up to the goal threshold and the rest under "Add.".
    let grown = (k.susp.map_or(day, |s| day.min(s)) - start).max(0);
    let t = c.finals.map(|f| f * (grown * c.speed).min(36_500) / 36_500);
    let split = |v: i64, cap: i64| [v.min(cap), v - v.min(cap)];
    let ([l2, al2], [l4, al4], [nm, anm]) = (split(t[1], 2), split(t[3], 1), split(t[4], 4));
    let aw = [t[0], l2, al2, t[2], l4, al4, nm, anm];
    let r1 = c.train[0] / (1 + i64::from(pm == 0));
    let r2 = c.train[1] * [0, 0, 0, 0, 2, 4, 5, 6, 6, 6, 6, 6][pm as usize] / 6;
    let dues = [pm >= 3 && c.flags[0], pm >= APRIL && c.flags[1]].map(i64::from);
    // DCP goals 1-8 by threshold, goal 9 (new clubs: round 2 alone), goal 10 (dues OR).
    let awards = aw
        .iter()
        .zip([4, 2, 2, 2, 1, 1, 4, 4])
        .filter(|(a, t)| **a >= *t)
        .count();
    let trained = r2 >= 4 && (r1 >= 4 || k.charter.is_some());
    let admin = c.list >= 1 && (dues[0] + dues[1]) >= 1;
    let goals = (awards + usize::from(trained) + usize::from(admin)) as i64;
    let csp = c.csp_day.is_some_and(|d| d <= day);
    let code = if pm >= APRIL {
        club_code(goals, members, members - k.base, csp)
    } else {
        ""
    };
    let share = |v: i64, tenths: [i64; 12]| v * tenths[pm as usize] / 10;
    let pay = [
        t[4],
        c.renewals[2] * i64::from(pm >= 4),
        share(c.renewals[0], [0, 2, 6, 10, 10, 10, 10, 10, 10, 10, 10, 10]),
        share(c.renewals[1], [0, 0, 0, 0, 0, 0, 0, 0, 4, 8, 10, 10]),
        charter_pay(c),
    ];
    let nov_due = pm >= 5 || (pm == 4 && k.wob & 1 == 0);
    let (april, f) = (pm >= APRIL, &c.flags);
    let div = [
        pm >= 3 && f[2],
        april && f[3],
        nov_due && f[4],
        april && f[5],
    ]
    .map(i64::from);
    let susp = k.susp.filter(|_| suspended).map(short_date);
    let charter_cell = match (k.charter.map(short_date), susp) {
        (Some(ch), Some(s)) => format!("Charter {ch} Susp {s}"),
        (Some(ch), None) => format!("Charter {ch}"),
        (None, Some(s)) => format!(" Susp {s}"),
        (None, None) => String::new(),
    };
    let (train, list) = ([r1, r2], c.list);
    Some(Eval {
        club,
        members,
        status,
        csp,
        goals,
        aw,
        train,
        dues,
        list,
        code,
        pay,
        div,
        charter_cell,
    })
}

/// PY 2025-26 club level (DOMAIN.md §5.2), CSP-gated; the first match wins.
fn club_code(goals: i64, members: i64, net: i64, csp: bool) -> &'static str {
    match () {
        _ if !csp => "",
        _ if goals >= 10 && members >= 25 => "M",
        _ if goals >= 9 && members >= 20 => "P",
        _ if goals >= 7 && (members >= 20 || net >= 5) => "S",
        _ if goals >= 5 && (members >= 20 || net >= 3) => "D",
        _ => "",
    }
}

// ---------------------------------------------------------------- one district on one date

#[derive(Default, Clone, Copy)]
struct Agg {
    paid: i64,
    dist: i64,
    nov: i64,
    may: i64,
}

struct DistrictDay<'a> {
    d: &'a District,
    pm: i64,
    evals: Vec<Eval>,
    areas: Vec<Agg>,
    divs: Vec<Agg>,
}

fn evaluate<'a>(d: &'a District, ctx: &Ctx) -> DistrictDay<'a> {
    let clubs = d.clubs.iter().enumerate();
    let evals: Vec<Eval> = clubs.filter_map(|(i, c)| eval_club(i, c, ctx)).collect();
    let mut areas = vec![Agg::default(); d.areas.len()];
    let mut divs = vec![Agg::default(); d.divisions.len()];
    for e in &evals {
        let a = d.clubs[e.club].core.area;
        for agg in [&mut areas[a], &mut divs[d.areas[a].div]] {
            agg.paid += i64::from(e.status == "Active");
            agg.dist += i64::from(!e.code.is_empty());
            agg.nov += e.div[2];
            agg.may += e.div[3];
        }
    }
    DistrictDay {
        d,
        pm: ctx.pm,
        evals,
        areas,
        divs,
    }
}

/// ⌈base × pct / 100⌉ in integers.
fn ceil_pct(base: i64, pct: i64) -> i64 {
    (base * pct + 99) / 100
}

/// Distinguished Area words (§5.6), with the ⌈75 %⌉ visit rule in both rounds.
fn area_word(pm: i64, base: i64, a: Agg) -> &'static str {
    let (half, visits) = (ceil_pct(base, 50), ceil_pct(base, 75));
    let open = pm < APRIL || base == 0 || a.paid < base || a.nov < visits || a.may < visits;
    match () {
        _ if open => "",
        _ if a.paid > base && a.dist > half => "President's Distinguished",
        _ if a.dist > half => "Select Distinguished",
        _ if a.dist >= half => "Distinguished",
        _ => "",
    }
}

/// Distinguished Division words (§5.6), no visit condition.
fn division_word(pm: i64, base: i64, a: Agg) -> &'static str {
    match () {
        _ if pm < APRIL || base == 0 => "",
        _ if a.paid >= base + 2 && a.dist >= ceil_pct(base, 55) => "President's Distinguished",
        _ if a.paid > base && a.dist >= ceil_pct(base, 50) => "Select Distinguished",
        _ if a.paid >= base && a.dist >= ceil_pct(base, 45) => "Distinguished",
        _ => "",
    }
}

enum V<'a> {
    S(&'a str),
    N(i64),
}

fn yn(b: bool) -> &'static str {
    if b { "Y" } else { "N" }
}

/// The value of one logical column for one club row of a per-district report.
fn club_cell<'a>(col: Col, day: &DistrictDay<'a>, e: &'a Eval) -> V<'a> {
    use V::{N, S};
    let d = day.d;
    let c = &d.clubs[e.club];
    let area = &d.areas[c.core.area];
    let (ab, ag) = (area.base, day.areas[c.core.area]);
    let (db, dg) = (d.divisions[area.div].1, day.divs[area.div]);
    match col {
        Col::District => S(&d.id),
        Col::Division => S(&d.divisions[area.div].0),
        Col::Area => S(&area.code),
        Col::ClubNumber => S(&c.number),
        Col::ClubName => S(&c.name),
        Col::CharterSuspend => S(&e.charter_cell),
        Col::ClubStatus => S(e.status),
        Col::Csp => S(yn(e.csp)),
        Col::MembershipBase => N(c.core.base),
        Col::ActiveMembers | Col::MembershipToDate => N(e.members),
        Col::NetGrowth => N(e.members - c.core.base),
        Col::GoalsMet | Col::ClubGoalsMet => N(e.goals),
        Col::Level1s => N(e.aw[0]),
        Col::Level2s => N(e.aw[1]),
        Col::AddLevel2s => N(e.aw[2]),
        Col::Level3s => N(e.aw[3]),
        Col::Level4sPathDtm | Col::Level4s => N(e.aw[4]),
        Col::AddLevel4sPathDtm => N(e.aw[5]),
        Col::NewMembers => N(e.aw[6]),
        Col::AddNewMembers => N(e.aw[7]),
        Col::OfficersTrainedRound1 => N(e.train[0]),
        Col::OfficersTrainedRound2 => N(e.train[1]),
        Col::DuesOnTimeOct => N(e.dues[0]),
        Col::DuesOnTimeApr => N(e.dues[1]),
        Col::OfficerListOnTime => N(e.list),
        Col::ClubDistinguishedStatus | Col::DistinguishedStatus => S(e.code),
        Col::DistinguishedClub => S(e.code),
        Col::NewPayments => N(e.pay[0]),
        Col::LateRenewals => N(e.pay[1]),
        Col::OctoberRenewals => N(e.pay[2]),
        Col::AprilRenewals => N(e.pay[3]),
        Col::TotalRenewals => N(e.pay[1] + e.pay[2] + e.pay[3]),
        Col::CharterPayments => N(e.pay[4]),
        Col::TotalToDate => N(e.pay.iter().sum()),
        Col::OctoberRenewedFlag => N(e.div[0]),
        Col::AprilRenewedFlag => N(e.div[1]),
        Col::NovVisitAward => N(e.div[2]),
        Col::MayVisitAward => N(e.div[3]),
        Col::AreaClubBase | Col::AreaPaidGoalDistinguished | Col::AreaPaidGoalSelect => N(ab),
        Col::AreaPaidGoalPresidents => N(ab + 1),
        Col::AreaPaidClubs => N(ag.paid),
        Col::AreaDistGoalDistinguished => N(ceil_pct(ab, 50)),
        Col::AreaDistGoalSelect | Col::AreaDistGoalPresidents => N(ceil_pct(ab, 50) + 1),
        Col::AreaDistinguishedClubs => N(ag.dist),
        Col::DistinguishedArea => S(area_word(day.pm, ab, ag)),
        Col::DivisionClubBase | Col::DivisionPaidGoalDistinguished => N(db),
        Col::DivisionPaidGoalSelect => N(db + 1),
        Col::DivisionPaidGoalPresidents => N(db + 2),
        Col::DivisionPaidClubs => N(dg.paid),
        Col::DivisionDistGoalDistinguished => N(ceil_pct(db, 45)),
        Col::DivisionDistGoalSelect => N(ceil_pct(db, 50)),
        Col::DivisionDistGoalPresidents => N(ceil_pct(db, 55)),
        Col::DivisionDistinguishedClubs => N(dg.dist),
        Col::DistinguishedDivision => S(division_word(day.pm, db, dg)),
        _ => S(""),
    }
}

/// One `all-districts.csv` row; payments in the order New, April, October, Late, Charter.
struct SummaryRow<'a> {
    d: &'a District,
    flags: [bool; 5],
    pay: [i64; 5],
    paid: i64,
    active: i64,
    tiers: [i64; 4],
    pcts: [String; 3],
}

impl<'a> SummaryRow<'a> {
    fn new(day: &DistrictDay<'a>, ctx: &Ctx) -> SummaryRow<'a> {
        let d = day.d;
        let (mut pay, mut paid, mut active, mut tiers) = ([0; 5], 0, 0, [0; 4]);
        for e in &day.evals {
            for (slot, k) in [0, 3, 2, 1, 4].into_iter().enumerate() {
                pay[slot] += e.pay[k];
            }
            paid += i64::from(e.status == "Active");
            active += i64::from(e.status != "Suspended");
            if let Some(t) = ["D", "S", "P", "M"].iter().position(|c| *c == e.code) {
                tiers[t] += 1;
            }
        }
        let pcts = [
            percent(pay.iter().sum::<i64>() - d.payment_base, d.payment_base),
            percent(paid - d.paid_club_base, d.paid_club_base),
            percent(tiers.iter().sum(), d.paid_club_base),
        ];
        let flags = d.flag_days.map(|f| f <= ctx.day);
        SummaryRow {
            d,
            flags,
            pay,
            paid,
            active,
            tiers,
            pcts,
        }
    }
}

/// `num / den × 100` with two decimals, trailing zeros and dot trimmed: `-8.29%`, `1.5%`, `0%`.
fn percent(num: i64, den: i64) -> String {
    let text = format!("{:.2}", num as f64 / den.max(1) as f64 * 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0%".into()
    } else {
        format!("{text}%")
    }
}

fn summary_cell<'a>(col: Col, r: &'a SummaryRow) -> V<'a> {
    use V::{N, S};
    match col {
        Col::Region => S(&r.d.region),
        Col::SummaryDistrict => S(&r.d.id),
        Col::Dsp => S(yn(r.flags[0])),
        Col::Training => S(yn(r.flags[1])),
        Col::MarketAnalysis => S(yn(r.flags[2])),
        Col::CommunicationPlan => S(yn(r.flags[3])),
        Col::RegionAdvisorVisit => S(yn(r.flags[4])),
        Col::SummaryNewPayments => N(r.pay[0]),
        Col::SummaryAprilPayments => N(r.pay[1]),
        Col::SummaryOctoberPayments => N(r.pay[2]),
        Col::SummaryLatePayments => N(r.pay[3]),
        Col::SummaryCharterPayments => N(r.pay[4]),
        Col::TotalYtdPayments => N(r.pay.iter().sum()),
        Col::PaymentBase => N(r.d.payment_base),
        Col::PaymentGrowthPct => S(&r.pcts[0]),
        Col::PaidClubBase => N(r.d.paid_club_base),
        Col::PaidClubs => N(r.paid),
        Col::ClubGrowthPct => S(&r.pcts[1]),
        Col::ActiveClubs => N(r.active),
        Col::DistinguishedClubs => N(r.tiers[0]),
        Col::SelectDistinguishedClubs => N(r.tiers[1]),
        Col::PresidentsDistinguishedClubs => N(r.tiers[2]),
        Col::SmedleyDistinguishedClubs => N(r.tiers[3]),
        Col::TotalDistinguishedClubs => N(r.tiers.iter().sum()),
        Col::DistinguishedClubsPct => S(&r.pcts[2]),
        _ => S(""),
    }
}

// ---------------------------------------------------------------- CSV and metadata output

/// One file in one buffer, in the PY 2025-26 layout: every cell quoted, CRLF, and the
/// unquoted footer line.
struct Csv {
    cols: Vec<Option<Col>>,
    buf: String,
}

impl Csv {
    fn new(report: Report) -> Csv {
        let headers = canonical_headers(report, PY_START).headers;
        let cols = headers
            .iter()
            .map(|h| lookup(report, h).map(|s| s.col))
            .collect();
        let mut csv = Csv {
            cols,
            buf: String::with_capacity(1 << 16),
        };
        csv.line(headers.iter().map(|h| V::S(h)));
        csv
    }
    fn line<'a>(&mut self, cells: impl Iterator<Item = V<'a>>) {
        for (i, v) in cells.enumerate() {
            let sep = if i == 0 { "" } else { "," };
            let done = match v {
                V::S(s) => {
                    debug_assert!(!s.contains('"'), "cell {s:?} holds a quote");
                    write!(self.buf, "{sep}\"{s}\"")
                }
                V::N(n) => write!(self.buf, "{sep}\"{n}\""),
            };
            done.expect("write to a String");
        }
        self.buf.push_str("\r\n");
    }
    fn row<'a>(&mut self, cell: impl Fn(Col) -> V<'a>) {
        let cols = std::mem::take(&mut self.cols);
        self.line(cols.iter().map(|c| c.map_or(V::S(""), &cell)));
        self.cols = cols;
    }
    fn finish(mut self, ctx: &Ctx) -> String {
        self.buf.push_str(&ctx.footer);
        self.buf.push_str("\r\n");
        self.buf
    }
}

/// `metadata.json` in the daily collector's shape (DOMAIN.md §1.3).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Metadata<'a> {
    date: &'a str,
    timestamp: i64,
    program_year: &'static str,
    is_closing_period: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_month: Option<&'a str>,
    csv_files: CsvFiles<'a>,
    source: &'static str,
    cache_version: u32,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct CsvFiles<'a> {
    all_districts: bool,
    districts: BTreeMap<&'a str, FileFlags>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct FileFlags {
    district_performance: bool,
    division_performance: bool,
    club_performance: bool,
}

impl<'a> Metadata<'a> {
    fn new(ctx: &'a Ctx, world: &'a [District]) -> Metadata<'a> {
        let collected = world.iter().filter(|d| d.role != Role::Uncollected);
        let files = |full| FileFlags {
            district_performance: full,
            division_performance: full,
            club_performance: true,
        };
        let districts = collected
            .map(|d| (d.id.as_str(), files(d.role == Role::Full)))
            .collect();
        Metadata {
            date: &ctx.folder,
            timestamp: ctx.timestamp,
            program_year: "2025-2026",
            is_closing_period: ctx.closing,
            data_month: ctx.closing.then_some(ctx.data_month.as_str()),
            csv_files: CsvFiles {
                all_districts: true,
                districts,
            },
            source: "collector-http",
            cache_version: 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};
    use std::path::PathBuf;

    /// A parsed file: columns by logical name, data rows, footer.
    struct Table {
        cols: HashMap<Col, usize>,
        rows: Vec<Vec<String>>,
        footer: String,
    }

    impl Table {
        fn s<'a>(&self, row: &'a [String], col: Col) -> &'a str {
            &row[self.cols[&col]]
        }
        fn n(&self, row: &[String], col: Col) -> i64 {
            self.s(row, col).parse().unwrap()
        }
    }

    /// Reads a report checking the physical format: every cell quoted, as many cells as
    /// the canonical header, CRLF everywhere, unquoted footer last.
    fn read(path: &Path, report: Report) -> Table {
        let text = fsx::read_to_string(path).unwrap();
        let (body, footer) = text
            .strip_suffix("\r\n")
            .unwrap()
            .rsplit_once("\r\n")
            .unwrap();
        assert!(
            footer.starts_with("Month of ") && !footer.contains('"'),
            "{footer}"
        );
        let headers = canonical_headers(report, PY_START).headers;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(body.as_bytes());
        let records: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(records[0], headers.to_vec(), "{}", path.display());
        assert_eq!(body.split("\r\n").count(), records.len());
        for (line, rec) in body.split("\r\n").zip(&records) {
            assert!(line.starts_with('"') && line.ends_with('"') && !line.contains('\n'));
            assert_eq!(line.matches("\",\"").count() + 1, headers.len(), "{line}");
            assert_eq!(rec.len(), headers.len());
        }
        let cols = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (lookup(report, h).unwrap().col, i));
        let (cols, rows) = (cols.collect(), records[1..].to_vec());
        Table {
            cols,
            rows,
            footer: footer.to_string(),
        }
    }

    fn files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        for entry in fsx::read_dir_sorted(root).unwrap() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(files(&path));
            } else {
                out.push((path.clone(), fsx::read(&path).unwrap()));
            }
        }
        out
    }

    fn generate(opts: &SampleOptions) -> (tempfile::TempDir, SampleSummary) {
        let dir = tempfile::tempdir().unwrap();
        let summary = write_sample(dir.path(), opts).unwrap();
        (dir, summary)
    }

    fn all_dates(districts: usize) -> SampleOptions {
        SampleOptions {
            districts,
            clubs_per_district: 25,
            dates: 12,
            seed: 7,
        }
    }

    #[test]
    fn same_seed_gives_identical_bytes_and_another_seed_differs() {
        let opts = SampleOptions {
            districts: 7,
            ..SampleOptions::default()
        };
        let ((a, sa), (b, _)) = (generate(&opts), generate(&opts));
        let (fa, fb) = (files(a.path()), files(b.path()));
        assert_eq!(fa.len(), sa.files);
        assert_eq!(fa.iter().map(|f| f.1.len() as u64).sum::<u64>(), sa.bytes);
        for ((pa, ba), (pb, bb)) in fa.iter().zip(&fb) {
            assert_eq!(
                pa.strip_prefix(a.path()).unwrap(),
                pb.strip_prefix(b.path()).unwrap()
            );
            assert!(ba == bb, "{} differs", pa.display());
        }
        let (c, _) = generate(&SampleOptions { seed: 2, ..opts });
        let fc = files(c.path());
        assert!(fa.iter().zip(&fc).filter(|(x, y)| x.1 != y.1).count() > fa.len() / 2);
    }

    #[test]
    fn default_cache_has_the_documented_layout() {
        let (dir, summary) = generate(&SampleOptions::default());
        assert_eq!(summary.dates, ["2026-03-22", "2026-04-05", "2026-04-20"]);
        assert_eq!(summary.districts, 12);
        let raw = dir.path().join("raw-csv");
        let footers = [
            "Month of Mar, As of 03/22/2026",
            "Month of Mar, As of 04/05/2026",
        ];
        for (date, footer) in summary.dates.iter().zip(footers) {
            let all = read(&raw.join(date).join("all-districts.csv"), Report::Summary);
            assert_eq!(all.footer, footer);
        }
        assert!(!raw.join("2026-03-22/metadata.json").exists());
        let meta: serde_json::Value = serde_json::from_str(
            &fsx::read_to_string(&raw.join("2026-04-05/metadata.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(meta["isClosingPeriod"], true);
        assert_eq!(meta["dataMonth"], "2026-03");
        assert_eq!(meta["timestamp"], 1_775_400_000_000_i64);
        assert_eq!(
            meta["csvFiles"]["districts"]["05"]["divisionPerformance"],
            false
        );
        let all = read(&raw.join("2026-04-20/all-districts.csv"), Report::Summary);
        let ids: Vec<&str> = all
            .rows
            .iter()
            .map(|r| all.s(r, Col::SummaryDistrict))
            .collect();
        assert_eq!(
            ids,
            [
                "01", "02", "03", "04", "05", "F", "06", "07", "08", "09", "10", "U"
            ]
        );
        let region = |id: &str| all.rows.iter().find(|r| r[1] == id).map(|r| r[0].clone());
        assert_eq!(
            (region("F").unwrap(), region("U").unwrap()),
            ("02".into(), "DNAR".into())
        );
        let collected: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| raw.join(format!("2026-04-20/district-{id}")).exists())
            .collect();
        assert_eq!(collected.len(), 11, "exactly one district is not collected");
        assert!(!collected.contains(&"07"));
        for id in collected {
            let only_club = !raw
                .join(format!("2026-04-20/district-{id}/district-performance.csv"))
                .exists();
            assert_eq!(only_club, id == "05" || id == "10", "district {id}");
        }
        let growth: Vec<&str> = all
            .rows
            .iter()
            .map(|r| all.s(r, Col::ClubGrowthPct))
            .collect();
        assert_eq!(
            growth[0], growth[2],
            "districts 01 and 03 tie on % Club Growth"
        );
        let d02 = fsx::read_to_string(&raw.join("2026-04-20/district-02/district-performance.csv"));
        let d02 = d02.unwrap();
        assert!(
            d02.contains("\"0D\",\"0A\"") && d02.contains("\"Charter 08/14/25 Susp 02/28/26\"")
        );
    }

    #[test]
    fn club_rows_follow_the_dcp_rules_and_agree_across_files() {
        let (dir, summary) = generate(&all_dates(9));
        let (mut coded, mut words, mut history) = (0, 0, HashMap::<String, Vec<i64>>::new());
        for date in &summary.dates {
            let day = dir.path().join("raw-csv").join(date);
            let mut numbers = HashSet::new();
            for sub in fsx::read_dir_sorted(&day)
                .unwrap()
                .iter()
                .filter(|e| e.path().is_dir())
            {
                let club = read(&sub.path().join("club-performance.csv"), Report::Club);
                let april = ["Apr", "May", "Jun"]
                    .iter()
                    .any(|m| club.footer.contains(m));
                let mut keys = Vec::new();
                for r in &club.rows {
                    let (number, members) =
                        (club.s(r, Col::ClubNumber), club.n(r, Col::ActiveMembers));
                    assert!(
                        number.len() == 8 && numbers.insert(number.to_string()),
                        "{number}"
                    );
                    let net = members - club.n(r, Col::MembershipBase);
                    assert_eq!(club.n(r, Col::NetGrowth), net);
                    let n = |c| club.n(r, c);
                    let thresholds = [
                        (Col::Level1s, 4),
                        (Col::Level2s, 2),
                        (Col::AddLevel2s, 2),
                        (Col::Level3s, 2),
                        (Col::Level4sPathDtm, 1),
                        (Col::AddLevel4sPathDtm, 1),
                        (Col::NewMembers, 4),
                        (Col::AddNewMembers, 4),
                    ];
                    let new_club = number >= "28670000";
                    let (r1, r2) = (n(Col::OfficersTrainedRound1), n(Col::OfficersTrainedRound2));
                    let dues = n(Col::DuesOnTimeOct) + n(Col::DuesOnTimeApr);
                    let goals = thresholds.iter().filter(|(c, t)| n(*c) >= *t).count() as i64
                        + i64::from(r2 >= 4 && (r1 >= 4 || new_club))
                        + i64::from(n(Col::OfficerListOnTime) >= 1 && dues >= 1);
                    assert_eq!(n(Col::GoalsMet), goals, "{number} on {date}");
                    let csp = club.s(r, Col::Csp) == "Y";
                    let tiers = [
                        ("M", goals >= 10 && members >= 25),
                        ("P", goals >= 9 && members >= 20),
                        ("S", goals >= 7 && (members >= 20 || net >= 5)),
                        ("D", goals >= 5 && (members >= 20 || net >= 3)),
                    ];
                    let want = tiers
                        .iter()
                        .find(|t| t.1 && april && csp)
                        .map_or("", |t| t.0);
                    assert_eq!(
                        club.s(r, Col::ClubDistinguishedStatus),
                        want,
                        "{number} on {date}"
                    );
                    coded += usize::from(!want.is_empty());
                    let status = club.s(r, Col::ClubStatus);
                    assert!(status != "Low" || (4..=7).contains(&members));
                    assert!(status != "Suspended" || (0..=9).contains(&members));
                    let seen = history.entry(number.to_string()).or_default();
                    let now: Vec<i64> = thresholds
                        .iter()
                        .map(|(c, _)| n(*c))
                        .chain([goals])
                        .collect();
                    assert!(
                        seen.is_empty() || seen.iter().zip(&now).all(|(a, b)| a <= b),
                        "{number}"
                    );
                    *seen = now;
                    keys.push((club.s(r, Col::Division), club.s(r, Col::Area), number));
                }
                assert!(keys.windows(2).all(|w| w[0] < w[1]), "club order");
                let dist_path = sub.path().join("district-performance.csv");
                if !dist_path.exists() {
                    continue;
                }
                let dist = read(&dist_path, Report::District);
                let div = read(
                    &sub.path().join("division-performance.csv"),
                    Report::Division,
                );
                assert_eq!(
                    (dist.rows.len(), div.rows.len()),
                    (club.rows.len(), club.rows.len())
                );
                let mut areas: HashMap<(&str, &str), (i64, i64)> = HashMap::new();
                for (c, v) in club.rows.iter().zip(&div.rows) {
                    let entry = areas.entry((div.s(v, Col::Division), div.s(v, Col::Area)));
                    let counts = entry.or_default();
                    counts.0 += i64::from(club.s(c, Col::ClubStatus) == "Active");
                    counts.1 += i64::from(!club.s(c, Col::ClubDistinguishedStatus).is_empty());
                }
                for ((c, d), v) in club.rows.iter().zip(&dist.rows).zip(&div.rows) {
                    let number = club.s(c, Col::ClubNumber);
                    let numbers = (dist.s(d, Col::ClubNumber), div.s(v, Col::ClubNumber));
                    assert_eq!(
                        numbers,
                        (number, number),
                        "same club order in the three files"
                    );
                    let ren = [Col::LateRenewals, Col::OctoberRenewals, Col::AprilRenewals];
                    let total_ren: i64 = ren.iter().map(|&col| dist.n(d, col)).sum();
                    assert_eq!(dist.n(d, Col::TotalRenewals), total_ren);
                    let new_and_charter =
                        dist.n(d, Col::NewPayments) + dist.n(d, Col::CharterPayments);
                    assert_eq!(dist.n(d, Col::TotalToDate), new_and_charter + total_ren);
                    let cell = dist.s(d, Col::CharterSuspend);
                    assert_eq!(cell, div.s(v, Col::CharterSuspend));
                    assert_eq!(cell.starts_with("Charter "), number >= "28670000", "{cell}");
                    let suspended = club.s(c, Col::ClubStatus) == "Suspended";
                    assert_eq!(cell.contains("Susp "), suspended, "{cell}");
                    assert!(
                        !suspended || cell.starts_with("Charter ") || cell.starts_with(" Susp ")
                    );
                    assert_eq!(
                        div.n(v, Col::MembershipToDate),
                        club.n(c, Col::ActiveMembers)
                    );
                    assert_eq!(div.n(v, Col::ClubGoalsMet), club.n(c, Col::GoalsMet));
                    let code = club.s(c, Col::ClubDistinguishedStatus);
                    let codes = (
                        dist.s(d, Col::DistinguishedStatus),
                        div.s(v, Col::DistinguishedClub),
                    );
                    assert_eq!(codes, (code, code));
                    let area = areas[&(div.s(v, Col::Division), div.s(v, Col::Area))];
                    let totals = (
                        div.n(v, Col::AreaPaidClubs),
                        div.n(v, Col::AreaDistinguishedClubs),
                    );
                    assert_eq!(totals, area);
                    words += usize::from(!div.s(v, Col::DistinguishedArea).is_empty());
                }
            }
        }
        assert!(
            coded > 0 && words > 0,
            "April data has codes ({coded}) and area words ({words})"
        );
    }

    #[test]
    fn summary_rows_add_up_and_match_the_district_files() {
        let (dir, summary) = generate(&all_dates(9));
        for date in &summary.dates {
            let day = dir.path().join("raw-csv").join(date);
            let all = read(&day.join("all-districts.csv"), Report::Summary);
            let april = ["Apr", "May", "Jun"].iter().any(|m| all.footer.contains(m));
            for r in &all.rows {
                let n = |c| all.n(r, c);
                let five = [
                    (Col::SummaryNewPayments, Col::NewPayments),
                    (Col::SummaryAprilPayments, Col::AprilRenewals),
                    (Col::SummaryOctoberPayments, Col::OctoberRenewals),
                    (Col::SummaryLatePayments, Col::LateRenewals),
                    (Col::SummaryCharterPayments, Col::CharterPayments),
                ];
                let total: i64 = five.iter().map(|(c, _)| n(*c)).sum();
                assert_eq!(n(Col::TotalYtdPayments), total);
                let pct = |num: i64, den: i64, col| {
                    let text = all.s(r, col);
                    let value: f64 = text.strip_suffix('%').unwrap().parse().unwrap();
                    assert!(
                        (value - num as f64 * 100.0 / den as f64).abs() <= 0.0051,
                        "{text}"
                    );
                    let t = text.trim_end_matches('%');
                    let bad = t.ends_with('.') || (t.contains('.') && t.ends_with('0'));
                    assert!(!bad, "{text}");
                };
                pct(
                    total - n(Col::PaymentBase),
                    n(Col::PaymentBase),
                    Col::PaymentGrowthPct,
                );
                pct(
                    n(Col::PaidClubs) - n(Col::PaidClubBase),
                    n(Col::PaidClubBase),
                    Col::ClubGrowthPct,
                );
                let tiers = [
                    Col::DistinguishedClubs,
                    Col::SelectDistinguishedClubs,
                    Col::PresidentsDistinguishedClubs,
                    Col::SmedleyDistinguishedClubs,
                ];
                let distinguished: i64 = tiers.iter().map(|&c| n(c)).sum();
                assert_eq!(n(Col::TotalDistinguishedClubs), distinguished);
                pct(
                    distinguished,
                    n(Col::PaidClubBase),
                    Col::DistinguishedClubsPct,
                );
                assert!(april || distinguished == 0);
                let sub = day.join(format!("district-{}", all.s(r, Col::SummaryDistrict)));
                if !sub.exists() {
                    continue;
                }
                let club = read(&sub.join("club-performance.csv"), Report::Club);
                let count = |f: &dyn Fn(&[String]) -> bool| {
                    club.rows.iter().filter(|c| f(c)).count() as i64
                };
                assert_eq!(
                    n(Col::PaidClubs),
                    count(&|c| club.s(c, Col::ClubStatus) == "Active")
                );
                assert_eq!(
                    n(Col::ActiveClubs),
                    count(&|c| club.s(c, Col::ClubStatus) != "Suspended")
                );
                for (col, code) in tiers.iter().zip(["D", "S", "P", "M"]) {
                    let coded = count(&|c| club.s(c, Col::ClubDistinguishedStatus) == code);
                    assert_eq!(n(*col), coded);
                }
                if sub.join("district-performance.csv").exists() {
                    let dist = read(&sub.join("district-performance.csv"), Report::District);
                    for (sum_col, club_col) in five {
                        let sum: i64 = dist.rows.iter().map(|d| dist.n(d, club_col)).sum();
                        assert_eq!(n(sum_col), sum, "{date} {sum_col:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn nonsense_options_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        for (districts, clubs_per_district, dates) in
            [(0, 9, 3), (301, 9, 3), (5, 0, 3), (5, 9, 0), (5, 9, 13)]
        {
            let bad = SampleOptions {
                districts,
                clubs_per_district,
                dates,
                seed: 1,
            };
            assert!(write_sample(dir.path(), &bad).is_err(), "{bad:?}");
        }
        let tiny = SampleOptions {
            districts: 1,
            clubs_per_district: 1,
            dates: 12,
            seed: 3,
        };
        let summary = write_sample(dir.path(), &tiny).unwrap();
        assert_eq!(
            (summary.dates.len(), summary.dates[0].as_str()),
            (12, "2025-07-26")
        );
    }

    #[test]
    fn world_size_generates_about_fifteen_thousand_clubs() {
        let started = std::time::Instant::now();
        let opts = SampleOptions {
            districts: 128,
            clubs_per_district: 117,
            dates: 1,
            seed: 1,
        };
        let (_dir, summary) = generate(&opts);
        println!("world sample: {summary:?} in {:?}", started.elapsed());
        assert!(
            (14_000..=16_000).contains(&summary.clubs),
            "{}",
            summary.clubs
        );
        assert_eq!(summary.files, 1 + 127 + 2 * 102);
    }
}
