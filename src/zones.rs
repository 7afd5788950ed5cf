//! Heart-rate zones: the band around which sessions are classified, and where it comes from.

use std::fmt;

/// The "slightly elevated, still conversational" heart-rate band, inclusive at both
/// ends: below < low ≤ inside ≤ high < above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Band {
    pub low: u8,
    pub high: u8,
}

impl Default for Band {
    fn default() -> Self {
        Band {
            low: 120,
            high: 140,
        }
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{} bpm", self.low, self.high)
    }
}
