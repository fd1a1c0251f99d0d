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
}

impl Table {
    pub fn new(title: Option<&str>, columns: Vec<Column>) -> Table {
        Table {
            title: title.map(str::to_owned),
            columns,
            rows: Vec::new(),
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
    let mut out = String::new();
    for (index, table) in tables.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        if let Some(title) = &table.title {
            out.push_str(&escape::text(title));
            out.push('\n');
        }
        let headers: Vec<Cow<'_, str>> = table
            .columns
            .iter()
            .map(|column| escape::text(&column.header))
            .collect();
        let rows: Vec<Vec<Cow<'_, str>>> = table
            .rows
            .iter()
            .map(|row| row.iter().map(|cell| escape::text(cell)).collect())
            .collect();
        let mut widths: Vec<usize> = headers.iter().map(|header| header.width()).collect();
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.width());
            }
        }
        let line = |cells: &mut dyn Iterator<Item = &str>, out: &mut String| {
            let mut text = String::new();
            for ((cell, column), width) in cells.zip(&table.columns).zip(&widths) {
                if !text.is_empty() {
                    text.push_str("  ");
                }
                let padding = " ".repeat(width - cell.width());
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
        line(&mut headers.iter().map(|header| header.as_ref()), &mut out);
        let rule: Vec<String> = widths.iter().map(|&width| "─".repeat(width)).collect();
        line(&mut rule.iter().map(String::as_str), &mut out);
        for row in &rows {
            line(&mut row.iter().map(|cell| cell.as_ref()), &mut out);
        }
    }
    out
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
