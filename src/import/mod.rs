//! `track2 import`: a spreadsheet of engagements into ledger records.
//!
//! The pipeline: [`source`] reads the sheet into rows of text cells;
//! [`rules`] (or [`guess`]) says which column gives which field; each row
//! becomes an engagement, its dates read by [`dates`] and its names matched
//! against the ledger's declarations ([`directory`]) or made into new ones
//! with ids from [`names`]; [`records`] writes them in canonical form. Every
//! problem is a [`problem::Problem`] at its cell.
//!
//! The caller then checks the text together with the ledger
//! (`loader::load_with_extra`) and turns the ledger's diagnostics of it into
//! problems at their cells with [`Import::ledger_problem`]; only a result
//! without errors is written. Nothing here reads a file or prints.

pub mod dates;
pub mod directory;
pub mod guess;
pub mod names;
pub mod problem;
pub mod records;
pub mod rules;
pub mod source;

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::model::{Confidentiality, Status};
use crate::source::SourceMap;
use crate::suggest;
use dates::{DateForms, DateProblem};
use directory::{Declarations, Directory, Found};
use names::{IdAllocator, match_key, slug};
use problem::{ImportCode, Place, Problem, ProblemCode, quote};
use records::{EngagementRecord, Made, OrgRecord, Origin, PersonRecord, Record, Written};
use rules::{Field, Hide, References, Rules, Setting};
use source::{Sheet, SheetRow};

/// How an import runs.
#[derive(Clone, Copy, Debug)]
pub struct ImportOptions {
    /// How many name comparisons near matches may cost in all. A sheet of
    /// some thousand new names is searched in full; a hostile one of a
    /// million is not, and the summary says how many names went unsearched,
    /// so that the import stays linear in the size of the sheet.
    pub near_match_budget: usize,
}

impl Default for ImportOptions {
    fn default() -> ImportOptions {
        ImportOptions {
            near_match_budget: 1_000_000,
        }
    }
}

/// What an import made of a sheet.
#[derive(Debug)]
pub struct Import {
    /// The sheet's and the rules' problems, in report order.
    pub problems: Vec<Problem>,
    /// New declarations, then engagements, in the order written.
    pub records: Vec<Made>,
    /// The records as canonical ledger text.
    pub written: Written,
    pub summary: Summary,
    /// Each column's name, for messages.
    headers: Vec<String>,
}

/// What the import did, for the summary on standard error.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    /// Rows below the header, skipped ones included.
    pub rows_read: usize,
    pub engagements_made: usize,
    pub persons_reused: usize,
    pub persons_made: usize,
    pub orgs_reused: usize,
    pub orgs_made: usize,
    pub near_matches: Vec<NearMatch>,
    /// New names not compared with the others: see [`ImportOptions`].
    pub names_not_searched: usize,
    pub rows_skipped: Vec<SkippedRow>,
}

/// A name that matched no declaration but is close to one: made into a new
/// declaration, and reported for a person to decide.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct NearMatch {
    pub row: usize,
    pub column: usize,
    /// The name as the sheet writes it.
    pub written: String,
    /// The name it is near, and that name's id.
    pub near: String,
    pub near_id: String,
    /// The id the import made for `written`.
    pub made_id: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct SkippedRow {
    pub row: usize,
    pub reason: String,
}

/// The index in `sheet.rows` of the row of column names: row `number` if
/// given, else the first row that is neither blank nor a `#` comment (as
/// `export --include-private` writes above its header).
pub fn header_index(sheet: &Sheet, number: Option<usize>) -> Option<usize> {
    match number {
        Some(number) => sheet.rows.iter().position(|row| row.number == number),
        None => sheet
            .rows
            .iter()
            .position(|row| !row.is_blank() && !row.cell(1).trim_start().starts_with('#')),
    }
}

/// Rules guessed from the sheet's header, if it has one.
pub fn guess_rules(sheet: &Sheet) -> Option<guess::Guess> {
    let header = header_index(sheet, None)?;
    let mut guess = guess::guess(&sheet.rows[header], &sheet.rows[header + 1..]);
    guess.rules.delimiter = sheet.delimiter;
    Some(guess)
}

/// Reads `sheet` by `rules` into records that may join the ledger whose
/// declarations are `directory`.
pub fn import(sheet: &Sheet, rules: &Rules, directory: &Directory) -> Import {
    import_with(sheet, rules, directory, ImportOptions::default())
}

/// [`import`] with options other than the default ones.
pub fn import_with(sheet: &Sheet, rules: &Rules, directory: &Directory, options: ImportOptions) -> Import {
    let mut run = Run {
        rules,
        directory,
        problems: Vec::new(),
        headers: Vec::new(),
        columns: Vec::new(),
        private_column: None,
        skip_columns: Vec::new(),
        errors: sheet.errors.iter().copied().collect(),
        reported_constants: HashSet::new(),
        date_forms: DateForms::new(&rules.date_formats).unwrap_or_else(|_| DateForms::new(&[]).expect("built-in")),
        persons: NewDeclarations::new(directory.persons.ids()),
        orgs: NewDeclarations::new(directory.orgs.ids()),
        persons_reused: HashSet::new(),
        orgs_reused: HashSet::new(),
        near_budget: options.near_match_budget,
        summary: Summary::default(),
        engagements: Vec::new(),
    };
    if let Some(header) = run.header(sheet) {
        if run.map_columns(&sheet.rows[header]) {
            for row in &sheet.rows[header + 1..] {
                run.summary.rows_read += 1;
                if let Some(reason) = run.skip_reason(row) {
                    run.summary.rows_skipped.push(SkippedRow {
                        row: row.number,
                        reason,
                    });
                    continue;
                }
                if let Some(made) = run.engagement(row) {
                    run.engagements.push(made);
                }
            }
        }
    }
    run.finish()
}

