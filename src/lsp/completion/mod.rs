//! Completion: declared ids of the kind the place takes, field keys the
//! block takes and does not have yet, the words of an enumerated value,
//! include paths, and a snippet for a new engagement.
//!
//! What is being typed is read from the text around the cursor
//! ([`super::text`]), not from the parse, because a line being typed is
//! usually not valid yet (`  participants: rusif-hu`, `2025-10-21 AZ -> `).
//! Every item carries a `textEdit` that replaces exactly the word under the
//! cursor, so that accepting `rusif-huseynov` over `rusif-hu|sey` leaves
//! one id, not two halves.

use lsp_server::ResponseError;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionParams, CompletionResponse, CompletionTextEdit,
    InsertTextFormat, TextEdit,
};

mod site;

use site::{CompletionSite, place_at, referenced};

use super::convert;
use super::session::{DocumentContext, Session};
use crate::index::Namespace;
use crate::model::Ledger;
use crate::schema::{self, BlockKind, FieldSpec, ValueKind};
use crate::source::Span;
use crate::syntax::DeclarationKind;

pub fn complete(session: &Session, params: CompletionParams) -> Result<Option<CompletionResponse>, ResponseError> {
    let at = params.text_document_position;
    let Some(context) = session.context(&at.text_document.uri) else {
        return Ok(None);
    };
    let offset = convert::offset(context.document.file(), at.position, context.encoding);
    let place = place_at(context.document.text(), offset);
    let items = items(&context, &place);
    Ok(Some(CompletionResponse::List(CompletionList {
        is_incomplete: false,
        items,
    })))
}

fn items(context: &DocumentContext<'_>, place: &CompletionSite) -> Vec<CompletionItem> {
    let ledger = context.analysed.map(|(snapshot, _)| &snapshot.analysis().ledger);
    let file = context.document.file();
    let edit = |token: Span, new_text: String| {
        Some(CompletionTextEdit::Edit(TextEdit {
            range: convert::range(file, token, context.encoding),
            new_text,
        }))
    };
    match place {
        CompletionSite::Nothing => Vec::new(),
        CompletionSite::Id {
            namespace,
            token,
            exclude,
            prefer,
        } => {
            let Some(ledger) = ledger else { return Vec::new() };
            candidates(ledger, *namespace, prefer)
                .into_iter()
                .filter(|candidate| !exclude.contains(&candidate.id))
                .map(|candidate| {
                    let new_text = candidate.id.clone();
                    candidate.item(edit(*token, new_text))
                })
                .collect()
        }
        CompletionSite::Destination { token, exclude } => {
            let mut items: Vec<CompletionItem> = ledger
                .map(|ledger| candidates(ledger, Namespace::Declaration(DeclarationKind::Party), &[]))
                .unwrap_or_default()
                .into_iter()
                .filter(|candidate| !exclude.contains(&candidate.id))
                .map(|candidate| {
                    let new_text = candidate.id.clone();
                    candidate.item(edit(*token, new_text))
                })
                .collect();
            for (word, detail) in [("online", "held online"), ("?", "host not known or not fixed yet")] {
                items.push(CompletionItem {
                    label: word.to_owned(),
                    kind: Some(CompletionItemKind::KEYWORD),
                    detail: Some(detail.to_owned()),
                    sort_text: Some(format!("2{word}")),
                    text_edit: edit(*token, word.to_owned()),
                    ..CompletionItem::default()
                });
            }
            items
        }
        CompletionSite::Key {
            kind,
            token,
            present,
            has_colon,
        } => schema::fields(*kind)
            .iter()
            .enumerate()
            .filter(|(_, spec)| spec.repeatable || !present.iter().any(|key| key == spec.key))
            .map(|(slot, spec)| {
                let new_text = if *has_colon {
                    spec.key.to_owned()
                } else {
                    format!("{}: ", spec.key)
                };
                CompletionItem {
                    label: spec.key.to_owned(),
                    kind: Some(CompletionItemKind::PROPERTY),
                    detail: Some(describe(*kind, spec)),
                    sort_text: Some(format!("{slot:02}")),
                    text_edit: edit(*token, new_text),
                    ..CompletionItem::default()
                }
            })
            .collect(),
        CompletionSite::Choice { words, token } => words
            .iter()
            .enumerate()
            .map(|(at, word)| CompletionItem {
                label: (*word).to_owned(),
                kind: Some(CompletionItemKind::ENUM_MEMBER),
                sort_text: Some(format!("{at:02}")),
                text_edit: edit(*token, (*word).to_owned()),
                ..CompletionItem::default()
            })
            .collect(),
        CompletionSite::IncludePath { token } => include_paths(context)
            .into_iter()
            .map(|path| CompletionItem {
                label: path.clone(),
                kind: Some(CompletionItemKind::FILE),
                text_edit: edit(*token, path),
                ..CompletionItem::default()
            })
            .collect(),
        CompletionSite::LineStart { token } => {
            let mut items: Vec<CompletionItem> = DeclarationKind::ALL
                .iter()
                .map(|kind| kind.keyword())
                .chain(["include"])
                .map(|keyword| CompletionItem {
                    label: keyword.to_owned(),
                    kind: Some(CompletionItemKind::KEYWORD),
                    text_edit: edit(*token, format!("{keyword} ")),
                    ..CompletionItem::default()
                })
                .collect();
            if context.settings.snippets {
                let date = context.today.format("%Y-%m-%d").to_string();
                items.push(CompletionItem {
                    label: "engagement".to_owned(),
                    kind: Some(CompletionItemKind::SNIPPET),
                    detail: Some("a new engagement block".to_owned()),
                    filter_text: Some(format!("{date} engagement")),
                    insert_text_format: Some(InsertTextFormat::SNIPPET),
                    text_edit: edit(*token, engagement_snippet(ledger, &date)),
                    ..CompletionItem::default()
                });
            }
            items
        }
    }
}

