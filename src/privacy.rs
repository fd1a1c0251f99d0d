//! What a public output may show. Every report, the export and the masked
//! check output go through a [`View`], so privacy is decided in one place
//! and no output can forget it.
//!
//! The rules (README, "Confidential records"):
//! - an engagement marked `confidential: private`, or under an `embargo`
//!   whose last day is after the as-of date, is *withheld*: absent from every
//!   output, counts and totals included;
//! - in an engagement marked `confidential: chatham-house`, nobody is named:
//!   participants and those met are counted per party instead;
//! - a person marked `private: yes` is never named anywhere; they still count;
//! - a person is *disclosed* (may appear by name, role and affiliation) only
//!   if named in at least one engagement that is neither withheld nor under
//!   the Chatham House Rule; an org only if it sponsors such an engagement,
//!   is the org of a disclosed person, or is the org of no person at all.
//!
//! With `reveal` (`--include-private`) everything is shown, and every output
//! says so.

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::filter::Filter;
use crate::model::{
    Confidentiality, Engagement, EngagementIndex, Headcount, Ledger, OrgIndex, Participant, PartyIndex, PersonIndex,
};
use crate::{Analysis, AnalysisOptions, Diagnostic, Keep, Loaded};

#[derive(Clone, Copy, Debug)]
pub struct Disclosure {
    /// Show everything, private records included.
    pub reveal: bool,
    /// The day embargoes are compared with: see [`Disclosure::new`].
    pub as_of: NaiveDate,
}

impl Disclosure {
    /// An embargo holds while the real date is before its end, whatever
    /// `--as-of` says: a later as-of date would otherwise lift it without
    /// `--include-private`, and stepping it through a public output's
    /// withheld count would tell the embargo's end. An earlier as-of date
    /// (a CI run pinned to a day) still holds an embargo that day had.
    pub fn new(reveal: bool, as_of: NaiveDate, today: NaiveDate) -> Disclosure {
        Disclosure {
            reveal,
            as_of: as_of.min(today),
        }
    }
}

/// The engagements an output may count, and what it may say about them.
pub struct View<'l, 'a> {
    pub ledger: &'l Ledger<'a>,
    /// Visible engagements that pass the filter, in ledger order.
    pub engagements: Vec<EngagementIndex>,
    /// How many engagements of the whole ledger are withheld. Counted
    /// without the filter: counting under a filter would let a user narrow
    /// dates and directions until a withheld engagement showed through.
    pub withheld: usize,
    pub reveal: bool,
    as_of: NaiveDate,
    disclosed_persons: Vec<bool>,
    disclosed_orgs: Vec<bool>,
}

/// What one piece of the engagements contributes to a [`View`].
struct Pass {
    engagements: Vec<EngagementIndex>,
    withheld: usize,
    /// Persons named in a shown engagement, who are not private.
    persons: Vec<bool>,
    /// Orgs sponsoring a shown engagement.
    orgs: Vec<bool>,
}

impl Pass {
    fn over(ledger: &Ledger<'_>, disclosure: Disclosure, filter: &Filter<'_>, piece: std::ops::Range<usize>) -> Pass {
        let mut pass = Pass {
            engagements: Vec::new(),
            withheld: 0,
            persons: vec![false; ledger.persons.len()],
            orgs: vec![false; ledger.orgs.len()],
        };
        for index in piece {
            let engagement = ledger.engagement(EngagementIndex(index as u32));
            if !disclosure.reveal && is_withheld(engagement, disclosure.as_of) {
                pass.withheld += 1;
                continue;
            }
            if filter.matches(engagement) {
                pass.engagements.push(EngagementIndex(index as u32));
            }
            if disclosure.reveal {
                continue;
            }
            for &org in engagement.sponsors() {
                pass.orgs[org.get()] = true;
            }
            if engagement.confidential() == Some(Confidentiality::ChathamHouse) {
                continue;
            }
            for person in persons_of(engagement) {
                pass.persons[person.get()] |= !ledger.person(person).private;
            }
        }
        pass
    }
}

/// A block of the ledger whose content no public output may show: an
/// engagement marked `confidential: private` or under an embargo, or a
/// person marked `private:`. Found from the block's fields as written, so
/// that a block whose header is broken is known too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WithheldBlock {
    pub extent: crate::source::Location,
    /// The embargo's last day; `None` when withheld for good (or when the
    /// embargo cannot be read: in doubt, withhold).
    pub until: Option<NaiveDate>,
}

