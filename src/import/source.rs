//! A spreadsheet as a grid of text cells, each at the row and column a
//! spreadsheet program shows it at: CSV (any delimiter; UTF-8 with or
//! without a byte-order mark, or UTF-16 as Excel writes it) and, through
//! calamine, XLSX, XLS and ODS workbooks.
//!
//! The bytes come from the caller: this module reads no file.

use std::io::Cursor;

use calamine::{Data, Reader};

use super::problem::{ImportCode, Problem, ProblemPlace, quote};

/// One sheet's cells. Rows are kept in order with their numbers; a row may
/// have fewer cells than another.
#[derive(Clone, Debug, Default)]
pub struct Sheet {
    pub rows: Vec<SheetRow>,
    /// Cells that hold a spreadsheet error (`#N/A`, `#REF!`): they are not
    /// text, and are reported if a rule reads them.
    pub errors: Vec<(usize, usize)>,
    /// The delimiter a CSV file was read with.
    pub delimiter: Option<u8>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SheetRow {
    /// 1-based, as the spreadsheet numbers it.
    pub number: usize,
    pub cells: Vec<String>,
}

impl SheetRow {
    /// The cell in the 1-based `column`, empty if the row is shorter.
    pub fn cell(&self, column: usize) -> &str {
        column
            .checked_sub(1)
            .and_then(|index| self.cells.get(index))
            .map_or("", String::as_str)
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|cell| cell.trim().is_empty())
    }
}

/// How to read the bytes.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// CSV: the delimiter; `None` to sniff it from the header line.
    pub delimiter: Option<u8>,
    /// A workbook's sheet by name; `None` for the first.
    pub sheet: Option<String>,
}

/// Reads a sheet from `bytes`: a workbook if the bytes are one (a ZIP or an
/// OLE file), CSV otherwise.
pub fn read(bytes: &[u8], options: &ReadOptions) -> Result<Sheet, Problem> {
    if is_workbook(bytes) {
        read_workbook(bytes, options)
    } else {
        read_csv(bytes, options)
    }
}

/// XLSX and ODS are ZIP archives; XLS is an OLE compound file.
fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])
}

fn sheet_problem(code: ImportCode, message: String) -> Problem {
    Problem::new(code, ProblemPlace::Sheet, message)
}

fn read_workbook(bytes: &[u8], options: &ReadOptions) -> Result<Sheet, Problem> {
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|error| {
        sheet_problem(
            ImportCode::UnreadableSheet,
            format!("cannot read the workbook: {error}"),
        )
        .with_help("save it again as XLSX, ODS or CSV")
    })?;
    let names = workbook.sheet_names();
    let name = match &options.sheet {
        Some(name) if names.contains(name) => name.clone(),
        Some(name) => {
            let listed: Vec<String> = names.iter().map(|name| quote(name)).collect();
            return Err(sheet_problem(
                ImportCode::NoSuchSheet,
                format!("the workbook has no sheet {}", quote(name)),
            )
            .with_help(format!("its sheets are {}", listed.join(", "))));
        }
        None => names
            .first()
            .cloned()
            .ok_or_else(|| sheet_problem(ImportCode::NoHeader, "the workbook has no sheet".into()))?,
    };
    let range = workbook.worksheet_range(&name).map_err(|error| {
        sheet_problem(
            ImportCode::UnreadableSheet,
            format!("cannot read the sheet {}: {error}", quote(&name)),
        )
    })?;
    let mut sheet = Sheet::default();
    // calamine's range starts at the first cell used; the sheet's numbering
    // starts at A1.
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let (first_row, first_column) = (first_row as usize, first_column as usize);
    for (index, cells) in range.rows().enumerate() {
        let number = first_row + index + 1;
        let mut row = SheetRow {
            number,
            cells: vec![String::new(); first_column],
        };
        for (offset, cell) in cells.iter().enumerate() {
            if matches!(cell, Data::Error(_)) {
                sheet.errors.push((number, first_column + offset + 1));
            }
            row.cells.push(cell_text(cell));
        }
        sheet.rows.push(row);
    }
    Ok(sheet)
}

