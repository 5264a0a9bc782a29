//! Spreadsheet files the server writes (the factsheet export, a session's briefing): CSV
//! with one rule for what a cell may start with, so that text someone typed is never run
//! as a formula when an organiser opens the file.
//!
//! Spreadsheet programs read a cell that starts with `=`, `+`, `-` or `@` (and, in some,
//! a tab or carriage return before one) as a formula, which can fetch web addresses or run
//! commands ("CSV injection", OWASP). Every cell written through [`csv_file`] passes
//! [`text_cell`], which puts an apostrophe in front of such a value: spreadsheets show it as
//! text and hide the apostrophe.

use std::borrow::Cow;

/// What a cell may not start with unguarded.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as written: `value`, with a leading apostrophe when it would start a formula.
pub fn text_cell(value: &str) -> Cow<'_, str> {
    if value.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// A CSV file (UTF-8, comma-separated, quoted where needed): the header line, then one
/// line per row; every cell goes through [`text_cell`].
pub fn csv_file<R, C>(header: &[&str], rows: R) -> anyhow::Result<Vec<u8>>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header.iter().map(|cell| text_cell(cell).into_owned()))?;
    for row in rows {
        out.write_record(
            row.into_iter()
                .map(|cell| text_cell(cell.as_ref()).into_owned()),
        )?;
    }
    out.into_inner()
        .map_err(|e| anyhow::anyhow!("writing a CSV file: {}", e.error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_that_would_start_a_formula_gets_an_apostrophe() {
        for value in [
            "=HYPERLINK(\"https://evil.example\")",
            "+31 6 1234",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(text_cell(value), format!("'{value}"), "{value:?}");
        }
        for value in ["", "Stad Gent", "2027-03-11", "1", "a=b", "'quoted", " =1"] {
            assert_eq!(text_cell(value), value, "{value:?}");
        }
    }

    #[test]
    fn every_cell_of_a_file_is_guarded_and_quoted_where_needed() {
        let file = csv_file(
            &["name", "question"],
            [["=cmd|' /C calc'!A0", "Two lines,\nand \"quotes\""]],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(file).unwrap(),
            "name,question\n'=cmd|' /C calc'!A0,\"Two lines,\nand \"\"quotes\"\"\"\n"
        );
    }
}
