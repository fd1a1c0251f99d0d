//! Tables as text: aligned for a terminal, GitHub-flavoured Markdown, or
//! RFC 4180 CSV. Reports build [`Table`]s; these functions only lay them out.
//!
//! Cells hold text from the ledger, so each layout escapes it for where it
//! lands (see [`crate::escape`]): control characters in the terminal and in
//! Markdown, formulas in CSV.

use std::borrow::Cow;

use unicode_width::UnicodeWidthStr;

use crate::escape;

/// How a column is aligned, which is also what it holds: text (left), or
/// numbers track2 computes (right), which CSV keeps as numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

#[derive(Clone, Debug)]
pub struct Column {
    pub header: String,
    pub align: Align,
}

impl Column {
    pub fn text(header: impl Into<String>) -> Column {
        Column {
            header: header.into(),
            align: Align::Left,
        }
    }

    pub fn number(header: impl Into<String>) -> Column {
        Column {
            header: header.into(),
            align: Align::Right,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Table {
    /// Printed above the table in the terminal and Markdown layouts.
    pub title: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    /// The same figures in a long, narrow layout (one row per value and
    /// direction, say), which a terminal too narrow for this one shows
    /// instead.
    pub long_form: Option<Box<Table>>,
}

impl Table {
    pub fn new(title: Option<&str>, columns: Vec<Column>) -> Table {
        Table {
            title: title.map(str::to_owned),
            columns,
            rows: Vec::new(),
            long_form: None,
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        debug_assert_eq!(row.len(), self.columns.len(), "a row has one cell per column");
        self.rows.push(row);
    }
}

/// Columns padded to the widest cell, as a terminal shows them: Armenian,
/// Azerbaijani and CJK text are measured in terminal cells, not bytes.
pub fn to_terminal(tables: &[Table]) -> String {
    to_terminal_within(tables, None)
}

/// [`to_terminal`] for a terminal `width` cells wide, when known. A table
/// that would wrap has its widest text columns shortened (`…`), down to
/// [`GENTLE_FLOOR`] cells; if it still does not fit, its long form is shown
/// instead, when it has one; failing that, text columns are cut down to
/// [`FLOOR`] cells. Numbers are never cut.
pub fn to_terminal_within(tables: &[Table], width: Option<usize>) -> String {
    let mut out = String::new();
    for (index, table) in tables.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let laid_out = match width {
            None => Laid::out(table),
            Some(width) => {
                let wide = Laid::out(table);
                if wide.width() <= width {
                    wide
                } else {
                    let gently = Laid::out(table).shortened(width, GENTLE_FLOOR);
                    match &table.long_form {
                        _ if gently.width() <= width => gently,
                        Some(long) => Laid::out(long).shortened(width, FLOOR),
                        None => wide.shortened(width, FLOOR),
                    }
                }
            }
        };
        laid_out.write(&mut out);
    }
    out
}

/// Text columns are shortened to no fewer cells than this while a table
/// might still fit by other means.
pub const GENTLE_FLOOR: usize = 20;
/// And to no fewer than this at all.
pub const FLOOR: usize = 10;

/// A table's cells escaped for the terminal, and its column widths.
struct Laid<'t> {
    table: &'t Table,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    widths: Vec<usize>,
}

impl<'t> Laid<'t> {
    fn out(table: &'t Table) -> Laid<'t> {
        let headers: Vec<String> = table
            .columns
            .iter()
            .map(|column| escape::text(&column.header).into_owned())
            .collect();
        let rows: Vec<Vec<String>> = table
            .rows
            .iter()
            .map(|row| row.iter().map(|cell| escape::text(cell).into_owned()).collect())
            .collect();
        let mut widths: Vec<usize> = headers.iter().map(|header| header.width()).collect();
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.width());
            }
        }
        Laid {
            table,
            headers,
            rows,
            widths,
        }
    }

    /// The width of the widest line: the columns and two spaces between each.
    fn width(&self) -> usize {
        self.widths.iter().sum::<usize>() + 2 * self.widths.len().saturating_sub(1)
    }