/// New declarations of one kind, by the key of the name that made them.
struct NewDeclarations {
    made: Vec<NewDeclaration>,
    by_key: HashMap<String, usize>,
    ids: IdAllocator,
}

struct NewDeclaration {
    id: String,
    /// The name as first written.
    name: String,
    key: String,
    party: PartyGuess,
    private: bool,
    row: usize,
    column: usize,
}

/// The party of a new person: that of the visiting side of every row that
/// names them as a participant and whose visiting side is one party, when
/// all of those agree. A joint delegation says nothing of one person's party.
#[derive(Clone, Debug, PartialEq, Eq)]
enum PartyGuess {
    Unknown,
    One(String),
    Mixed,
}

impl PartyGuess {
    fn add(&mut self, party: Option<&str>) {
        let Some(party) = party else {
            return;
        };
        *self = match std::mem::replace(self, PartyGuess::Mixed) {
            PartyGuess::Unknown => PartyGuess::One(party.to_owned()),
            PartyGuess::One(known) if known == party => PartyGuess::One(known),
            PartyGuess::One(_) | PartyGuess::Mixed => PartyGuess::Mixed,
        };
    }
}

impl NewDeclarations {
    fn new<'i>(taken: impl IntoIterator<Item = &'i str>) -> NewDeclarations {
        NewDeclarations {
            made: Vec::new(),
            by_key: HashMap::new(),
            ids: IdAllocator::with_taken(taken),
        }
    }
}

/// Where a value was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    Cell {
        row: usize,
        column: usize,
    },
    /// A constant of the rules, at its place in the rules file if it has one.
    Constant(Option<(usize, usize)>),
}

/// A value of one field of one row, cleaned.
struct Value {
    text: String,
    at: At,
    field: Field,
}

/// Which declarations a list names, in the two cases that differ.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Person,
    Org,
}

struct Run<'r> {
    rules: &'r Rules,
    directory: &'r Directory,
    problems: Vec<Problem>,
    headers: Vec<String>,
    /// The column of each field read from the sheet.
    columns: Vec<(Field, usize)>,
    /// The column of the private rule, and of each skip rule.
    private_column: Option<usize>,
    skip_columns: Vec<Option<usize>>,
    /// Cells holding a spreadsheet error.
    errors: HashSet<(usize, usize)>,
    /// Constants already reported, so that a bad one is reported once, not
    /// once per row.
    reported_constants: HashSet<Field>,
    date_forms: DateForms,
    persons: NewDeclarations,
    orgs: NewDeclarations,
    persons_reused: HashSet<usize>,
    orgs_reused: HashSet<usize>,
    near_budget: usize,
    summary: Summary,
    engagements: Vec<Made>,
}

