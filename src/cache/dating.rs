//! Dating one date folder: the data period it holds, read from the footer of every export
//! file in it and checked against the folder's name, the build clock and the closing-period
//! window (DOMAIN.md §1.2, §3.3–§3.5). A folder that cannot be dated truthfully is refused
//! with errors naming it and its files, so that history can drop it with a warning and a
//! build presenting it fails, instead of one stray file re-dating the whole store.

use super::facts::FileFacts;
use super::footer::{self, DataPeriod, Footer, MAX_CLOSING_DAYS};
use super::layout::DateFolder;
use super::limits;
use super::load::DatedFolder;
use crate::diag::Diag;
use crate::fsx;
use chrono::{Datelike, NaiveDate};
use std::ops::RangeInclusive;

/// Calendar years a folder date may carry. TI's exports go back to 2008; anything outside
/// this range is a typo or a test copy (`9999-12-31`), never data.
pub const YEARS: RangeInclusive<i32> = 2000..=2100;

/// A folder that cannot be dated truthfully.
#[derive(Debug, Clone)]
pub struct Refused {
    /// Every problem found, in folder order, each naming its file (and footer line).
    pub errors: Vec<Diag>,
    /// The data date the folder's footers point at (by majority), when any can be read:
    /// the date the folder would have stood for, so a caller can tell whether it was
    /// the one to present.
    pub likely_data_date: Option<NaiveDate>,
}

/// A footer found in one file of the folder.
struct Found {
    rel: String,
    line: u64,
    footer: Footer,
    period: DataPeriod,
}

/// Dates ONE folder, checking every file's footer. `clock` is the build's date
/// (`--snapshot-time`, or now): a folder cannot be dated after it. `Ok(None)` means the
/// folder holds no export file, so it has no data and is never "latest".
pub fn date_folder(
    folder: &DateFolder,
    clock: NaiveDate,
    facts: &FileFacts,
) -> Result<Option<DatedFolder>, Refused> {
    let mut errors = folder.problems.clone();
    let date = folder.collection_date;
    if !YEARS.contains(&date.year()) {
        errors.push(Diag::error(
            &folder.rel,
            format!(
                "folder date {date} is outside the years {} to {} that TI data can carry; rename or remove the folder",
                YEARS.start(),
                YEARS.end()
            ),
        ));
    }
    if date > clock {
        errors.push(Diag::error(
            &folder.rel,
            format!(
                "folder date {date} is after the build clock ({clock}): a folder is named for the day its data was asked for, which cannot be in the future; rename or remove the folder"
            ),
        ));
    }
    let files = folder.export_files();
    let found = read_footers(folder, &files, facts, &mut errors);
    if files.is_empty() && errors.is_empty() {
        return Ok(None);
    }
    let reference = majority(&found);
    for f in &found {
        check_footer(date, f, reference, &mut errors);
    }
    if !errors.is_empty() {
        return Err(Refused {
            errors,
            likely_data_date: reference.map(|r| r.period.data_date),
        });
    }
    let (period, as_of_date) = match reference {
        Some(r) => (r.period, Some(r.footer.as_of)),
        None => (footer::data_period(date, date.month()), None),
    };
    Ok(Some(DatedFolder {
        collection_date: date,
        period,
        as_of_date,
        folder: folder.clone(),
    }))
}

/// Whether a folder collected on `date` that could not be dated would be presented: the
/// newest collection when no `--date` is given; with `--date D`, the folder of D itself,
/// one whose footers point at D, or, when its footers cannot tell, a later collection
/// that could still be closing D's month (newer collections win, DOMAIN.md §3.5).
pub fn would_present(
    date: NaiveDate,
    likely_data_date: Option<NaiveDate>,
    chosen: Option<&DatedFolder>,
    wanted: Option<NaiveDate>,
) -> bool {
    let newer_than_chosen = chosen.is_none_or(|c| date > c.collection_date);
    let Some(d) = wanted else {
        return newer_than_chosen;
    };
    if date == d {
        return true;
    }
    match likely_data_date {
        Some(likely) => likely == d && newer_than_chosen,
        None => {
            let month_end = d == footer::last_day_of_month(d.year(), d.month());
            month_end && date > d && (date - d).num_days() <= MAX_CLOSING_DAYS && newer_than_chosen
        }
    }
}