    /// Text columns cut to the widest width that makes the table fit in
    /// `width`, but no narrower than `floor` (nor than they are).
    fn shortened(mut self, width: usize, floor: usize) -> Laid<'t> {
        let text: Vec<usize> = (0..self.widths.len())
            .filter(|&column| self.table.columns[column].align == Align::Left)
            .collect();
        let fixed: usize = self.width() - text.iter().map(|&column| self.widths[column]).sum::<usize>();
        let fits = |cap: usize| {
            fixed
                + text
                    .iter()
                    .map(|&column| self.widths[column].min(cap.max(floor)))
                    .sum::<usize>()
                <= width
        };
        let widest = text.iter().map(|&column| self.widths[column]).max().unwrap_or(0);
        // The widest cap that fits, or the floor: fitting only grows with
        // the cap's fall, so a binary search finds it.
        let (mut low, mut high) = (floor, widest.max(floor));
        while low < high {
            let middle = (low + high).div_ceil(2);
            if fits(middle) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        let cap = low;
        for &column in &text {
            if self.widths[column] <= cap {
                continue;
            }
            self.widths[column] = cap;
            self.headers[column] = cut(&self.headers[column], cap);
            for row in &mut self.rows {
                row[column] = cut(&row[column], cap);
            }
        }
        self
    }

