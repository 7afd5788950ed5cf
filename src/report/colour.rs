//! Colour on the terminal: the charts' palette for the class of a session and the
//! recommendation word, written only when the caller says colour is on (the binary decides
//! from `--color`, `NO_COLOR` and whether stdout is a terminal).

use anstyle::{RgbColor, Style};

use crate::report::charts::DayClass;
use crate::rules::plan::Plan;
use crate::rules::{Advice, Answer};
use crate::zones::Band;

/// The chart colour of a class as a terminal foreground.
fn fg(class: DayClass) -> Style {
    let c = class.colour();
    Style::new().fg_color(Some(RgbColor(c.0, c.1, c.2).into()))
}

/// The style of a session's class as the tables write it (`hard`, `easy`,
/// `active_recovery`, `unknown`); `None` for anything else.
pub fn class_style(class: &str) -> Option<Style> {
    let day = match class {
        "hard" => DayClass::Hard,
        "easy" => DayClass::Easy,
        "active_recovery" => DayClass::ActiveRecovery,
        "unknown" => DayClass::Unknown,
        _ => return None,
    };
    Some(fg(day))
}

/// The style of a recommendation word: bold, in the colour of the class of day it allows.
/// A rest day has no class colour (the charts draw it as no bar), so REST is bold only.
pub fn advice_style(advice: Advice) -> Style {
    let day = match advice {
        Advice::HardOk => DayClass::Hard,
        Advice::Easy => DayClass::Easy,
        Advice::ActiveRecovery => DayClass::ActiveRecovery,
        Advice::Rest => return Style::new().bold(),
    };
    fg(day).bold()
}

/// `text` in `style` when `on`, else `text` unchanged.
pub fn paint(text: &str, style: Style, on: bool) -> String {
    if on {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

/// `today`'s answer as text (see [`crate::rules::lines`]), the word coloured when `on`.
pub fn today_lines(answer: &Answer, band: Band, on: bool) -> Vec<String> {
    crate::rules::today::lines_with(answer, band, &|a| paint(&a.word(), advice_style(a), on))
}

/// The plan as text (see [`crate::rules::plan::lines`]), each day's word coloured when `on`.
pub fn plan_lines(plan: &Plan, on: bool) -> Vec<String> {
    crate::rules::plan::lines_with(plan, &|a| paint(&a.word(), advice_style(a), on))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_class_is_drawn_in_its_chart_colour() {
        for (class, day) in [
            ("hard", DayClass::Hard),
            ("easy", DayClass::Easy),
            ("active_recovery", DayClass::ActiveRecovery),
            ("unknown", DayClass::Unknown),
        ] {
            let hex = day.hex();
            let rgb = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
            let want = format!("\x1b[38;2;{};{};{}m", rgb(1), rgb(3), rgb(5));
            let shown = paint(class, class_style(class).unwrap(), true);
            assert!(shown.starts_with(&want), "{class}: {shown:?}");
            assert!(shown.ends_with("\x1b[0m"), "{class}: {shown:?}");
        }
        assert_eq!(class_style("rest"), None);
    }

    #[test]
    fn the_word_has_the_colour_of_the_class_it_allows_and_rest_is_bold_only() {
        assert_eq!(
            advice_style(Advice::HardOk),
            class_style("hard").unwrap().bold()
        );
        assert_eq!(
            advice_style(Advice::Easy),
            class_style("easy").unwrap().bold()
        );
        assert_eq!(
            advice_style(Advice::ActiveRecovery),
            class_style("active_recovery").unwrap().bold()
        );
        assert_eq!(advice_style(Advice::Rest), Style::new().bold());
    }

    #[test]
    fn off_means_the_text_unchanged() {
        assert_eq!(
            paint("HARD OK", advice_style(Advice::HardOk), false),
            "HARD OK"
        );
    }
}