/// A new engagement: date, direction and title, then the required format
/// and the participants, the declared formats and parties offered as
/// choices.
fn engagement_snippet(ledger: Option<&Ledger<'_>>, date: &str) -> String {
    /// Beyond this many, a choice is a wall of ids; a placeholder is better.
    const MOST_CHOICES: usize = 30;
    let choice = |index: usize, ids: Vec<&str>, placeholder: &str| {
        if ids.is_empty() || ids.len() > MOST_CHOICES {
            format!("${{{index}:{placeholder}}}")
        } else {
            format!("${{{index}|{}|}}", ids.join(","))
        }
    };
    let parties: Vec<&str> = ledger.map_or_else(Vec::new, |ledger| ledger.parties.iter().map(|p| p.id).collect());
    let formats: Vec<&str> = ledger.map_or_else(Vec::new, |ledger| ledger.formats.iter().map(|f| f.id).collect());
    format!(
        "${{1:{date}}} {} -> {} ${{4:Title}}\n  format: {}\n  participants: $0",
        choice(2, parties.clone(), "FROM"),
        choice(3, parties, "TO"),
        choice(5, formats, "format"),
    )
}

/// What a field's value is, in a few words.
fn describe(kind: BlockKind, spec: &FieldSpec) -> String {
    let what = match (spec.value, referenced(kind, spec.key)) {
        (ValueKind::Id, Some(Namespace::Declaration(declared))) => format!("a {} id", declared.keyword()),
        (ValueKind::Id, Some(Namespace::Engagement)) => "an engagement id".to_owned(),
        (ValueKind::Id, _) => "an id".to_owned(),
        (ValueKind::IdList, Some(Namespace::Declaration(declared))) => format!("a list of {} ids", declared.keyword()),
        (ValueKind::IdList, _) => "a list of ids".to_owned(),
        (ValueKind::Participants, _) => "person ids and counts `+N PARTY`".to_owned(),
        (ValueKind::Text, _) => "text".to_owned(),
        (ValueKind::Url, _) => "an http(s) URL".to_owned(),
        (ValueKind::Date, _) => "a date".to_owned(),
        (ValueKind::Choice(words), _) => words.join(" | "),
        (ValueKind::Wikidata, _) => "a Wikidata item, Q…".to_owned(),
    };
    if spec.repeatable {
        format!("{what}; repeatable")
    } else {
        what
    }
}

/// One id that can be offered.
struct Candidate {
    id: String,
    detail: String,
    kind: CompletionItemKind,
    sort: String,
}

impl Candidate {
    fn item(self, text_edit: Option<CompletionTextEdit>) -> CompletionItem {
        CompletionItem {
            label: self.id,
            kind: Some(self.kind),
            detail: Some(self.detail),
            sort_text: Some(self.sort),
            text_edit,
            ..CompletionItem::default()
        }
    }
}

