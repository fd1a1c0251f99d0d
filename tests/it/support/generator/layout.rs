//! How blocks become lines: in canonical form, as `track2 fmt` leaves a
//! file, or with the noise that editing by hand leaves (random blanks and
//! tabs, fields in any order, blank and comment lines anywhere, includes,
//! CRLF, a BOM, no final line ending). Noise never changes what the ledger
//! means, and the writer knows where it put each token, so an injected
//! fault's line and column are known in either layout.

use super::choices::Choices;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// As `track2 fmt` writes it. Draws no choice.
    Canonical,
    /// Canonical when every choice is 0; otherwise anything the format
    /// allows that means the same.
    Noisy,
}

/// One block: a header and its fields, in canonical order.
pub struct Block {
    pub header: Header,
    /// Comment lines above the first field, each from `#` on.
    pub inner_comments: Vec<&'static str>,
    pub fields: Vec<Field>,
    /// Where the block's injected fault is to be reported, if it has one.
    pub mark: Option<Mark>,
}

pub enum Header {
    Declaration {
        keyword: &'static str,
        id: String,
        name: String,
    },
    Engagement {
        date: String,
        origin: Vec<&'static str>,
        /// A party id or `online`.
        destination: String,
        title: String,
    },
}

pub struct Field {
    pub key: &'static str,
    pub value: Value,
    /// False for a `missing-colon` fault: `key value`.
    pub colon: bool,
}

impl Field {
    pub fn text(key: &'static str, value: impl Into<String>) -> Field {
        Field {
            key,
            value: Value::Text(value.into()),
            colon: true,
        }
    }

    pub fn list(key: &'static str, items: Vec<String>) -> Field {
        Field {
            key,
            value: Value::List(items),
            colon: true,
        }
    }
}

pub enum Value {
    Text(String),
    /// Items joined by commas; an item may be empty (an `empty-list-item`).
    List(Vec<String>),
}

/// A token of a block, by what it is rather than where it lands: fields are
/// numbered in their canonical order, list items from 0.
#[derive(Clone, Copy, Debug)]
pub enum Mark {
    /// The header's first character.
    HeaderStart,
    /// The destination in an engagement header.
    Destination,
    Key(usize),
    Value(usize),
    Item(usize, usize),
    /// Just after the comma before item `.1` of field `.0`.
    AfterComma(usize, usize),
}

/// One file's text, and how many lines it has so far.
#[derive(Default)]
pub struct Sink {
    pub text: String,
    pub lines: usize,
}

/// Writes lines into sinks in one layout, and remembers every comment line it
/// wrote.
pub struct Writer {
    /// `Some` in the noisy layout: where its choices come from.
    noise: Option<Choices>,
    ending: &'static str,
    bom: bool,
    final_ending: bool,
    /// The text of every comment line written, from `#` to its last
    /// non-blank character.
    pub comments: Vec<String>,
    /// Whether an include line was written.
    pub included: bool,
    line: String,
}

/// The file that the noisy layout's include lines name, relative to the
/// ledger's files: a path with a blank and a directory in it.
pub const INCLUDED: &str = "more  files/x.track2";

const NOISE_COMMENTS: &[&str] = &[
    "note",
    "wikidata: Q1",
    "TODO: check the date",
    "  inner  spacing\tkept",
    "#",
    "Հայերեն",
];

impl Writer {
    pub fn new(layout: Layout, choices: &mut Choices) -> Writer {
        let mut noise = match layout {
            Layout::Canonical => None,
            Layout::Noisy => Some(choices.split()),
        };
        let (ending, bom, final_ending) = match &mut noise {
            None => ("\n", false, true),
            Some(noise) => (
                if noise.chance(500) { "\r\n" } else { "\n" },
                noise.chance(250),
                !noise.chance(200),
            ),
        };
        Writer {
            noise,
            ending,
            bom,
            final_ending,
            comments: Vec::new(),
            included: false,
            line: String::new(),
        }
    }