    fn write(&self, out: &mut String) {
        if let Some(title) = &self.table.title {
            out.push_str(&escape::text(title));
            out.push('\n');
        }
        let line = |cells: &mut dyn Iterator<Item = &str>, out: &mut String| {
            let mut text = String::new();
            for ((cell, column), width) in cells.zip(&self.table.columns).zip(&self.widths) {
                if !text.is_empty() {
                    text.push_str("  ");
                }
                let padding = " ".repeat(width.saturating_sub(cell.width()));
                match column.align {
                    Align::Left => {
                        text.push_str(cell);
                        text.push_str(&padding);
                    }
                    Align::Right => {
                        text.push_str(&padding);
                        text.push_str(cell);
                    }
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        };
        line(&mut self.headers.iter().map(String::as_str), out);
        let rule: Vec<String> = self.widths.iter().map(|&width| "─".repeat(width)).collect();
        line(&mut rule.iter().map(String::as_str), out);
        for row in &self.rows {
            line(&mut row.iter().map(String::as_str), out);
        }
    }
}

/// `text` in at most `cells` terminal cells: as it is, or cut with `…`.
fn cut(text: &str, cells: usize) -> String {
    if text.width() <= cells {
        return text.to_owned();
    }
    let mut kept = String::new();
    let mut used = 0;
    for character in text.chars() {
        let width = unicode_width::UnicodeWidthChar::width(character).unwrap_or(0);
        if used + width + 1 > cells {
            break;
        }
        kept.push(character);
        used += width;
    }
    kept.push('…');
    kept
}

/// A line of text for the terminal, such as a caption: escaped.
pub fn terminal_line(text: &str) -> String {
    format!("{}\n", escape::text(text))
}

/// A paragraph of text in Markdown, such as a caption: escaped.
pub fn markdown_line(text: &str) -> String {
    format!("{}\n", escape_markdown(text))
}

/// GitHub-flavoured Markdown, ready to paste into a report or an issue.
pub fn to_markdown(tables: &[Table]) -> String {
    let mut out = String::new();
    for (index, table) in tables.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        if let Some(title) = &table.title {
            out.push_str("### ");
            out.push_str(&escape_markdown(title));
            out.push_str("\n\n");
        }
        let row = |cells: &mut dyn Iterator<Item = String>| {
            let cells: Vec<String> = cells.collect();
            format!("| {} |\n", cells.join(" | "))
        };
        out.push_str(&row(&mut table
            .columns
            .iter()
            .map(|column| escape_markdown(&column.header))));
        out.push_str(&row(&mut table.columns.iter().map(|column| match column.align {
            Align::Left => "---".to_owned(),
            Align::Right => "---:".to_owned(),
        })));
        for cells in &table.rows {
            out.push_str(&row(&mut cells.iter().map(|cell| escape_markdown(cell))));
        }
    }
    out
}

/// A cell may hold any text: see [`escape::markdown`].
fn escape_markdown(cell: &str) -> String {
    escape::markdown(cell)
}

/// HTML tables, one per table, each titled by its `<caption>`: the data
/// beside every chart of an HTML page. The first cell of a row heads it;
/// numbers are right-aligned (`class="num"`). Every cell is escaped as
/// [`crate::html::Text`].
pub fn to_html(tables: &[Table]) -> String {
    let markup = maud::html! {
        @for table in tables {
            (html_table(table))
        }
    };
    markup.into_string()
}

/// One table. Columns of long free text (titles, names of orgs) wrap at
/// their spaces (`class="wrap"`); the others (ids, dates, numbers) keep
/// each cell on one line, so that `2025-10-21..2025-10-22` is never broken
/// at a hyphen.
fn html_table(table: &Table) -> maud::Markup {
    use crate::html::Text;
    let wraps: Vec<bool> = (0..table.columns.len())
        .map(|column| {
            table.rows.iter().any(|row| {
                row.get(column)
                    .is_some_and(|cell| cell.contains(' ') && cell.chars().count() > 24)
            })
        })
        .collect();
    let class = |index: usize| {
        let numeric = table.columns[index].align == Align::Right;
        match (numeric, wraps[index]) {
            (true, _) => Some("num"),
            (false, true) => Some("wrap"),
            (false, false) => None,
        }
    };
    maud::html! {
        table {
            @if let Some(title) = &table.title {
                caption { (Text(title)) }
            }
            thead {
                tr {
                    @for (index, column) in table.columns.iter().enumerate() {
                        th scope="col" class=[class(index)] { (Text(&column.header)) }
                    }
                }
            }
            tbody {
                @for row in &table.rows {
                    tr {
                        @for (index, cell) in row.iter().enumerate().take(table.columns.len()) {
                            @if index == 0 {
                                th scope="row" class=[class(index)] { (Text(cell)) }
                            } @else {
                                td class=[class(index)] { (Text(cell)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// RFC 4180 CSV with a header row. Only the first table: a CSV document
/// holds one table, so each report names the table that stands for it.
/// Text that a spreadsheet would run as a formula gets a `'` in front
/// ([`escape::spreadsheet_text`]); number columns are left as they are, so
/// that a balance of `-2` stays a number.
pub fn to_csv(table: &Table) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer
        .write_record(
            table
                .columns
                .iter()
                .map(|column| escape::spreadsheet_text(&column.header).into_owned()),
        )
        .expect("writing to memory cannot fail");
    for row in &table.rows {
        let cells = row.iter().zip(&table.columns).map(|(cell, column)| match column.align {
            Align::Left => escape::spreadsheet_text(cell),
            Align::Right => Cow::Borrowed(cell.as_str()),
        });
        let cells = cells.map(|cell| match cell {
            Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
            Cow::Owned(text) => Cow::Owned(text.into_bytes()),
        });
        writer.write_record(cells).expect("writing to memory cannot fail");
    }
    String::from_utf8(writer.into_inner().expect("writing to memory cannot fail")).expect("CSV of UTF-8 is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut table = Table::new(
            Some("Directions"),
            vec![Column::text("direction"), Column::number("count")],
        );
        table.push(vec!["AZ → AM".into(), "3".into()]);
        table.push(vec!["Հայաստան | x".into(), "12".into()]);
        table
    }

    #[test]
    fn terminal_columns_are_measured_in_cells() {
        let text = to_terminal(&[sample()]);
        assert_eq!(
            text,
            "Directions\ndirection     count\n────────────  ─────\nAZ → AM           3\nՀայաստան | x     12\n"
        );
    }

    fn wide() -> Table {
        let mut table = Table::new(
            Some("Engagements by format"),
            vec![
                Column::text("format"),
                Column::text("name"),
                Column::number("total"),
                Column::number("AM + AZ → NL"),
            ],
        );
        table.push(vec![
            "dialogue".into(),
            "Structured bilateral dialogue between experts".into(),
            "12".into(),
            "3".into(),
        ]);
        table
    }

    #[test]
    fn a_table_that_fits_is_left_alone() {
        assert_eq!(to_terminal_within(&[wide()], Some(200)), to_terminal(&[wide()]));
    }

    #[test]
    fn a_wide_table_has_its_widest_text_shortened() {
        let text = to_terminal_within(&[wide()], Some(60));
        assert!(text.lines().all(|line| line.width() <= 60), "{text}");
        assert!(text.contains("Structured bilateral dialogu…"), "{text}");
        // Numbers and their headers are never cut.
        assert!(text.contains("AM + AZ → NL") && text.contains("12"), "{text}");
    }

    #[test]
    fn a_table_too_wide_to_shorten_falls_back_to_its_long_form() {
        let mut table = wide();
        let mut long = Table::new(
            Some("Engagements by format"),
            vec![
                Column::text("format"),
                Column::text("direction"),
                Column::number("count"),
            ],
        );
        long.push(vec!["dialogue".into(), "AM + AZ → NL".into(), "3".into()]);
        table.long_form = Some(Box::new(long));
        let text = to_terminal_within(&[table], Some(40));
        assert!(text.lines().all(|line| line.width() <= 40), "{text}");
        assert!(text.contains("direction"), "{text}");
    }

    #[test]
    fn cutting_counts_terminal_cells() {
        assert_eq!(cut("Հայաստան", 5), "Հայա…");
        assert_eq!(cut("短い文字列", 5), "短い…");
        assert_eq!(cut("short", 5), "short");
    }

    #[test]
    fn markdown_escapes_pipes() {
        let text = to_markdown(&[sample()]);
        assert!(text.starts_with("### Directions\n\n| direction | count |\n| --- | ---: |\n"));
        assert!(text.contains("| Հայաստան \\| x | 12 |"));
    }

    #[test]
    fn html_escapes_cells_and_marks_numbers() {
        let mut table = sample();
        table.push(vec!["<script>&".into(), "1".into()]);
        let html = to_html(&[table]);
        assert!(html.starts_with("<table><caption>Directions</caption><thead><tr><th scope=\"col\">direction</th><th scope=\"col\" class=\"num\">count</th>"));
        assert!(html.contains("<th scope=\"row\">&lt;script&gt;&amp;</th><td class=\"num\">1</td>"));
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn control_characters_never_reach_the_terminal_or_markdown() {
        let mut table = Table::new(Some("T\u{1b}]0;x\u{7}"), vec![Column::text("title")]);
        table.push(vec!["Forum\u{1b}[2J\u{9b}31m".into()]);
        for text in [to_terminal(&[table.clone()]), to_markdown(&[table])] {
            assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
            // Markdown also escapes the `[`, which renders as itself.
            assert!(text.contains("Forum\\x1b") && text.contains("2J\\u{9b}31m"), "{text}");
        }
    }

    #[test]
    fn csv_defuses_formulas_in_text_but_keeps_numbers() {
        let mut table = Table::new(None, vec![Column::text("title"), Column::number("balance")]);
        table.push(vec!["=HYPERLINK(\"http://x\")".into(), "-2".into()]);
        table.push(vec!["@SUM(A1)".into(), "3".into()]);
        assert_eq!(
            to_csv(&table),
            "title,balance\r\n\"'=HYPERLINK(\"\"http://x\"\")\",-2\r\n'@SUM(A1),3\r\n"
        );
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let mut table = Table::new(None, vec![Column::text("note")]);
        table.push(vec!["a, \"b\"\nc".into()]);
        assert_eq!(to_csv(&table), "note\r\n\"a, \"\"b\"\"\nc\"\r\n");
    }
}