/// Every declared id of `namespace`, in ledger order, the people of the
/// `prefer`red parties first.
fn candidates(ledger: &Ledger<'_>, namespace: Namespace, prefer: &[String]) -> Vec<Candidate> {
    let sort = |first: bool, at: usize| format!("{}{at:06}", if first { 0 } else { 1 });
    let party_id = |party: Option<crate::model::PartyIndex>| party.map(|party| ledger.party(party).id);
    match namespace {
        Namespace::Declaration(DeclarationKind::Party) => ledger
            .parties
            .iter()
            .enumerate()
            .map(|(at, party)| Candidate {
                id: party.id.to_owned(),
                detail: party.name.to_owned(),
                kind: CompletionItemKind::MODULE,
                sort: sort(prefer.iter().any(|p| p == party.id), at),
            })
            .collect(),
        Namespace::Declaration(DeclarationKind::Org) => ledger
            .orgs
            .iter()
            .enumerate()
            .map(|(at, org)| Candidate {
                id: org.id.to_owned(),
                detail: joined(&[Some(org.name), party_id(org.party)]),
                kind: CompletionItemKind::CLASS,
                sort: sort(true, at),
            })
            .collect(),
        Namespace::Declaration(DeclarationKind::Person) => ledger
            .persons
            .iter()
            .enumerate()
            .map(|(at, person)| {
                let party = party_id(person.party);
                Candidate {
                    id: person.id.to_owned(),
                    detail: joined(&[Some(person.name), party, person.org.map(|org| ledger.org(org).id)]),
                    kind: CompletionItemKind::VARIABLE,
                    sort: sort(party.is_some_and(|party| prefer.iter().any(|p| p == party)), at),
                }
            })
            .collect(),
        Namespace::Declaration(kind @ (DeclarationKind::Format | DeclarationKind::Series)) => {
            let labels = if kind == DeclarationKind::Format {
                &ledger.formats
            } else {
                &ledger.series
            };
            labels
                .iter()
                .enumerate()
                .map(|(at, label)| Candidate {
                    id: label.id.to_owned(),
                    detail: label.name.to_owned(),
                    kind: CompletionItemKind::ENUM,
                    sort: sort(true, at),
                })
                .collect()
        }
        Namespace::Engagement => ledger
            .engagements()
            .filter_map(|engagement| {
                let id = engagement.id()?;
                Some(Candidate {
                    id: id.to_owned(),
                    detail: format!("{} {}", engagement.date_text(), engagement.title()),
                    kind: CompletionItemKind::EVENT,
                    sort: sort(true, engagement.index().get()),
                })
            })
            .collect(),
        Namespace::Tag => {
            let mut tags: Vec<&str> = ledger.engagements().flat_map(|engagement| engagement.tags()).collect();
            tags.sort_unstable();
            tags.dedup();
            tags.into_iter()
                .enumerate()
                .map(|(at, tag)| Candidate {
                    id: tag.to_owned(),
                    detail: "tag".to_owned(),
                    kind: CompletionItemKind::VALUE,
                    sort: sort(true, at),
                })
                .collect()
        }
    }
}

fn joined(parts: &[Option<&str>]) -> String {
    parts.iter().flatten().copied().collect::<Vec<_>>().join(" · ")
}

/// How many files and directories are looked at for include paths: a
/// document in a home directory must not walk the whole disk.
const MAX_PATH_ENTRIES: usize = 2_000;
const MAX_PATH_DEPTH: usize = 4;

