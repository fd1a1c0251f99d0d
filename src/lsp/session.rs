//! The server's state between messages: the open documents, the ledgers
//! they belong to with each one's latest analysis, and what the editor has
//! been sent. Notifications change it; requests read it.
//!
//! A ledger is analysed again when one of its files changes, after a pause
//! ([`Settings::diagnostic_delay`]) that every further change restarts, so
//! that a burst of typing is analysed once, with every queued edit in. A
//! request about a ledger with changes not yet analysed analyses it first:
//! an answer is never about text the editor no longer shows.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use lsp_server::{Message, Notification};
use lsp_types::notification::{LogMessage, Notification as _, PublishDiagnostics, ShowMessage};
use lsp_types::{LogMessageParams, MessageType, ShowMessageParams, TextDocumentContentChangeEvent, Url};

use super::diagnostics::{self, Published};
use super::document::OpenDocument;
use super::project::{self, Project};
use super::snapshot::LedgerSnapshot;
use crate::escape;
use crate::fs::Disk;
use crate::position::Encoding;
use crate::source::FileId;

/// Which open ledger: a number that is never reused while the server runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LedgerId(pub u32);

/// What the client asked for at `initialize`.
#[derive(Clone, Debug)]
pub struct Settings {
    pub inlay_hints: bool,
    /// How long the ledger must be left alone before it is analysed again.
    pub diagnostic_delay: Duration,
    /// Whether completion may offer snippets.
    pub snippets: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            inlay_hints: true,
            diagnostic_delay: Duration::from_millis(150),
            snippets: false,
        }
    }
}

/// A ledger some open document belongs to.
pub struct OpenLedger {
    pub project: Project,
    pub snapshot: Option<LedgerSnapshot>,
    /// When to analyse it again, if it changed since the last analysis.
    due: Option<Instant>,
}

pub struct Session {
    pub encoding: Encoding,
    pub settings: Settings,
    pub documents: HashMap<Url, OpenDocument>,
    /// The ledger each open document belongs to.
    membership: HashMap<Url, LedgerId>,
    ledgers: BTreeMap<LedgerId, OpenLedger>,
    next_ledger: u32,
    published: Published,
    /// Problems with a track2.toml already shown, so that each is shown once.
    shown: HashSet<String>,
    today: fn() -> NaiveDate,
    /// Notifications for the editor, sent by the main loop after each message.
    outbox: Vec<Message>,
}

/// What a request about one document works with.
pub struct DocumentContext<'s> {
    pub document: &'s OpenDocument,
    /// The document's ledger and the document's file in it, when the
    /// ledger could be read.
    pub analysed: Option<(&'s LedgerSnapshot, FileId)>,
    pub encoding: Encoding,
    pub settings: &'s Settings,
    pub today: NaiveDate,
}

impl Session {
    pub fn new(encoding: Encoding, settings: Settings, today: fn() -> NaiveDate) -> Session {
        Session {
            encoding,
            settings,
            documents: HashMap::new(),
            membership: HashMap::new(),
            ledgers: BTreeMap::new(),
            next_ledger: 0,
            published: Published::default(),
            shown: HashSet::new(),
            today,
            outbox: Vec::new(),
        }
    }

    /// The notifications gathered since the last call.
    pub fn take_outbox(&mut self) -> Vec<Message> {
        std::mem::take(&mut self.outbox)
    }

    pub fn log(&mut self, kind: MessageType, message: String) {
        self.outbox
            .push(Notification::new(LogMessage::METHOD.to_owned(), LogMessageParams { typ: kind, message }).into());
    }

    pub fn today(&self) -> NaiveDate {
        (self.today)()
    }

    pub fn open(&mut self, uri: Url, version: i32, text: String) {
        let document = OpenDocument::new(uri.clone(), version, text, &Disk);
        self.documents.insert(uri.clone(), document);
        self.assign(&uri);
        self.touch(&uri, Instant::now());
    }