impl Run<'_> {
    fn place(&self, at: At) -> Place {
        match at {
            At::Cell { row, column } => Place::Cell {
                row,
                column,
                header: self.headers.get(column - 1).cloned().unwrap_or_default(),
            },
            At::Constant(Some((line, column))) => Place::Rules { line, column },
            At::Constant(None) => Place::Sheet,
        }
    }

    /// Reports a problem with a value; one with a constant only once.
    fn report(&mut self, value_field: &Field, at: At, code: ImportCode, message: String, help: Option<String>) {
        if matches!(at, At::Constant(_)) && !self.reported_constants.insert(value_field.clone()) {
            return;
        }
        let problem = Problem::new(code, self.place(at), message).with_optional_help(help);
        self.problems.push(problem);
    }

    /// The index of the header row in `sheet.rows`.
    fn header(&mut self, sheet: &Sheet) -> Option<usize> {
        let found = header_index(sheet, self.rules.header_row);
        if found.is_none() {
            let message = match self.rules.header_row {
                Some(number) => format!("the sheet has no row {number} to read the column names from"),
                None => "the sheet is empty: it has no row of column names".to_owned(),
            };
            self.problems
                .push(Problem::new(ImportCode::NoHeader, Place::Sheet, message));
        }
        found
    }

    /// Finds the column of every field, private rule and skip rule; reports
    /// those that name no column and the fields no rule gives. False if the
    /// rows cannot be read.
    fn map_columns(&mut self, header: &SheetRow) -> bool {
        let rules = self.rules;
        self.headers = header.cells.iter().map(|cell| cell.trim().to_owned()).collect();
        let before = self.problems.len();
        for (field, setting) in &rules.columns {
            if let Some(column) = self.column_of(setting) {
                self.columns.push((field.clone(), column));
            }
        }
        // A column named as a custom key is read as that key.
        for (index, name) in self.headers.iter().enumerate() {
            if let Some(field @ Field::Custom(_)) = Field::from_key(name) {
                let given = rules.columns.contains_key(&field) || rules.constants.contains_key(&field);
                if !given {
                    self.columns.push((field, index + 1));
                }
            }
        }
        if let Some(private) = &rules.private {
            self.private_column = self.column_of(&private.column);
        }
        for skip in &rules.skip_when {
            let column = self.column_of(&skip.column);
            self.skip_columns.push(column);
        }
        for field in Field::REQUIRED {
            if !rules.columns.contains_key(field) && !rules.constants.contains_key(field) {
                self.problems.push(
                    Problem::new(
                        ImportCode::UnmappedField,
                        Place::Sheet,
                        format!("no column or constant gives `{}`, which every engagement needs", field.key()),
                    )
                    .with_help(format!(
                        "in the rules, name its column under [columns] (`{0} = \"COLUMN\"`) or give it under [constants] (`{0} = \"…\"`)",
                        field.key()
                    )),
                );
            }
        }
        self.problems.len() == before
    }

    /// The column a rule names, by its header: exactly, or else by key if
    /// only one header has it.
    fn column_of(&mut self, setting: &Setting<String>) -> Option<usize> {
        let wanted = setting.value.trim();
        let exact: Vec<usize> = (0..self.headers.len()).filter(|&i| self.headers[i] == wanted).collect();
        let found = if exact.is_empty() {
            let key = match_key(wanted);
            (0..self.headers.len())
                .filter(|&i| !key.is_empty() && match_key(&self.headers[i]) == key)
                .collect()
        } else {
            exact
        };
        match found.as_slice() {
            [one] => Some(one + 1),
            [] => {
                let help =
                    suggest::did_you_mean(wanted, self.headers.iter().map(String::as_str)).unwrap_or_else(|| {
                        let names: Vec<String> = self
                            .headers
                            .iter()
                            .filter(|h| !h.is_empty())
                            .map(|h| quote(h))
                            .collect();
                        format!("the columns are {}", names.join(", "))
                    });
                self.problems.push(
                    Problem::new(
                        ImportCode::UnknownColumn,
                        setting.place(),
                        format!("the sheet has no column {}", quote(wanted)),
                    )
                    .with_help(help),
                );
                None
            }
            several => {
                let letters: Vec<String> = several.iter().map(|i| problem::column_letters(i + 1)).collect();
                self.problems.push(
                    Problem::new(
                        ImportCode::AmbiguousColumn,
                        setting.place(),
                        format!(
                            "{} columns are named {}: {}",
                            several.len(),
                            quote(wanted),
                            letters.join(", ")
                        ),
                    )
                    .with_help("rename all but one in the sheet's header"),
                );
                None
            }
        }
    }

    /// Why a row is skipped, if it is.
    fn skip_reason(&self, row: &SheetRow) -> Option<String> {
        if row.is_blank() {
            return Some("blank".into());
        }
        if self.rules.skip_rows.contains(&row.number) {
            return Some("listed under [skip] rows".into());
        }
        for (skip, column) in self.rules.skip_when.iter().zip(&self.skip_columns) {
            let cell = row.cell((*column)?);
            if skip.values.contains(&match_key(cell)) {
                return Some(format!("{} is {}", quote(&skip.column.value), quote(cell.trim())));
            }
        }
        None
    }

    fn is_private(&self, row: &SheetRow) -> Option<Hide> {
        let private = self.rules.private.as_ref()?;
        let column = self.private_column?;
        (match_key(row.cell(column)) == private.value).then_some(private.hide)
    }

    /// The cleaned value of `field` in `row`, from its column or its
    /// constant; `None` when it is empty or cannot be read (reported).
    fn value(&mut self, row: &SheetRow, field: &Field) -> Option<Value> {
        let (raw, at) = if let Some(&(_, column)) = self.columns.iter().find(|(f, _)| f == field) {
            if self.errors.contains(&(row.number, column)) {
                let at = At::Cell {
                    row: row.number,
                    column,
                };
                let message = format!("the cell holds the spreadsheet error {}", quote(row.cell(column)));
                let help = Some("fix the formula, or replace it by its value".to_owned());
                self.report(field, at, ImportCode::SpreadsheetError, message, help);
                return None;
            }
            (
                row.cell(column).to_owned(),
                At::Cell {
                    row: row.number,
                    column,
                },
            )
        } else if let Some(constant) = self.rules.constants.get(field) {
            (constant.value.clone(), At::Constant(constant.at))
        } else {
            return None;
        };
        let text = unescape_formula(&raw);
        if let Some(bad) = text.chars().find(|&c| is_unsafe(c)) {
            let message = format!("the cell holds the control character {}", bad.escape_unicode());
            let help = Some("remove it from the sheet: no ledger text may hold it".to_owned());
            self.report(field, at, ImportCode::ControlCharacterInCell, message, help);
            return None;
        }
        if text.trim().is_empty() {
            return None;
        }
        Some(Value {
            text: text.to_owned(),
            at,
            field: field.clone(),
        })
    }

    /// A value's text mapped by the rules' value map for its field.
    fn mapped<'v>(&'v self, field: &Field, text: &'v str) -> &'v str {
        self.rules.mapped(field, text).unwrap_or(text)
    }

    /// Reads one row into an engagement, or reports why it cannot be one.
    fn engagement(&mut self, row: &SheetRow) -> Option<Made> {
        let problems_before = self.problems.len();
        let hide = self.is_private(row);
        let mut origin = Origin {
            row: row.number,
            column: None,
            columns: HashMap::new(),
        };
        let mut record = EngagementRecord {
            date: String::new(),
            from: Vec::new(),
            to: String::new(),
            title: String::new(),
            fields: Vec::new(),
        };
        // The header: date, direction, title.
        if let Some(value) = self.required(row, &Field::Date) {
            note_origin(&mut origin, "date", value.at);
            if let Some(date) = self.date(&value) {
                record.date = date;
            }
        }
        if let Some(value) = self.required(row, &Field::From) {
            note_origin(&mut origin, "from", value.at);
            for item in self.items(&value.text) {
                if let Some(party) = self.party(&value, &item) {
                    if record.from.contains(&party) {
                        continue;
                    }
                    record.from.push(party);
                }
            }
        }
        if let Some(value) = self.required(row, &Field::To) {
            note_origin(&mut origin, "to", value.at);
            let text = one_line(&value.text);
            if match_key(self.mapped(&Field::To, &text)) == "online" {
                record.to = "online".into();
            } else if let Some(party) = self.party(&value, &text) {
                record.to = party;
            }
        }
        if let Some(value) = self.required(row, &Field::Title) {
            note_origin(&mut origin, "title", value.at);
            record.title = one_line(&value.text);
        }
        if let Some(value) = self.required(row, &Field::Format) {
            note_origin(&mut origin, "format", value.at);
            if let Some(format) = self.label(&value, Label::Format) {
                record.fields.push(("format".into(), format));
            }
        }

        // Single values.
        for field in [Field::Id, Field::Reciprocates] {
            if let Some(value) = self.value(row, &field) {
                note_origin(&mut origin, field.key(), value.at);
                let text = one_line(self.mapped(&field, &value.text));
                if crate::parser::is_id(&text) {
                    record.fields.push((field.key().into(), text));
                } else {
                    let message = format!("{} is not an id", quote(&text));
                    let help = Some("an id is a letter, then letters, digits, `.`, `_` or `-`".to_owned());
                    self.report(&field, value.at, ImportCode::NotAnId, message, help);
                }
            }
        }
        if let Some(value) = self.value(row, &Field::Track) {
            note_origin(&mut origin, "track", value.at);
            if let Some(track) = self.track(&value) {
                // Track 2 is the ledger's default, and it writes none.
                if track != "2" {
                    record.fields.push(("track".into(), track));
                }
            }
        }
        if let Some(value) = self.value(row, &Field::Series) {
            note_origin(&mut origin, "series", value.at);
            if let Some(series) = self.label(&value, Label::Series) {
                record.fields.push(("series".into(), series));
            }
        }
        if let Some(value) = self.value(row, &Field::Status) {
            note_origin(&mut origin, "status", value.at);
            if let Some(status) = self.word(&value, Status::WORDS) {
                if status != Status::Held.as_str() {
                    record.fields.push(("status".into(), status));
                }
            }
        }
        let confidential = match self.value(row, &Field::Confidential) {
            Some(value) => {
                note_origin(&mut origin, "confidential", value.at);
                self.word(&value, Confidentiality::WORDS)
            }
            None => None,
        };
        let confidential = if hide == Some(Hide::Engagement) {
            Some(Confidentiality::Private.as_str().to_owned())
        } else {
            confidential
        };
        if let Some(confidential) = confidential {
            record.fields.push(("confidential".into(), confidential));
        }
        if let Some(value) = self.value(row, &Field::Embargo) {
            note_origin(&mut origin, "embargo", value.at);
            if let Some(date) = self.date(&value) {
                record.fields.push(("embargo".into(), date));
            }
        }
        if let Some(value) = self.value(row, &Field::Venue) {
            note_origin(&mut origin, "venue", value.at);
            record
                .fields
                .push(("venue".into(), one_line(self.mapped(&Field::Venue, &value.text))));
        }

        // Lists.
        let visiting = match record.from.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        };
        let private_people = hide == Some(Hide::People);
        if let Some(value) = self.value(row, &Field::Sponsors) {
            note_origin(&mut origin, "sponsors", value.at);
            let mut ids = Vec::new();
            for item in self.items(&value.text) {
                if let Some(id) = self.declared(&value, &item, Kind::Org, None, false) {
                    ids.push(id);
                }
            }
            if !ids.is_empty() {
                record.fields.push(("sponsors".into(), ids.join(", ")));
            }
        }
        for (field, as_participant) in [(Field::Participants, true), (Field::Met, false)] {
            let Some(value) = self.value(row, &field) else {
                continue;
            };
            note_origin(&mut origin, field.key(), value.at);
            let mut items = Vec::new();
            for item in self.items(&value.text) {
                let mapped = self.mapped(&field, &item).to_owned();
                if as_participant && mapped.starts_with('+') {
                    if let Some(count) = self.count(&value, &mapped) {
                        items.push(count);
                    }
                    continue;
                }
                let party = if as_participant {
                    Some(visiting.as_deref())
                } else {
                    None
                };
                if let Some(id) = self.declared(&value, &item, Kind::Person, party, private_people) {
                    items.push(id);
                }
            }
            if !items.is_empty() {
                record.fields.push((field.key().into(), items.join(", ")));
            }
        }
        if let Some(value) = self.value(row, &Field::Tags) {
            note_origin(&mut origin, "tags", value.at);
            let mut tags = Vec::new();
            for item in self.items(&value.text) {
                let mapped = self.mapped(&Field::Tags, &item);
                // With ids, a tag is kept exactly; a tag written as words
                // becomes an id.
                let tag = if self.rules.references == References::Ids {
                    crate::parser::is_id(mapped).then(|| mapped.to_owned())
                } else {
                    slug(mapped)
                };
                match tag {
                    Some(tag) => tags.push(tag),
                    None => {
                        let message = format!("the tag {} has no letters or digits to make an id of", quote(&item));
                        self.report(&Field::Tags, value.at, ImportCode::NotAnId, message, None);
                    }
                }
            }
            if !tags.is_empty() {
                record.fields.push(("tags".into(), tags.join(", ")));
            }
        }

        // Texts, one per line of the cell.
        let mut text_fields = vec![Field::Source, Field::Note];
        text_fields.extend(
            self.columns
                .iter()
                .filter(|(field, _)| matches!(field, Field::Custom(_)))
                .map(|(field, _)| field.clone()),
        );
        text_fields.extend(
            self.rules
                .constants
                .keys()
                .filter(|field| matches!(field, Field::Custom(_)))
                .cloned(),
        );
        for field in text_fields {
            if let Some(value) = self.value(row, &field) {
                note_origin(&mut origin, field.key(), value.at);
                for line in lines(&value.text) {
                    record.fields.push((field.key().into(), line.to_owned()));
                }
            }
        }

        // A near match is a warning: the row is still an engagement.
        if self.problems[problems_before..].iter().any(Problem::is_error) {
            return None;
        }
        Some(Made {
            record: Record::Engagement(record),
            origin,
        })
    }

    /// A value every engagement needs: reported when empty.
    fn required(&mut self, row: &SheetRow, field: &Field) -> Option<Value> {
        let value = self.value(row, field);
        if value.is_none() {
            if let Some(&(_, column)) = self.columns.iter().find(|(f, _)| f == field) {
                let at = At::Cell {
                    row: row.number,
                    column,
                };
                let cell = row.cell(column);
                // A cell that could not be read is reported already.
                if cell.trim().is_empty() {
                    let message = format!("the `{}` of an engagement is empty", field.key());
                    self.report(field, at, ImportCode::MissingValue, message, None);
                }
            }
        }
        value
    }

    /// The items of a list cell: split at the separator and at line breaks.
    fn items(&self, text: &str) -> Vec<String> {
        text.split(['\n', '\r'])
            .flat_map(|line| line.split(self.rules.list_separator.as_str()))
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_owned)
            .collect()
    }

    fn date(&mut self, value: &Value) -> Option<String> {
        let text = one_line(self.mapped(&value.field, &value.text));
        let problem = match self.date_forms.parse(&text) {
            Ok(date) => return Some(date.to_string()),
            Err(problem) => problem,
        };
        let forms = "a day as 21.10.2025, 2025-10-21 or 21 Oct 2025; a month as Oct 2025 or 2025-10; \
                     a year as 2025; a range as 21–22 Oct 2025 or 21-22.10.2025";
        let (code, message, help) = match problem {
            DateProblem::Unreadable => (
                ImportCode::UnreadableDate,
                format!("{} is not a date", quote(&text)),
                format!("write {forms}, or set the sheet's day form with `date_format` under [sheet]"),
            ),
            DateProblem::Ambiguous => (
                ImportCode::AmbiguousDate,
                format!("{} could be a day first or a month first", quote(&text)),
                "set `date_format = \"%d/%m/%Y\"` (or \"%m/%d/%Y\") under [sheet]".to_owned(),
            ),
            DateProblem::NotInCalendar => (
                ImportCode::DateNotInCalendar,
                format!("{} is not a day of the calendar", quote(&text)),
                "check the day and the month".to_owned(),
            ),
            DateProblem::Backwards => (
                ImportCode::BackwardsDateRange,
                format!("the range {} ends before it starts", quote(&text)),
                "swap its ends".to_owned(),
            ),
            DateProblem::MonthRange => (
                ImportCode::MonthRange,
                format!("{} is a range of months", quote(&text)),
                "a ledger's ranges join two days: record the first month, the year, or the days if known".to_owned(),
            ),
        };
        self.report(&value.field.clone(), value.at, code, message, Some(help));
        None
    }

    /// A party by id or name (`online` is not one: the caller handles it).
    fn party(&mut self, value: &Value, text: &str) -> Option<String> {
        let mapped = one_line(self.mapped(&value.field, text));
        let directory = self.directory;
        let parties = &directory.parties;
        if let Some(index) = parties.by_id(&mapped) {
            return Some(parties.get(index).id.clone());
        }
        if self.rules.references == References::Names {
            match parties.by_name(&mapped) {
                Found::One(index) => return Some(parties.get(index).id.clone()),
                Found::Several(indices) => {
                    self.ambiguous(value, &mapped, parties, &indices);
                    return None;
                }
                Found::None => {}
            }
        }
        let help = nearest_declared(parties, &mapped, self.rules.references).map_or_else(
            || {
                format!(
                    "name a declared party, or map this spelling under [values.{}]",
                    value.field.key()
                )
            },
            |hint| format!("{hint} If not, map this spelling under [values.{}]", value.field.key()),
        );
        self.report(
            &value.field.clone(),
            value.at,
            ImportCode::UnknownParty,
            format!("unknown party {}", quote(&mapped)),
            Some(help),
        );
        None
    }

    fn ambiguous(&mut self, value: &Value, text: &str, declarations: &Declarations, indices: &[usize]) {
        let ids: Vec<String> = indices
            .iter()
            .map(|&index| format!("`{}`", declarations.get(index).id))
            .collect();
        self.report(
            &value.field.clone(),
            value.at,
            ImportCode::AmbiguousName,
            format!("{} is the name of {}", quote(text), ids.join(" and ")),
            Some(format!(
                "write the id instead, or map the name to one id under [values.{}]",
                value.field.key()
            )),
        );
    }

    /// A format or series, by id or name: the import never declares one.
    fn label(&mut self, value: &Value, label: Label) -> Option<String> {
        let mapped = one_line(self.mapped(&value.field, &value.text));
        let directory = self.directory;
        let (declarations, code, what) = match label {
            Label::Format => (&directory.formats, ImportCode::UnknownFormat, "format"),
            Label::Series => (&directory.series, ImportCode::UnknownSeries, "series"),
        };
        if let Some(index) = declarations.by_id(&mapped) {
            return Some(declarations.get(index).id.clone());
        }
        if self.rules.references == References::Names {
            match declarations.by_name(&mapped) {
                Found::One(index) => return Some(declarations.get(index).id.clone()),
                Found::Several(indices) => {
                    self.ambiguous(value, &mapped, declarations, &indices);
                    return None;
                }
                Found::None => {}
            }
        }
        let map = format!(
            "map it under [values.{0}] (`{1} = \"ID\"`), or declare `{0} ID NAME` in the ledger",
            value.field.key(),
            toml::Value::String(mapped.clone())
        );
        let help = match nearest_declared(declarations, &mapped, self.rules.references) {
            Some(hint) => format!("{hint} If not, {map}"),
            None => map,
        };
        self.report(
            &value.field.clone(),
            value.at,
            code,
            format!("unknown {what} {}", quote(&mapped)),
            Some(help),
        );
        None
    }

    fn track(&mut self, value: &Value) -> Option<String> {
        let mapped = one_line(self.mapped(&value.field, &value.text));
        let lower = mapped.to_lowercase();
        let number = lower.strip_prefix("track").unwrap_or(&lower).trim().replace(',', ".");
        if crate::model::Track::parse(&number).is_some() {
            return Some(number);
        }
        self.report(
            &value.field.clone(),
            value.at,
            ImportCode::UnknownValue,
            format!("{} is not a track", quote(&mapped)),
            Some("a track is 1, 1.5 or 2 (`Track 1.5` will do)".into()),
        );
        None
    }

    /// One of `words`, written in any case, with blanks for dashes.
    fn word(&mut self, value: &Value, words: &[&str]) -> Option<String> {
        let mapped = one_line(self.mapped(&value.field, &value.text));
        let written = slug(&mapped).unwrap_or_default();
        if let Some(word) = words.iter().find(|word| **word == written) {
            return Some((*word).to_owned());
        }
        let help = suggest::did_you_mean(&written, words.iter().copied())
            .unwrap_or_else(|| format!("use one of {}", words.join(", ")));
        self.report(
            &value.field.clone(),
            value.at,
            ImportCode::UnknownValue,
            format!("{} is not a `{}`", quote(&mapped), value.field.key()),
            Some(format!("{help} (or map it under [values.{}])", value.field.key())),
        );
        None
    }

    /// `+N PARTY`: people who took part but are not named.
    fn count(&mut self, value: &Value, item: &str) -> Option<String> {
        let rest = &item[1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (number, after) = rest.split_at(digits);
        let party = after.trim();
        let count = number.parse::<u32>().ok().filter(|&count| count > 0);
        let separated = after.starts_with([' ', '\t']) && !party.is_empty();
        let (Some(count), true) = (count, separated) else {
            self.report(
                &value.field.clone(),
                value.at,
                ImportCode::BadCount,
                format!("{} is not a count of people", quote(item)),
                Some("write `+N PARTY`, N from 1: `+3 AZ`".into()),
            );
            return None;
        };
        let count_value = Value {
            text: party.to_owned(),
            at: value.at,
            field: Field::From,
        };
        let party = self.party(&count_value, party)?;
        Some(format!("+{count} {party}"))
    }

    /// A person or an org by id or name; in names mode, one that matches
    /// nothing is declared anew. `visiting` is the party of the visiting
    /// side for a participant (`Some(None)` if it is not one party).
    fn declared(
        &mut self,
        value: &Value,
        item: &str,
        kind: Kind,
        visiting: Option<Option<&str>>,
        private_people: bool,
    ) -> Option<String> {
        let mapped = one_line(self.mapped(&value.field, item));
        let directory = self.directory;
        let declarations = match kind {
            Kind::Person => &directory.persons,
            Kind::Org => &directory.orgs,
        };
        let found = match declarations.by_id(&mapped) {
            Some(index) => Found::One(index),
            None if self.rules.references == References::Names => declarations.by_name(&mapped),
            None => Found::None,
        };
        match found {
            Found::One(index) => {
                let declared = declarations.get(index);
                let id = declared.id.clone();
                if kind == Kind::Person && private_people && !declared.private {
                    self.report(
                        &value.field.clone(),
                        value.at,
                        ImportCode::PrivatePersonPublic,
                        format!(
                            "the row is private, but {} is the declared person `{id}`, who is not",
                            quote(&mapped)
                        ),
                        Some(format!(
                            "add `private: yes` to `{id}` in the ledger, or take the row out"
                        )),
                    );
                    return None;
                }
                match kind {
                    Kind::Person => self.persons_reused.insert(index),
                    Kind::Org => self.orgs_reused.insert(index),
                };
                return Some(id);
            }
            Found::Several(indices) => {
                self.ambiguous(value, &mapped, declarations, &indices);
                return None;
            }
            Found::None => {}
        }
        if self.rules.references == References::Ids {
            let (code, what) = match kind {
                Kind::Person => (ImportCode::UnknownPerson, "person"),
                Kind::Org => (ImportCode::UnknownOrg, "org"),
            };
            let help = suggest::did_you_mean(&mapped, declarations.ids());
            self.report(
                &value.field.clone(),
                value.at,
                code,
                format!("no {what} is declared with the id {}", quote(&mapped)),
                help,
            );
            return None;
        }
        self.make(value, &mapped, kind, visiting, private_people)
    }

    /// A new declaration for a name no declaration has, or the one an
    /// earlier row made for it.
    fn make(
        &mut self,
        value: &Value,
        name: &str,
        kind: Kind,
        visiting: Option<Option<&str>>,
        private: bool,
    ) -> Option<String> {
        let key = match_key(name);
        let made = match kind {
            Kind::Person => &mut self.persons,
            Kind::Org => &mut self.orgs,
        };
        if let Some(&index) = made.by_key.get(&key) {
            let declaration = &mut made.made[index];
            if let Some(party) = visiting {
                declaration.party.add(party);
            }
            declaration.private |= private;
            return Some(declaration.id.clone());
        }
        let Some(base) = slug(name) else {
            self.report(
                &value.field.clone(),
                value.at,
                ImportCode::NameWithoutLetters,
                format!("{} has no letters track2 can make an id of", quote(name)),
                Some("declare them in the ledger with an id, and this spelling as an alias".into()),
            );
            return None;
        };
        let id = made.ids.allocate(&base);
        let (row, column) = match value.at {
            At::Cell { row, column } => (row, column),
            At::Constant(_) => (0, 0),
        };
        let mut party = PartyGuess::Unknown;
        if let Some(visiting) = visiting {
            party.add(visiting);
        }
        let index = made.made.len();
        made.made.push(NewDeclaration {
            id: id.clone(),
            name: name.to_owned(),
            key: key.clone(),
            party,
            private,
            row,
            column,
        });
        made.by_key.insert(key.clone(), index);
        self.near_match(value, name, &key, &id, kind, index);
        Some(id)
    }

    /// Reports a new name close to a declared one or to an earlier new one.
    fn near_match(&mut self, value: &Value, name: &str, key: &str, id: &str, kind: Kind, index: usize) {
        let directory = self.directory;
        let declarations = match kind {
            Kind::Person => &directory.persons,
            Kind::Org => &directory.orgs,
        };
        let cost = declarations.keys().len() + index;
        if cost > self.near_budget {
            self.summary.names_not_searched += 1;
            return;
        }
        self.near_budget -= cost;
        let made = match kind {
            Kind::Person => &self.persons,
            Kind::Org => &self.orgs,
        };
        let candidates = declarations
            .keys()
            .iter()
            .map(|(key, _)| key.as_str())
            .chain(made.made[..index].iter().map(|made| made.key.as_str()));
        let Some(near_key) = suggest::nearest(key, candidates) else {
            return;
        };
        let (near_name, near_id, declared) = match first(&declarations.by_name(near_key)) {
            Some(found) => {
                let declared = declarations.get(found);
                (declared.name.clone(), declared.id.clone(), true)
            }
            None => {
                let earlier = &made.made[made.by_key[near_key]];
                (earlier.name.clone(), earlier.id.clone(), false)
            }
        };
        let At::Cell { row, column } = value.at else {
            return;
        };
        let help = match (kind, declared) {
            (Kind::Person, true) => format!(
                "made `{id}`; if they are one person, add `alias: {name}` to `{near_id}` in the ledger, or map the name under [values.{}], and import again",
                value.field.key()
            ),
            (Kind::Org, true) => format!(
                "made `{id}`; if they are one org, map the name to `{near_id}` under [values.{}] and import again",
                value.field.key()
            ),
            (_, false) => format!("made `{id}` and `{near_id}`; if they are one, write the name one way in the sheet"),
        };
        let problem = Problem::new(
            ImportCode::NearMatch,
            self.place(value.at),
            format!(
                "{} matches no declaration, but is near {} (`{near_id}`)",
                quote(name),
                quote(&near_name)
            ),
        )
        .with_help(help);
        self.problems.push(problem);
        self.summary.near_matches.push(NearMatch {
            row,
            column,
            written: name.to_owned(),
            near: near_name,
            near_id,
            made_id: id.to_owned(),
        });
    }

    fn finish(mut self) -> Import {
        let mut records = Vec::new();
        for org in &self.orgs.made {
            records.push(Made {
                record: Record::Org(OrgRecord {
                    id: org.id.clone(),
                    name: one_line(&org.name),
                }),
                origin: declaration_origin(org),
            });
        }
        for person in &self.persons.made {
            let party = match &person.party {
                PartyGuess::One(party) => Some(party.clone()),
                PartyGuess::Unknown | PartyGuess::Mixed => None,
            };
            records.push(Made {
                record: Record::Person(PersonRecord {
                    id: person.id.clone(),
                    name: one_line(&person.name),
                    party,
                    private: person.private,
                }),
                origin: declaration_origin(person),
            });
        }
        self.summary.engagements_made = self.engagements.len();
        self.summary.persons_made = self.persons.made.len();
        self.summary.orgs_made = self.orgs.made.len();
        self.summary.persons_reused = self.persons_reused.len();
        self.summary.orgs_reused = self.orgs_reused.len();
        records.append(&mut self.engagements);
        let written = records::write(&records);
        problem::sort(&mut self.problems);
        Import {
            problems: self.problems,
            records,
            written,
            summary: self.summary,
            headers: self.headers,
        }
    }
}