/// A workbook cell as the text a CSV export of it would hold. A date is its
/// day (`2025-10-21`): a spreadsheet stores "October 2025" typed into a
/// date cell as its first day, and nothing tells the two apart.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Int(number) => number.to_string(),
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => format!("{}", *number as i64),
        Data::Float(number) => number.to_string(),
        Data::Bool(true) => "TRUE".into(),
        Data::Bool(false) => "FALSE".into(),
        Data::DateTime(datetime) if datetime.is_datetime() => {
            let (year, month, day, ..) = datetime.to_ymd_hms_milli();
            format!("{year:04}-{month:02}-{day:02}")
        }
        Data::DateTime(duration) => duration.as_f64().to_string(),
        // ODS writes dates as ISO 8601, perhaps with a time.
        Data::DateTimeIso(text) => text.get(..10).filter(|day| is_iso_day(day)).unwrap_or(text).to_owned(),
        Data::DurationIso(text) => text.clone(),
        Data::Error(error) => format!("#{error:?}"),
    }
}

fn is_iso_day(text: &str) -> bool {
    crate::date::DateSpec::parse(text).is_ok_and(|date| date.precision() == crate::date::Precision::Day)
}

/// Reads CSV: decodes it, sniffs the delimiter, and numbers each record as a
/// spreadsheet would (a record with line breaks in a quoted cell is one row).
fn read_csv(bytes: &[u8], options: &ReadOptions) -> Result<Sheet, Problem> {
    let text = decode(bytes)?;
    let delimiter = options.delimiter.unwrap_or_else(|| sniff_delimiter(&text));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut sheet = Sheet {
        delimiter: Some(delimiter),
        ..Sheet::default()
    };
    let mut record = csv::StringRecord::new();
    let mut number = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                // csv skips empty lines, which a spreadsheet shows as empty
                // rows; a record's position is where its skipping began.
                let mut start = record.position().map_or(0, |position| position.byte() as usize);
                // After a record ended by CRLF, the position may point at
                // its `\n`, which ends that record, not an empty line.
                if start > 0
                    && text.as_bytes().get(start - 1) == Some(&b'\r')
                    && text.as_bytes().get(start) == Some(&b'\n')
                {
                    start += 1;
                }
                let skipped = text
                    .get(start..)
                    .unwrap_or("")
                    .split_inclusive('\n')
                    .take_while(|line| line.trim_end_matches(['\r', '\n']).is_empty())
                    .count();
                number += 1 + skipped;
                let cells = record.iter().map(str::to_owned).collect();
                sheet.rows.push(SheetRow { number, cells });
            }
            // The text is UTF-8 and read from memory, so csv has nothing
            // else to fail on; a failure is still reported, never a panic.
            Err(error) => {
                return Err(sheet_problem(
                    ImportCode::UnreadableSheet,
                    format!("cannot read row {}: {error}", number + 1),
                ));
            }
        }
    }
    Ok(sheet)
}

/// The text of a CSV file: UTF-8, with or without a byte-order mark, or
/// UTF-16 with one (Excel's "Unicode text").
fn decode(bytes: &[u8]) -> Result<String, Problem> {
    let utf16 = |bytes: &[u8], from_pair: fn([u8; 2]) -> u16| {
        let units = bytes
            .chunks(2)
            .map(|pair| from_pair([pair[0], *pair.get(1).unwrap_or(&0)]));
        char::decode_utf16(units).collect::<Result<String, _>>().map_err(|_| {
            sheet_problem(ImportCode::NotUtf8, "the file is not valid UTF-16".into())
                .with_help("save it again as \"CSV UTF-8\"")
        })
    };
    if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xff, 0xfe]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        return utf16(rest, u16::from_be_bytes);
    }
    utf8(bytes)
}

fn utf8(bytes: &[u8]) -> Result<String, Problem> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            let line = valid.iter().filter(|&&byte| byte == b'\n').count() + 1;
            Err(sheet_problem(
                ImportCode::NotUtf8,
                format!(
                    "the file is not UTF-8: line {line} has a byte that is not (at byte offset {})",
                    error.valid_up_to()
                ),
            )
            .with_help("save it again as \"CSV UTF-8\" (Excel) or with the UTF-8 character set (LibreOffice)"))
        }
    }
}

