//! How much room a label takes, estimated without a font: charts are laid
//! out in Rust, before any browser sees them, so label columns are sized
//! from these estimates and long labels are shortened (the whole text stays
//! in the mark's tooltip and in the table).

use unicode_width::UnicodeWidthChar;

/// The estimated width of `text` set at `size` pixels, for the fonts a page
/// names (DejaVu Sans, Liberation Sans, system UI fonts), a little generous
/// so that an estimate errs towards room to spare: capitals, digits and
/// arrows are wider than the average letter, `i` and spaces narrower; wide
/// (CJK) characters take two cells, combining marks none.
pub fn width(text: &str, size: f64) -> f64 {
    text.chars().map(|character| ems(character) * size).sum()
}

/// The width of `text` in bold: about a tenth wider.
pub fn bold_width(text: &str, size: f64) -> f64 {
    width(text, size) * 1.1
}

fn ems(character: char) -> f64 {
    match character {
        'i' | 'j' | 'l' | 't' | 'f' | 'r' | ' ' | '.' | ',' | ':' | ';' | '|' | '!' | '\'' | '(' | ')' => 0.4,
        'A'..='Z' | 'm' | 'w' | '→' | '←' | '↔' | '×' | '…' | '—' => 0.74,
        '0'..='9' => 0.64,
        _ => match character.width() {
            Some(0) => 0.0,
            Some(2) => 1.2,
            _ => 0.6,
        },
    }
}

/// `text` shortened with an ellipsis to fit `room` pixels at `size`.
pub fn fit(text: &str, room: f64, size: f64) -> String {
    if width(text, size) <= room {
        return text.to_owned();
    }
    let ellipsis = width("…", size);
    let mut fitted = String::new();
    let mut used = 0.0;
    for character in text.chars() {
        let step = ems(character) * size;
        if used + step + ellipsis > room {
            break;
        }
        used += step;
        fitted.push(character);
    }
    let mut fitted = fitted.trim_end().to_owned();
    fitted.push('…');
    fitted
}

/// The widest of `labels` at `size`, for sizing a label column.
pub fn widest<'t>(labels: impl IntoIterator<Item = &'t str>, size: f64) -> f64 {
    labels.into_iter().map(|label| width(label, size)).fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_are_shortened_to_fit() {
        assert_eq!(fit("short", 100.0, 10.0), "short");
        let fitted = fit("a very long title of an engagement", 60.0, 10.0);
        assert!(fitted.ends_with('…'));
        assert!(width(&fitted, 10.0) <= 60.0);
    }

    #[test]
    fn wide_characters_count_double() {
        assert_eq!(width("和平", 10.0), width("abcd", 10.0));
        assert!(width("AM → AZ", 12.0) > width("am - az", 12.0));
    }
}