#[derive(Clone, Copy)]
enum Label {
    Format,
    Series,
}

/// The first declaration a lookup found, if any.
fn first(found: &Found) -> Option<usize> {
    match found {
        Found::One(index) => Some(*index),
        Found::Several(indices) => indices.first().copied(),
        Found::None => None,
    }
}

/// Records where an engagement's field was read from.
fn note_origin(origin: &mut Origin, key: &str, at: At) {
    if let At::Cell { column, .. } = at {
        origin.columns.insert(key.to_owned(), column);
    }
}

fn declaration_origin(declaration: &NewDeclaration) -> Origin {
    Origin {
        row: declaration.row,
        column: Some(declaration.column),
        columns: HashMap::new(),
    }
}

/// "did you mean" for an unknown name of a kind: the nearest id, or the
/// nearest name (by key) with its id.
fn nearest_declared(declarations: &Declarations, text: &str, references: References) -> Option<String> {
    if let Some(id) = suggest::nearest(text, declarations.ids()) {
        return Some(format!("did you mean `{id}`?"));
    }
    if references == References::Ids {
        return None;
    }
    let key = match_key(text);
    let near = suggest::nearest(&key, declarations.keys().iter().map(|(key, _)| key.as_str()))?;
    let declared = declarations.get(first(&declarations.by_name(near))?);
    Some(format!("did you mean {} (`{}`)?", quote(&declared.name), declared.id))
}

