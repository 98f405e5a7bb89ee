//! A club number that changes hands: TI re-uses numbers rarely, but a club listed under an
//! old number with another name *and* another charter date is most likely a new club, and
//! history would join it to the old club's timeline without a word (issue 21 item 5). One
//! warning per club, naming the newer club file and what differs; the history is kept.

use super::Timeline;
use crate::cache::eras::Report;
use crate::cache::load::DatedFolder;
use crate::diag::Diag;
use crate::model::{club_key, same_district};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// What a club number was last seen as: its name, charter date and where.
struct Seen {
    name: String,
    charter: NaiveDate,
    date: NaiveDate,
}

/// Warnings for every club number whose name and charter date both changed between two of
/// the loaded dates. `folders` are the timeline's date folders (history and presented).
pub fn warnings(timeline: &Timeline, folders: &[&DatedFolder]) -> Vec<Diag> {
    let mut seen: BTreeMap<String, Seen> = BTreeMap::new();
    let mut out = Vec::new();
    let mut warned = std::collections::BTreeSet::new();
    for (date, clubs) in &timeline.clubs {
        for (district, points) in &clubs.districts {
            for p in points {
                let key = club_key(&p.club_number).to_string();
                let Some(charter) = p.charter_date else {
                    continue;
                };
                let name = p.club_name.trim().to_string();
                if let Some(before) = seen.get(&key)
                    && before.charter != charter
                    && !before.name.eq_ignore_ascii_case(&name)
                    && warned.insert(key.clone())
                {
                    let file = club_file(folders, *date, district)
                        .unwrap_or_else(|| format!("district {district} on {date}"));
                    out.push(Diag::warning(
                        &file,
                        format!(
                            "club {} is \"{name}\", chartered {charter}, but on {} it was \"{}\", chartered {}: probably a new club under an old number; its history is joined to the old club's",
                            p.club_number, before.date, before.name, before.charter
                        ),
                    ));
                }
                seen.insert(
                    key,
                    Seen {
                        name,
                        charter,
                        date: *date,
                    },
                );
            }
        }
    }
    out
}

/// The club report of `district` in the folder of `date`, relative to the cache.
fn club_file(folders: &[&DatedFolder], date: NaiveDate, district: &str) -> Option<String> {
    let dated = folders.iter().find(|f| f.period.data_date == date)?;
    let d = dated
        .folder
        .districts
        .iter()
        .find(|d| same_district(&d.id, district))?;
    Some(d.rel_path(Report::Club))
}
