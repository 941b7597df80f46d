//! The four quadrants (象限) and how files and users name them.

use super::*;

/// One of the four SWOT quadrants (象限).
///
/// Strengths and weaknesses are internal (内部), opportunities and threats external (外部).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Quadrant {
    /// Strengths, 优势 (S).
    Strengths,
    /// Weaknesses, 劣势 (W).
    Weaknesses,
    /// Opportunities, 机会 (O).
    Opportunities,
    /// Threats, 威胁 (T).
    Threats,
}

impl Quadrant {
    /// All four, in S, W, O, T order (the order of every `[_; 4]` in this module).
    pub const ALL: [Quadrant; 4] = [
        Quadrant::Strengths,
        Quadrant::Weaknesses,
        Quadrant::Opportunities,
        Quadrant::Threats,
    ];

    /// Position in [`Quadrant::ALL`]: 0 for S … 3 for T.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The letter: `S`, `W`, `O` or `T` (used in figure names such as `swot_total_S`).
    pub fn letter(self) -> &'static str {
        match self {
            Quadrant::Strengths => "S",
            Quadrant::Weaknesses => "W",
            Quadrant::Opportunities => "O",
            Quadrant::Threats => "T",
        }
    }

    /// The name in English: Strengths, Weaknesses, Opportunities, Threats.
    pub fn name_en(self) -> &'static str {
        match self {
            Quadrant::Strengths => "Strengths",
            Quadrant::Weaknesses => "Weaknesses",
            Quadrant::Opportunities => "Opportunities",
            Quadrant::Threats => "Threats",
        }
    }

    /// True for strengths and weaknesses (the x axis of the position), false for opportunities
    /// and threats (the y axis).
    pub fn is_internal(self) -> bool {
        matches!(self, Quadrant::Strengths | Quadrant::Weaknesses)
    }

    /// True where a higher total is better for the board's owner (strengths, opportunities);
    /// false where a lower total is (weaknesses, threats). See [`Standing`].
    pub fn higher_is_better(self) -> bool {
        matches!(self, Quadrant::Strengths | Quadrant::Opportunities)
    }

    /// Reads a quadrant name as files and users write it; `None` when it names none.
    ///
    /// Accepted, after trimming and turning full-width letters and brackets into ASCII: the
    /// letters `S`, `W`, `O`, `T`; `strength(s)`, `weakness(es)`, `opportunity`/`opportunities`,
    /// `threat(s)` in any ASCII case; 优势/劣势/机会/威胁 and 優勢/劣勢/機會/威脅. A name and its
    /// letter together are accepted when they agree, separated by spaces, brackets, `-`, `:`,
    /// `/`, `|`, `、` or `·`: `优势(S)`, `S-优势`, `【S】优势`, `Strengths / 优势`. `S/W` and
    /// `strong` are `None`.
    ///
    /// # Examples
    /// ```
    /// use valuelens::engine::swot::Quadrant;
    /// assert_eq!(Quadrant::parse(" threats "), Some(Quadrant::Threats));
    /// assert_eq!(Quadrant::parse("機會"), Some(Quadrant::Opportunities));
    /// assert_eq!(Quadrant::parse("劣势（W）"), Some(Quadrant::Weaknesses));
    /// assert_eq!(Quadrant::parse("S/W"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Quadrant> {
        let text: String = text.trim().chars().map(half_width).collect();
        let text = text.trim();
        if let Some(quadrant) = Quadrant::parse_word(text) {
            return Some(quadrant);
        }
        let mut found = None;
        for part in text
            .split(|c: char| c.is_whitespace() || QUADRANT_SEPARATORS.contains(c))
            .filter(|part| !part.is_empty())
        {
            let quadrant = Quadrant::parse_word(part)?;
            if found.is_some_and(|f| f != quadrant) {
                return None;
            }
            found = Some(quadrant);
        }
        found
    }

    fn parse_word(word: &str) -> Option<Quadrant> {
        quadrant_of_word(word)
    }
}

/// Full-width ASCII (`Ｓ`, `（`, `：`) and the ideographic space as their ASCII forms.
pub(super) fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}
