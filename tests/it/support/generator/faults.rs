//! The faults the generator injects: each gives exactly one diagnostic,
//! whose place the writer knows when it writes the line.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    UndeclaredPerson,
    UndeclaredFormat,
    InvalidDate,
    UnknownField,
    InvalidValue,
    MissingField,
    UndeclaredParty,
    InvalidUrl,
    DuplicateListItem,
    EmptyListItem,
    MissingColon,
    DuplicateEntryId,
}

impl Fault {
    /// Every fault, in the order the seeded generator has always drawn them.
    pub const ALL: &'static [Fault] = &[
        Fault::UndeclaredPerson,
        Fault::UndeclaredFormat,
        Fault::InvalidDate,
        Fault::UnknownField,
        Fault::InvalidValue,
        Fault::MissingField,
        Fault::UndeclaredParty,
        Fault::InvalidUrl,
        Fault::DuplicateListItem,
        Fault::EmptyListItem,
        Fault::MissingColon,
        Fault::DuplicateEntryId,
    ];

    /// The faults of meaning, which leave a file that `track2 fmt` formats
    /// (GRAMMAR.md §8.1): all but a date that is not one and a field line
    /// without a colon.
    pub const OF_MEANING: &'static [Fault] = &[
        Fault::UndeclaredPerson,
        Fault::UndeclaredFormat,
        Fault::UnknownField,
        Fault::InvalidValue,
        Fault::MissingField,
        Fault::UndeclaredParty,
        Fault::InvalidUrl,
        Fault::DuplicateListItem,
        Fault::EmptyListItem,
        Fault::DuplicateEntryId,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Fault::UndeclaredPerson => "undeclared-person",
            Fault::UndeclaredFormat => "undeclared-format",
            Fault::InvalidDate => "invalid-date",
            Fault::UnknownField => "unknown-field",
            Fault::InvalidValue => "invalid-value",
            Fault::MissingField => "missing-field",
            Fault::UndeclaredParty => "undeclared-party",
            Fault::InvalidUrl => "invalid-url",
            Fault::DuplicateListItem => "duplicate-list-item",
            Fault::EmptyListItem => "empty-list-item",
            Fault::MissingColon => "missing-colon",
            Fault::DuplicateEntryId => "duplicate-entry-id",
        }
    }
}
