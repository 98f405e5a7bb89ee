//! Deterministic synthetic raw cache in TI's exact export formats (DOMAIN.md §1–§2, §5).
//!
//! One club population is drawn from the seed (a hand-written SplitMix64, so the committed
//! sample never changes with a crate upgrade); every folder date is derived from it, so award
//! counts and goals only grow from one date to the next while membership drifts. Header rows
//! come from [`crate::cache::eras`] and every cell is placed by its logical column.

use crate::cache::eras::{Col, Report, canonical_headers, lookup};
use crate::fsx;
use anyhow::{Result, bail};
use chrono::NaiveDate;
use std::fmt::Write as _;
use std::path::Path;

/// Start year of the generated program year (2025-26, club era C).
const PY_START: i32 = 2025;
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
/// Every possible folder date (year, month, day, data month), oldest first; `dates: K`
/// takes the last K. Data month ≠ folder month marks a closing-period download.
const DATES: [(i32, u32, u32, u32); 12] = [
    (2025, 7, 26, 7),
    (2025, 8, 20, 8),
    (2025, 9, 20, 9),
    (2025, 10, 20, 10),
    (2025, 11, 20, 11),
    (2025, 12, 20, 12),
    (2026, 1, 20, 1),
    (2026, 2, 20, 2),
    (2026, 3, 5, 2),
    (2026, 3, 22, 3),
    (2026, 4, 5, 3),
    (2026, 4, 20, 4),
];
/// Program month index (July = 0) of April data: codes and area/division words start here.
const PM_APRIL: i32 = 9;

#[derive(Debug, Clone)]
pub struct SampleOptions {
    pub districts: usize,
    pub clubs_per_district: usize,
    pub dates: usize,
    pub seed: u64,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            districts: 12,
            clubs_per_district: 40,
            dates: 3,
            seed: 1,
        }
    }
}

/// What [`write_sample`] produced. `clubs` counts the world's clubs on the newest date,
/// including those of the district that is listed in the summary but not collected.
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
    if opts.districts == 0 || opts.districts > 300 {
        bail!("districts must be 1 to 300, not {}", opts.districts);
    }
    if opts.clubs_per_district == 0 || opts.clubs_per_district > 500 {
        bail!(
            "clubs per district must be 1 to 500, not {}",
            opts.clubs_per_district
        );
    }
    if opts.dates == 0 || opts.dates > DATES.len() {
        bail!("dates must be 1 to {}, not {}", DATES.len(), opts.dates);
    }
    let world = build_world(opts);
    let mut order: Vec<usize> = (0..world.len()).collect();
    order.sort_by_key(|&i| (world[i].region.clone(), id_key(&world[i].id)));
    let ctxs = contexts(opts.dates);
    let mut summary = SampleSummary {
        dates: ctxs.iter().map(|c| c.folder.clone()).collect(),
        districts: world.len(),
        clubs: 0,
        files: 0,
        bytes: 0,
    };
    for (k, ctx) in ctxs.iter().enumerate() {
        let dir = out.join("raw-csv").join(&ctx.folder);
        fsx::create_dir_all(&dir)?;
        let mut put = |path: &Path, bytes: &[u8]| -> Result<()> {
            fsx::write(path, bytes)?;
            summary.files += 1;
            summary.bytes += bytes.len() as u64;
            Ok(())
        };
        let mut all = Csv::new(Report::Summary);
        let all_cols = layout(Report::Summary);
        let mut clubs = 0;
        for &i in &order {
            let d = &world[i];
            let day = evaluate(d, ctx);
            clubs += day.evals.len();
            if d.role != Role::Uncollected {
                let ddir = dir.join(format!("district-{}", d.id));
                fsx::create_dir_all(&ddir)?;
                let mut reports = vec![Report::Club];
                if d.role == Role::Full {
                    reports.extend([Report::Division, Report::District]);
                }
                for report in reports {
                    let text = district_file(report, &day, &ctx.footer);
                    put(&ddir.join(report.file_name()), text.as_bytes())?;
                }
            }
            let row = SummaryRow::new(d, &day, ctx);
            for col in &all_cols {
                all.put(summary_cell(*col, &row));
            }
            all.end();
        }
        put(
            &dir.join(Report::Summary.file_name()),
            all.finish(&ctx.footer).as_bytes(),
        )?;
        if k > 0 {
            let mut json = serde_json::to_vec_pretty(&Metadata::new(ctx, &world))?;
            json.push(b'\n');
            put(&dir.join("metadata.json"), &json)?;
        }
        summary.clubs = clubs;
    }
    Ok(summary)
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
        if n == 0 { 0 } else { self.next() % n }
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

