//! The table format: an aligned plain-text table, each cell as the CSV writes it. Given a
//! width (a terminal), it shows the columns that fit, the most important first, shortens
//! long paths from the left and says what it left out; given colour, it colours the class.
//!
//! Without a width (output piped, no `COLUMNS`) every column is shown in table order, two
//! spaces apart: the layout scripts have read since the first release. With a width,
//! columns are one space apart, so the eight that matter fit in 80 characters.

use polars::prelude::*;

use crate::report::colour;
use crate::report::tables::cell_text;

/// What a table's terminal view shows first and how (one per table kind).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct View {
    /// The columns shown first when fitting a width, most important first; the others
    /// follow in table order.
    pub first: &'static [&'static str],
    /// Columns holding file paths, shortened from the left (keeping the file name) when
    /// the width is short.
    pub paths: &'static [&'static str],
    /// The column holding the class of a session (`hard`, `easy`, …), coloured with the
    /// charts' palette when colour is on.
    pub class: Option<&'static str>,
}

/// How the caller wants the table shown: plain values, read from flags and the
/// environment by the binary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layout {
    /// The width to fit, in characters (the terminal's, or `COLUMNS`); `None` shows every
    /// column in table order with no limit.
    pub width: Option<usize>,
    /// Every column in table order, whatever the width (`--wide`).
    pub wide: bool,
    /// Exactly these columns, in this order (`--columns`); only paths are shortened to fit.
    pub columns: Option<Vec<String>>,
    /// Colour the class column (ANSI escapes).
    pub colour: bool,
}

/// A column asked for by name that the table does not have.
#[derive(Debug, thiserror::Error)]
#[error("no column {name:?}; the columns are {known}")]
pub struct UnknownColumn {
    pub name: String,
    /// Every column of the table, comma-separated.
    pub known: String,
}

/// Checks that every name in `picked` is one of `names` (the columns of the table).
pub fn check_columns(names: &[&str], picked: &[String]) -> Result<(), UnknownColumn> {
    match picked.iter().find(|p| !names.contains(&p.as_str())) {
        Some(p) => Err(UnknownColumn {
            name: p.clone(),
            known: names.join(","),
        }),
        None => Ok(()),
    }
}

/// The mark left where the start of a path was cut.
const CUT: char = '…';

fn is_separator(c: char) -> bool {
    c == '/' || c == '\\'
}

/// `path` in at most `width` characters: whole when it fits, else `…` and as many of its
/// last components as fit, never fewer than the file name (so it may stay longer than
/// `width`: see [`least_width`]).
pub fn shorten_path(path: &str, width: usize) -> String {
    if path.chars().count() <= width {
        return path.to_string();
    }
    let seps: Vec<usize> = path
        .char_indices()
        .filter(|(_, c)| is_separator(*c))
        .map(|(i, _)| i)
        .collect();
    let Some(&last) = seps.last() else {
        return path.to_string();
    };
    let mut start = last;
    for &i in seps.iter().rev().skip(1) {
        if 1 + path[i..].chars().count() > width {
            break;
        }
        start = i;
    }
    format!("{CUT}{}", &path[start..])
}

/// The fewest characters [`shorten_path`] can show `path` in: `…/` and its file name.
pub fn least_width(path: &str) -> usize {
    let len = path.chars().count();
    match path.rfind(is_separator) {
        Some(i) => len.min(1 + path[i..].chars().count()),
        None => len,
    }
}

/// One column on its way to the screen.
struct Shown {
    name: String,
    cells: Vec<String>,
    /// The widest cell or the header.
    natural: usize,
    /// The narrowest it can be (below `natural` only for paths).
    least: usize,
    width: usize,
    right: bool,
    path: bool,
    class: bool,
}

/// The table's columns in the order they are considered: those in `view.first`, then the
/// rest in table order.
fn by_importance(names: &[&str], first: &[&str]) -> Vec<usize> {
    let mut order: Vec<usize> = first
        .iter()
        .filter_map(|f| names.iter().position(|n| n == f))
        .collect();
    let rest: Vec<usize> = (0..names.len()).filter(|i| !order.contains(i)).collect();
    order.extend(rest);
    order
}

