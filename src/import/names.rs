//! Names as people type them, and the ids made from them.
//!
//! One romanisation ([`romanise_char`], tabled in `grammar/IMPORT.md`) serves
//! two purposes: the *key* a name is matched by (lower case, diacritics and
//! punctuation dropped, every script romanised, so `Rusif Hüseynov`,
//! `RUSIF HUSEYNOV` and `Rusif Huseynov` are one key), and the *id* a new
//! declaration gets (the key's ASCII letters and digits joined by `-`).
//! Matching never goes further than equal keys: a key only near another one
//! is reported for a person to decide, never merged.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::parser::is_id;

/// The romanisation of one lower-case letter, given whether it starts a
/// word; `None` for a character this table does not cover. Armenian `ու`
/// is two letters read as one, handled by [`romanise`].
fn romanise_char(letter: char, word_start: bool) -> Option<&'static str> {
    Some(match letter {
        // Azerbaijani Latin letters beyond ASCII. `İ` lowercases to `i` and
        // a combining dot, which the marks pass removes.
        'ə' => "a",
        'ş' => "sh",
        'ç' => "ch",
        'ğ' => "gh",
        'ö' => "o",
        'ü' => "u",
        'ı' => "i",
        // Armenian (Eastern Armenian, after BGN/PCGN 1981, in plain ASCII:
        // aspirates lose their apostrophe).
        'ա' => "a",
        'բ' => "b",
        'գ' => "g",
        'դ' => "d",
        'ե' if word_start => "ye",
        'ե' => "e",
        'զ' => "z",
        'է' => "e",
        'ը' => "y",
        'թ' => "t",
        'ժ' => "zh",
        'ի' => "i",
        'լ' => "l",
        'խ' => "kh",
        'ծ' => "ts",
        'կ' => "k",
        'հ' => "h",
        'ձ' => "dz",
        'ղ' => "gh",
        'ճ' => "ch",
        'մ' => "m",
        'յ' => "y",
        'ն' => "n",
        'շ' => "sh",
        'ո' if word_start => "vo",
        'ո' => "o",
        'չ' => "ch",
        'պ' => "p",
        'ջ' => "j",
        'ռ' => "r",
        'ս' => "s",
        'վ' => "v",
        'տ' => "t",
        'ր' => "r",
        'ց' => "ts",
        'ւ' => "v",
        'փ' => "p",
        'ք' => "k",
        'օ' => "o",
        'ֆ' => "f",
        'և' if word_start => "yev",
        'և' => "ev",
        // Russian Cyrillic, and the Azerbaijani Cyrillic `ә`.
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' => "e",
        'ё' => "yo",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        'ә' => "a",
        // Georgian (the national system of 2002, without apostrophes).
        'ა' => "a",
        'ბ' => "b",
        'გ' => "g",
        'დ' => "d",
        'ე' => "e",
        'ვ' => "v",
        'ზ' => "z",
        'თ' => "t",
        'ი' => "i",
        'კ' => "k",
        'ლ' => "l",
        'მ' => "m",
        'ნ' => "n",
        'ო' => "o",
        'პ' => "p",
        'ჟ' => "zh",
        'რ' => "r",
        'ს' => "s",
        'ტ' => "t",
        'უ' => "u",
        'ფ' => "p",
        'ქ' => "k",
        'ღ' => "gh",
        'ყ' => "q",
        'შ' => "sh",
        'ჩ' => "ch",
        'ც' => "ts",
        'ძ' => "dz",
        'წ' => "ts",
        'ჭ' => "ch",
        'ხ' => "kh",
        'ჯ' => "j",
        'ჰ' => "h",
        // Latin letters that are not a base letter and a mark.
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' => "d",
        'ð' => "d",
        'þ' => "th",
        _ => return None,
    })
}

/// The romanised, lower-case words of `name`, one space between them.
/// Letters of scripts the table does not cover are kept as they are (lower
/// case), so that two such names still match each other; [`slug`] drops them.
pub fn romanise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut word_start = true;
    let mut pending_space = false;
    let mut characters = name.chars().flat_map(char::to_lowercase).peekable();
    while let Some(character) = characters.next() {
        // Most names are mostly ASCII: no table and no decomposition.
        if character.is_ascii_alphanumeric() {
            let mut buffer = [0; 4];
            push_word(&mut out, &mut pending_space, character.encode_utf8(&mut buffer));
            word_start = false;
            continue;
        }
        if character == 'ո' && characters.peek() == Some(&'ւ') {
            characters.next();
            push_word(&mut out, &mut pending_space, "u");
            word_start = false;
            continue;
        }
        if let Some(roman) = romanise_char(character, word_start) {
            push_word(&mut out, &mut pending_space, roman);
            word_start = false;
            continue;
        }
        // Decompose, then drop the marks: `ü` is `u` and a diaeresis.
        let mut kept_any = false;
        for part in std::iter::once(character).nfd() {
            if is_combining_mark(part) {
                continue;
            }
            if part.is_alphanumeric() {
                let mut buffer = [0; 4];
                push_word(&mut out, &mut pending_space, part.encode_utf8(&mut buffer));
                kept_any = true;
            }
        }
        if kept_any {
            word_start = false;
        } else if !is_combining_mark(character) {
            // Blanks, punctuation and symbols separate words.
            pending_space = !out.is_empty();
            word_start = true;
        }
    }
    out
}

fn push_word(out: &mut String, pending_space: &mut bool, text: &str) {
    if *pending_space {
        out.push(' ');
        *pending_space = false;
    }
    out.push_str(text);
}