impl WithheldBlock {
    fn holds(&self, disclosure: Disclosure) -> bool {
        !disclosure.reveal && self.until.is_none_or(|until| until > disclosure.as_of)
    }
}

/// Whether the fields of `block` (an engagement's or a person's) withhold
/// it, and until when: `Some(None)` for good.
pub(crate) fn withheld_by_fields(text: &str, block: &crate::syntax::Block) -> Option<Option<NaiveDate>> {
    let mut withheld = None;
    for field in block.fields() {
        let value = &text[field.value.range()];
        match &text[field.key.range()] {
            "confidential" if value == "private" => return Some(None),
            "private" => return Some(None),
            "embargo" => match crate::date::DateSpec::parse(value) {
                Ok(date) => withheld = Some(Some(date.last_day())),
                Err(_) => return Some(None),
            },
            _ => {}
        }
    }
    withheld
}

/// Whether a whole engagement is kept out of public outputs.
pub fn is_withheld(engagement: Engagement<'_, '_>, as_of: NaiveDate) -> bool {
    engagement.confidential() == Some(Confidentiality::Private)
        || engagement.embargo().is_some_and(|embargo| embargo.last_day() > as_of)
}

/// Somebody on one side of an engagement, as an output may show them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    Person(PersonIndex),
    /// `+N PARTY` as the ledger writes it: people never named.
    Unnamed {
        party: PartyIndex,
        count: Headcount,
    },
    /// People the ledger names but this output may not, counted per party.
    Withheld {
        party: Option<PartyIndex>,
        count: u32,
    },
}

impl<'l, 'a> View<'l, 'a> {
    pub fn new(ledger: &'l Ledger<'a>, disclosure: Disclosure, filter: &Filter<'_>) -> View<'l, 'a> {
        let pieces = crate::parallel::engagement_pieces(ledger.engagement_count());
        View::in_pieces(ledger, disclosure, filter, pieces)
    }

    /// The view of `spec`, its ids resolved among those the view may name
    /// (see [`Filter::resolve`]): disclosure is decided on the whole ledger,
    /// then the filter picks among the visible engagements.
    pub fn filtered(
        ledger: &'l Ledger<'a>,
        disclosure: Disclosure,
        spec: &crate::filter::FilterSpec,
    ) -> Result<View<'l, 'a>, crate::filter::UnknownName> {
        View::filtered_by(ledger, disclosure, spec).map(|(view, _)| view)
    }

    /// [`View::filtered`], and the filter as resolved, which an output
    /// describes in its caption.
    pub fn filtered_by(
        ledger: &'l Ledger<'a>,
        disclosure: Disclosure,
        spec: &crate::filter::FilterSpec,
    ) -> Result<(View<'l, 'a>, Filter<'a>), crate::filter::UnknownName> {
        let mut view = View::new(ledger, disclosure, &Filter::default());
        let filter = Filter::resolve(spec, &view)?;
        view.engagements
            .retain(|&index| filter.matches(ledger.engagement(index)));
        Ok((view, filter))
    }

