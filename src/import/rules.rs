//! The rules file: which column gives each field of an engagement, how the
//! sheet writes lists and dates, value maps, constants, private rows and
//! rows to skip. TOML, read with serde; `grammar/IMPORT.md` documents it.
//!
//! Every key is checked against the ones this module knows before the file
//! is read, so that a misspelt key is reported, with the nearest known one,
//! instead of being ignored.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::dates::DateForms;
use super::names::match_key;
use super::problem::{ImportCode, Problem, ProblemPlace};
use crate::schema;
use crate::suggest;

/// A field of an engagement that a column or a constant can give: the
/// ledger's keys (GRAMMAR.md §4.2), and `date`, `from`, `to` and `title`
/// for the header.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ImportField {
    Date,
    From,
    To,
    Title,
    Id,
    Format,
    Track,
    Series,
    Reciprocates,
    Status,
    Confidential,
    Embargo,
    Venue,
    Sponsors,
    Participants,
    Met,
    Source,
    Note,
    Tags,
    /// An `x-…` key.
    Custom(String),
}

impl ImportField {
    /// Every field but the custom ones, in the order records are written.
    pub const ALL: &'static [ImportField] = &[
        ImportField::Date,
        ImportField::From,
        ImportField::To,
        ImportField::Title,
        ImportField::Id,
        ImportField::Format,
        ImportField::Track,
        ImportField::Series,
        ImportField::Reciprocates,
        ImportField::Status,
        ImportField::Confidential,
        ImportField::Embargo,
        ImportField::Venue,
        ImportField::Sponsors,
        ImportField::Participants,
        ImportField::Met,
        ImportField::Source,
        ImportField::Note,
        ImportField::Tags,
    ];

    /// The fields every engagement needs.
    pub const REQUIRED: &'static [ImportField] = &[
        ImportField::Date,
        ImportField::From,
        ImportField::To,
        ImportField::Title,
        ImportField::Format,
    ];

    pub fn key(&self) -> &str {
        match self {
            ImportField::Date => "date",
            ImportField::From => "from",
            ImportField::To => "to",
            ImportField::Title => "title",
            ImportField::Id => "id",
            ImportField::Format => "format",
            ImportField::Track => "track",
            ImportField::Series => "series",
            ImportField::Reciprocates => "reciprocates",
            ImportField::Status => "status",
            ImportField::Confidential => "confidential",
            ImportField::Embargo => "embargo",
            ImportField::Venue => "venue",
            ImportField::Sponsors => "sponsors",
            ImportField::Participants => "participants",
            ImportField::Met => "met",
            ImportField::Source => "source",
            ImportField::Note => "note",
            ImportField::Tags => "tags",
            ImportField::Custom(key) => key,
        }
    }

    pub fn from_key(key: &str) -> Option<ImportField> {
        if let Some(field) = ImportField::ALL.iter().find(|field| field.key() == key) {
            return Some(field.clone());
        }
        (schema::is_custom_key(key) && crate::parser::is_id(key)).then(|| ImportField::Custom(key.to_owned()))
    }

    /// Whether a cell of this field holds a list (split at the separator).
    pub fn is_list(&self) -> bool {
        matches!(
            self,
            ImportField::From
                | ImportField::Sponsors
                | ImportField::Participants
                | ImportField::Met
                | ImportField::Tags
        )
    }

    /// Whether a cell of this field holds several texts, one per line.
    pub fn is_lines(&self) -> bool {
        matches!(self, ImportField::Source | ImportField::Note | ImportField::Custom(_))
    }
}

/// A setting with the place in the rules file it was read from, if it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    /// Line and column (1-based, in characters) in the rules file; `None` for
    /// a guessed rule.
    pub at: Option<(usize, usize)>,
}

impl<T> Setting<T> {
    pub fn guessed(value: T) -> Setting<T> {
        Setting { value, at: None }
    }

    /// Where a problem with this setting is reported.
    pub fn place(&self) -> ProblemPlace {
        match self.at {
            Some((line, column)) => ProblemPlace::Rules { line, column },
            None => ProblemPlace::Sheet,
        }
    }
}

/// How list cells name people, orgs, parties, formats and series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum References {
    /// As people write them: display names, aliases or ids, matched by key;
    /// unknown people and orgs become new declarations.
    Names,
    /// Ids only, each of which must be declared: what `export` writes.
    Ids,
}

/// What a private row hides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hide {
    /// The whole engagement: `confidential: private`.
    Engagement,
    /// The people it names: `private: yes` on those it declares.
    People,
}