/// The key names are matched by: see the module's documentation.
pub fn match_key(name: &str) -> String {
    romanise(name)
}

/// An id made from a name: its romanised ASCII letters and digits, words
/// joined by `-`; prefixed by `id-` when it would start with a digit, which
/// an id may not. `None` when nothing of the name is left.
pub fn slug(name: &str) -> Option<String> {
    let romanised = romanise(name);
    let mut id = String::with_capacity(romanised.len());
    for word in romanised.split(' ') {
        let ascii: String = word.chars().filter(char::is_ascii_alphanumeric).collect();
        if ascii.is_empty() {
            continue;
        }
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(&ascii);
    }
    if id.is_empty() {
        return None;
    }
    if id.starts_with(|c: char| c.is_ascii_digit()) {
        id.insert_str(0, "id-");
    }
    debug_assert!(is_id(&id), "{id} is not an id");
    Some(id)
}

/// Hands out ids that no declaration of one kind has yet: a taken id gets
/// the first free suffix `-2`, `-3`, …, so two people are never merged
/// because their names romanise alike.
#[derive(Default)]
pub struct IdAllocator {
    taken: std::collections::HashSet<String>,
    /// The next suffix to try for each base, so that many names with one
    /// base cost linear time, not quadratic.
    next_suffix: HashMap<String, usize>,
}

impl IdAllocator {
    pub fn with_taken<'i>(ids: impl IntoIterator<Item = &'i str>) -> IdAllocator {
        IdAllocator {
            taken: ids.into_iter().map(str::to_owned).collect(),
            next_suffix: HashMap::new(),
        }
    }

    pub fn allocate(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_owned()) {
            return base.to_owned();
        }
        let suffix = self.next_suffix.entry(base.to_owned()).or_insert(2);
        loop {
            let candidate = format!("{base}-{suffix}");
            *suffix += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azerbaijani_letters_romanise_as_documented() {
        assert_eq!(romanise("Rusif Hüseynov"), "rusif huseynov");
        assert_eq!(romanise("Kamalə Məmmədova"), "kamala mammadova");
        assert_eq!(romanise("Zaur Şiriyev"), "zaur shiriyev");
        assert_eq!(romanise("Çingiz Ağayev"), "chingiz aghayev");
        assert_eq!(romanise("İlqar Gözəlov"), "ilqar gozalov");
        assert_eq!(romanise("Ramil İsgəndərli"), "ramil isgandarli");
        assert_eq!(romanise("QARABAĞ"), "qarabagh");
    }

    #[test]
    fn armenian_romanises_as_documented() {
        assert_eq!(romanise("Արեգ Քոչինյան"), "areg kochinyan");
        assert_eq!(romanise("Բորիս Նավասարդյան"), "boris navasardyan");
        assert_eq!(romanise("Սամվել Մելիքսեթյան"), "samvel meliksetyan");
        assert_eq!(romanise("Նաիրա Սուլթանյան"), "naira sultanyan");
        assert_eq!(romanise("Երևան"), "yerevan");
        assert_eq!(romanise("Ոսկանյան"), "voskanyan");
        assert_eq!(romanise("Հովհաննիսյան"), "hovhannisyan");
        assert_eq!(romanise("Ուռա"), "ura");
    }

    #[test]
    fn cyrillic_and_georgian_romanise() {
        assert_eq!(romanise("Фархад Мамедов"), "farkhad mamedov");
        assert_eq!(romanise("ნინო ბერიძე"), "nino beridze");
    }

    #[test]
    fn case_diacritics_and_punctuation_do_not_change_the_key() {
        let key = match_key("Rusif Huseynov");
        for spelling in [
            "rusif huseynov",
            "RUSIF HÜSEYNOV",
            "  Rusif   Hüseynov ",
            "Rusif-Huseynov",
        ] {
            assert_eq!(match_key(spelling), key, "{spelling}");
        }
        assert_eq!(match_key("Zoë O'Brien"), "zoe o brien");
    }

    #[test]
    fn slugs_are_ids() {
        assert_eq!(slug("Արեգ Քոչինյան").as_deref(), Some("areg-kochinyan"));
        assert_eq!(slug("Rusif Hüseynov").as_deref(), Some("rusif-huseynov"));
        assert_eq!(
            slug("Centre for Dialogue (CfD)").as_deref(),
            Some("centre-for-dialogue-cfd")
        );
        assert_eq!(slug("2025 visit").as_deref(), Some("id-2025-visit"));
        assert_eq!(slug("???"), None);
        assert_eq!(slug("张伟"), None);
        assert_eq!(match_key("张伟"), "张伟", "kept for matching, though no id can be made");
    }

    #[test]
    fn taken_ids_get_a_suffix() {
        let mut ids = IdAllocator::with_taken(["areg-kochinyan", "areg-kochinyan-2"]);
        assert_eq!(ids.allocate("areg-kochinyan"), "areg-kochinyan-3");
        assert_eq!(ids.allocate("areg-kochinyan"), "areg-kochinyan-4");
        assert_eq!(ids.allocate("naira"), "naira");
        assert_eq!(ids.allocate("naira"), "naira-2");
    }

    #[test]
    fn many_names_with_one_id_take_linear_time() {
        let mut ids = IdAllocator::default();
        for _ in 0..20_000 {
            ids.allocate("ali");
        }
        assert_eq!(ids.allocate("ali"), "ali-20001");
    }
}