    /// One pass over the engagements, cut in `pieces` (one per core on a
    /// large ledger): each piece finds its visible engagements and whom they
    /// name, and the pieces are joined in order.
    fn in_pieces(
        ledger: &'l Ledger<'a>,
        disclosure: Disclosure,
        filter: &Filter<'_>,
        pieces: Vec<std::ops::Range<usize>>,
    ) -> View<'l, 'a> {
        let passes = crate::parallel::map(pieces, |piece| Pass::over(ledger, disclosure, filter, piece));
        let mut disclosed_persons = vec![disclosure.reveal; ledger.persons.len()];
        let mut disclosed_orgs = vec![disclosure.reveal; ledger.orgs.len()];
        let mut withheld = 0;
        let mut engagements = Vec::with_capacity(passes.iter().map(|pass| pass.engagements.len()).sum());
        for pass in passes {
            engagements.extend(pass.engagements);
            withheld += pass.withheld;
            for (disclosed, named) in disclosed_persons.iter_mut().zip(pass.persons) {
                *disclosed |= named;
            }
            for (disclosed, sponsoring) in disclosed_orgs.iter_mut().zip(pass.orgs) {
                *disclosed |= sponsoring;
            }
        }
        if !disclosure.reveal {
            let mut has_members = vec![false; ledger.orgs.len()];
            for (person, record) in ledger.persons.iter().enumerate() {
                if let Some(org) = record.org {
                    has_members[org.get()] = true;
                    disclosed_orgs[org.get()] |= disclosed_persons[person];
                }
            }
            for (org, has_members) in has_members.into_iter().enumerate() {
                disclosed_orgs[org] |= !has_members;
            }
        }
        View {
            ledger,
            engagements,
            withheld,
            reveal: disclosure.reveal,
            as_of: disclosure.as_of,
            disclosed_persons,
            disclosed_orgs,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Engagement<'l, 'a>> + '_ {
        let ledger = self.ledger;
        self.engagements.iter().map(move |&index| ledger.engagement(index))
    }

    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    pub fn is_person_disclosed(&self, person: PersonIndex) -> bool {
        self.disclosed_persons[person.get()]
    }

    pub fn is_org_disclosed(&self, org: OrgIndex) -> bool {
        self.disclosed_orgs[org.get()]
    }

    /// Whether `person` may be named as taking part in `engagement`.
    pub fn names(&self, engagement: Engagement<'_, '_>, person: PersonIndex) -> bool {
        self.reveal
            || (engagement.confidential() != Some(Confidentiality::ChathamHouse) && !self.ledger.person(person).private)
    }

    /// The participants of `engagement` as they may be shown, in ledger
    /// order, with those who may not be named counted per party at the end
    /// (parties in order of first appearance).
    pub fn participants(&self, engagement: Engagement<'_, '_>) -> Vec<Shown> {
        let people = engagement.participants().map(|participant| match participant {
            Participant::Person(person) => Shown::Person(person),
            Participant::Unnamed { party, count } => Shown::Unnamed { party, count },
        });
        self.show(engagement, people)
    }

    /// Those `engagement` met, as they may be shown (see [`View::participants`]).
    pub fn met(&self, engagement: Engagement<'_, '_>) -> Vec<Shown> {
        self.show(engagement, engagement.met().iter().map(|&person| Shown::Person(person)))
    }

    fn show(&self, engagement: Engagement<'_, '_>, people: impl Iterator<Item = Shown>) -> Vec<Shown> {
        let mut shown = Vec::new();
        let mut withheld: Vec<(Option<PartyIndex>, u32)> = Vec::new();
        for person in people {
            match person {
                Shown::Person(index) if !self.names(engagement, index) => {
                    let party = self.ledger.person(index).party;
                    match withheld.iter_mut().find(|(known, _)| *known == party) {
                        Some((_, count)) => *count += 1,
                        None => withheld.push((party, 1)),
                    }
                }
                other => shown.push(other),
            }
        }
        shown.extend(
            withheld
                .into_iter()
                .map(|(party, count)| Shown::Withheld { party, count }),
        );
        shown
    }

    /// The placeholder that stands where a person may not be named.
    pub fn placeholder(&self, party: Option<PartyIndex>) -> String {
        match party {
            Some(party) => format!("participant ({})", self.ledger.party(party).id),
            None => "participant (no party)".to_owned(),
        }
    }

    /// Every string a public output must not contain because it would name
    /// or describe a record kept private: the ids, names, aliases and roles
    /// of private persons and of anyone named in a withheld or Chatham House
    /// engagement (even if named elsewhere too: a diagnostic about that
    /// engagement would tie them to it); the ids and names of orgs known only
    /// through private persons; and the ids, titles, venues, notes and
    /// sources of withheld engagements. Empty when everything is revealed.
    pub fn sensitive_strings(&self) -> HashSet<&'a str> {
        let mut sensitive = self.undisclosed_private_orgs();
        if self.reveal {
            return sensitive;
        }
        let ledger = self.ledger;
        let add_person = |sensitive: &mut HashSet<&'a str>, person: PersonIndex| {
            let person = ledger.person(person);
            sensitive.extend([person.id, person.name]);
            sensitive.extend(person.aliases.iter().copied());
            sensitive.extend(person.role);
        };
        for (index, person) in ledger.persons.iter().enumerate() {
            if !person.private {
                continue;
            }
            add_person(&mut sensitive, PersonIndex(index as u32));
        }
        for engagement in ledger.engagements() {
            let withheld = is_withheld(engagement, self.as_of);
            if withheld || engagement.confidential() == Some(Confidentiality::ChathamHouse) {
                for person in persons_of(engagement) {
                    add_person(&mut sensitive, person);
                }
            }
            if withheld {
                sensitive.extend(engagement.id());
                sensitive.insert(engagement.title());
                sensitive.extend(engagement.venue());
                sensitive.extend(engagement.notes());
                sensitive.extend(engagement.sources());
            }
        }
        sensitive
    }

    /// The ids and names of private persons' orgs that nothing in this view
    /// discloses. They are part of [`View::sensitive_strings`], and the only
    /// part that depends on engagements that are not confidential: an org
    /// is disclosed by a public engagement it sponsors or names a member of.
    pub fn undisclosed_private_orgs(&self) -> HashSet<&'a str> {
        let mut orgs = HashSet::new();
        if self.reveal {
            return orgs;
        }
        for person in self.ledger.persons.iter().filter(|person| person.private) {
            if let Some(org) = person.org.filter(|org| !self.disclosed_orgs[org.get()]) {
                let org = self.ledger.org(org);
                orgs.extend([org.id, org.name]);
            }
        }
        orgs
    }
}

