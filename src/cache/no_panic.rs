//! Property test: no input makes the cache readers panic.

use super::eras::Report;
use super::table::Table;

/// Mutates real-shaped CSV text thousands of ways (byte flips, cuts, inserted quotes,
/// commas, line breaks, invalid UTF-8) and parses each as every report: any input gives
/// a table or a located error, never a panic.
#[test]
fn parsing_never_panics() {
    let base = format!(
        "{}\r\n{}\r\n{}\r\nMonth of Jun, As of 06/09/2026\r\n",
        crate::cache::eras::canonical_headers(Report::Club, 2025)
            .headers
            .iter()
            .map(|h| format!("\"{h}\""))
            .collect::<Vec<_>>()
            .join(","),
        "\"61\",\"A\",\"01\",\"00003045\",\"Limestone City Club\",\"Active\",\"Y\",\"13\",\"13\",\"0\",\"4\",\"1\",\"1\",\"0\",\"1\",\"1\",\"1\",\"4\",\"1\",\"2\",\"1\",\"1\",\"1\",\"1\",\"\"",
        "\"61\",\"A\",\"02\",\"00009560\",\"CFB Kingston, Québec\",\"Low\",\"N\",\"8\",\"8\",\"0\",\"3\",\"0\",\"1\",\"0\",\"0\",\"0\",\"0\",\"4\",\"1\",\"4\",\"4\",\"1\",\"0\",\"2\",\"D\"",
    )
    .into_bytes();
    let inserts: [&[u8]; 8] = [
        b"\"",
        b",",
        b"\r",
        b"\n",
        b"\xff",
        b"\xc3",
        b"\"\"",
        b"Month of ",
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound.max(1) as u64) as usize
    };
    for _ in 0..3000 {
        let mut bytes = base.clone();
        for _ in 0..1 + next(4) {
            let at = next(bytes.len());
            match next(4) {
                0 => bytes[at] ^= 1 << next(8),
                1 => bytes.truncate(at),
                2 => {
                    let ins = inserts[next(inserts.len())];
                    bytes.splice(at..at, ins.iter().copied());
                }
                _ => {
                    let end = (at + next(40)).min(bytes.len());
                    bytes.drain(at..end);
                }
            }
        }
        for report in [
            Report::Club,
            Report::District,
            Report::Division,
            Report::Summary,
        ] {
            let mut w = Vec::new();
            let Ok(table) = Table::parse(report, "f.csv", &bytes, &mut w) else {
                continue;
            };
            use crate::cache::records;
            match report {
                Report::Club => drop(records::clubs(&table, "61", &mut w)),
                Report::District => drop(records::payments(&table, &mut w)),
                Report::Division => drop(records::divisions(&table, &mut w)),
                Report::Summary => drop(records::summary(&table, &mut w)),
            }
        }
    }
}
