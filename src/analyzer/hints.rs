//! "Did you mean" for the names that name nothing, added once the whole
//! ledger has been read.
//!
//! A hint compares the unknown name with every declared id of its kind. Made
//! where each name is met, that work would be repeated for every use of the
//! same misspelling, on every thread, and a hostile ledger of many distinct
//! unknown names against many declarations would take time in the product
//! of the two. Made here instead: each distinct name is compared once, the
//! names are taken in ledger order (so which of them get a hint never
//! depends on how the work was split between threads), and one
//! [`Suggester`] per kind bounds the work of all of them together.

use rustc_hash::FxHashMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Ledger;
use crate::source::SourceMap;
use crate::suggest::{self, Suggester};
use crate::syntax::DeclarationKind;

/// What a name can fail to name: a declaration of a kind, or an
/// engagement's `id:` (through `reciprocates:`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    Declaration(DeclarationKind),
    Engagement,
}

impl Target {
    fn of(code: Code) -> Option<Target> {
        if code == Code::UndeclaredEntry {
            return Some(Target::Engagement);
        }
        DeclarationKind::ALL
            .into_iter()
            .find(|&kind| undeclared_code(kind) == code)
            .map(Target::Declaration)
    }

    /// The hint when no declared name is near.
    fn fallback(self, id: &str) -> String {
        match self {
            Target::Declaration(kind) => format!("declare it: `{} {id} Display name`", kind.keyword()),
            Target::Engagement => "name the `id:` of an earlier engagement".to_owned(),
        }
    }
}

/// The code of a reference to an undeclared `kind`.
pub(super) fn undeclared_code(kind: DeclarationKind) -> Code {
    match kind {
        DeclarationKind::Party => Code::UndeclaredParty,
        DeclarationKind::Org => Code::UndeclaredOrg,
        DeclarationKind::Person => Code::UndeclaredPerson,
        DeclarationKind::Format => Code::UndeclaredFormat,
        DeclarationKind::Series => Code::UndeclaredSeries,
    }
}

/// Gives every diagnostic of an unknown name that has no help yet its hint:
/// the nearest declared name of its kind, or how to declare one.
/// `engagement_ids` are the ids of engagements, in ledger order.
pub(super) fn add<'a>(
    sources: &'a SourceMap,
    ledger: &Ledger<'a>,
    engagement_ids: impl FnOnce() -> Vec<&'a str>,
    diagnostics: &mut [Diagnostic],
) {
    let mut wanting: Vec<(usize, Target)> = diagnostics
        .iter()
        .enumerate()
        .filter(|(_, diagnostic)| diagnostic.help.is_none())
        .filter_map(|(at, diagnostic)| Some((at, Target::of(diagnostic.code)?)))
        .collect();
    if wanting.is_empty() {
        return;
    }
    wanting.sort_by_key(|&(at, _)| {
        let location = diagnostics[at].location;
        (location.file, location.span.start)
    });
    let mut engagement_ids = Some(engagement_ids);
    let mut suggesters: FxHashMap<Target, Suggester<'a>> = FxHashMap::default();
    let mut known: FxHashMap<(Target, &'a str), Option<String>> = FxHashMap::default();
    for (at, target) in wanting {
        let location = diagnostics[at].location;
        let id = sources.get(location.file).slice(location.span);
        let hint = known
            .entry((target, id))
            .or_insert_with(|| {
                let suggester = suggesters.entry(target).or_insert_with(|| match target {
                    Target::Declaration(kind) => Suggester::new(ledger.declared_ids(kind)),
                    Target::Engagement => Suggester::new(engagement_ids.take().map(|ids| ids()).unwrap_or_default()),
                });
                suggester.nearest(id).map(suggest::hint)
            })
            .clone();
        diagnostics[at].help = Some(hint.unwrap_or_else(|| target.fallback(id)));
    }
}

#[cfg(test)]
mod tests {
    use crate::AnalysisOptions;

    fn hints(text: &str) -> Vec<(String, String)> {
        let loaded = crate::loader::load_bytes("t.track2", text.as_bytes().to_vec()).unwrap();
        let options = AnalysisOptions {
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        };
        let analysis = crate::check(&loaded, &options);
        analysis
            .diagnostics
            .iter()
            .map(|diagnostic| {
                (
                    diagnostic.code.as_str().to_owned(),
                    diagnostic.help.clone().unwrap_or_default(),
                )
            })
            .collect()
    }

    const DECLARED: &str = "party AM Armenia\nparty AZ Azerbaijan\nformat forum Forum\n\
                            person rusif-huseynov Rusif Huseynov\n  party: AZ\n\n";

    #[test]
    fn each_unknown_name_gets_the_nearest_of_its_kind_or_how_to_declare_it() {
        let text = format!(
            "{DECLARED}2025-11-04 az -> AM Forum\n  format: forum\n  participants: rusif-huseinov, rusif-huseinov\n\n\
             2025-11-05 AZ -> AM Forum\n  format: forun\n  participants: zaur-shiriyev\n  reciprocates: nowhere\n"
        );
        let found = hints(&text);
        let expected = [
            ("undeclared-party", "did you mean `AZ`?"),
            ("undeclared-person", "did you mean `rusif-huseynov`?"),
            ("undeclared-person", "did you mean `rusif-huseynov`?"),
            ("undeclared-format", "did you mean `forum`?"),
            ("undeclared-person", "declare it: `person zaur-shiriyev Display name`"),
            ("undeclared-entry", "name the `id:` of an earlier engagement"),
        ];
        for (code, help) in expected {
            assert!(
                found.iter().any(|(c, h)| c == code && h == help),
                "{code}: {help} not in {found:?}"
            );
        }
        assert!(found.iter().all(|(_, help)| !help.is_empty()), "{found:?}");
    }

    #[test]
    fn a_misspelt_reciprocates_target_is_matched_against_engagement_ids() {
        let text = format!(
            "{DECLARED}2025-11-04 AZ -> AM Forum\n  id: pb-1\n  format: forum\n\n\
             2025-12-04 AM -> AZ Forum\n  format: forum\n  reciprocates: pb-l\n"
        );
        assert!(hints(&text).contains(&("undeclared-entry".to_owned(), "did you mean `pb-1`?".to_owned())));
    }
}