/// The delimiter of the first line that is not a `#` comment: whichever of
/// `,` `;` TAB `|` it holds most of outside quotes; `,` if none.
fn sniff_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let header = text
        .split('\n')
        .find(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .unwrap_or("");
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for byte in header.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(slot) = CANDIDATES.iter().position(|&candidate| candidate == byte) {
                counts[slot] += 1;
            }
        }
    }
    let best = (0..CANDIDATES.len()).max_by_key(|&slot| (counts[slot], std::cmp::Reverse(slot)));
    match best {
        Some(slot) if counts[slot] > 0 => CANDIDATES[slot],
        _ => b',',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(sheet: &Sheet) -> Vec<(usize, Vec<&str>)> {
        sheet
            .rows
            .iter()
            .map(|row| (row.number, row.cells.iter().map(String::as_str).collect()))
            .collect()
    }

    #[test]
    fn sniffs_the_delimiter_from_the_header() {
        assert_eq!(sniff_delimiter("a;b;c\n1,2;3;4\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b\n"), b'|');
        assert_eq!(sniff_delimiter("\"a;b\",c\n"), b',');
        assert_eq!(sniff_delimiter("# comment; with; semicolons\na,b\n"), b',');
        assert_eq!(sniff_delimiter("one column\n"), b',');
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_does() {
        let sheet = read(
            b"Date;Title\r\n21.10.2025;\"Two\r\nlines\"\r\n\r\n2025;Last\n\"a\nb\nc\";x\nend\n",
            &ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(
            cells(&sheet),
            [
                (1, vec!["Date", "Title"]),
                (2, vec!["21.10.2025", "Two\r\nlines"]),
                (4, vec!["2025", "Last"]),
                (5, vec!["a\nb\nc", "x"]),
                (6, vec!["end"]),
            ]
        );
    }

    #[test]
    fn decodes_utf8_with_a_bom_and_utf16() {
        let expected = vec![(1, vec!["Name", "Հայաստան"])];
        let utf8 = "\u{feff}Name,Հայաստան\n".as_bytes().to_vec();
        assert_eq!(cells(&read(&utf8, &ReadOptions::default()).unwrap()), expected);
        for little_endian in [true, false] {
            let mut bytes = if little_endian {
                vec![0xff, 0xfe]
            } else {
                vec![0xfe, 0xff]
            };
            for unit in "Name\tՀայաստան\r\n".encode_utf16() {
                let pair = if little_endian {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                };
                bytes.extend(pair);
            }
            let sheet = read(&bytes, &ReadOptions::default()).unwrap();
            assert_eq!(sheet.delimiter, Some(b'\t'));
            assert_eq!(cells(&sheet), expected);
        }
    }

    #[test]
    fn other_encodings_are_refused_with_the_line() {
        let problem = read(b"Name\nAz\xe9rbaycan\n", &ReadOptions::default()).unwrap_err();
        assert_eq!(problem.code.as_str(), "not-utf8");
        assert!(problem.message.contains("line 2"), "{}", problem.message);
        let problem = read(&[0xff, 0xfe, 0x00, 0xd8], &ReadOptions::default()).unwrap_err();
        assert_eq!(problem.code.as_str(), "not-utf8");
    }

    #[test]
    fn a_broken_workbook_is_a_problem_not_a_panic() {
        let problem = read(b"PK\x03\x04 not really a zip", &ReadOptions::default()).unwrap_err();
        assert_eq!(problem.code.as_str(), "unreadable-sheet");
    }

    #[test]
    fn workbook_cells_read_as_their_text() {
        assert_eq!(cell_text(&Data::Float(1.5)), "1.5");
        assert_eq!(cell_text(&Data::Float(2.0)), "2");
        assert_eq!(cell_text(&Data::Int(7)), "7");
        assert_eq!(
            cell_text(&Data::DateTimeIso("2025-10-21T00:00:00".into())),
            "2025-10-21"
        );
        let date = calamine::ExcelDateTime::new(45951.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&Data::DateTime(date)), "2025-10-21");
    }
}