/// The footers of the folder's files, after bounding the folder's total size (a file is
/// never read into memory before its size is known to be within bounds).
fn read_footers(
    folder: &DateFolder,
    files: &[(&std::path::PathBuf, String)],
    facts: &FileFacts,
    errors: &mut Vec<Diag>,
) -> Vec<Found> {
    let limits = match limits::get() {
        Ok(l) => l,
        Err(e) => {
            errors.push(Diag::error(&folder.rel, e));
            return Vec::new();
        }
    };
    let mut total = 0u64;
    let metadata = folder
        .metadata
        .as_ref()
        .map(|p| (p, folder.rel_path("metadata.json")));
    for (path, rel) in files.iter().map(|(p, r)| (*p, r.clone())).chain(metadata) {
        match fsx::metadata(path) {
            Ok(m) => total += m.len(),
            Err(e) => errors.push(Diag::error(&rel, format!("{e:#}"))),
        }
    }
    if total > limits.max_folder_bytes {
        errors.push(Diag::error(
            &folder.rel,
            format!(
                "the folder's files hold {total} bytes, more than the limit of {} (a whole world date is about 6 MB); raise {} if this cache is genuinely that large",
                limits.max_folder_bytes,
                limits::MAX_FOLDER_BYTES_ENV
            ),
        ));
        return Vec::new();
    }
    let mut found = Vec::new();
    for (path, rel) in files {
        let file = match facts.of(path) {
            Ok(f) => f,
            Err(e) => {
                errors.push(Diag::error(rel, format!("{e:#}")));
                continue;
            }
        };
        // A file without a footer (or not text at all) is reported when it is parsed;
        // it simply does not vote on the folder's month.
        if let Some((line, f)) = file.footer() {
            found.push(Found {
                rel: rel.clone(),
                line,
                footer: f,
                period: footer::data_period(folder.collection_date, f.month),
            });
        }
    }
    found
}

/// The footer whose data month most files share (the first such file on a tie, the
/// summary coming first): the folder's month, against which the others are judged.
fn majority(found: &[Found]) -> Option<&Found> {
    let votes = |f: &Found| {
        found
            .iter()
            .filter(|g| g.period.data_month == f.period.data_month)
            .count()
    };
    let best = found.iter().map(votes).max()?;
    found.iter().find(|f| votes(f) == best)
}

fn month_label((year, month): (i32, u32)) -> String {
    format!("{} {year}", footer::month_name(month))
}

