//! The one diagnostic type every stage produces, and the stable codes.
//!
//! A diagnostic is data: a code, a place, a message and an optional hint.
//! Turning it into text for a terminal, JSON or GitHub is the job of
//! [`crate::render`], never of the stage that found the problem.

use crate::source::{FileId, Location, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $name:literal, $severity:ident;)*) => {
        /// A stable name for each rule; `grammar/GRAMMAR.md` §5.4 documents them
        /// all. Codes are never renamed or reused.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            pub fn from_name(name: &str) -> Option<Code> {
                match name {
                    $($name => Some(Code::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

codes! {
    InvalidUtf8 = "invalid-utf8", Error;
    LoneCarriageReturn = "lone-carriage-return", Error;
    ControlCharacter = "control-character", Error;
    MalformedLine = "malformed-line", Error;
    UnknownDirective = "unknown-directive", Error;
    FieldOutsideBlock = "field-outside-block", Error;
    MissingColon = "missing-colon", Error;
    MalformedField = "malformed-field", Error;
    EmptyValue = "empty-value", Error;
    InvalidId = "invalid-id", Error;
    ReservedId = "reserved-id", Error;
    MissingName = "missing-name", Error;
    MissingTitle = "missing-title", Error;
    InvalidDate = "invalid-date", Error;
    ReversedDateRange = "reversed-date-range", Error;
    MalformedDirection = "malformed-direction", Error;
    RepeatedOriginParty = "repeated-origin-party", Error;
    DestinationInOrigin = "destination-in-origin", Error;
    MalformedInclude = "malformed-include", Error;
    IncludeNotFound = "include-not-found", Error;
    IncludeUnreadable = "include-unreadable", Error;
    IncludeCycle = "include-cycle", Error;
    IncludeOutsideRoot = "include-outside-root", Error;
    IncludeTooDeep = "include-too-deep", Error;
    NotARegularFile = "not-a-regular-file", Error;
    FileTooLarge = "file-too-large", Error;
    UnknownField = "unknown-field", Error;
    RepeatedField = "repeated-field", Error;
    MissingField = "missing-field", Error;
    InvalidValue = "invalid-value", Error;
    InvalidUrl = "invalid-url", Error;
    EmptyListItem = "empty-list-item", Error;
    DuplicateListItem = "duplicate-list-item", Error;
    InvalidCount = "invalid-count", Error;
    UndeclaredParty = "undeclared-party", Error;
    UndeclaredOrg = "undeclared-org", Error;
    UndeclaredPerson = "undeclared-person", Error;
    UndeclaredFormat = "undeclared-format", Error;
    UndeclaredSeries = "undeclared-series", Error;
    UndeclaredEntry = "undeclared-entry", Error;
    DuplicateDeclaration = "duplicate-declaration", Error;
    DuplicateEntryId = "duplicate-entry-id", Error;
    DuplicateEngagement = "duplicate-engagement", Error;
    InvalidReciprocation = "invalid-reciprocation", Error;
    ParticipantNotInOrigin = "participant-not-in-origin", Warning;
    HeldInFuture = "held-in-future", Warning;
    PlannedInPast = "planned-in-past", Warning;
}

impl std::fmt::Display for Code {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// Another place a diagnostic refers to, such as the first of two duplicates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub location: Location,
    pub message: String,
    /// Printed under the span; when absent the renderer shows the message.
    pub label: Option<String>,
    pub help: Option<String>,
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn new(code: Code, file: FileId, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            location: Location { file, span },
            message: message.into(),
            label: None,
            help: None,
            related: Vec::new(),
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_optional_help(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }

    pub fn with_related(mut self, location: Location, message: impl Into<String>) -> Diagnostic {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
}

/// Puts diagnostics in report order: by file in ledger order, then position.
/// The sort is stable, so two diagnostics at one place keep the order in which
/// they were found.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|diagnostic| {
        (
            diagnostic.location.file,
            diagnostic.location.span.start,
            diagnostic.location.span.end,
        )
    });
}

/// How many errors and warnings a run found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

impl Tally {
    pub fn of(diagnostics: &[Diagnostic]) -> Tally {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        Tally {
            errors,
            warnings: diagnostics.len() - errors,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_through_its_name() {
        for &code in Code::ALL {
            assert_eq!(Code::from_name(code.as_str()), Some(code));
        }
    }

    #[test]
    fn codes_are_kebab_case_and_unique() {
        let mut names: Vec<_> = Code::ALL.iter().map(|code| code.as_str()).collect();
        assert!(names.iter().all(|name| {
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        }));
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
    }

    #[test]
    fn every_code_is_documented_in_the_grammar() {
        let grammar = include_str!("../grammar/GRAMMAR.md");
        for code in Code::ALL {
            let row = format!("| `{}` | {} |", code.as_str(), code.severity().as_str());
            assert!(grammar.contains(&row), "GRAMMAR.md §5.4 lacks {row}");
        }
    }
}