    pub fn change(&mut self, uri: &Url, changes: Vec<TextDocumentContentChangeEvent>, version: i32) {
        let Some(document) = self.documents.get_mut(uri) else {
            return;
        };
        document.apply(changes, version, self.encoding);
        self.touch(uri, Instant::now() + self.settings.diagnostic_delay);
    }

    pub fn close(&mut self, uri: &Url) {
        // Its ledgers read it from disk again.
        self.touch(uri, Instant::now());
        self.documents.remove(uri);
        self.membership.remove(uri);
        self.drop_unused_ledgers();
    }

    /// Files changed on disk (a checkout, another program): every ledger may
    /// have changed, and so may which ledger a document belongs to.
    pub fn files_changed(&mut self) {
        let uris: Vec<Url> = self.documents.keys().cloned().collect();
        for uri in &uris {
            self.assign(uri);
        }
        let due = Instant::now() + self.settings.diagnostic_delay;
        for ledger in self.ledgers.values_mut() {
            ledger.due = Some(due);
        }
    }

    /// Marks for analysis at `due` (or sooner, if already due sooner) every
    /// ledger that reads the document.
    fn touch(&mut self, uri: &Url, due: Instant) {
        let own = self.membership.get(uri).copied();
        let canonical = self.documents.get(uri).and_then(|document| document.canonical.clone());
        for (id, ledger) in &mut self.ledgers {
            let reads = Some(*id) == own
                || canonical.as_deref().is_some_and(|canonical| {
                    ledger
                        .snapshot
                        .as_ref()
                        .is_some_and(|snapshot| snapshot.reads(canonical))
                });
            if reads {
                // A pending pause is restarted by further typing, but an
                // analysis asked for now is not put off by it.
                ledger.due = Some(match ledger.due {
                    Some(pending) if pending <= Instant::now() => pending,
                    _ => due,
                });
            }
        }
    }

    /// Finds the document's ledger, opening it if no other document has.
    fn assign(&mut self, uri: &Url) {
        let Some(document) = self.documents.get(uri) else {
            return;
        };
        let (project, config_error) = match (&document.path, &document.canonical) {
            (Some(path), Some(canonical)) => {
                let overlay = super::overlay::Overlay::new(
                    self.documents
                        .values()
                        .filter_map(|document| Some((document.canonical.as_deref()?, document.text()))),
                );
                let discovery = project::discover(&overlay, path, canonical);
                (discovery.project, discovery.config_error)
            }
            _ => (project::unsaved(uri), None),
        };
        if let Some(error) = config_error {
            let message = format!(
                "{error}\n(the ledger is found without it until it is fixed)",
                error = error
            );
            if self.shown.insert(message.clone()) {
                self.outbox.push(
                    Notification::new(
                        ShowMessage::METHOD.to_owned(),
                        ShowMessageParams {
                            typ: MessageType::WARNING,
                            message,
                        },
                    )
                    .into(),
                );
            }
        }
        let existing = self
            .ledgers
            .iter()
            .find(|(_, ledger)| ledger.project.key == project.key)
            .map(|(id, _)| *id);
        let id = match existing {
            Some(id) => id,
            None => {
                let id = LedgerId(self.next_ledger);
                self.next_ledger += 1;
                let name = match &document.path {
                    Some(path) => escape::path(path),
                    None => uri.to_string(),
                };
                self.log(
                    MessageType::INFO,
                    format!("{name}: reading {} as its ledger", project.found_by),
                );
                self.ledgers.insert(
                    id,
                    OpenLedger {
                        project,
                        snapshot: None,
                        due: Some(Instant::now()),
                    },
                );
                id
            }
        };
        if self.membership.insert(uri.clone(), id) != Some(id) {
            if let Some(ledger) = self.ledgers.get_mut(&id) {
                ledger.due = Some(Instant::now());
            }
        }
        self.drop_unused_ledgers();
    }

    fn drop_unused_ledgers(&mut self) {
        let used: HashSet<LedgerId> = self.membership.values().copied().collect();
        let unused: Vec<LedgerId> = self.ledgers.keys().filter(|id| !used.contains(id)).copied().collect();
        for id in unused {
            self.ledgers.remove(&id);
            let cleared = self.published.forget(id);
            self.publish(cleared);
        }
    }