/// A cell's text without the `'` that a CSV export puts before a leading
/// `=`, `+`, `-` or `@` so that spreadsheets do not read it as a formula.
fn unescape_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

/// Characters no ledger text may hold: control characters other than the
/// line breaks and tabs a cell may have, and the marks that reorder a line.
fn is_unsafe(character: char) -> bool {
    !matches!(character, '\t' | '\n' | '\r') && crate::escape::is_unsafe(character)
}

/// A cell's lines joined by one space: a ledger value is one line.
fn one_line(text: &str) -> String {
    lines(text).collect::<Vec<_>>().join(" ")
}

/// A cell's non-empty lines, trimmed.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', '\r']).map(str::trim).filter(|line| !line.is_empty())
}

impl Import {
    /// Whether the sheet and the rules gave no error (warnings allowed).
    pub fn is_clean(&self) -> bool {
        !self.problems.iter().any(Problem::is_error)
    }

    /// A ledger diagnostic of the generated text (read as the last file of
    /// `sources`), as a problem at the cell that produced the record.
    pub fn ledger_problem(&self, diagnostic: &Diagnostic, sources: &SourceMap) -> Problem {
        let offset = diagnostic.location.span.start as usize;
        let place = match self.written.locate(&self.records, offset) {
            Some((row, Some(column))) if row > 0 => Place::Cell {
                row,
                column,
                header: self.headers.get(column - 1).cloned().unwrap_or_default(),
            },
            Some((row, None)) if row > 0 => Place::Row(row),
            _ => Place::Sheet,
        };
        let mut help = diagnostic.help.clone();
        for related in &diagnostic.related {
            let file = sources.get(related.location.file);
            let position = file.position(related.location.span.start as usize);
            let elsewhere = if related.location.file == diagnostic.location.file {
                "in the import".to_owned()
            } else {
                format!("at {}:{}:{}", file.name(), position.line, position.column)
            };
            let note = format!("{} {elsewhere}", related.message);
            help = Some(match help {
                Some(help) => format!("{help}; {note}"),
                None => note,
            });
        }
        Problem {
            code: ProblemCode::Ledger(diagnostic.code),
            place,
            message: diagnostic.message.clone(),
            help,
        }
    }

    /// The column names of the sheet, as read.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_before_a_formula_character_is_dropped() {
        assert_eq!(unescape_formula("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unescape_formula("'+3 AZ"), "+3 AZ");
        assert_eq!(unescape_formula("'-"), "-");
        assert_eq!(unescape_formula("'@home"), "@home");
        assert_eq!(unescape_formula("'quoted'"), "'quoted'");
        assert_eq!(unescape_formula("=raw"), "=raw");
    }

    #[test]
    fn a_new_persons_party_is_the_visiting_side_when_it_is_one() {
        let mut guess = PartyGuess::Unknown;
        guess.add(Some("AZ"));
        guess.add(Some("AZ"));
        assert_eq!(guess, PartyGuess::One("AZ".into()));
        guess.add(Some("AM"));
        assert_eq!(guess, PartyGuess::Mixed);
        let mut joint = PartyGuess::Unknown;
        joint.add(None);
        assert_eq!(joint, PartyGuess::Unknown, "a joint delegation says nothing");
        joint.add(Some("AM"));
        joint.add(None);
        assert_eq!(joint, PartyGuess::One("AM".into()));
    }
}