/// `text` in lines of at most `width` characters, broken at spaces (a longer word gets a
/// line of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// The frame as an aligned text table (numbers right-aligned, each cell as the CSV writes
/// it), laid out as `layout` asks; see the module documentation.
pub fn render(df: &DataFrame, view: &View, layout: &Layout) -> Result<String, UnknownColumn> {
    let cols = df.columns();
    let names: Vec<&str> = cols.iter().map(|c| c.name().as_str()).collect();
    let order: Vec<usize> = match &layout.columns {
        Some(pick) => {
            check_columns(&names, pick)?;
            pick.iter()
                .filter_map(|p| names.iter().position(|n| n == p))
                .collect()
        }
        None if layout.wide || layout.width.is_none() => (0..names.len()).collect(),
        None => by_importance(&names, view.first),
    };
    let mut columns: Vec<Shown> = order
        .iter()
        .map(|&i| {
            let c = &cols[i];
            let cells: Vec<String> = (0..df.height())
                .map(|r| cell_text(&c.get(r).unwrap_or(AnyValue::Null)))
                .collect();
            let header = names[i].chars().count();
            let natural = cells
                .iter()
                .map(|s| s.chars().count())
                .chain([header])
                .max()
                .unwrap_or(0);
            let path = view.paths.contains(&names[i]);
            let least = if path {
                cells
                    .iter()
                    .map(|s| least_width(s))
                    .chain([header])
                    .max()
                    .unwrap_or(0)
            } else {
                natural
            };
            Shown {
                name: names[i].to_string(),
                cells,
                natural,
                least,
                width: natural,
                right: c.dtype().is_primitive_numeric(),
                path,
                class: view.class == Some(names[i]),
            }
        })
        .collect();
    let gap = if layout.width.is_some() { 1 } else { 2 };
    let mut left_out: Vec<String> = Vec::new();
    match layout.width.filter(|_| !layout.wide) {
        None => {}
        Some(limit) if layout.columns.is_some() => {
            // The columns asked for are all shown; only paths give way.
            let total: usize = columns.iter().map(|c| c.width + gap).sum::<usize>() - gap;
            let mut excess = total.saturating_sub(limit);
            for c in columns.iter_mut().filter(|c| c.path) {
                let give = excess.min(c.natural - c.least);
                c.width -= give;
                excess -= give;
            }
        }
        Some(limit) => {
            let mut used = 0;
            let mut fit = 0;
            for c in &mut columns {
                let sep = if fit == 0 { 0 } else { gap };
                let room = limit.saturating_sub(used + sep);
                if c.natural > room {
                    if c.least <= room {
                        c.width = room;
                    } else if fit == 0 {
                        // Too narrow for even one column: show the first anyway.
                        c.width = c.least;
                    } else {
                        break;
                    }
                }
                used += sep + c.width;
                fit += 1;
            }
            left_out = columns.drain(fit..).map(|c| c.name).collect();
        }
    }

    let mut out = String::new();
    let line = |out: &mut String, cell: &dyn Fn(&Shown) -> (String, bool, bool)| {
        let parts: Vec<String> = columns
            .iter()
            .map(|c| {
                let (text, right, coloured) = cell(c);
                let pad = " ".repeat(c.width.saturating_sub(text.chars().count()));
                let text = match coloured.then(|| colour::class_style(&text)).flatten() {
                    Some(style) => colour::paint(&text, style, true),
                    None => text,
                };
                if right {
                    format!("{pad}{text}")
                } else {
                    format!("{text}{pad}")
                }
            })
            .collect();
        out.push_str(parts.join(&" ".repeat(gap)).trim_end());
        out.push('\n');
    };
    line(&mut out, &|c| (c.name.clone(), false, false));
    for r in 0..df.height() {
        line(&mut out, &|c| {
            let text = if c.path && c.width < c.natural {
                shorten_path(&c.cells[r], c.width)
            } else {
                c.cells[r].clone()
            };
            (text, c.right, c.class && layout.colour)
        });
    }
    if let (false, Some(limit)) = (left_out.is_empty(), layout.width) {
        let note = format!(
            "{} of {} columns left out: {}. --wide shows every column; --columns NAME,… picks them.",
            left_out.len(),
            names.len(),
            left_out.join(", ")
        );
        for l in wrap(&note, limit) {
            out.push_str(&l);
            out.push('\n');
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tables::Table;

    fn plain(t: &Table) -> String {
        render(&t.to_frame().unwrap(), &View::default(), &Layout::default()).unwrap()
    }

    fn sample() -> Table {
        Table::new()
            .text("name", [Some("a".to_string()), None])
            .float("x", 2, [Some(1.005), Some(f64::NAN)])
            .int("n", [Some(3), None])
    }

    #[test]
    fn the_terminal_shows_each_cell_as_the_csv_writes_it() {
        // Issue 15: the CSV wrote `1` where the terminal showed `1.00`.
        assert_eq!(plain(&sample()), "name  x  n\na     1  3\n\n");
    }

    #[test]
    fn csv_terminal_and_json_agree_on_every_cell_of_every_type() {
        let t = crate::report::tables::tests::typed();
        let mut buf = Vec::new();
        t.write_csv(&mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        let terminal = plain(&t);
        let json = t.to_json().unwrap();
        let names = ["date", "start_utc", "class", "load", "n"];
        for (r, line) in text.lines().skip(1).enumerate() {
            let cells: Vec<&str> = line.split(',').collect();
            for (cell, name) in cells.iter().zip(names) {
                let as_text = match &json[r][name] {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                assert_eq!(&as_text, cell, "row {r} column {name}");
            }
            let shown: Vec<&str> = terminal
                .lines()
                .nth(r + 1)
                .unwrap()
                .split_whitespace()
                .collect();
            let filled: Vec<&str> = cells.iter().copied().filter(|c| !c.is_empty()).collect();
            assert_eq!(shown, filled, "row {r}");
        }
    }

    #[test]
    fn a_long_path_keeps_its_last_components_and_always_its_file_name() {
        let p = "sample_data/strava_export.zip/activities/16204164354.gpx";
        for (width, want) in [
            (80, p),
            (56, p),
            (55, "…/strava_export.zip/activities/16204164354.gpx"),
            (40, "…/activities/16204164354.gpx"),
            (28, "…/activities/16204164354.gpx"),
            (27, "…/16204164354.gpx"),
            (5, "…/16204164354.gpx"),
        ] {
            assert_eq!(shorten_path(p, width), want, "width {width}");
        }
        assert_eq!(least_width(p), "…/16204164354.gpx".chars().count());
        assert_eq!(
            shorten_path("a_very_long_file_name.fit", 5),
            "a_very_long_file_name.fit"
        );
        assert_eq!(shorten_path(r"C:\fit\2026\ride.fit", 12), r"…\ride.fit");
    }

    fn wide_table() -> Table {
        let s = |v: &str| Some(v.to_string());
        Table::new()
            .text(
                "file",
                [s("exports/garmin/2026/09/morning_run.fit"), s("a.fit")],
            )
            .text("notes", [s("a long note that nobody needs first"), None])
            .text("sport", [s("running"), s("cycling")])
            .text("class", [s("hard"), s("easy")])
            .float("trimp", 1, [Some(120.8), Some(40.0)])
    }

    const VIEW: View = View {
        first: &["sport", "class", "trimp"],
        paths: &["file"],
        class: Some("class"),
    };

    fn fitted(width: usize) -> String {
        let layout = Layout {
            width: Some(width),
            ..Layout::default()
        };
        render(&wide_table().to_frame().unwrap(), &VIEW, &layout).unwrap()
    }

    #[test]
    fn the_important_columns_come_first_and_what_does_not_fit_is_named_on_the_last_lines() {
        let shown = fitted(40);
        assert!(shown.lines().all(|l| l.chars().count() <= 40), "{shown}");
        let mut lines = shown.lines();
        assert_eq!(
            lines.next().unwrap(),
            "sport   class trimp file",
            "the path takes the room left: {shown}"
        );
        assert_eq!(
            lines.next().unwrap(),
            "running hard  120.8 …/09/morning_run.fit"
        );
        assert_eq!(lines.next().unwrap(), "cycling easy     40 a.fit");
        let note: Vec<&str> = lines.collect();
        assert_eq!(
            note.join(" "),
            "1 of 5 columns left out: notes. --wide shows every column; --columns NAME,… picks them."
        );
    }

    #[test]
    fn a_path_too_long_for_the_room_left_is_left_out_rather_than_cut_inside_its_file_name() {
        let shown = fitted(25);
        assert!(shown.starts_with("sport   class trimp\n"), "{shown}");
        let note = shown.lines().skip(3).collect::<Vec<_>>().join(" ");
        assert!(
            note.starts_with("2 of 5 columns left out: file, notes."),
            "{shown}"
        );
        assert!(shown.lines().all(|l| l.chars().count() <= 25), "{shown}");
    }

    #[test]
    fn wide_shows_every_column_in_table_order_with_paths_whole() {
        let layout = Layout {
            width: Some(20),
            wide: true,
            ..Layout::default()
        };
        let shown = render(&wide_table().to_frame().unwrap(), &VIEW, &layout).unwrap();
        assert!(shown.starts_with("file "), "{shown}");
        assert!(shown.contains("exports/garmin/2026/09/morning_run.fit"));
        assert_eq!(shown.lines().count(), 3, "no note: {shown}");
    }

    #[test]
    fn picked_columns_are_shown_in_the_order_given_and_an_unknown_one_is_named() {
        let frame = wide_table().to_frame().unwrap();
        let layout = Layout {
            width: Some(30),
            columns: Some(vec!["trimp".into(), "file".into()]),
            ..Layout::default()
        };
        let shown = render(&frame, &VIEW, &layout).unwrap();
        assert_eq!(
            shown,
            "trimp file\n120.8 …/09/morning_run.fit\n   40 a.fit\n"
        );
        let layout = Layout {
            columns: Some(vec!["load".into()]),
            ..Layout::default()
        };
        let err = render(&frame, &VIEW, &layout).unwrap_err().to_string();
        assert_eq!(
            err,
            "no column \"load\"; the columns are file,notes,sport,class,trimp"
        );
    }

    #[test]
    fn colour_wraps_only_the_class_and_keeps_the_columns_aligned() {
        let layout = Layout {
            width: Some(40),
            colour: true,
            ..Layout::default()
        };
        let shown = render(&wide_table().to_frame().unwrap(), &VIEW, &layout).unwrap();
        let hard = colour::paint("hard", colour::class_style("hard").unwrap(), true);
        assert!(
            shown.contains(&format!("running {hard}  120.8")),
            "{shown:?}"
        );
        let header = shown.lines().next().unwrap();
        assert!(!header.contains('\x1b'), "the header is plain: {header:?}");
        assert_eq!(
            shown.matches('\x1b').count(),
            4,
            "two cells, each set and reset"
        );
    }

    #[test]
    fn a_note_wraps_at_spaces_within_the_width() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("aaaaaaa b", 5), ["aaaaaaa", "b"]);
        assert_eq!(wrap("", 5), [""]);
    }
}
