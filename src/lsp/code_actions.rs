//! Quick fixes for the diagnostics under the cursor: replace a misspelt
//! id, key or value with the one the hint suggests; declare an undeclared
//! id (in the file that holds declarations of its kind); move a person of
//! the host's side from `participants:` to `met:`; add the missing
//! `format:` line.

use std::collections::HashMap;
use std::path::Path;

use lsp_server::ResponseError;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse, TextEdit, Url, WorkspaceEdit,
};

use super::convert;
use super::diagnostics;
use super::session::Session;
use super::snapshot::LedgerSnapshot;
use super::text::line_at;
use crate::diagnostic::{Code, Diagnostic};
use crate::index::Index;
use crate::parser;
use crate::position::Encoding;
use crate::source::{FileId, SourceFile, Span};
use crate::syntax::{self, Block, DeclarationKind, LineEnding, ListItem};

/// How many formats are offered for a missing `format:`: one action each.
const MOST_FORMATS_OFFERED: usize = 10;

pub fn code_actions(session: &Session, params: CodeActionParams) -> Result<Option<CodeActionResponse>, ResponseError> {
    if let Some(only) = &params.context.only {
        let quick_fixes = only
            .iter()
            .any(|kind| CodeActionKind::QUICKFIX.as_str().starts_with(kind.as_str()));
        if !quick_fixes {
            return Ok(Some(Vec::new()));
        }
    }
    let Some(context) = session.context(&params.text_document.uri) else {
        return Ok(None);
    };
    let Some((snapshot, file)) = context.analysed else {
        return Ok(None);
    };
    let encoding = context.encoding;
    let source = snapshot.source(file);
    let wanted = convert::span(source, params.range, encoding);
    let uri = &params.text_document.uri;
    let mut actions = Vec::new();
    for (diagnostic, shown) in diagnostics::of_file(snapshot, file, encoding) {
        let span = diagnostic.location.span;
        if span.start > wanted.end || wanted.start > span.end {
            continue;
        }
        let fix = |title: String, changes: HashMap<Url, Vec<TextEdit>>, preferred: bool| {
            CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![shown.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..WorkspaceEdit::default()
                }),
                command: None,
                is_preferred: Some(preferred),
                disabled: None,
                data: None,
            })
        };
        let in_this_file = |edits: Vec<TextEdit>| HashMap::from([(uri.clone(), edits)]);
        if let Some(suggested) = diagnostic.help.as_deref().and_then(suggestion) {
            let edit = TextEdit {
                range: shown.range,
                new_text: suggested.to_owned(),
            };
            actions.push(fix(
                format!("Replace with `{suggested}`"),
                in_this_file(vec![edit]),
                true,
            ));
        }
        if let Some(kind) = undeclared_kind(diagnostic.code) {
            let id = source.slice(span);
            if parser::is_id(id) {
                if let Some((target, edit)) = declaration(snapshot, file, kind, id, encoding) {
                    let title = format!("Declare {} `{id}` in {}", kind.keyword(), file_name(snapshot, target));
                    if let Some(target) = snapshot.uri(target) {
                        actions.push(fix(title, HashMap::from([(target.clone(), vec![edit])]), false));
                    }
                }
            }
        }
        match diagnostic.code {
            Code::ParticipantNotInOrigin => {
                if let Some(edits) = move_to_met(source, diagnostic, encoding) {
                    let title = format!("Move `{}` to `met:`", source.slice(span));
                    actions.push(fix(title, in_this_file(edits), true));
                }
            }
            Code::MissingField => {
                for format in snapshot.analysis().ledger.formats.iter().take(MOST_FORMATS_OFFERED) {
                    if let Some(edit) = add_format(source, span, format.id, encoding) {
                        let title = format!("Add `format: {}`", format.id);
                        actions.push(fix(title, in_this_file(vec![edit]), false));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(Some(actions))
}

/// The name a hint suggests, from the one wording every "did you mean"
/// hint has (`suggest::did_you_mean`): "did you mean `X`?".
fn suggestion(help: &str) -> Option<&str> {
    let rest = help.strip_prefix("did you mean `")?;
    let end = rest.find('`')?;
    Some(&rest[..end]).filter(|suggested| !suggested.is_empty())
}

fn undeclared_kind(code: Code) -> Option<DeclarationKind> {
    match code {
        Code::UndeclaredParty => Some(DeclarationKind::Party),
        Code::UndeclaredOrg => Some(DeclarationKind::Org),
        Code::UndeclaredPerson => Some(DeclarationKind::Person),
        Code::UndeclaredFormat => Some(DeclarationKind::Format),
        Code::UndeclaredSeries => Some(DeclarationKind::Series),
        _ => None,
    }
}

fn file_name(snapshot: &LedgerSnapshot, file: FileId) -> String {
    let name = snapshot.source(file).name();
    Path::new(name)
        .file_name()
        .map_or(name.to_owned(), |name| name.to_string_lossy().into_owned())
}

/// A display name to start from: `rusif-huseynov` reads `Rusif Huseynov`;
/// a party's id (`AM`) is left as it is.
fn name_from_id(kind: DeclarationKind, id: &str) -> String {
    if kind == DeclarationKind::Party {
        return id.to_owned();
    }
    id.split(['-', '_', '.'])
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A declaration of `id`, after the last declaration of its kind (or of
/// any kind, or at the top of the current file when there is none).
fn declaration(
    snapshot: &LedgerSnapshot,
    current: FileId,
    kind: DeclarationKind,
    id: &str,
    encoding: Encoding,
) -> Option<(FileId, TextEdit)> {
    let index: &Index<'_> = snapshot.index();
    let last = index.declarations(kind).last().or_else(|| {
        DeclarationKind::ALL
            .into_iter()
            .find_map(|other| index.declarations(other).last())
    });
    let declared = format!("{} {id} {}", kind.keyword(), name_from_id(kind, id));
    let (file, offset, new_text) = match last {
        Some(site) => {
            let file = site.block.file;
            let text = snapshot.source(file).text();
            let ending = LineEnding::of(text).as_str();
            let line = line_at(text, site.block.span.end as usize);
            match text[line.end..].find('\n') {
                Some(newline) => (file, line.end + newline + 1, format!("{ending}{declared}{ending}")),
                None => (file, text.len(), format!("{ending}{ending}{declared}{ending}")),
            }
        }
        None => {
            let text = snapshot.source(current).text();
            let ending = LineEnding::of(text).as_str();
            let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
            (current, start, format!("{declared}{ending}{ending}"))
        }
    };
    let position = convert::position(snapshot.source(file), offset, encoding);
    Some((
        file,
        TextEdit {
            range: lsp_types::Range {
                start: position,
                end: position,
            },
            new_text,
        },
    ))
}

/// The block of `document` whose header line starts at or before `offset`
/// and which holds it.
fn block_holding<'d>(blocks: impl Iterator<Item = &'d Block>, text: &str, offset: usize) -> Option<&'d Block> {
    blocks
        .take_while(|block| block.header_line.start as usize <= offset)
        .last()
        .filter(|block| block.extent(text).touches(offset))
}

fn edit(file: &SourceFile, span: Span, new_text: String, encoding: Encoding) -> TextEdit {
    TextEdit {
        range: convert::range(file, span, encoding),
        new_text,
    }
}

/// The start of the line after the one holding `offset`, or the end of
/// the text.
fn next_line(text: &str, offset: usize) -> usize {
    memchr::memchr(b'\n', &text.as_bytes()[offset..]).map_or(text.len(), |newline| offset + newline + 1)
}

/// Moves the participant at the diagnostic's span to the block's `met:`.
fn move_to_met(file: &SourceFile, diagnostic: &Diagnostic, encoding: Encoding) -> Option<Vec<TextEdit>> {
    let text = file.text();
    let span = diagnostic.location.span;
    let person = file.slice(span);
    if !parser::is_id(person) {
        // A count of unnamed people (`+3 AM`) has no place in `met:`.
        return None;
    }
    let (document, _) = parser::parse(FileId(0), text);
    let block = block_holding(document.blocks(), text, span.start as usize)?;
    let field = |key: &str| block.fields().find(|field| file.slice(field.key) == key);
    let participants = field("participants").filter(|field| field.value.touches(span.start as usize))?;
    let remaining: Vec<&str> = syntax::list_items(file.slice(participants.value), participants.value)
        .filter_map(|item| match item {
            ListItem::Item(item, at) if at != span => Some(item),
            _ => None,
        })
        .collect();
    let ending = LineEnding::of(text).as_str();
    let mut edits = Vec::new();
    match (remaining.is_empty(), field("met")) {
        (false, met) => {
            edits.push(edit(file, participants.value, remaining.join(", "), encoding));
            match met {
                Some(met) => edits.push(append(file, met.value, person, encoding)),
                None => {
                    let at = next_line(text, participants.value.end as usize);
                    let prefix = if at == text.len() && !text.ends_with('\n') {
                        ending
                    } else {
                        ""
                    };
                    edits.push(edit(
                        file,
                        Span::point(at),
                        format!("{prefix}  met: {person}{ending}"),
                        encoding,
                    ));
                }
            }
        }
        (true, Some(met)) => {
            let line = line_at(text, participants.key.start as usize);
            let whole = Span::new(line.start, next_line(text, line.start));
            edits.push(edit(file, whole, String::new(), encoding));
            edits.push(append(file, met.value, person, encoding));
        }
        (true, None) => {
            let both = Span::new(participants.key.start as usize, participants.value.end as usize);
            edits.push(edit(file, both, format!("met: {person}"), encoding));
        }
    }
    Some(edits)
}

/// `person` added at the end of the list `value`, unless it is there.
fn append(file: &SourceFile, value: Span, person: &str, encoding: Encoding) -> TextEdit {
    let present = syntax::list_items(file.slice(value), value)
        .any(|item| matches!(item, ListItem::Item(item, _) if item == person));
    let addition = match (present, value.is_empty()) {
        (true, _) => String::new(),
        (false, true) => person.to_owned(),
        (false, false) => format!(", {person}"),
    };
    edit(file, Span::point(value.end as usize), addition, encoding)
}

/// `format: FORMAT` for the engagement whose date is at `date`: after its
/// `id:` if it has one (the canonical order), else under its header.
fn add_format(file: &SourceFile, date: Span, format: &str, encoding: Encoding) -> Option<TextEdit> {
    let text = file.text();
    let (document, _) = parser::parse(FileId(0), text);
    let block = document.blocks().find(|block| block.header_line.start == date.start)?;
    let after = block
        .fields()
        .find(|field| file.slice(field.key) == "id")
        .map_or(block.header_line.end, |id| id.value.end) as usize;
    let at = next_line(text, after);
    let ending = LineEnding::of(text).as_str();
    let prefix = if at == text.len() && !text.ends_with('\n') {
        ending
    } else {
        ""
    };
    Some(edit(
        file,
        Span::point(at),
        format!("{prefix}  format: {format}{ending}"),
        encoding,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest;

    #[test]
    fn the_suggestion_is_read_back_from_the_one_wording_of_hints() {
        let help = suggest::did_you_mean("rusif-huseinov", ["rusif-huseynov"]).unwrap();
        assert_eq!(suggestion(&help), Some("rusif-huseynov"));
        assert_eq!(suggestion("did you mean `1.5`? allowed: `1`, `1.5`, `2`"), Some("1.5"));
        assert_eq!(suggestion("declare it: `person x Display name`"), None);
    }

    #[test]
    fn names_are_made_from_ids() {
        assert_eq!(
            name_from_id(DeclarationKind::Person, "rusif-huseynov"),
            "Rusif Huseynov"
        );
        assert_eq!(name_from_id(DeclarationKind::Org, "gov_am.mfa"), "Gov Am Mfa");
        assert_eq!(name_from_id(DeclarationKind::Party, "AM"), "AM");
    }

    fn apply(text: &str, edits: &[TextEdit]) -> String {
        let file = SourceFile::new("t", None, text.to_owned());
        let mut edits: Vec<(Span, &str)> = edits
            .iter()
            .map(|edit| {
                (
                    convert::span(&file, edit.range, Encoding::Utf16),
                    edit.new_text.as_str(),
                )
            })
            .collect();
        edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
        let mut out = text.to_owned();
        for (span, new_text) in edits {
            out.replace_range(span.range(), new_text);
        }
        out
    }

    fn moved(text: &str, person: &str) -> String {
        let file = SourceFile::new("t", None, text.to_owned());
        let start = text.rfind(person).unwrap();
        let diagnostic = Diagnostic::new(
            Code::ParticipantNotInOrigin,
            FileId(0),
            Span::new(start, start + person.len()),
            "",
        );
        apply(text, &move_to_met(&file, &diagnostic, Encoding::Utf16).unwrap())
    }

    #[test]
    fn a_host_side_participant_moves_to_met() {
        let header = "2025 AZ -> AM Talks\n  format: f\n";
        assert_eq!(
            moved(&format!("{header}  participants: a, ani\n"), "ani"),
            format!("{header}  participants: a\n  met: ani\n")
        );
        assert_eq!(
            moved(&format!("{header}  participants: ani, a\n  met: b\n"), "ani"),
            format!("{header}  participants: a\n  met: b, ani\n")
        );
        assert_eq!(
            moved(&format!("{header}  participants: ani\n  met: b\n"), "ani"),
            format!("{header}  met: b, ani\n")
        );
        assert_eq!(
            moved(&format!("{header}  participants: ani\n"), "ani"),
            format!("{header}  met: ani\n")
        );
    }

    #[test]
    fn a_missing_format_goes_after_the_id() {
        let text = "2025 AZ -> AM Talks\n  id: t\n  venue: Baku";
        let file = SourceFile::new("t", None, text.to_owned());
        let edit = add_format(&file, Span::new(0, 4), "forum", Encoding::Utf16).unwrap();
        assert_eq!(
            apply(text, &[edit]),
            "2025 AZ -> AM Talks\n  id: t\n  format: forum\n  venue: Baku"
        );
        let text = "2025 AZ -> AM Talks";
        let file = SourceFile::new("t", None, text.to_owned());
        let edit = add_format(&file, Span::new(0, 4), "forum", Encoding::Utf16).unwrap();
        assert_eq!(apply(text, &[edit]), "2025 AZ -> AM Talks\n  format: forum\n");
    }
}