/// Everyone named in `engagement`: participants, then those met.
fn persons_of<'l>(engagement: Engagement<'l, '_>) -> impl Iterator<Item = PersonIndex> + 'l {
    engagement
        .participants()
        .filter_map(|participant| match participant {
            Participant::Person(person) => Some(person),
            Participant::Unnamed { .. } => None,
        })
        .chain(engagement.met().iter().copied())
}

/// The diagnostics of `analysis` as a public output may show them, which is
/// what `check --format json|github` prints: every private value they quote
/// masked. An analysis that kept the confidential engagements
/// ([`Keep::Confidential`] or [`Keep::Ledger`]) knows every private value;
/// only when a diagnostic quotes a private person's org, which a public
/// engagement it did not keep may disclose, or when it kept nothing, is
/// `loaded` analysed again, whole, to decide.
pub fn public_diagnostics(loaded: &Loaded, disclosure: Disclosure, analysis: &Analysis<'_>) -> Vec<Diagnostic> {
    let diagnostics = &analysis.diagnostics;
    if diagnostics.is_empty() || disclosure.reveal {
        return diagnostics.clone();
    }
    let generic = in_withheld_blocks(diagnostics, &analysis.withheld_blocks, disclosure);
    let everything = Filter::default();
    if analysis.kept != Keep::Diagnostics {
        let view = View::new(&analysis.ledger, disclosure, &everything);
        if analysis.kept >= Keep::Ledger || !quotes_any(&generic, &view.undisclosed_private_orgs()) {
            return mask(&generic, &view.sensitive_strings());
        }
    }
    let options = AnalysisOptions {
        as_of: disclosure.as_of,
    };
    let whole = crate::check(loaded, &options);
    let view = View::new(&whole.ledger, disclosure, &everything);
    mask(&generic, &view.sensitive_strings())
}

/// What a public output says of a diagnostic about a withheld record.
pub const WITHHELD_PROBLEM: &str = "a problem in a withheld record (confidential or under embargo)";

/// `diagnostics`, each that lies in a withheld block, or points at one,
/// reduced to its code and place: its message, label and hint would quote
/// the record (an id met, a source's address, a date) and its related places
/// would locate another.
fn in_withheld_blocks(diagnostics: &[Diagnostic], blocks: &[WithheldBlock], disclosure: Disclosure) -> Vec<Diagnostic> {
    let mut holding: Vec<crate::source::Location> = blocks
        .iter()
        .filter(|block| block.holds(disclosure))
        .map(|block| block.extent)
        .collect();
    holding.sort_unstable();
    let inside = |location: crate::source::Location| {
        let after =
            holding.partition_point(|extent| (extent.file, extent.span.start) <= (location.file, location.span.start));
        after > 0 && {
            let extent = holding[after - 1];
            extent.file == location.file && location.span.end <= extent.span.end
        }
    };
    diagnostics
        .iter()
        .map(|diagnostic| {
            let points_inside = diagnostic.related.iter().any(|related| inside(related.location));
            if !inside(diagnostic.location) && !points_inside {
                return diagnostic.clone();
            }
            let mut generic = Diagnostic::new(
                diagnostic.code,
                diagnostic.location.file,
                diagnostic.location.span,
                WITHHELD_PROBLEM,
            )
            .with_help("`track2 check` shows it, and `--include-private` in this output");
            generic.related = diagnostic
                .related
                .iter()
                .filter(|related| !inside(related.location))
                .cloned()
                .collect();
            generic
        })
        .collect()
}