    /// The earliest moment a ledger is due for analysis.
    pub fn next_due(&self) -> Option<Instant> {
        self.ledgers.values().filter_map(|ledger| ledger.due).min()
    }

    /// Analyses every ledger whose pause is over.
    pub fn analyse_due(&mut self) {
        let now = Instant::now();
        let due: Vec<LedgerId> = self
            .ledgers
            .iter()
            .filter(|(_, ledger)| ledger.due.is_some_and(|due| due <= now))
            .map(|(id, _)| *id)
            .collect();
        for id in due {
            self.analyse(id);
        }
    }

    /// Analyses the document's ledger now if it changed since it was last
    /// analysed; with no document, every changed ledger.
    pub fn make_current(&mut self, uri: Option<&Url>) {
        let changed: Vec<LedgerId> = match uri {
            Some(uri) => self.membership.get(uri).copied().into_iter().collect(),
            None => self.ledgers.keys().copied().collect(),
        };
        for id in changed {
            if self.ledgers.get(&id).is_some_and(|ledger| ledger.due.is_some()) {
                self.analyse(id);
            }
        }
    }

    fn analyse(&mut self, id: LedgerId) {
        let Some(ledger) = self.ledgers.get_mut(&id) else {
            return;
        };
        ledger.due = None;
        let as_of = ledger.project.as_of.unwrap_or_else(self.today);
        let key = ledger.project.key.clone();
        // The old analysis goes first: both at once would double the memory.
        ledger.snapshot = None;
        let documents = &self.documents;
        let analysed = catch_unwind(AssertUnwindSafe(|| LedgerSnapshot::analyse(&key, as_of, documents)));
        let snapshot = match analysed {
            Ok(Ok(snapshot)) => snapshot,
            Ok(Err(error)) => {
                self.log(MessageType::ERROR, format!("cannot read the ledger: {error}"));
                let cleared = self.published.forget(id);
                self.publish(cleared);
                return;
            }
            Err(panic) => {
                self.log(
                    MessageType::ERROR,
                    format!(
                        "the analysis of the ledger failed ({}); please report this",
                        super::panic_message(&*panic)
                    ),
                );
                return;
            }
        };
        let fresh = diagnostics::of_snapshot(&snapshot, self.encoding);
        let sent = self.published.update(id, fresh);
        self.publish(sent);
        // A document its ledger no longer reads (an include was removed)
        // belongs to another now.
        let strays: Vec<Url> = self
            .membership
            .iter()
            .filter(|(uri, member)| {
                **member == id
                    && self
                        .documents
                        .get(*uri)
                        .is_some_and(|document| snapshot.file_of(document).is_none())
            })
            .map(|(uri, _)| uri.clone())
            .collect();
        if let Some(ledger) = self.ledgers.get_mut(&id) {
            ledger.snapshot = Some(snapshot);
        }
        for uri in strays {
            self.assign(&uri);
        }
    }

    fn publish(&mut self, sent: Vec<lsp_types::PublishDiagnosticsParams>) {
        for params in sent {
            self.outbox
                .push(Notification::new(PublishDiagnostics::METHOD.to_owned(), params).into());
        }
    }

    /// What a request about `uri` works with, if the document is open.
    pub fn context(&self, uri: &Url) -> Option<DocumentContext<'_>> {
        let document = self.documents.get(uri)?;
        let analysed = self
            .membership
            .get(uri)
            .and_then(|id| self.ledgers.get(id))
            .and_then(|ledger| ledger.snapshot.as_ref())
            .and_then(|snapshot| Some((snapshot, snapshot.file_of(document)?)));
        Some(DocumentContext {
            document,
            analysed,
            encoding: self.encoding,
            settings: &self.settings,
            today: self.today(),
        })
    }

    /// Every analysed ledger, for requests about the whole workspace.
    pub fn snapshots(&self) -> impl Iterator<Item = &LedgerSnapshot> {
        self.ledgers.values().filter_map(|ledger| ledger.snapshot.as_ref())
    }
}
