//! The colours (Okabe–Ito, see the table in `charts/mod.rs`) and what each class of day is drawn in.

use plotters::prelude::*;

pub(crate) const HARD: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub(crate) const EASY: RGBColor = RGBColor(0x00, 0x9E, 0x73);
pub(crate) const ACTIVE_RECOVERY: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
pub(crate) const UNKNOWN: RGBColor = RGBColor(0x99, 0x99, 0x99);
pub(crate) const BELOW_BAND: RGBColor = RGBColor(0xC8, 0xC8, 0xC8);
pub(crate) const SORENESS: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
pub(crate) const SLEEP: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub(crate) const ACUTE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
pub(crate) const CHRONIC: RGBColor = RGBColor(0x00, 0x00, 0x00);
pub(crate) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(crate) const AXIS: RGBColor = RGBColor(0x66, 0x66, 0x66);
pub(crate) const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
pub(crate) const PAUSE: RGBColor = RGBColor(0x80, 0x80, 0x80);

/// The class of a day (or of its main session), which picks the bar colour everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DayClass {
    /// Enough time above the band to count as a hard day.
    Hard,
    /// Training that stayed easy.
    Easy,
    /// Training held mostly inside the band.
    ActiveRecovery,
    /// Training whose heart rate could not be classified (no heart rate, too short…).
    Unknown,
    /// No training: drawn as a gap, never as a bar.
    Rest,
}

impl DayClass {
    /// The colour of this class as `#RRGGBB`, for other outputs (HTML, terminal) that want to match.
    pub fn hex(self) -> &'static str {
        match self {
            DayClass::Hard => "#D55E00",
            DayClass::Easy => "#009E73",
            DayClass::ActiveRecovery => "#56B4E9",
            DayClass::Unknown => "#999999",
            DayClass::Rest => "#FFFFFF",
        }
    }

    pub(crate) fn colour(self) -> RGBColor {
        match self {
            DayClass::Hard => HARD,
            DayClass::Easy => EASY,
            DayClass::ActiveRecovery => ACTIVE_RECOVERY,
            DayClass::Unknown => UNKNOWN,
            DayClass::Rest => WHITE,
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            DayClass::Hard => "hard day",
            DayClass::Easy => "easy day",
            DayClass::ActiveRecovery => "active recovery",
            DayClass::Unknown => "unclassified",
            DayClass::Rest => "rest day",
        }
    }
}