fn py_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(PY_START, 7, 1).expect("valid date")
}

/// Days since 1 July of the program year.
fn day_of(y: i32, m: u32, d: u32) -> i64 {
    (NaiveDate::from_ymd_opt(y, m, d).expect("valid date") - py_start()).num_days()
}

/// `MM/DD/YY`, as in TI's charter/suspend cells.
fn short_date(day: i64) -> String {
    (py_start() + chrono::Days::new(day as u64))
        .format("%m/%d/%y")
        .to_string()
}

struct Ctx {
    folder: String,
    day: i64,
    /// Program month of the data month (July = 0 … June = 11).
    pm: i32,
    closing: bool,
    data_month: String,
    footer: String,
    timestamp: i64,
}

fn contexts(k: usize) -> Vec<Ctx> {
    DATES[DATES.len() - k..]
        .iter()
        .map(|&(y, m, d, dm)| {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
            let data_year = if dm > m { y - 1 } else { y };
            Ctx {
                folder: date.format("%Y-%m-%d").to_string(),
                day: day_of(y, m, d),
                pm: ((dm + 5) % 12) as i32,
                closing: dm != m,
                data_month: format!("{data_year}-{dm:02}"),
                footer: format!(
                    "Month of {}, As of {}",
                    MONTHS[dm as usize - 1],
                    date.format("%m/%d/%Y")
                ),
                timestamp: date
                    .and_hms_opt(14, 40, 0)
                    .expect("valid time")
                    .and_utc()
                    .timestamp_millis(),
            }
        })
        .collect()
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

/// What decides status and paid counts; a "twin" district copies it to force a Borda tie.
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

#[derive(Debug, Clone)]
struct Club {
    core: Core,
    number: String,
    name: String,
    /// Year-end totals of Level 1s, Level 2s, Level 3s, Level 4s/paths, new members.
    finals: [i64; 5],
    speed: i64,
    r1: i64,
    r2: i64,
    list: i64,
    dues: [bool; 2],
    flips: [bool; 2],
    visits: [bool; 2],
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
    divisions: Vec<(String, i64)>,
    paid_club_base: i64,
    payment_base: i64,
    flag_days: [i64; 5],
}

fn id_key(id: &str) -> (bool, u64, String) {
    match id.parse::<u64>() {
        Ok(n) => (false, n, String::new()),
        Err(_) => (true, 0, id.to_string()),
    }
}

fn build_world(opts: &SampleOptions) -> Vec<District> {
    let n = opts.districts;
    let mut rng = Rng::new(opts.seed, 1);
    let factors: Vec<u64> = (0..n).map(|_| 60 + rng.below(81)).collect();
    let total: u64 = factors.iter().sum();
    let want = (opts.clubs_per_district * n) as u64;
    let mut sizes: Vec<usize> = factors
        .iter()
        .map(|f| ((want * f + total / 2) / total).max(5) as usize)
        .collect();
    let twins = (n >= 3).then_some((0, 2));
    if let Some((a, b)) = twins {
        sizes[b] = sizes[a];
    }
    let special = usize::from(n >= 2);
    let unassigned = (n >= 3).then_some(1);
    let uncollected = (n >= 6).then(|| if (n / 2) % 5 == 4 { n / 2 + 1 } else { n / 2 });
    let numeric = if n >= 4 { n - 2 } else { n };
    let regions = numeric.div_ceil(3).clamp(1, 14);

    let cores: Vec<(Vec<Core>, Vec<Area>, Vec<(String, i64)>)> = (0..n)
        .map(|i| {
            let key = match twins {
                Some((a, b)) if b == i => a,
                _ => i,
            };
            let mut srng = Rng::new(opts.seed, 1000 + key as u64);
            gen_structure(&mut srng, sizes[i], i == special, unassigned == Some(i))
        })
        .collect();

    // Club numbers: old ones spread over 00001000..07991000, world-wide unique; this
    // year's charters get sequential 2867xxxx numbers.
    let old_total = cores
        .iter()
        .flat_map(|c| &c.0)
        .filter(|c| c.charter.is_none())
        .count() as u64;
    let block = (7_990_000 / old_total.max(1)).max(1);
    let mut nrng = Rng::new(opts.seed, 7);
    let (mut g, mut next_new) = (0u64, 28_670_000 + nrng.below(400));
    let mut world = Vec::with_capacity(n);
    for (i, (cs, areas, divisions)) in cores.into_iter().enumerate() {
        let mut arng = Rng::new(opts.seed, 5000 + i as u64);
        let mut clubs: Vec<Club> = cs
            .into_iter()
            .map(|core| {
                let number = if core.charter.is_some() {
                    next_new += 1 + nrng.below(4);
                    next_new
                } else {
                    let slot = (g * 1_000_003) % old_total;
                    g += 1;
                    1000 + slot * block + nrng.below(block)
                };
                gen_club(&mut arng, core, format!("{number:08}"))
            })
            .collect();
        clubs.sort_by(|a, b| (a.core.area, &a.number).cmp(&(b.core.area, &b.number)));
        let id = match i {
            _ if n >= 4 && i == n - 2 => "F".to_string(),
            _ if n >= 4 && i == n - 1 => "U".to_string(),
            _ if i < 99 => format!("{:02}", i + 1),
            _ => (i + 1).to_string(),
        };
        let region = match id.as_str() {
            "F" => "02".to_string(),
            "U" => "DNAR".to_string(),
            _ => format!("{:02}", i * regions / numeric + 1),
        };
        let role = if uncollected == Some(i) {
            Role::Uncollected
        } else if i % 5 == 4 {
            Role::ClubOnly
        } else {
            Role::Full
        };
        let expected: i64 = clubs
            .iter()
            .map(|c| c.finals[4] + c.renewals.iter().sum::<i64>() + charter_pay(c))
            .sum();
        world.push(District {
            id,
            region,
            role,
            paid_club_base: areas.iter().map(|a| a.base).sum(),
            payment_base: (expected * arng.range(90, 110) / 100).max(1),
            flag_days: std::array::from_fn(|_| {
                if arng.chance(85) {
                    arng.range(20, 280)
                } else {
                    i64::MAX
                }
            }),
            clubs,
            areas,
            divisions,
        });
    }
    world
}

/// Areas of 3–7 clubs, divisions of about 4–5 areas, areas numbered by division where
/// they fit (A → 01…, B → 10…), and one club per PY charter in about 3 % of slots.
fn gen_structure(
    rng: &mut Rng,
    size: usize,
    special: bool,
    unassigned: bool,
) -> (Vec<Core>, Vec<Area>, Vec<(String, i64)>) {
    let regular = size - usize::from(unassigned);
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
    let by_division =
        n_div <= 10 && (0..n_div).all(|d| (0..n_areas).filter(|&a| div_of(a) == d).count() <= 9);
    let off = usize::from(unassigned);
    let mut divisions: Vec<(String, i64)> = Vec::new();
    let mut areas = Vec::new();
    if unassigned {
        divisions.push(("0D".to_string(), 0));
        areas.push(Area {
            code: "0A".to_string(),
            div: 0,
            base: 0,
        });
    }
    divisions.extend((0..n_div).map(|d| (char::from(b'A' + d as u8).to_string(), 0)));
    let mut first_of_div = 0;
    for a in 0..n_areas {
        let d = div_of(a);
        if a == 0 || div_of(a - 1) != d {
            first_of_div = a;
        }
        let number = if !by_division {
            a + 1
        } else if d == 0 {
            a + 1
        } else {
            d * 10 + a - first_of_div
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
        let k = rng.below(cores.len() as u64) as usize;
        let c = &mut cores[k];
        (c.charter, c.susp, c.fate, c.base) = (
            Some(day_of(2025, 8, 14)),
            Some(day_of(2026, 2, 28)),
            Fate::Suspended,
            20,
        );
        c.trend = rng.range(4, 8) - c.base;
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
        let adjust = match rng.below(100) {
            0..=7 => 1,
            8..=12 => -1,
            _ => 0,
        };
        area.base = (old + adjust).max(1);
        divisions[area.div].1 += area.base;
    }
    (cores, areas, divisions)
}

fn gen_core(rng: &mut Rng, area: usize, is_new: bool) -> Core {
    let fate = match (is_new, rng.below(1000)) {
        (true, _) => Fate::Normal,
        (_, 0..=39) => Fate::Low,
        (_, 40..=64) => Fate::Suspended,
        (_, 65..=79) => Fate::Ineligible,
        _ => Fate::Normal,
    };
    let base = match fate {
        Fate::Normal if is_new => rng.range(20, 27),
        Fate::Normal => {
            let u = rng.range(0, 32);
            8 + u * u / 32
        }
        _ => rng.range(8, 14),
    };
    let trend = match fate {
        Fate::Normal if is_new => rng.range(-10, 5),
        Fate::Normal => rng.range(-8, 8),
        Fate::Low => rng.range(4, 7) - base,
        Fate::Suspended => rng.range(4, 8) - base,
        Fate::Ineligible => rng.range(0, 6) - base,
    };
    let susp = (fate == Fate::Suspended).then(|| match rng.below(100) {
        0..=24 => day_of(2025, 9, 30),
        25..=39 => day_of(2025, 12, 31),
        _ => day_of(2026, 3, 31),
    });
    Core {
        area,
        charter: is_new.then(|| rng.range(0, day_of(2026, 4, 20))),
        susp,
        fate,
        base,
        trend,
        speed: rng.range(100, 160),
        wob: rng.next(),
        susp_members: rng.range(0, 9),
    }
}

const PLACES: &[&str] = &[
    "Kingston",
    "Ottawa",
    "Montréal",
    "Québec",
    "Lyon",
    "Zürich",
    "São Paulo",
    "Kraków",
    "Malmö",
    "Reykjavík",
    "Bogotá",
    "Dublin",
    "Austin",
    "Denver",
    "Nairobi",
    "Lagos",
    "Pune",
    "Chennai",
    "Osaka",
    "Auckland",
    "Perth",
    "Calgary",
    "Halifax",
    "Tampa",
    "Boise",
    "Trois-Rivières",
    "Lévis",
    "Gdańsk",
    "Göteborg",
    "Cork",
    "Accra",
    "Cebu",
    "Taipei",
    "Busan",
    "Doha",
    "Leeds",
    "Bristol",
    "Porto",
    "Drummondville",
    "Sherbrooke",
];
const ORGS: &[&str] = &[
    "Queen's",
    "City Hall",
    "St. Lawrence College",
    "Health Canada",
    "the Library",
    "Université Laval",
    "Riverside",
    "Harbourfront",
    "Lakeshore",
    "Downtown",
    "Sunrise",
    "Lunchtime",
    "Evening",
    "Tech Park",
    "Airport",
    "General Hospital",
    "Engineers",
    "Morgan Stanley",
    "Genetec Inc.",
    "Family",
];
const ODD: &[&str] = &[
    "Club Progresser, Bâtir et Inspirer",
    "Parler, Écouter, Réussir",
    "Speak, Lead, Succeed",
    "Québec Orateurs",
    "Toastmasters Bâtisseurs de Lévis",
];

fn gen_name(rng: &mut Rng) -> String {
    let (p, o) = (rng.pick(PLACES), rng.pick(ORGS));
    let mut name = match rng.below(10) {
        0..=2 => format!("{p} Toastmasters Club"),
        3 => format!("{o} Toastmasters"),
        4 => format!("Toastmasters At {o}"),
        5 => format!("{p} Speakers Club"),
        6 => format!("Club Toastmasters de {p}"),
        7 => format!("{p} {o} Club"),
        8 => format!("{o} Speakers"),
        _ if rng.chance(30) => rng.pick(ODD).to_string(),
        _ => format!("{p} Orators"),
    };
    if rng.chance(5) {
        write!(name, " #{}", rng.range(100, 9999)).expect("string write");
    }
    match rng.below(100) {
        0 => name.push(' '),
        1 => name = name.replacen(' ', "  ", 1),
        _ => {}
    }
    name
}

fn gen_club(rng: &mut Rng, core: Core, number: String) -> Club {
    let is_new = core.charter.is_some();
    let charter = core.charter.unwrap_or(0);
    let weak = matches!(core.fate, Fate::Suspended | Fate::Ineligible);
    let e = if weak {
        rng.range(0, 2)
    } else if rng.chance(6) {
        0
    } else {
        rng.range(2, 10)
    };
    let finals = [
        e * rng.range(0, 14) / 10,
        e * rng.range(0, 8) / 10,
        e * rng.range(0, 6) / 10,
        e * rng.range(0, 4) / 10,
        if e == 0 {
            rng.range(0, 3)
        } else {
            rng.range(0, 5) + e * rng.range(0, 16) / 10
        },
    ];
    let trained = |rng: &mut Rng, p| {
        if rng.chance(p) {
            rng.range(4, 7)
        } else {
            rng.range(0, 3)
        }
    };
    let r1 = if is_new { 0 } else { trained(rng, 75) };
    let r2 = if is_new && charter > day_of(2026, 2, 1) {
        0
    } else {
        trained(rng, 70)
    };
    let list = match rng.below(100) {
        0..=2 => 2,
        3..=10 => 0,
        _ => 1,
    };
    let dues = [
        !(is_new && charter > day_of(2025, 10, 1)) && rng.chance(if weak { 30 } else { 85 }),
        rng.chance(if core.fate == Fate::Suspended { 5 } else { 88 }),
    ];
    let nov = !(is_new && charter > day_of(2025, 11, 30)) && rng.chance(92);
    // Round-2 visits include every round-1 visit, so the visit condition of an area never
    // depends on whether a reader treats the open May round as met or not (§5.6).
    let visits = [nov, nov || rng.chance(60)];
    let end_members = (core.base + core.trend).max(0);
    let renewals = [
        if is_new {
            0
        } else {
            core.base * rng.range(50, 100) / 100
        },
        match core.fate {
            Fate::Suspended => rng.range(0, 1),
            _ if is_new && charter > day_of(2026, 3, 1) => 0,
            _ => end_members * rng.range(70, 100) / 100,
        },
        if is_new {
            0
        } else {
            [0, 0, 0, 0, 0, 0, 0, 0, 1, 2][rng.below(10) as usize]
        },
    ];
    Club {
        name: gen_name(rng),
        finals,
        speed: rng.range(100, 190),
        r1,
        r2,
        list,
        dues,
        flips: [rng.chance(8), rng.chance(8)],
        visits,
        csp_day: rng.chance(90).then(|| charter + rng.range(10, 200)),
        renewals,
        number,
        core,
    }
}

fn charter_pay(c: &Club) -> i64 {
    if c.core.charter.is_some() {
        c.core.base
    } else {
        0
    }
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
    r1: i64,
    r2: i64,
    dues: [i64; 2],
    list: i64,
    code: &'static str,
    /// New, Late Ren., Oct. Ren., Apr. Ren., Total Chart.
    pay: [i64; 5],
    /// October Renewals, April Renewals, Nov Visit award, May Visit award.
    div: [i64; 4],
    charter_cell: String,
}

fn eval_club(idx: usize, c: &Club, ctx: &Ctx) -> Option<Eval> {
    let k = &c.core;
    let start = k.charter.unwrap_or(0);
    if start > ctx.day {
        return None;
    }
    let (day, pm) = (ctx.day, ctx.pm);
    let suspended = k.susp.is_some_and(|s| day >= s);
    let frac = ((day - start) * k.speed).min(36_500);
    let wobble = (mix(k.wob ^ day as u64) % 3) as i64 - 1;
    let m = k.base + k.trend * frac / 36_500 + wobble;
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
    let grown = (k.susp.map_or(day, |s| day.min(s)) - start).max(0);
    let frac = (grown * c.speed).min(36_500);
    let t: Vec<i64> = c.finals.iter().map(|f| f * frac / 36_500).collect();
    let aw = [
        t[0],
        t[1].min(2),
        t[1] - t[1].min(2),
        t[2],
        t[3].min(1),
        t[3] - t[3].min(1),
        t[4].min(4),
        t[4] - t[4].min(4),
    ];
    let r1 = if pm == 0 { c.r1 / 2 } else { c.r1 };
    let r2 = c.r2 * [0, 0, 0, 0, 2, 4, 5, 6, 6, 6, 6, 6][pm as usize] / 6;
    let dues = [
        i64::from(pm >= 3 && c.dues[0]),
        i64::from(pm >= PM_APRIL && c.dues[1]),
    ];
    let new_py = k.charter.is_some();
    let goals = [
        aw[0] >= 4,
        aw[1] >= 2,
        aw[2] >= 2,
        aw[3] >= 2,
        aw[4] >= 1,
        aw[5] >= 1,
        aw[6] >= 4,
        aw[7] >= 4,
        r2 >= 4 && (r1 >= 4 || new_py),
        c.list >= 1 && (dues[0] >= 1 || dues[1] >= 1),
    ]
    .iter()
    .filter(|&&g| g)
    .count() as i64;
    let csp = c.csp_day.is_some_and(|d| d <= day);
    let code = if pm >= PM_APRIL {
        club_code(goals, members, members - k.base, csp)
    } else {
        ""
    };
    let share = |v: i64, table: [i64; 12]| v * table[pm as usize] / 10;
    let pay = [
        t[4],
        if pm >= 4 { c.renewals[2] } else { 0 },
        share(c.renewals[0], [0, 2, 6, 10, 10, 10, 10, 10, 10, 10, 10, 10]),
        share(c.renewals[1], [0, 0, 0, 0, 0, 0, 0, 0, 4, 8, 10, 10]),
        charter_pay(c),
    ];
    let half = k.wob & 1 == 0;
    let div = [
        i64::from(pm >= 3 && (c.dues[0] != c.flips[0])),
        i64::from(pm >= PM_APRIL && (c.dues[1] != c.flips[1])),
        i64::from(c.visits[0] && (pm >= 5 || (pm == 4 && half))),
        i64::from(c.visits[1] && pm >= PM_APRIL),
    ];
    let charter_cell = match (k.charter, k.susp.filter(|_| suspended)) {
        (Some(ch), Some(s)) => format!("Charter {} Susp {}", short_date(ch), short_date(s)),
        (Some(ch), None) => format!("Charter {}", short_date(ch)),
        (None, Some(s)) => format!(" Susp {}", short_date(s)),
        (None, None) => String::new(),
    };
    let list = c.list;
    Some(Eval {
        club: idx,
        members,
        status,
        csp,
        goals,
        aw,
        r1,
        r2,
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
    pm: i32,
    evals: Vec<Eval>,
    areas: Vec<Agg>,
    divs: Vec<Agg>,
}

fn evaluate<'a>(d: &'a District, ctx: &Ctx) -> DistrictDay<'a> {
    let evals: Vec<Eval> = d
        .clubs
        .iter()
        .enumerate()
        .filter_map(|(i, c)| eval_club(i, c, ctx))
        .collect();
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

fn ceil_pct(base: i64, pct: i64) -> i64 {
    (base * pct + 99) / 100
}

/// Distinguished Area words (§5.6), including the ⌈75 %⌉ visit rule in both rounds.
fn area_word(pm: i32, base: i64, a: Agg) -> &'static str {
    let (half, visits) = (ceil_pct(base, 50), ceil_pct(base, 75));
    if pm < PM_APRIL || base == 0 || a.paid < base || a.nov < visits || a.may < visits {
        ""
    } else if a.paid > base && a.dist > half {
        "President's Distinguished"
    } else if a.dist > half {
        "Select Distinguished"
    } else if a.dist >= half {
        "Distinguished"
    } else {
        ""
    }
}

/// Distinguished Division words (§5.6), no visit condition.
fn division_word(pm: i32, base: i64, a: Agg) -> &'static str {
    if pm < PM_APRIL || base == 0 {
        ""
    } else if a.paid >= base + 2 && a.dist >= ceil_pct(base, 55) {
        "President's Distinguished"
    } else if a.paid > base && a.dist >= ceil_pct(base, 50) {
        "Select Distinguished"
    } else if a.paid >= base && a.dist >= ceil_pct(base, 45) {
        "Distinguished"
    } else {
        ""
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
        Col::OfficersTrainedRound1 => N(e.r1),
        Col::OfficersTrainedRound2 => N(e.r2),
        Col::DuesOnTimeOct => N(e.dues[0]),
        Col::DuesOnTimeApr => N(e.dues[1]),
        Col::OfficerListOnTime => N(e.list),
        Col::ClubDistinguishedStatus | Col::DistinguishedStatus | Col::DistinguishedClub => {
            S(e.code)
        }
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

fn district_file(report: Report, day: &DistrictDay, footer: &str) -> String {
    let cols = layout(report);
    let mut csv = Csv::new(report);
    csv.buf.reserve(day.evals.len() * 40 * cols.len());
    for e in &day.evals {
        for col in &cols {
            csv.put(col.map_or(V::S(""), |c| club_cell(c, day, e)));
        }
        csv.end();
    }
    csv.finish(footer)
}

/// One `all-districts.csv` row: payments New/April/October/Late/Charter, and counts.
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
    fn new(d: &'a District, day: &DistrictDay, ctx: &Ctx) -> SummaryRow<'a> {
        let mut pay = [0; 5];
        let (mut paid, mut active, mut tiers) = (0, 0, [0; 4]);
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
        let total: i64 = pay.iter().sum();
        let pcts = [
            percent(total - d.payment_base, d.payment_base),
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
    let v = if den == 0 {
        0.0
    } else {
        num as f64 / den as f64 * 100.0
    };
    let text = format!("{v:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" || text.is_empty() {
        "0%".to_string()
    } else {
        format!("{text}%")
    }
}

fn summary_cell<'a>(col: Option<Col>, r: &'a SummaryRow) -> V<'a> {
    use V::{N, S};
    let Some(col) = col else { return S("") };
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

/// The logical column of each canonical header cell of `report` (era of PY 2025-26).
fn layout(report: Report) -> Vec<Option<Col>> {
    let era = canonical_headers(report, PY_START);
    era.headers
        .iter()
        .map(|h| lookup(report, h).map(|s| s.col))
        .collect()
}

/// One file in one buffer: every cell quoted, CRLF, unquoted footer.
struct Csv {
    buf: String,
    fresh: bool,
}

impl Csv {
    fn new(report: Report) -> Csv {
        let mut csv = Csv {
            buf: String::with_capacity(4096),
            fresh: true,
        };
        for h in canonical_headers(report, PY_START).headers {
            csv.put(V::S(h));
        }
        csv.end();
        csv
    }
    fn put(&mut self, v: V) {
        if !self.fresh {
            self.buf.push(',');
        }
        self.fresh = false;
        self.buf.push('"');
        match v {
            V::S(s) => {
                debug_assert!(!s.contains('"'), "cell {s:?} holds a quote");
                self.buf.push_str(s);
            }
            V::N(n) => write!(self.buf, "{n}").expect("string write"),
        }
        self.buf.push('"');
    }
    fn end(&mut self) {
        self.buf.push_str("\r\n");
        self.fresh = true;
    }
    fn finish(mut self, footer: &str) -> String {
        self.buf.push_str(footer);
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
    districts: Present<'a>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct FileFlags {
    district_performance: bool,
    division_performance: bool,
    club_performance: bool,
}

/// District id → files, serialised as a JSON object in district order.
struct Present<'a>(Vec<(&'a str, FileFlags)>);

impl serde::Serialize for Present<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (id, flags) in &self.0 {
            map.serialize_entry(id, flags)?;
        }
        map.end()
    }
}

impl<'a> Metadata<'a> {
    fn new(ctx: &'a Ctx, world: &'a [District]) -> Metadata<'a> {
        let districts = world
            .iter()
            .filter(|d| d.role != Role::Uncollected)
            .map(|d| {
                let full = d.role == Role::Full;
                let flags = FileFlags {
                    district_performance: full,
                    division_performance: full,
                    club_performance: true,
                };
                (d.id.as_str(), flags)
            })
            .collect();
        Metadata {
            date: &ctx.folder,
            timestamp: ctx.timestamp,
            program_year: "2025-2026",
            is_closing_period: ctx.closing,
            data_month: ctx.closing.then_some(ctx.data_month.as_str()),
            csv_files: CsvFiles {
                all_districts: true,
                districts: Present(districts),
            },
            source: "collector-http",
            cache_version: 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peek() {
        let out = std::path::Path::new("/tmp/sample-peek");
        let _ = std::fs::remove_dir_all(out);
        let s = write_sample(out, &SampleOptions::default()).unwrap();
        println!("{s:?}");
    }
}
