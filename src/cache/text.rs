//! The text of an export before it is split into cells, and of each cell after: UTF-8
//! decoding (BOM stripped, Latin-1 and UTF-16 named as such) and the control characters
//! that are removed from cells with a warning.

use crate::diag::Diag;

/// UTF-8 text with a leading BOM removed; invalid bytes are an error at their line/column.
pub fn decode<'a>(path: &str, bytes: &'a [u8]) -> Result<&'a str, Diag> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(order) = utf16_without_bom(bytes) {
        let mut d = Diag::error(
            path,
            format!(
                "file looks like UTF-16 ({order}) without a byte-order mark, not UTF-8 text as TI exports are: re-download it, or convert it (iconv -f UTF-16{} -t UTF-8)",
                if order == "little-endian" { "LE" } else { "BE" }
            ),
        )
        .at_line(1);
        d.column = Some(1);
        return Err(d);
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        let col = good.len() - good.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
        let hint = if bytes.len() >= 2 && (bytes[..2] == [0xFF, 0xFE] || bytes[..2] == [0xFE, 0xFF])
        {
            " (the file looks like UTF-16; TI exports are UTF-8)"
        } else {
            " (Latin-1 or Windows-1252? TI exports are UTF-8; re-download rather than re-save)"
        };
        let mut d = Diag::error(path, format!("file is not valid UTF-8 text{hint}")).at_line(line);
        d.column = Some(col);
        d
    })
}

/// ASCII text saved as UTF-16 without a BOM is valid UTF-8 with a NUL beside every
/// character, which the CSV reader would misread as a stray quote. TI text starts with a
/// quote or a letter, so a NUL in every other byte of the start gives it away.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(64) & !1];
    // With a byte-order mark the bytes are not UTF-8 at all, and decoding says so.
    if head.len() < 4 || head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return None;
    }
    let pairs = head.len() / 2;
    let zeros = |offset: usize| {
        head.iter()
            .skip(offset)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    // Most, not all: a name in another script has no zero byte.
    if zeros(1) * 4 >= pairs * 3 && zeros(0) == 0 {
        Some("little-endian")
    } else if zeros(0) * 4 >= pairs * 3 && zeros(1) == 0 {
        Some("big-endian")
    } else {
        None
    }
}

/// Control characters found in cells, which are stripped rather than refused: they carry
/// no meaning in a name or a code, TI never writes them, and the rest of the row is good
/// data, so dropping a whole district for an invisible byte would be worse than removing
/// it. Left in, a NUL or an escape would reach pages, JSON and spreadsheet downloads.
/// Tabs and line breaks become a space; bidirectional overrides (which can make a name
/// read backwards) are removed too. One warning per file names the first cell.
#[derive(Default)]
pub struct ControlChars {
    cells: usize,
    first: Option<(u64, usize, char)>,
}

/// What [`ControlChars`] removes.
pub fn is_stripped_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

impl ControlChars {
    /// The record without its control characters, and the (column, first character) of
    /// each cell that had some: a number cell that had one is refused by its parser
    /// (`"1\u{0}2"` must not read as 12), while text cells keep the stripped text.
    pub fn strip(
        &mut self,
        record: csv::StringRecord,
        line: u64,
    ) -> (csv::StringRecord, Vec<(usize, char)>) {
        if !record.iter().any(|c| c.chars().any(is_stripped_control)) {
            return (record, Vec::new());
        }
        let mut found = Vec::new();
        let record = record
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let Some(bad) = cell.chars().find(|c| is_stripped_control(*c)) else {
                    return cell.to_string();
                };
                found.push((i, bad));
                self.cells += 1;
                self.first.get_or_insert((line, i, bad));
                cell.chars()
                    .filter_map(|c| match c {
                        '\t' | '\n' | '\r' => Some(' '),
                        c if is_stripped_control(c) => None,
                        c => Some(c),
                    })
                    .collect::<String>()
            })
            .collect();
        (record, found)
    }

    pub fn warning(&self, path: &str, header: &[String]) -> Option<Diag> {
        let (line, col, c) = self.first?;
        let mut d = Diag::warning(
            path,
            format!(
                "control character U+{:04X} removed from {} cell(s), the first here (TI never writes one; re-download the file if names look wrong)",
                c as u32, self.cells
            ),
        )
        .at_line(line);
        d.column = Some(col + 1);
        d.column_name = header.get(col).map(|h| h.trim().to_string());
        Some(d)
    }
}