    /// Writes `text` as a line; returns its number.
    pub fn line(&mut self, sink: &mut Sink, text: &str) -> usize {
        sink.text.push_str(text);
        sink.text.push_str(self.ending);
        sink.lines += 1;
        sink.lines
    }

    /// A blank line: empty, or holding blanks in the noisy layout.
    pub fn blank(&mut self, sink: &mut Sink) {
        let blanks = self.pick(&["", " ", "\t", "  \t"]);
        self.line(sink, blanks);
    }

    /// A top-level comment line, at column 1; `text` starts with `#`.
    pub fn comment(&mut self, sink: &mut Sink, text: &str) {
        self.comments.push(text.trim_end_matches([' ', '\t']).to_owned());
        self.line(sink, text);
    }

    /// Blank and comment lines and includes that a person might leave
    /// before a block. Nothing in the canonical layout.
    pub fn noise_before_block(&mut self, sink: &mut Sink) {
        self.noise_lines(sink);
        if self.noise.as_mut().is_some_and(|noise| noise.chance(150)) {
            let (space, trailing) = (self.blanks(), self.trailing());
            let include = format!("include{space}\"{INCLUDED}\"{trailing}");
            self.line(sink, &include);
            self.included = true;
            self.noise_lines(sink);
        }
    }

    fn noise_lines(&mut self, sink: &mut Sink) {
        let Some(noise) = self.noise.as_mut() else {
            return;
        };
        for _ in 0..noise.below(4) {
            let noise = self.noise.as_mut().expect("the noisy layout");
            if noise.chance(500) {
                let indent = *noise.pick(&["", "  ", "\t", " "]);
                let text = format!("# c{} {}", self.comments.len() + 1, noise.pick(NOISE_COMMENTS));
                let trailing = self.trailing();
                self.comments.push(text.clone());
                self.line(sink, &format!("{indent}{text}{trailing}"));
            } else {
                self.blank(sink);
            }
        }
    }

    /// How many of `pending` top-level items to write before the next
    /// engagement: all of them in canonical form, and when every choice is 0.
    pub fn how_many_now(&mut self, pending: usize) -> usize {
        match self.noise.as_mut() {
            None => pending,
            Some(noise) => pending - noise.below(pending + 1),
        }
    }

    /// Writes a block; returns the line and column (1-based, in characters)
    /// of its mark.
    pub fn block(&mut self, sink: &mut Sink, block: &Block) -> Option<(usize, usize)> {
        let mut at = None;
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        let mut marked = None;
        match &block.header {
            Header::Declaration { keyword, id, name } => {
                line.push_str(keyword);
                line.push_str(self.blanks());
                line.push_str(id);
                line.push_str(self.blanks());
                line.push_str(name);
            }
            Header::Engagement {
                date,
                origin,
                destination,
                title,
            } => {
                line.push_str(date);
                line.push_str(self.blanks());
                for (index, party) in origin.iter().enumerate() {
                    if index > 0 {
                        line.push_str(self.pick(&[" + ", "+", " +", "+ ", "\t+\t"]));
                    }
                    line.push_str(party);
                }
                line.push_str(self.pick(&[" -> ", "->", " ->", "->  ", "\t->\t"]));
                if let Some(Mark::Destination) = block.mark {
                    marked = Some(line.len());
                }
                line.push_str(destination);
                line.push_str(self.blanks());
                line.push_str(title);
            }
        }
        if let Some(Mark::HeaderStart) = block.mark {
            marked = Some(0);
        }
        line.push_str(self.trailing());
        let number = self.line(sink, &line);
        if let Some(byte) = marked {
            at = Some((number, column(&line, byte)));
        }
        for comment in &block.inner_comments {
            let indent = self.pick(&["  ", "", "\t", " "]);
            self.comments.push((*comment).to_owned());
            let text = format!("{indent}{comment}");
            self.line(sink, &text);
        }
        let mut order: Vec<usize> = (0..block.fields.len()).collect();
        if let Some(noise) = self.noise.as_mut() {
            noise.shuffle(&mut order);
        }
        for index in order {
            if self.noise.as_mut().is_some_and(|noise| noise.chance(333)) {
                self.noise_lines(sink);
            }
            let marked = self.field(&mut line, index, &block.fields[index], block.mark);
            let number = self.line(sink, &line);
            if let Some(byte) = marked {
                at = Some((number, column(&line, byte)));
            }
        }
        self.line = line;
        at
    }

