//! The terminal (issue 29): `sessions` fits its table to `COLUMNS`, `--wide` and
//! `--columns` show more or other columns, CSV and JSON keep every column, colour follows
//! `--color` and `NO_COLOR`, `completions` writes scripts and every `--help` has examples.
//!
//! Every run clears the colour and width variables of the environment the tests run in,
//! then sets the ones it is about. A real terminal (a pty) is not simulated:
//! `CLICOLOR_FORCE=1` stands in for "auto would colour".

use clap::CommandFactory;

use crate::common::{bin, output, sample};

/// `recovery` with `env` set and nothing else that changes width or colour.
fn recovery(env: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
    let mut c = bin();
    for k in ["COLUMNS", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM"] {
        c.env_remove(k);
    }
    c.envs(env.iter().copied());
    c.args(args);
    output(&mut c)
}

/// `recovery <command> sample_data -q <args>`.
fn on_sample(env: &[(&str, &str)], command: &str, args: &[&str]) -> (i32, String, String) {
    let sample = sample();
    let mut all = vec![command, sample.to_str().expect("a UTF-8 path"), "-q"];
    all.extend(args);
    let (code, out, err) = recovery(env, &all);
    assert_eq!(code, 0, "{command} {args:?}: {err}");
    (code, out, err)
}

/// The columns of the sessions CSV, in order.
fn csv_columns() -> Vec<String> {
    let (_, csv, _) = on_sample(&[], "sessions", &["--format", "csv"]);
    let header = csv.lines().next().expect("a header line");
    header.split(',').map(str::to_string).collect()
}

fn header(table: &str) -> Vec<&str> {
    table
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect()
}

const ESC: char = '\x1b';

#[test]
fn at_80_and_120_columns_no_line_of_sessions_is_longer_than_the_width() {
    for width in ["80", "120"] {
        let (_, table, _) = on_sample(&[("COLUMNS", width)], "sessions", &[]);
        let limit: usize = width.parse().unwrap();
        for line in table.lines() {
            assert!(
                line.chars().count() <= limit,
                "COLUMNS={width}: {} characters: {line}",
                line.chars().count()
            );
        }
        assert_eq!(
            header(&table)[..8],
            [
                "local_date",
                "sport",
                "timer_s",
                "below_min",
                "in_min",
                "above_min",
                "class",
                "trimp"
            ],
            "COLUMNS={width}: the most important columns first"
        );
        // The note, however many lines it wraps to, closes the output.
        let from = table
            .find("columns left out")
            .map_or(table.len(), |i| table[..i].rfind('\n').map_or(0, |n| n + 1));
        let note = table[from..].replace('\n', " ");
        assert!(
            note.contains("columns left out") && note.contains("--wide"),
            "COLUMNS={width}: the last lines say what was left out: {note}"
        );
    }
}

#[test]
fn piped_with_no_width_the_table_keeps_every_column_in_table_order() {
    let (_, table, _) = on_sample(&[], "sessions", &[]);
    assert_eq!(header(&table), csv_columns());
    assert!(!table.contains("left out"), "{table}");
}

#[test]
fn wide_keeps_every_column_at_80_columns() {
    let (_, table, _) = on_sample(&[("COLUMNS", "80")], "sessions", &["--wide"]);
    assert_eq!(header(&table), csv_columns());
    let (_, csv, _) = on_sample(&[], "sessions", &["--format", "csv"]);
    assert_eq!(table.lines().count(), csv.lines().count(), "no note");
    assert!(
        table.contains("sample_data/activities/2026-09-01_run_intervals.fit"),
        "paths whole"
    );
}

#[test]
fn columns_shows_the_columns_asked_for_in_that_order() {
    let (_, table, _) = on_sample(
        &[("COLUMNS", "80")],
        "sessions",
        &["--columns", "name,class,local_date"],
    );
    assert_eq!(header(&table), ["name", "class", "local_date"]);
    let first: Vec<&str> = table.lines().nth(1).unwrap().split_whitespace().collect();
    assert_eq!(first, ["Intervals", "6x4min", "hard", "2026-09-01"]);
}

