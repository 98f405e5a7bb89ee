//! One club in one program year: its fate (normal, low, suspended, ineligible), membership
//! course and charter, its name in TI's style, and its year-end award, training, dues, visit
//! and renewal figures, from which every date's values are derived. Days count from 1 July
//! of the club-year's program year.

use super::calendar::{day_of, horizon};
use super::rng::{Rng, mix};
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fate {
    Normal,
    Low,
    Suspended,
    Ineligible,
}

/// Everything that decides a club's presence, members and status on a date.
#[derive(Debug, Clone)]
pub(super) struct Core {
    /// Area (index into the district's areas) on 1 July, or on the charter day.
    pub(super) area: usize,
    /// A move during the year: from this day on the club belongs to that area.
    pub(super) moved: Option<(i64, usize)>,
    pub(super) charter: Option<i64>,
    pub(super) susp: Option<i64>,
    pub(super) fate: Fate,
    pub(super) base: i64,
    pub(super) trend: i64,
    pub(super) speed: i64,
    pub(super) wob: u64,
    pub(super) susp_members: i64,
}

pub(super) struct Club {
    pub(super) core: Core,
    pub(super) number: String,
    pub(super) name: String,
    /// Year-end Level 1s, Level 2s, Level 3s, Level 4s/paths/DTMs and new members.
    pub(super) finals: [i64; 5],
    pub(super) speed: i64,
    /// Officers trained in rounds 1 and 2 (year end).
    pub(super) train: [i64; 2],
    pub(super) list: i64,
    /// Dues on time Oct/Apr, division-file renewal flags Oct/Apr, Nov/May visits.
    pub(super) flags: [bool; 6],
    pub(super) csp_day: Option<i64>,
    /// Year-end October, April and late renewals.
    pub(super) renewals: [i64; 3],
}

pub(super) fn gen_core(rng: &mut Rng, py: i32, area: usize, is_new: bool) -> Core {
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
    let trend = gen_trend(rng, fate, base, is_new);
    let susp_days = [(py, 9, 30), (py, 12, 31), (py + 1, 3, 31), (py + 1, 3, 31)];
    let (y, m, d) = susp_days[rng.below(4) as usize];
    let last_charter = day_of(py, py + 1, 4, 20).min(horizon(py));
    Core {
        area,
        moved: None,
        charter: is_new.then(|| rng.range(0, last_charter)),
        susp: (fate == Fate::Suspended).then(|| day_of(py, y, m, d)),
        fate,
        base,
        trend,
        speed: rng.range(100, 160),
        wob: rng.next(),
        susp_members: rng.range(0, 9),
    }
}

/// How far a club's membership moves over the year: the end figure of its fate.
pub(super) fn gen_trend(rng: &mut Rng, fate: Fate, base: i64, is_new: bool) -> i64 {
    match fate {
        Fate::Normal if is_new => rng.range(-10, 5),
        Fate::Normal => rng.range(-8, 8),
        Fate::Low => rng.range(4, 7) - base,
        Fate::Suspended => rng.range(4, 8) - base,
        Fate::Ineligible => rng.range(0, 6) - base,
    }
}

impl Core {
    /// Suspended by `day`.
    pub(super) fn suspended(&self, day: i64) -> bool {
        self.susp.is_some_and(|s| day >= s)
    }

    /// Active members on `day`: the base drifts towards base + trend at the club's speed,
    /// with a daily wobble of one member either way, bounded by the club's fate.
    pub(super) fn members(&self, day: i64) -> i64 {
        let start = self.charter.unwrap_or(0);
        let wobble = (mix(self.wob ^ day as u64) % 3) as i64 - 1;
        let m = self.base + self.trend * ((day - start) * self.speed).min(36_500) / 36_500 + wobble;
        match self.fate {
            Fate::Normal => m.max(8),
            Fate::Suspended if self.suspended(day) => self.susp_members,
            Fate::Low | Fate::Suspended => m.clamp(4, self.base + 1),
            Fate::Ineligible => m.clamp(0, (self.base - 1).min(12)),
        }
    }

    /// The area the club belongs to on `day`.
    pub(super) fn area_on(&self, day: i64) -> usize {
        match self.moved {
            Some((from, area)) if day >= from => area,
            _ => self.area,
        }
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

pub(super) fn gen_club(rng: &mut Rng, py: i32, core: Core, number: String) -> Club {
    let (is_new, start) = (core.charter.is_some(), core.charter.unwrap_or(0));
    let late = |y, m, d| is_new && start > day_of(py, y, m, d);
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
        trained() * i64::from(!late(py + 1, 2, 1)),
    ];
    let r = rng.below(100);
    let list = 1 + i64::from(r < 3) - i64::from((3..11).contains(&r) && !star);
    let oct = !late(py, 10, 1) && (star || rng.chance(if weak { 30 } else { 85 }));
    let apr = rng.chance(if core.fate == Fate::Suspended { 5 } else { 88 });
    let nov = !late(py, 11, 30) && rng.chance(92);
    // Round-2 visits include every round-1 visit, so an area's visit condition does not
    // depend on whether a reader counts the May round, still open in April, as met (§5.6).
    let div_oct = !late(py, 10, 1) && oct != rng.chance(8);
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
            _ if late(py + 1, 3, 1) => 0,
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

/// Charter payments of a club chartered this year: its whole base.
pub(super) fn charter_pay(c: &Club) -> i64 {
    c.core.base * i64::from(c.core.charter.is_some())
}