    /// Puts one field line in `line`; returns where its mark is, if in it.
    fn field(&mut self, line: &mut String, index: usize, field: &Field, mark: Option<Mark>) -> Option<usize> {
        let mut marked = None;
        line.clear();
        line.push_str(self.pick(&["  ", " ", "\t", " \t ", "   ", "\t\t"]));
        if matches!(mark, Some(Mark::Key(i)) if i == index) {
            marked = Some(line.len());
        }
        line.push_str(field.key);
        if field.colon {
            line.push_str(self.pick(&["", " ", "\t"]));
            line.push(':');
            line.push_str(self.pick(&[" ", "", "  ", "\t"]));
        } else {
            line.push_str(self.blanks());
        }
        if matches!(mark, Some(Mark::Value(i)) if i == index) {
            marked = Some(line.len());
        }
        match &field.value {
            Value::Text(text) => line.push_str(text),
            Value::List(items) => {
                for (position, item) in items.iter().enumerate() {
                    if position > 0 {
                        let separator = self.pick(&[", ", ",", " , ", "\t,", " ,\t "]);
                        let comma = line.len() + separator.find(',').expect("a comma") + 1;
                        if matches!(mark, Some(Mark::AfterComma(i, p)) if i == index && p == position) {
                            marked = Some(comma);
                        }
                        line.push_str(separator);
                    }
                    if matches!(mark, Some(Mark::Item(i, p)) if i == index && p == position) {
                        marked = Some(line.len());
                    }
                    match item.strip_prefix('+').and_then(|count| count.split_once(' ')) {
                        // A count, `+N PARTY`, with any blanks between.
                        Some((number, party)) => {
                            let blanks = self.blanks();
                            line.push('+');
                            line.push_str(number);
                            line.push_str(blanks);
                            line.push_str(party);
                        }
                        None => line.push_str(item),
                    }
                }
            }
        }
        match self.noise {
            None => line.truncate(line.trim_end().len()),
            Some(_) => {
                let trailing = self.trailing();
                line.push_str(trailing);
            }
        }
        marked
    }

    /// The text of one file, ended as the layout says: one line ending at
    /// the end in canonical form; maybe none, and maybe a BOM, in the noisy
    /// layout.
    pub fn finish(&self, mut sink: Sink) -> String {
        let kept = sink.text.trim_end_matches(['\r', '\n']).len();
        sink.text.truncate(kept);
        if self.final_ending {
            sink.text.push_str(self.ending);
        }
        if self.bom {
            sink.text.insert(0, '\u{feff}');
        }
        sink.text
    }

    /// The first option in the canonical layout, any in the noisy one.
    fn pick(&mut self, options: &[&'static str]) -> &'static str {
        match self.noise.as_mut() {
            None => options[0],
            Some(noise) => noise.pick::<&str>(options),
        }
    }

    /// At least one blank.
    fn blanks(&mut self) -> &'static str {
        self.pick(&[" ", "  ", "\t", " \t ", "   "])
    }

    /// Blanks at the end of a line.
    fn trailing(&mut self) -> &'static str {
        self.pick(&["", " ", "\t", "  "])
    }
}

/// The 1-based column, in characters, of byte `byte` of `line`.
fn column(line: &str, byte: usize) -> usize {
    line[..byte].chars().count() + 1
}