#[test]
fn an_unknown_column_or_columns_with_csv_is_a_usage_error() {
    let sample = sample();
    let s = sample.to_str().unwrap();
    let (code, out, err) = recovery(&[], &["sessions", s, "-q", "--columns", "date,class"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("no column \"date\"") && err.contains("local_date"),
        "{err}"
    );
    let (code, _, err) = recovery(
        &[],
        &["sessions", s, "-q", "--columns", "class", "--format", "csv"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("CSV and JSON always carry every column"),
        "{err}"
    );
}

#[test]
fn long_paths_are_shortened_from_the_left_keeping_the_file_name() {
    let (_, table, _) = on_sample(
        &[("COLUMNS", "50")],
        "sessions",
        &["--columns", "local_date,file"],
    );
    let (_, csv, _) = on_sample(&[], "sessions", &["--format", "csv"]);
    let files: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    let shown: Vec<&str> = table.lines().skip(1).collect();
    assert_eq!(shown.len(), files.len());
    let mut shortened = 0;
    for (line, file) in shown.iter().zip(&files) {
        assert!(line.chars().count() <= 50, "{line}");
        let cell = line.split_whitespace().last().unwrap();
        let name = file.rsplit('/').next().unwrap();
        assert!(cell.ends_with(name), "{cell} keeps the file name of {file}");
        if let Some(tail) = cell.strip_prefix('…') {
            assert!(
                file.ends_with(tail) && tail.starts_with('/'),
                "{cell} {file}"
            );
            shortened += 1;
        } else {
            assert_eq!(cell, *file);
        }
    }
    assert!(shortened > 0, "the sample has paths over 39 characters");
}

#[test]
fn csv_and_json_carry_every_column_whatever_the_width() {
    for format in ["csv", "json"] {
        let args = ["--format", format];
        let (_, piped, _) = on_sample(&[], "sessions", &args);
        let (_, narrow, _) = on_sample(&[("COLUMNS", "80")], "sessions", &args);
        assert_eq!(narrow, piped, "{format}");
        let (_, coloured, _) =
            on_sample(&[], "sessions", &["--format", format, "--color", "always"]);
        assert_eq!(
            coloured, piped,
            "{format}: colour is for the table format only"
        );
    }
    let (_, json, _) = on_sample(&[("COLUMNS", "80")], "sessions", &["--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows[0].as_object().unwrap().len(), csv_columns().len());
}

#[test]
fn piped_or_with_no_color_set_there_are_no_escape_bytes() {
    let runs: [(&str, &[&str]); 3] = [
        ("sessions", &[]),
        ("today", &["--date", "2026-10-11"]),
        ("plan", &[]),
    ];
    for (command, args) in runs {
        let (_, piped, _) = on_sample(&[("COLUMNS", "80")], command, args);
        assert!(!piped.contains(ESC), "{command} piped: {piped}");
        let env = [("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")];
        let (_, out, _) = on_sample(&env, command, args);
        assert!(!out.contains(ESC), "{command} with NO_COLOR: {out}");
        let mut never = args.to_vec();
        never.extend(["--color", "never"]);
        let (_, out, _) = on_sample(&[("CLICOLOR_FORCE", "1")], command, &never);
        assert!(!out.contains(ESC), "{command} --color never: {out}");
    }
}

#[test]
fn color_always_colours_the_word_and_the_class_even_when_piped() {
    let always = ["--date", "2026-10-11", "--color", "always"];
    let (_, today, _) = on_sample(&[("NO_COLOR", "1")], "today", &always);
    let first = today.lines().next().unwrap();
    assert!(
        first.contains("\x1b[1mREST\x1b[0m"),
        "bold, over NO_COLOR: {first:?}"
    );
    assert_eq!(
        today.matches(ESC).count(),
        2,
        "only the word is coloured: {today:?}"
    );
    let from = ["--from", "2026-11-09"];
    let (_, plan, _) = on_sample(&[], "plan", &[&from[..], &["--color", "always"]].concat());
    let hard_ok = "\x1b[1m\x1b[38;2;213;94;0mHARD OK\x1b[0m";
    assert!(
        plan.contains(hard_ok),
        "HARD OK in the charts' hard colour: {plan:?}"
    );
    let (_, auto, _) = on_sample(&[("CLICOLOR_FORCE", "1")], "plan", &from);
    assert_eq!(auto, plan, "auto colours where it is told it may");
    let (_, table, _) = on_sample(&[("COLUMNS", "80")], "sessions", &["--color", "always"]);
    assert!(
        table.contains("\x1b[38;2;213;94;0mhard\x1b[0m"),
        "{table:?}"
    );
    assert!(
        table.contains("\x1b[38;2;0;158;115measy\x1b[0m"),
        "{table:?}"
    );
}

fn subcommands() -> Vec<String> {
    recovery::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

#[test]
fn completions_bash_gives_a_script_naming_every_subcommand() {
    let (code, script, err) = recovery(&[], &["completions", "bash"]);
    assert_eq!(code, 0, "{err}");
    assert!(script.contains("complete -F"), "a bash completion script");
    let names = subcommands();
    assert!(names.len() >= 8, "{names:?}");
    let offered = script
        .lines()
        .find(|l| l.trim_start().starts_with("opts=\"-h -V"))
        .expect("the top-level word list");
    for name in names {
        assert!(script.contains(&format!("recovery,{name})")), "{name}");
        assert!(
            offered.split([' ', '"']).any(|w| w == name),
            "{name}: {offered}"
        );
    }
    for shell in ["zsh", "fish", "powershell"] {
        let (code, script, err) = recovery(&[], &["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(
            script.contains("analyze") && script.contains("journal"),
            "{shell}"
        );
    }
}

#[test]
fn every_subcommand_help_ends_with_examples_of_itself() {
    for name in subcommands() {
        let (code, help, err) = recovery(&[], &[&name, "--help"]);
        assert_eq!(code, 0, "{name}: {err}");
        let examples = help
            .split("Examples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("{name} --help has no examples:\n{help}"));
        assert!(
            examples.contains(&format!("  recovery {name} ")),
            "{name}: {examples}"
        );
    }
}
