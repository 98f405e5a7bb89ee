//! Strict check of one raw CSV record's quoting. TI quotes every cell and no cell holds a
//! quote or a line break (DOMAIN.md §2.1), while the csv crate silently repairs broken
//! quoting and shifts cells. This finds the first malformed cell so the error can point
//! at it instead of at a cell count further along.

/// Checks the raw bytes of one record (from its first byte up to the next record).
/// On failure returns the 0-based index of the offending cell and what is wrong.
pub fn check_record(raw: &[u8]) -> Result<(), (usize, &'static str)> {
    let n = raw.len();
    let at_end = |i: usize| i >= n || raw[i] == b'\r' || raw[i] == b'\n';
    let mut i = 0;
    let mut cell = 0;
    loop {
        if i < n && raw[i] == b'"' {
            i += 1;
            loop {
                if i >= n {
                    return Err((cell, "a quote is not closed before the end of the file"));
                }
                match raw[i] {
                    b'"' if raw.get(i + 1) == Some(&b'"') => i += 2,
                    b'"' => {
                        i += 1;
                        break;
                    }
                    b'\r' | b'\n' => {
                        return Err((
                            cell,
                            "a quote is not closed on its line (the cell runs into the next line)",
                        ));
                    }
                    _ => i += 1,
                }
            }
            if at_end(i) {
                return Ok(());
            }
            if raw[i] != b',' {
                return Err((
                    cell,
                    "stray quote: text follows a closing quote (a quote inside a cell must be written twice)",
                ));
            }
        } else {
            while !at_end(i) && raw[i] != b',' {
                if raw[i] == b'"' {
                    return Err((cell, "stray quote inside an unquoted cell"));
                }
                i += 1;
            }
            if at_end(i) {
                return Ok(());
            }
        }
        i += 1; // the comma
        cell += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_records_pass() {
        assert_eq!(check_record(b"\"61\",\"A\",\"\"\r\n"), Ok(()));
        assert_eq!(check_record(b"\"The \"\"Best\"\" Club\",\"1\""), Ok(()));
        assert_eq!(check_record(b"Month of Jun, As of 06/09/2026\r\n"), Ok(()));
        assert_eq!(check_record(b"\"a\",,\"b\"\n"), Ok(()));
    }

    #[test]
    fn malformed_cells_are_located() {
        assert_eq!(
            check_record(b"\"61\",\"Club 1,\"Active\",\"x\"\r\n")
                .unwrap_err()
                .0,
            1
        );
        assert_eq!(
            check_record(b"\"61\",\"Club \"Best\" 1\"\r\n")
                .unwrap_err()
                .0,
            1
        );
        assert_eq!(check_record(b"\"61\",\"open\r\n\"62\"").unwrap_err().0, 1);
        assert_eq!(check_record(b"\"61\",ab\"c\r\n").unwrap_err().0, 1);
        assert_eq!(check_record(b"\"61\",\"never closed").unwrap_err().0, 1);
    }
}