fn check_footer(date: NaiveDate, f: &Found, reference: Option<&Found>, errors: &mut Vec<Diag>) {
    let at = |message: String| {
        let mut d = Diag::error(&f.rel, message).at_line(f.line);
        d.column = Some(1);
        d
    };
    let month = month_label(f.period.data_month);
    if f.period.closing {
        let days = (date - f.period.data_date).num_days();
        if days > MAX_CLOSING_DAYS {
            errors.push(at(format!(
                "footer says data month {month}, but the folder is dated {date}, {days} days after that month ended; TI publishes a month's figures at most {MAX_CLOSING_DAYS} days into the next (DOMAIN.md §3.3), so this file belongs in another folder"
            )));
        }
    }
    let (year, m) = f.period.data_month;
    let month_start = NaiveDate::from_ymd_opt(year, m, 1);
    if month_start.is_some_and(|start| f.footer.as_of < start) {
        errors.push(at(format!(
            "footer is stamped as of {}, before its data month {month} began: the file is from another year or another folder",
            f.footer.as_of
        )));
    }
    // Archived exports (DOMAIN.md §3.3) carry their download date: allowed only as a
    // closed month's final figures in that month's last-day folder.
    let archived = !f.period.closing && date == footer::last_day_of_month(year, m);
    if f.footer.as_of > date && !archived {
        errors.push(at(format!(
            "footer is stamped as of {}, after the folder date {date}: a download cannot be newer than the day it was asked for (only an archived month-end export, in the folder of that month's last day, may be)",
            f.footer.as_of
        )));
    }
    if let Some(r) = reference
        && r.period.data_month != f.period.data_month
    {
        errors.push(at(format!(
            "footer says data month {month}, but {}:{} says {}: files of one date folder must hold the same month",
            r.rel,
            r.line,
            month_label(r.period.data_month)
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn found(rel: &str, folder: &str, month: u32, as_of: &str) -> Found {
        let date: NaiveDate = folder.parse().unwrap();
        Found {
            rel: rel.into(),
            line: 9,
            footer: Footer {
                month,
                as_of: as_of.parse().unwrap(),
            },
            period: footer::data_period(date, month),
        }
    }

    fn check(folder: &str, f: &Found) -> Vec<Diag> {
        let mut out = Vec::new();
        check_footer(folder.parse().unwrap(), f, None, &mut out);
        out
    }

    #[test]
    fn closing_period_is_only_the_days_after_a_month_end() {
        assert!(check("2026-04-05", &found("a", "2026-04-05", 3, "2026-04-05")).is_empty());
        assert!(check("2025-07-25", &found("a", "2025-07-25", 6, "2025-07-25")).is_empty());
        let late = check("2026-09-10", &found("a", "2026-09-10", 6, "2026-09-10"));
        assert!(late[0].message.contains("72 days after"), "{late:?}");
        assert_eq!((late[0].line, late[0].column), (Some(9), Some(1)));
    }

    #[test]
    fn as_of_after_the_folder_only_for_archived_month_ends() {
        // the real archived D91 close: June data, month-end folder, downloaded years later
        assert!(check("2023-06-30", &found("a", "2023-06-30", 6, "2025-09-13")).is_empty());
        let e = check("2026-04-10", &found("a", "2026-04-10", 4, "2026-04-20"));
        assert!(e[0].message.contains("after the folder date"), "{e:?}");
        let e = check("2026-04-20", &found("a", "2026-04-20", 4, "2025-04-20"));
        assert!(e[0].message.contains("before its data month"), "{e:?}");
    }

    #[test]
    fn a_refused_folder_is_presented_only_when_it_would_be_shown() {
        let d = |s: &str| -> NaiveDate { s.parse().unwrap() };
        let chosen = DatedFolder {
            collection_date: d("2026-04-05"),
            period: footer::data_period(d("2026-04-05"), 3),
            as_of_date: None,
            folder: DateFolder {
                collection_date: d("2026-04-05"),
                dir: PathBuf::new(),
                rel: String::new(),
                summary: None,
                metadata: None,
                districts: Vec::new(),
                problems: Vec::new(),
            },
        };
        let c = Some(&chosen);
        // newest without --date
        assert!(would_present(d("2026-04-20"), None, c, None));
        assert!(!would_present(d("2026-03-22"), None, c, None));
        // --date: its own folder, or one whose footers point at it
        assert!(would_present(
            d("2026-03-22"),
            None,
            c,
            Some(d("2026-03-22"))
        ));
        assert!(would_present(
            d("2026-04-08"),
            Some(d("2026-03-31")),
            c,
            Some(d("2026-03-31"))
        ));
        assert!(!would_present(
            d("2026-04-20"),
            Some(d("2026-04-20")),
            c,
            Some(d("2026-03-31"))
        ));
        // footers unreadable: a later collection within the closing window might be it
        assert!(would_present(
            d("2026-04-08"),
            None,
            c,
            Some(d("2026-03-31"))
        ));
        assert!(!would_present(
            d("2026-04-30"),
            None,
            c,
            Some(d("2026-03-31"))
        ));
    }

    #[test]
    fn the_majority_month_judges_the_odd_file() {
        let files = [
            found("summary", "2026-04-20", 1, "2026-04-20"),
            found("d61", "2026-04-20", 4, "2026-04-20"),
            found("d62", "2026-04-20", 4, "2026-04-20"),
        ];
        assert_eq!(majority(&files).unwrap().rel, "d61");
    }

    #[test]
    fn future_and_out_of_range_folders_are_refused() {
        let folder = |d: &str| DateFolder {
            collection_date: d.parse().unwrap(),
            dir: PathBuf::from("/nonexistent"),
            rel: format!("raw-csv/{d}"),
            summary: None,
            metadata: None,
            districts: Vec::new(),
            problems: Vec::new(),
        };
        let clock: NaiveDate = "2026-04-21".parse().unwrap();
        let e = date_folder(&folder("2026-04-22"), clock, &FileFacts::transient())
            .unwrap_err()
            .errors;
        assert!(e[0].message.contains("after the build clock"), "{e:?}");
        let e = date_folder(&folder("1999-12-31"), clock, &FileFacts::transient())
            .unwrap_err()
            .errors;
        assert!(e[0].message.contains("outside the years"), "{e:?}");
        assert!(
            date_folder(&folder("2026-04-20"), clock, &FileFacts::transient())
                .unwrap()
                .is_none()
        );
    }
}
