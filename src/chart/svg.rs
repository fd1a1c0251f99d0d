//! A tiny SVG writer: elements with attributes and children, written out as
//! text. Every text and attribute value is escaped here, in one place,
//! because ledger text is hostile; every number is written with at most two
//! decimals, so that a chart is the same bytes on every machine and diffs
//! stay small (no `14.516129032258064`).

/// An SVG (or XML) element under construction.
#[derive(Clone, Debug)]
pub struct Element {
    name: &'static str,
    attributes: Vec<(&'static str, String)>,
    children: Vec<Node>,
}

#[derive(Clone, Debug)]
enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    pub fn new(name: &'static str) -> Element {
        Element {
            name,
            attributes: Vec::new(),
            children: Vec::new(),
        }
    }

    /// An attribute with a text value, escaped when written. Setting an
    /// attribute again replaces its value: XML allows each name once.
    pub fn attr(mut self, key: &'static str, value: impl Into<String>) -> Element {
        let value = value.into();
        match self.attributes.iter_mut().find(|(known, _)| *known == key) {
            Some((_, old)) => *old = value,
            None => self.attributes.push((key, value)),
        }
        self
    }

    /// An attribute with a numeric value, written by [`number`].
    pub fn num(self, key: &'static str, value: f64) -> Element {
        self.attr(key, number(value))
    }

    pub fn child(mut self, child: Element) -> Element {
        self.children.push(Node::Element(child));
        self
    }

    pub fn push(&mut self, child: Element) {
        self.children.push(Node::Element(child));
    }

    pub fn extend(&mut self, children: impl IntoIterator<Item = Element>) {
        self.children.extend(children.into_iter().map(Node::Element));
    }

    /// Text content, escaped when written.
    pub fn text(mut self, text: impl Into<String>) -> Element {
        self.children.push(Node::Text(text.into()));
        self
    }

    /// A `<title>` child: the tooltip a browser shows without JavaScript,
    /// and what a screen reader reads for the mark. It goes first, as the
    /// SVG specification asks.
    pub fn titled(mut self, title: impl Into<String>) -> Element {
        self.children
            .insert(0, Node::Element(Element::new("title").text(title)));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.children.is_empty()
    }

    /// The element as text. Elements with element children put each child
    /// on a line of its own, so that a change to one mark is a one-line diff.
    pub fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(self.name);
        for (key, value) in &self.attributes {
            out.push(' ');
            out.push_str(key);
            out.push_str("=\"");
            escape_into(value, out);
            out.push('"');
        }
        if self.children.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        let block = self.children.iter().any(|child| matches!(child, Node::Element(_)));
        for child in &self.children {
            if block {
                out.push('\n');
            }
            match child {
                Node::Element(element) => element.write(out),
                Node::Text(text) => escape_into(text, out),
            }
        }
        if block {
            out.push('\n');
        }
        out.push_str("</");
        out.push_str(self.name);
        out.push('>');
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
}

/// A number as an attribute value: rounded to two decimals, trailing zeros
/// and a negative zero dropped; anything not finite becomes 0, so that no
/// input can write `NaN` into a chart.
pub fn number(value: f64) -> String {
    if !value.is_finite() {
        return "0".to_owned();
    }
    let mut text = format!("{value:.2}");
    while text.ends_with('0') {
        text.pop();
    }
    if text.ends_with('.') {
        text.pop();
    }
    if text == "-0" {
        text = "0".to_owned();
    }
    text
}

/// Escapes `text` for XML text and double- or single-quoted attributes.
/// Characters XML 1.0 does not allow at all (most C0 controls, U+FFFE,
/// U+FFFF) cannot be escaped, so they become U+FFFD: a document with one of
/// them would not parse, and the chart would vanish. The other characters
/// [`crate::escape::is_unsafe`] names are written as their escapes.
pub fn escape_into(text: &str, out: &mut String) {
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(character),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            // A bidirectional override or a line separator would make the
            // text display in an order other than its own (a title that
            // reads as another): shown as its escape, as a terminal shows it.
            _ if crate::escape::is_unsafe(character) => {
                out.push_str(&crate::escape::text(character.encode_utf8(&mut [0; 4])))
            }
            _ => out.push(character),
        }
    }
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_no_float_noise() {
        assert_eq!(number(14.516129032258064), "14.52");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(-0.001), "0");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(f64::NAN), "0");
        assert_eq!(number(f64::INFINITY), "0");
    }

    #[test]
    fn bidirectional_overrides_are_shown_as_escapes() {
        assert_eq!(escape("Forum\u{202e}gnp.exe"), "Forum\\u{202e}gnp.exe");
        assert_eq!(escape("a\u{2028}b\u{2066}c"), "a\\u{2028}b\\u{2066}c");
        assert_eq!(escape("Ереван Bakı Երևան"), "Ереван Bakı Երևան");
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        let element = Element::new("text")
            .attr("class", "a\"b<c")
            .text("x & </text><script>y</script> \u{1} '");
        assert_eq!(
            element.render(),
            "<text class=\"a&quot;b&lt;c\">x &amp; &lt;/text&gt;&lt;script&gt;y&lt;/script&gt; \u{fffd} &#39;</text>"
        );
    }

    #[test]
    fn an_attribute_set_twice_is_written_once() {
        let element = Element::new("text").attr("fill", "a").num("x", 1.0).attr("fill", "b");
        assert_eq!(element.render(), "<text fill=\"b\" x=\"1\"/>");
    }

    #[test]
    fn children_go_on_lines_of_their_own_and_titles_first() {
        let element = Element::new("g")
            .child(Element::new("rect").num("width", 1.0))
            .titled("t");
        assert_eq!(element.render(), "<g>\n<title>t</title>\n<rect width=\"1\"/>\n</g>");
    }
}