#[derive(Clone, Debug)]
pub struct PrivateRule {
    pub column: Setting<String>,
    /// The cell's value that marks a row private, compared by key.
    pub value: String,
    pub hide: Hide,
}

/// Rows skipped when a column holds one of some values.
#[derive(Clone, Debug)]
pub struct SkipWhen {
    pub column: Setting<String>,
    pub values: Vec<String>,
}

/// The rules an import follows, read from a file or guessed from a header.
#[derive(Clone, Debug)]
pub struct Rules {
    /// CSV only: the delimiter; `None` to sniff it from the header line.
    pub delimiter: Option<u8>,
    /// A workbook's sheet; `None` for the first.
    pub sheet: Option<String>,
    /// The 1-based row of column names; `None` for the first row that is
    /// neither blank nor a `#` comment.
    pub header_row: Option<usize>,
    pub list_separator: String,
    /// The sheet's day forms, tried before the built-in ones.
    pub date_formats: Vec<String>,
    pub references: References,
    /// Which column gives each field, by its header.
    pub columns: BTreeMap<ImportField, Setting<String>>,
    /// Fields with one value for every row.
    pub constants: BTreeMap<ImportField, Setting<String>>,
    /// Per field: a cell's value (by key) to what the ledger writes.
    pub values: BTreeMap<ImportField, BTreeMap<String, String>>,
    pub private: Option<PrivateRule>,
    pub skip_rows: Vec<usize>,
    pub skip_when: Vec<SkipWhen>,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            delimiter: None,
            sheet: None,
            header_row: None,
            list_separator: ";".to_owned(),
            date_formats: Vec::new(),
            references: References::Names,
            columns: BTreeMap::new(),
            constants: BTreeMap::new(),
            values: BTreeMap::new(),
            private: None,
            skip_rows: Vec::new(),
            skip_when: Vec::new(),
        }
    }
}

impl Rules {
    /// What `cell` is mapped to for `field`, if the rules map it.
    pub fn mapped<'r>(&'r self, field: &ImportField, cell: &str) -> Option<&'r str> {
        let map = self.values.get(field)?;
        map.get(&match_key(cell)).map(String::as_str)
    }
}

/// The keys each table of the file takes; `None` where any key goes.
const TOP_KEYS: &[&str] = &["sheet", "columns", "constants", "values", "private", "skip"];
const SHEET_KEYS: &[&str] = &[
    "delimiter",
    "name",
    "header_row",
    "list_separator",
    "date_format",
    "references",
];
const PRIVATE_KEYS: &[&str] = &["column", "value", "hide"];
const SKIP_KEYS: &[&str] = &["rows", "when"];

#[derive(Deserialize, Default)]
struct RulesFile {
    #[serde(default)]
    sheet: SheetSection,
    #[serde(default)]
    columns: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    constants: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    values: BTreeMap<Spanned<String>, BTreeMap<String, String>>,
    private: Option<PrivateSection>,
    #[serde(default)]
    skip: SkipSection,
}