/// The `*.track2` files below the document's directory, as an include in
/// it would name them.
fn include_paths(context: &DocumentContext<'_>) -> Vec<String> {
    use crate::fs::{Disk, FileKind, FileSystem};
    let Some(path) = &context.document.path else {
        return Vec::new();
    };
    let Some(directory) = path.parent() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut pending = vec![(directory.to_path_buf(), 0)];
    let mut seen = 0;
    while let Some((at, depth)) = pending.pop() {
        let Ok(entries) = Disk.read_dir(&at) else { continue };
        for entry in entries {
            seen += 1;
            if seen > MAX_PATH_ENTRIES {
                break;
            }
            match entry.kind {
                FileKind::Directory if depth < MAX_PATH_DEPTH => pending.push((entry.path, depth + 1)),
                FileKind::File if entry.path.extension().is_some_and(|e| e == crate::loader::EXTENSION) => {
                    if &entry.path == path {
                        continue;
                    }
                    let Ok(relative) = entry.path.strip_prefix(directory) else {
                        continue;
                    };
                    let parts: Option<Vec<&str>> =
                        relative.components().map(|part| part.as_os_str().to_str()).collect();
                    if let Some(parts) = parts {
                        let joined = parts.join("/");
                        if !joined.contains('"') {
                            found.push(joined);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::site::*;
    use super::*;
    use crate::index::Namespace::{Declaration, Engagement, Tag};
    use crate::lsp::text::{self, header_above, key_of, line_at};
    use crate::syntax::DeclarationKind::{Format, Org, Party, Person, Series};

    /// The place at the `|` of `text`.
    fn place_of(text: &str) -> (CompletionSite, String) {
        let offset = text.find('|').unwrap();
        let text = text.replacen('|', "", 1);
        (place_at(&text, offset), text)
    }

    fn token(place: &CompletionSite) -> Span {
        match place {
            CompletionSite::Id { token, .. }
            | CompletionSite::Destination { token, .. }
            | CompletionSite::Key { token, .. }
            | CompletionSite::Choice { token, .. }
            | CompletionSite::IncludePath { token }
            | CompletionSite::LineStart { token } => *token,
            CompletionSite::Nothing => panic!("no place"),
        }
    }

    fn at(text: &str) -> (CompletionSite, String) {
        let (place, text) = place_of(text);
        let word = text[token(&place).range()].to_owned();
        (place, word)
    }

    #[test]
    fn ids_in_every_list_position_with_the_token_under_the_cursor() {
        let block = "2025-10-21 AZ -> AM Talks\n  participants: ";
        let (place, word) = at(&format!("{block}rusif-hu|sey, ani\n"));
        assert_eq!(word, "rusif-husey");
        assert!(matches!(
            &place,
            CompletionSite::Id { namespace: Declaration(Person), exclude, prefer, .. }
                if exclude == &["ani"] && prefer == &["AZ"]
        ));
        let (place, word) = at(&format!("{block}ani, |\n"));
        assert_eq!(word, "");
        assert!(matches!(
            place,
            CompletionSite::Id {
                namespace: Declaration(Person),
                ..
            }
        ));
        let (place, word) = at(&format!("{block}ani, +3 A|\n"));
        assert_eq!(word, "A");
        assert!(matches!(
            place,
            CompletionSite::Id {
                namespace: Declaration(Party),
                ..
            }
        ));
        assert_eq!(
            place_at(&format!("{block}+3\n"), block.len() + 2),
            CompletionSite::Nothing
        );
        let (place, _) = at("2025 AZ -> AM T\n  met: |\n");
        assert!(matches!(place, CompletionSite::Id { namespace: Declaration(Person), prefer, .. } if prefer == ["AM"]));
        let (place, _) = at("2025 AZ -> AM T\n  sponsors: a, |b\n");
        assert!(matches!(
            place,
            CompletionSite::Id {
                namespace: Declaration(Org),
                ..
            }
        ));
        let (place, _) = at("2025 AZ -> AM T\n  format: dia|\n");
        assert!(matches!(
            place,
            CompletionSite::Id {
                namespace: Declaration(Format),
                ..
            }
        ));
        let (place, _) = at("2025 AZ -> AM T\n  series: |\n");
        assert!(matches!(
            place,
            CompletionSite::Id {
                namespace: Declaration(Series),
                ..
            }
        ));
        let (place, _) = at("2025 AZ -> AM T\n  reciprocates: pb|\n");
        assert!(matches!(
            place,
            CompletionSite::Id {
                namespace: Engagement,
                ..
            }
        ));
        let (place, _) = at("2025 AZ -> AM T\n  tags: |\n");
        assert!(matches!(place, CompletionSite::Id { namespace: Tag, .. }));
        let (place, _) = at("person p P\n  org: |\n");
        assert!(matches!(
            place,
            CompletionSite::Id {
                namespace: Declaration(Org),
                ..
            }
        ));
    }

    #[test]
    fn parties_in_a_direction() {
        let (place, word) = at("2025-10-21 AZ + A|M -> GE Talks\n");
        assert_eq!(word, "AM");
        assert!(
            matches!(&place, CompletionSite::Id { namespace: Declaration(Party), exclude, .. } if exclude == &["AZ", "GE"])
        );
        let (place, word) = at("2025-10-21 AZ -> |\n");
        assert_eq!(word, "");
        assert!(matches!(&place, CompletionSite::Destination { exclude, .. } if exclude == &["AZ"]));
        let (place, word) = at("2025-10-21 AZ->A|M Talks\n");
        assert_eq!(word, "AM");
        assert!(matches!(place, CompletionSite::Destination { .. }));
        let (place, _) = at("2025-10-21 AZ + |\n");
        assert!(matches!(
            place,
            CompletionSite::Id {
                namespace: Declaration(Party),
                ..
            }
        ));
        // In the title, nothing.
        assert_eq!(place_of("2025-10-21 AZ -> AM Tal|ks\n").0, CompletionSite::Nothing);
    }

    #[test]
    fn keys_values_and_line_starts() {
        let (place, word) = at("2025 AZ -> AM T\n  format: f\n  par|\n");
        assert_eq!(word, "par");
        assert!(
            matches!(&place, CompletionSite::Key { kind: BlockKind::Engagement, present, has_colon: false, .. } if present == &["format"])
        );
        let (place, word) = at("2025 AZ -> AM T\n  status: pl|\n");
        assert_eq!(word, "pl");
        assert!(matches!(place, CompletionSite::Choice { words, .. } if words.contains(&"planned")));
        let (place, word) = at("2025 AZ -> AM T\n  confidential: |\n");
        assert_eq!(word, "");
        assert!(matches!(place, CompletionSite::Choice { words, .. } if words.contains(&"chatham-house")));
        let (place, word) = at("include \"sub/a|.track2\"\n");
        assert_eq!(word, "sub/a.track2");
        assert!(matches!(place, CompletionSite::IncludePath { .. }));
        let (place, word) = at("per|\n");
        assert_eq!(word, "per");
        assert!(matches!(place, CompletionSite::LineStart { .. }));
        let (place, word) = at("202|\n");
        assert_eq!(word, "202");
        assert!(matches!(place, CompletionSite::LineStart { .. }));
        assert!(matches!(at("|").0, CompletionSite::LineStart { .. }));
        assert_eq!(place_of("# a comment |\n").0, CompletionSite::Nothing);
        assert_eq!(place_of("  # in a block |\n").0, CompletionSite::Nothing);
        assert_eq!(place_of("2025 AZ -> AM T\n  venue: Yer|\n").0, CompletionSite::Nothing);
    }

    #[test]
    fn half_typed_text_never_panics() {
        let texts = [
            "",
            "2",
            "2025-",
            "2025 ",
            "2025 AZ -",
            "2025 AZ ->",
            "2025 AZ -> ",
            "  ",
            "  :",
            "  participants:",
            "  participants: +",
            "  participants: +~",
            "  participants: + AZ",
            "include",
            "include \"",
            "party",
            "Հայ",
            "  Հ: ə",
            "2025 Հ -> ə 🕊",
            "\r\n\r\n  x",
            "#",
            "\u{feff}",
            "  participants: a,,,",
        ];
        for text in texts {
            for header in ["", "2025 AM -> AZ T\n", "person p P\n"] {
                let text = format!("{header}{text}");
                for offset in 0..=text.len() + 1 {
                    let _ = place_at(&text, offset);
                }
            }
        }
    }

    /// The fields completion says refer to a kind are those the analyzer
    /// resolves to that kind: every reference in the index, found in a
    /// field, agrees with `referenced`.
    #[test]
    fn referenced_agrees_with_the_analyzer() {
        let text = "party AM Armenia\nparty AZ Azerbaijan\norg gov-am Government\n  party: AM\n\
                    person ani Ani\n  party: AM\n  org: gov-am\nformat forum Forum\nseries s Series\n\
                    2025-01-01 AM -> AZ One\n  id: one\n  format: forum\n\
                    2025-02-01 AZ -> AM Two\n  format: forum\n  series: s\n  reciprocates: one\n  sponsors: gov-am\n\
                    \x20 participants: +2 AZ\n  met: ani\n  tags: t\n";
        let loaded = crate::loader::load_bytes("t.track2", text.as_bytes().to_vec()).unwrap();
        let options = crate::AnalysisOptions {
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        };
        let analysis = crate::analyze(&loaded, &options, crate::Keep::Index);
        assert!(analysis.diagnostics.is_empty(), "{:?}", analysis.diagnostics);
        let index = analysis.index.as_ref().unwrap();
        let mut checked = 0;
        for reference in index.all_references() {
            let start = reference.location.span.start as usize;
            let line = line_at(text, start);
            let Some(key) = key_of(&text[line.clone()]) else {
                continue;
            };
            let header = header_above(text, line.start).unwrap();
            let kind = text::block_kind(&text[header]).unwrap();
            let expected = if key == "participants" && text[line].contains('+') {
                Declaration(Party)
            } else {
                referenced(kind, key).expect("a referring field")
            };
            assert_eq!(reference.namespace, expected, "{key}");
            checked += 1;
        }
        assert_eq!(checked, 11);
    }
}