/// What stands in a masked message where a private value stood.
pub const MASK: &str = "[withheld]";

/// The values a message quotes: the pieces between backticks.
fn quoted(text: &str) -> impl Iterator<Item = &str> {
    text.split('`').skip(1).step_by(2)
}

/// Whether any diagnostic quotes one of `values` in its message, label, hint
/// or related notes: what [`mask`] would replace.
fn quotes_any(diagnostics: &[Diagnostic], values: &HashSet<&str>) -> bool {
    diagnostics.iter().any(|diagnostic| {
        std::iter::once(diagnostic.message.as_str())
            .chain(diagnostic.label.as_deref())
            .chain(diagnostic.help.as_deref())
            .chain(diagnostic.related.iter().map(|related| related.message.as_str()))
            .flat_map(quoted)
            .any(|value| values.contains(value))
    })
}

/// `diagnostics` with every quoted value (text between backticks) that is in
/// `sensitive` replaced by [`MASK`], in messages, labels and hints. Messages
/// quote every value they repeat from the ledger, so this finds them all
/// without touching the rest of the wording.
pub fn mask(diagnostics: &[crate::Diagnostic], sensitive: &HashSet<&str>) -> Vec<crate::Diagnostic> {
    let mask_text = |text: &str| -> String {
        let mut out = String::with_capacity(text.len());
        let mut parts = text.split('`');
        out.push_str(parts.next().unwrap_or_default());
        for (index, part) in parts.enumerate() {
            out.push('`');
            // Odd pieces are inside backticks, even ones outside.
            let quoted = index % 2 == 0;
            out.push_str(if quoted && sensitive.contains(part) { MASK } else { part });
        }
        out
    };
    diagnostics
        .iter()
        .map(|diagnostic| {
            let mut masked = diagnostic.clone();
            masked.message = mask_text(&diagnostic.message);
            masked.label = diagnostic.label.as_deref().map(mask_text);
            // A hint that names something withheld ("did you mean
            // `[withheld]`?") helps no one: it is left out.
            masked.help = diagnostic
                .help
                .as_deref()
                .filter(|help| mask_text(help) == *help)
                .map(str::to_owned);
            for related in &mut masked.related {
                related.message = mask_text(&related.message);
            }
            masked
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Diagnostic};
    use crate::filter::Filter;
    use crate::source::{FileId, Span};

    fn sensitive_of(text: &str) -> Vec<String> {
        let as_of = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let loaded = crate::loader::load_bytes("t.track2", text.as_bytes().to_vec()).unwrap();
        let analysis = crate::check(&loaded, &crate::AnalysisOptions { as_of });
        assert!(analysis.diagnostics.is_empty(), "{:?}", analysis.diagnostics);
        let view = View::new(
            &analysis.ledger,
            Disclosure { reveal: false, as_of },
            &Filter::default(),
        );
        let mut sensitive: Vec<String> = view.sensitive_strings().into_iter().map(str::to_owned).collect();
        sensitive.sort();
        sensitive
    }

    #[test]
    fn sensitive_strings_cover_withheld_engagements_and_their_people() {
        let text = "party AM A\nparty AZ B\nformat f F\nperson p P Name\nperson q Q Name\n  role: Envoy\n\
                    2025 AM -> AZ Hidden talks\n  id: h\n  format: f\n  embargo: 2027\n  venue: Hall\n  participants: p\n\
                    2025 AZ -> AM Open talks\n  format: f\n  participants: q\n";
        assert_eq!(sensitive_of(text), ["Hall", "Hidden talks", "P Name", "h", "p"]);
    }

    #[test]
    fn sensitive_strings_cover_private_people_and_chatham_house_names() {
        let text = "party AM A\nparty AZ B\nformat f F\norg o Lonely Org\norg s Shared Org\n\
                    person p P Name\n  org: o\n  private: yes\n  alias: Pe\nperson q Q Name\n  org: s\n\
                    person r R Name\n  org: s\n\
                    2025 AM -> AZ Closed\n  format: f\n  confidential: chatham-house\n  participants: q\n\
                    2025 AM -> AZ Open\n  format: f\n  participants: r\n";
        // Shared Org is disclosed through r; Lonely Org only through p.
        assert_eq!(
            sensitive_of(text),
            ["Lonely Org", "P Name", "Pe", "Q Name", "o", "p", "q"]
        );
    }

    /// What `public_diagnostics` makes of `text`'s diagnostics after an
    /// analysis that kept `keep`, as the messages a public output shows.
    fn public_messages(text: &str, keep: Keep) -> Vec<String> {
        let options = crate::AnalysisOptions {
            as_of: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        };
        let loaded = crate::loader::load_bytes("t.track2", text.as_bytes().to_vec()).unwrap();
        let analysis = crate::analyze(&loaded, &options, keep);
        assert_eq!(analysis.kept, keep);
        public_diagnostics(&loaded, Disclosure::new(false, options.as_of, options.as_of), &analysis)
            .into_iter()
            .map(|diagnostic| format!("{} / {}", diagnostic.message, diagnostic.help.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn public_diagnostics_are_the_same_whatever_the_analysis_kept() {
        // p and p2 are private. Shared Org, p's, is disclosed by the open
        // engagement it sponsors, which Keep::Confidential does not keep;
        // Lonely Org is known only through p2; the closed engagement names q.
        let declarations = "party AM A\nparty AZ B\nformat f F\norg shared-org Shared Org\norg lonely-org Lonely Org\n\
                            person p P Name\n  org: shared-org\n  private: yes\n\
                            person p2 P2 Name\n  org: lonely-org\n  private: yes\nperson q Q Name\n\
                            2025 AM -> AZ Open\n  format: f\n  sponsors: shared-org\n\
                            2025 AZ -> AM Closed\n  format: f\n  confidential: chatham-house\n  participants: q\n";
        let cases = [
            (
                "  sponsors: shared-orgg\n",
                "undeclared org `shared-orgg`",
                "did you mean `shared-org`?",
            ),
            // A hint that would name something withheld is left out.
            ("  sponsors: lonely-orgg\n", "undeclared org `lonely-orgg`", ""),
            ("  met: qq\n", "undeclared person `qq`", ""),
        ];
        for (field, message, help) in cases {
            let text = format!("{declarations}2024 AM -> AZ Typo\n  format: f\n{field}");
            let whole = public_messages(&text, Keep::Ledger);
            assert_eq!(whole, [format!("{message} / {help}")]);
            for keep in [Keep::Confidential, Keep::Diagnostics] {
                assert_eq!(public_messages(&text, keep), whole, "{keep:?}, {field}");
            }
        }
    }

    #[test]
    fn a_view_made_in_pieces_is_the_view_made_whole() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/reports.track2")).unwrap();
        let as_of = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let loaded = crate::loader::load_bytes("t.track2", text.into_bytes()).unwrap();
        let analysis = crate::check(&loaded, &crate::AnalysisOptions { as_of });
        let count = analysis.ledger.engagement_count();
        for reveal in [false, true] {
            let disclosure = Disclosure { reveal, as_of };
            let whole = View::in_pieces(
                &analysis.ledger,
                disclosure,
                &Filter::default(),
                std::iter::once(0..count).collect(),
            );
            for threads in 2..=count {
                let pieces = crate::parallel::index_pieces(count, threads, 0);
                let cut = View::in_pieces(&analysis.ledger, disclosure, &Filter::default(), pieces);
                assert_eq!(cut.engagements, whole.engagements);
                assert_eq!(cut.withheld, whole.withheld);
                assert_eq!(cut.disclosed_persons, whole.disclosed_persons);
                assert_eq!(cut.disclosed_orgs, whole.disclosed_orgs);
            }
        }
    }

    #[test]
    fn masks_only_quoted_sensitive_values() {
        let diagnostic = Diagnostic::new(
            Code::ParticipantNotInOrigin,
            FileId(0),
            Span::default(),
            "participant `a3` is from `AM`, not `a3x`; a3 unquoted",
        )
        .with_help("did you mean `a3`?");
        let sensitive = HashSet::from(["a3"]);
        let masked = &mask(&[diagnostic], &sensitive)[0];
        assert_eq!(
            masked.message,
            "participant `[withheld]` is from `AM`, not `a3x`; a3 unquoted"
        );
        // A hint that would name it is left out: "did you mean `[withheld]`?"
        // helps no one.
        assert_eq!(masked.help, None);
    }
}