#[derive(Deserialize, Default)]
struct SheetSection {
    delimiter: Option<Spanned<String>>,
    name: Option<String>,
    header_row: Option<Spanned<i64>>,
    list_separator: Option<Spanned<String>>,
    date_format: Option<Spanned<OneOrMany>>,
    references: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct PrivateSection {
    column: Spanned<String>,
    value: String,
    hide: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
struct SkipSection {
    #[serde(default)]
    rows: Vec<Spanned<i64>>,
    #[serde(default)]
    when: BTreeMap<Spanned<String>, OneOrMany>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

/// Reads a rules file, or says everything wrong with it.
pub fn parse(text: &str) -> Result<Rules, Vec<Problem>> {
    let lines = LineIndex::new(text);
    let table = match DeTable::parse(text) {
        Ok(table) => table,
        Err(error) => return Err(vec![toml_problem(&lines, &error)]),
    };
    let mut problems = Vec::new();
    check_keys(table.get_ref(), &lines, &mut problems);
    if !problems.is_empty() {
        super::problem::sort(&mut problems);
        return Err(problems);
    }
    let file: RulesFile = match toml::from_str(text) {
        Ok(file) => file,
        Err(error) => return Err(vec![toml_problem(&lines, &error)]),
    };
    let rules = interpret(file, &lines, &mut problems);
    super::problem::sort(&mut problems);
    if problems.is_empty() { Ok(rules) } else { Err(problems) }
}

fn toml_problem(lines: &LineIndex, error: &toml::de::Error) -> Problem {
    let (line, column) = error.span().map_or((1, 1), |span| lines.position(span.start));
    Problem::new(
        ImportCode::InvalidRules,
        ProblemPlace::Rules { line, column },
        error.message().trim().to_owned(),
    )
}

/// Reports every key the file should not have, with the nearest one it may.
fn check_keys(table: &DeTable<'_>, lines: &LineIndex, problems: &mut Vec<Problem>) {
    let field_keys: Vec<&str> = ImportField::ALL.iter().map(ImportField::key).collect();
    let mut unknown = |key: &Spanned<toml::de::DeString<'_>>, known: &[&str], what: &str| {
        let (line, column) = lines.position(key.span().start);
        let name = key.get_ref().as_ref();
        let help = suggest::did_you_mean(name, known.iter().copied())
            .unwrap_or_else(|| format!("{what} takes: {}", known.join(", ")));
        problems.push(
            Problem::new(
                ImportCode::UnknownRulesKey,
                ProblemPlace::Rules { line, column },
                format!("unknown key `{}`", name.escape_debug()),
            )
            .with_help(help),
        );
    };
    for (key, value) in table.iter() {
        let name: &str = key.get_ref().as_ref();
        if !TOP_KEYS.contains(&name) {
            unknown(key, TOP_KEYS, "a rules file");
            continue;
        }
        let DeValue::Table(inner) = value.get_ref() else {
            // serde reports the wrong type, with its place.
            continue;
        };
        match name {
            "sheet" => check_table(inner, SHEET_KEYS, "[sheet]", &mut unknown),
            "private" => check_table(inner, PRIVATE_KEYS, "[private]", &mut unknown),
            "skip" => check_table(inner, SKIP_KEYS, "[skip]", &mut unknown),
            "columns" | "constants" | "values" => {
                for (field, _) in inner.iter() {
                    if ImportField::from_key(field.get_ref().as_ref()).is_none() {
                        unknown(
                            field,
                            &field_keys,
                            "a field is one of the engagement's keys, or `x-…`; it",
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

fn check_table(
    table: &DeTable<'_>,
    known: &[&str],
    what: &str,
    unknown: &mut impl FnMut(&Spanned<toml::de::DeString<'_>>, &[&str], &str),
) {
    for (key, _) in table.iter() {
        if !known.contains(&key.get_ref().as_ref()) {
            unknown(key, known, what);
        }
    }
}

/// Checks the values serde read, and builds the rules from them.
fn interpret(file: RulesFile, lines: &LineIndex, problems: &mut Vec<Problem>) -> Rules {
    let setting = |spanned: &Spanned<String>| Setting {
        value: spanned.get_ref().clone(),
        at: Some(lines.position(spanned.span().start)),
    };
    let mut report = |code: ImportCode, at: usize, message: String, help: Option<&str>| {
        let (line, column) = lines.position(at);
        let problem = Problem::new(code, ProblemPlace::Rules { line, column }, message)
            .with_optional_help(help.map(str::to_owned));
        problems.push(problem);
    };
    let mut rules = Rules::default();
    let sheet = file.sheet;
    if let Some(delimiter) = &sheet.delimiter {
        match delimiter.get_ref().as_bytes() {
            [byte] if byte.is_ascii() && *byte != b'"' && *byte != b'\n' && *byte != b'\r' => {
                rules.delimiter = Some(*byte);
            }
            _ => report(
                ImportCode::InvalidRules,
                delimiter.span().start,
                "the delimiter is one ASCII character other than a quote or a line break".into(),
                Some("for a tab, write \"\\t\""),
            ),
        }
    }
    rules.sheet = sheet.name;
    if let Some(row) = &sheet.header_row {
        match usize::try_from(*row.get_ref()) {
            Ok(row) if row >= 1 => rules.header_row = Some(row),
            _ => report(
                ImportCode::InvalidRules,
                row.span().start,
                "the header row is a row number, from 1".into(),
                None,
            ),
        }
    }
    if let Some(separator) = &sheet.list_separator {
        if separator.get_ref().is_empty() {
            report(
                ImportCode::InvalidRules,
                separator.span().start,
                "the list separator is empty".into(),
                Some("use \";\", \",\" or \"\\n\""),
            );
        } else {
            rules.list_separator = separator.get_ref().clone();
        }
    }
    if let Some(formats) = sheet.date_format {
        let span = formats.span();
        let formats = formats.into_inner().into_vec();
        match DateForms::new(&formats) {
            Ok(_) => rules.date_formats = formats,
            Err(message) => report(
                ImportCode::InvalidRules,
                span.start,
                message,
                Some("a day format such as \"%d.%m.%Y\" or \"%m/%d/%Y\""),
            ),
        }
    }
    if let Some(references) = &sheet.references {
        match references.get_ref().as_str() {
            "names" => rules.references = References::Names,
            "ids" => rules.references = References::Ids,
            other => report(
                ImportCode::InvalidRules,
                references.span().start,
                format!("`references` is \"names\" or \"ids\", not {:?}", other),
                None,
            ),
        }
    }
    for (key, column) in &file.columns {
        if let Some(field) = ImportField::from_key(key.get_ref()) {
            rules.columns.insert(field, setting(column));
        }
    }
    for (key, constant) in &file.constants {
        let Some(field) = ImportField::from_key(key.get_ref()) else {
            continue;
        };
        if rules.columns.contains_key(&field) {
            report(
                ImportCode::ColumnAndConstant,
                key.span().start,
                format!("`{}` is given both a column and a constant", field.key()),
                Some("keep one of the two"),
            );
        }
        rules.constants.insert(field, setting(constant));
    }
    for (key, map) in file.values {
        if let Some(field) = ImportField::from_key(key.get_ref()) {
            let map = map.into_iter().map(|(from, to)| (match_key(&from), to)).collect();
            rules.values.insert(field, map);
        }
    }
    if let Some(private) = file.private {
        let hide = match private.hide.as_ref().map(|hide| hide.get_ref().as_str()) {
            None | Some("engagement") => Hide::Engagement,
            Some("people") => Hide::People,
            Some(other) => {
                let at = private.hide.as_ref().map_or(0, |hide| hide.span().start);
                report(
                    ImportCode::InvalidRules,
                    at,
                    format!("`hide` is \"engagement\" or \"people\", not {:?}", other),
                    None,
                );
                Hide::Engagement
            }
        };
        rules.private = Some(PrivateRule {
            column: setting(&private.column),
            value: match_key(&private.value),
            hide,
        });
    }
    for row in &file.skip.rows {
        match usize::try_from(*row.get_ref()) {
            Ok(number) if number >= 1 => rules.skip_rows.push(number),
            _ => report(
                ImportCode::InvalidRules,
                row.span().start,
                "rows are numbered from 1".into(),
                None,
            ),
        }
    }
    for (column, values) in file.skip.when {
        rules.skip_when.push(SkipWhen {
            column: setting(&column),
            values: values.into_vec().iter().map(|value| match_key(value)).collect(),
        });
    }
    rules
}

/// Byte offsets of the rules file to lines and columns.
struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    fn new(text: &'t str) -> LineIndex<'t> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// The 1-based line and column (in characters) of a byte offset.
    fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let start = self.starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |prefix| prefix.chars().count() + 1);
        (line + 1, column)
    }
}

/// The rules as a rules file says them: what the guess prints, so that the
/// user can save, edit and pass it back with `--rules`.
pub fn to_toml(rules: &Rules) -> String {
    let quote = |text: &str| toml::Value::String(text.to_owned()).to_string();
    let mut out = String::new();
    out.push_str("[sheet]\n");
    if let Some(delimiter) = rules.delimiter {
        out.push_str(&format!("delimiter = {}\n", quote(&char::from(delimiter).to_string())));
    }
    if let Some(row) = rules.header_row {
        out.push_str(&format!("header_row = {row}\n"));
    }
    out.push_str(&format!("list_separator = {}\n", quote(&rules.list_separator)));
    match rules.date_formats.as_slice() {
        [] => {}
        [one] => out.push_str(&format!("date_format = {}\n", quote(one))),
        many => {
            let list: Vec<String> = many.iter().map(|format| quote(format)).collect();
            out.push_str(&format!("date_format = [{}]\n", list.join(", ")));
        }
    }
    if rules.references == References::Ids {
        out.push_str("references = \"ids\"\n");
    }
    out.push_str("\n[columns]\n");
    for (field, column) in &rules.columns {
        out.push_str(&format!("{} = {}\n", toml_key(field.key()), quote(&column.value)));
    }
    if !rules.constants.is_empty() {
        out.push_str("\n[constants]\n");
        for (field, constant) in &rules.constants {
            out.push_str(&format!("{} = {}\n", toml_key(field.key()), quote(&constant.value)));
        }
    }
    out
}

/// A key as TOML writes it: bare when it can be, quoted otherwise.
fn toml_key(key: &str) -> String {
    if key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        key.to_owned()
    } else {
        toml::Value::String(key.to_owned()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<(String, ProblemPlace, Option<String>)> {
        parse(text)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|problem| (problem.code.as_str().to_owned(), problem.place, problem.help))
            .collect()
    }

    #[test]
    fn reads_a_whole_rules_file() {
        let rules = parse(
            r#"
[sheet]
delimiter = ";"
header_row = 2
list_separator = ","
date_format = "%d/%m/%Y"
references = "names"

[columns]
date = "Date"
title = "Event"
x-budget = "Budget"

[constants]
from = "AZ"

[values.format]
"Roundtable" = "dialogue"

[private]
column = "Off the record"
value = "Yes"
hide = "people"

[skip]
rows = [3, 4]
when = { Status = ["draft", "idea"] }
"#,
        )
        .unwrap();
        assert_eq!(rules.delimiter, Some(b';'));
        assert_eq!(rules.header_row, Some(2));
        assert_eq!(rules.list_separator, ",");
        assert_eq!(rules.date_formats, ["%d/%m/%Y"]);
        assert_eq!(rules.columns[&ImportField::Date].value, "Date");
        assert_eq!(rules.columns[&ImportField::Date].at, Some((10, 8)));
        assert_eq!(rules.columns[&ImportField::Custom("x-budget".into())].value, "Budget");
        assert_eq!(rules.constants[&ImportField::From].value, "AZ");
        assert_eq!(rules.mapped(&ImportField::Format, " ROUNDTABLE "), Some("dialogue"));
        let private = rules.private.unwrap();
        assert_eq!((private.value.as_str(), private.hide), ("yes", Hide::People));
        assert_eq!(rules.skip_rows, [3, 4]);
        assert_eq!(rules.skip_when[0].values, ["draft", "idea"]);
    }

    #[test]
    fn unknown_keys_are_reported_with_the_nearest_known_one() {
        let found =
            problems("[sheet]\ndelimeter = \";\"\n\n[columns]\ndate = \"Date\"\nparticipant = \"Who\"\n[colums]\n");
        assert_eq!(
            found,
            [
                (
                    "unknown-rules-key".into(),
                    ProblemPlace::Rules { line: 2, column: 1 },
                    Some("did you mean `delimiter`?".into())
                ),
                (
                    "unknown-rules-key".into(),
                    ProblemPlace::Rules { line: 6, column: 1 },
                    Some("did you mean `participants`?".into())
                ),
                (
                    "unknown-rules-key".into(),
                    ProblemPlace::Rules { line: 7, column: 2 },
                    Some("did you mean `columns`?".into())
                ),
            ]
        );
    }

    #[test]
    fn bad_values_point_at_themselves() {
        let found = problems("[sheet]\ndelimiter = \";;\"\ndate_format = \"%m.%Y\"\nreferences = \"both\"\n");
        let places: Vec<_> = found
            .iter()
            .map(|(code, place, _)| (code.as_str(), place.clone()))
            .collect();
        assert_eq!(
            places,
            [
                ("invalid-rules", ProblemPlace::Rules { line: 2, column: 13 }),
                ("invalid-rules", ProblemPlace::Rules { line: 3, column: 15 }),
                ("invalid-rules", ProblemPlace::Rules { line: 4, column: 14 }),
            ]
        );
        let found = problems("[columns]\ndate = 3\n");
        assert_eq!(found[0].0, "invalid-rules");
        assert_eq!(found[0].1, ProblemPlace::Rules { line: 2, column: 8 });
        let found = problems("[columns\n");
        assert_eq!(found[0].0, "invalid-rules");
    }

    #[test]
    fn a_field_is_a_column_or_a_constant_not_both() {
        let found = problems("[columns]\nfrom = \"From\"\n[constants]\nfrom = \"AZ\"\n");
        assert_eq!(found[0].0, "column-and-constant");
        assert_eq!(found[0].1, ProblemPlace::Rules { line: 4, column: 1 });
    }

    #[test]
    fn printed_rules_read_back_the_same() {
        let mut rules = Rules {
            delimiter: Some(b'\t'),
            date_formats: vec!["%d/%m/%Y".into()],
            ..Rules::default()
        };
        rules
            .columns
            .insert(ImportField::Title, Setting::guessed("Event \"name\"".into()));
        rules.columns.insert(
            ImportField::Custom("x-budget".into()),
            Setting::guessed("Budget".into()),
        );
        rules
            .constants
            .insert(ImportField::Format, Setting::guessed("dialogue".into()));
        let text = to_toml(&rules);
        let read = parse(&text).unwrap();
        assert_eq!(read.delimiter, Some(b'\t'));
        assert_eq!(read.date_formats, rules.date_formats);
        assert_eq!(read.columns[&ImportField::Title].value, "Event \"name\"");
        assert_eq!(read.columns[&ImportField::Custom("x-budget".into())].value, "Budget");
        assert_eq!(read.constants[&ImportField::Format].value, "dialogue");
    }
}
