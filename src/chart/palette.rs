//! Colours: Okabe–Ito for directions and parties (told apart by the common
//! kinds of colour blindness), one sequential blue for the heatmap. Colour
//! is never the only cue: every chart also labels its marks, or tells them
//! apart by shape (filled or hollow).

/// Okabe and Ito's palette without black (kept for text) and with yellow
/// last, since it is the hardest to see on white.
pub const OKABE_ITO: [&str; 7] = [
    "#E69F00", // orange
    "#56B4E9", // sky blue
    "#009E73", // bluish green
    "#D55E00", // vermilion
    "#0072B2", // blue
    "#CC79A7", // reddish purple
    "#F0E442", // yellow
];

/// For the eighth direction on: a neutral grey, with the labels telling
/// them apart.
pub const OTHER: &str = "#8C8C8C";

/// Text and axes.
pub const INK: &str = "#1a1a1a";
pub const MUTED: &str = "#595959";
pub const RULE: &str = "#d0d0d0";
/// What marks a value withheld by `--min-count`.
pub const SUPPRESSED: &str = "#6f6f6f";

/// The colour of each direction, by its place in a list fixed for a whole
/// page, so that `AZ → AM` has one colour in every chart of the page.
#[derive(Clone, Debug, Default)]
pub struct Palette {
    directions: Vec<String>,
}

impl Palette {
    /// Directions in report order (bilateral, joint, online; then by party).
    pub fn new(directions: Vec<String>) -> Palette {
        Palette { directions }
    }

    /// `label`'s colour. A direction the page's list does not hold (only
    /// possible when a chart is drawn without one) is added after the others.
    pub fn direction(&self, label: &str, fallback_index: usize) -> &'static str {
        let index = self
            .directions
            .iter()
            .position(|known| known == label)
            .unwrap_or(self.directions.len() + fallback_index);
        categorical(index)
    }
}

/// The `index`th categorical colour.
pub fn categorical(index: usize) -> &'static str {
    OKABE_ITO.get(index).copied().unwrap_or(OTHER)
}

/// The colour of the `index`th party. Parties start from the other end of
/// the palette than directions, so that a party and a direction drawn side
/// by side are not taken for one another.
pub fn party(index: usize) -> &'static str {
    const ORDER: [usize; 7] = [4, 3, 2, 5, 1, 0, 6];
    ORDER.get(index).map_or(OTHER, |&i| OKABE_ITO[i])
}

/// A blue from light (`share` 0) to dark (`share` 1), for heatmap cells.
pub fn sequential(share: f64) -> String {
    let share = if share.is_finite() { share.clamp(0.0, 1.0) } else { 0.0 };
    let light = (222.0, 235.0, 247.0);
    let dark = (8.0, 69.0, 148.0);
    let mix = |a: f64, b: f64| (a + (b - a) * share).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(light.0, dark.0),
        mix(light.1, dark.1),
        mix(light.2, dark.2)
    )
}

/// The text colour that reads on a heatmap cell of `share`.
pub fn ink_on(share: f64) -> &'static str {
    if share > 0.55 { "#ffffff" } else { INK }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequential_runs_light_to_dark() {
        assert_eq!(sequential(0.0), "#deebf7");
        assert_eq!(sequential(1.0), "#084594");
        assert_eq!(sequential(f64::NAN), "#deebf7");
    }

    #[test]
    fn a_direction_keeps_its_colour_across_charts() {
        let palette = Palette::new(vec!["AM → AZ".into(), "AZ → AM".into()]);
        assert_eq!(palette.direction("AZ → AM", 0), OKABE_ITO[1]);
        assert_eq!(palette.direction("AM + AZ → NL", 0), OKABE_ITO[2]);
        assert_eq!(categorical(99), OTHER);
    }
}
