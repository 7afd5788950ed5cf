//! The fuzz harnesses' checks as ordinary tests (CI never runs a campaign): every seed of
//! every target passes its check, and every crash a campaign found stays fixed, one test
//! per bug with its minimised input written here. The checks and seeds are the fuzz
//! crate's own files, included by path, so the harness and the test cannot drift apart.

use std::path::Path;

#[allow(dead_code)]
#[path = "../../fuzz/src/checks.rs"]
mod checks;
#[allow(dead_code)]
#[path = "../../fuzz/src/seeds.rs"]
mod seeds;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn check(target: &str, bytes: &[u8]) -> Result<(), String> {
    match target {
        "fit" => checks::check_fit(bytes),
        "zip" => checks::check_zip(bytes),
        "xml" => checks::check_xml(bytes),
        "journal" => checks::check_journal(bytes),
        "config" => checks::check_config(bytes),
        other => panic!("no target {other}"),
    }
}

#[test]
fn every_seed_passes_its_harness_check() {
    let mut failures = Vec::new();
    for target in seeds::TARGETS {
        let mut inputs = seeds::seeds(root(), target, false);
        assert!(!inputs.is_empty(), "{target}: no seeds");
        if *target == "zip" {
            // The whole sample exports too (too big to seed a campaign with).
            for name in ["garmin_export.zip", "strava_export.zip"] {
                let path = root().join("sample_data").join(name);
                inputs.push((name.to_string(), std::fs::read(path).expect("sample zip")));
            }
        }
        for (name, bytes) in &inputs {
            if let Err(why) = check(target, bytes) {
                failures.push(format!("{target} {name}: {why}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---- Regressions: one test per crash a campaign found ---------------------------------

/// config, found in its first minute: toml's own error message names neither the line
/// nor the key (`invalid type: string "x", expected f64`), so a typo in a long file was
/// a hunt. The message now says where: `at line 2, column 10`.
#[test]
fn config_syntax_and_type_errors_name_their_line() {
    for (text, line) in [
        ("band = \"120-140\"\nhr_max = \"x\"\n", "line 2, column 10"),
        ("[rules]\nsore = \n", "line 2, column 8"),
        ("sex = female\n", "line 1, column 7"),
        ("[rules\n", "line 1, column 7"),
    ] {
        assert_eq!(checks::check_config(text.as_bytes()), Ok(()), "{text:?}");
        let files = [(std::path::PathBuf::from("recovery.toml"), text.to_string())];
        let err = recovery::config::settings_layered(&Default::default(), &files)
            .expect_err("invalid")
            .to_string();
        assert!(err.contains(line), "{text:?}: {err}");
    }
}

/// config: a bad `band`, `tz`, `sex` or `hr_max`/`hr_rest` read from recovery.toml was
/// named by a flag the user never gave (`--band "Q20-140": …`); it is named by its key in
/// the file, and a flag's value still by the flag.
#[test]
fn config_values_from_the_file_are_named_by_their_key_not_a_flag() {
    for (text, want) in [
        (
            "band = \"Q20-140\"\n",
            "recovery.toml: band \"Q20-140\": expected LOW-HIGH",
        ),
        (
            "tz = \"Europe/Berln\"\n",
            "recovery.toml: tz \"Europe/Berln\" is not an IANA",
        ),
        (
            "sex = \"x\"\n",
            "recovery.toml: sex \"x\": expected male or female",
        ),
        (
            "hr_max = 190\nhr_rest = -52\n",
            "recovery.toml: hr_max 190 and hr_rest -52: expected",
        ),
    ] {
        assert_eq!(checks::check_config(text.as_bytes()), Ok(()), "{text:?}");
        let files = [(std::path::PathBuf::from("recovery.toml"), text.to_string())];
        let err = recovery::config::settings_layered(&Default::default(), &files)
            .expect_err("invalid")
            .to_string();
        assert!(err.starts_with(want), "{text:?}: {err}");
    }
    let flag = recovery::config::Overrides {
        hr_max: Some(190.0),
        ..Default::default()
    };
    let files = [(
        std::path::PathBuf::from("recovery.toml"),
        "hr_rest = 200\n".to_string(),
    )];
    let err = recovery::config::settings_layered(&flag, &files)
        .expect_err("rest above max")
        .to_string();
    assert!(
        err.starts_with("recovery.toml: --hr-max 190 and hr_rest 200"),
        "{err}"
    );
}

/// journal: a stray CR inside an LF file ended a row for the CSV reader but not for the
/// line count, so the two halves were both reported as one line ("line 3 has 1 fields"
/// and "line 3, column 1 (date): "3-03"") and a row went unnamed. A lone CR is a line
/// break now, as editors show it.
#[test]
fn journal_rows_split_by_a_stray_cr_are_named_by_their_own_lines() {
    let bytes = b"date,soreness\n2026-03-02,3\n2026-\r03-03,4\n2026-03-04,2\n";
    assert_eq!(checks::check_journal(bytes), Ok(()));
    let opts = recovery::journal::JournalOptions {
        require_sleep: false,
    };
    let journal = recovery::journal::read_journal("journal.csv", bytes, &opts).expect("read");
    assert_eq!(journal.entries.len(), 2);
    assert_eq!(journal.entries[1].line, 5, "the row after the CR is line 5");
    let mut lines: Vec<usize> = journal.problems.iter().map(|p| p.line).collect();
    lines.dedup();
    assert_eq!(lines, [3, 4], "{:?}", journal.problems);
    assert_eq!(journal.rows_left_out, 2);
}

/// xml, a false alarm of the harness itself (no reader bug): quick-xml's error for a
/// malformed end tag quotes the raw bytes, declaration included, so the check looked for
/// expanded entities in the verdict's message; it now looks only in what was read.
#[test]
fn an_entity_declaration_quoted_in_an_xml_error_is_not_an_expansion() {
    let bytes = b"<gpx><trk></t<!ENTITY e \"expanded-entity-text\">";
    let (verdict, sessions) = recovery::ingest::gpx::read("x.gpx", &bytes[..], None);
    assert!(format!("{verdict:?}").contains("expanded-entity-text"));
    assert!(sessions.is_empty());
    assert_eq!(checks::check_xml(bytes), Ok(()));
    let expanded = b"<!DOCTYPE gpx [<!ENTITY e \"expanded-entity-text\">]><gpx><trk><name>&e;</name></trk></gpx>";
    assert_eq!(checks::check_xml(expanded), Ok(()));
}

/// The xml target's Apple Health seeds are cut from the sample export: each must still
/// read as an export holding a workout with heart rate and a night, or the campaign would
/// start from documents the Apple reader throws away at once.
#[test]
fn the_apple_seeds_cut_from_the_sample_export_still_hold_a_workout_and_a_night() {
    let apple: Vec<_> = seeds::seeds(root(), "xml", false)
        .into_iter()
        .filter(|(name, _)| name.contains("export.xml"))
        .collect();
    assert_eq!(apple.len(), 2, "with and without the DTD");
    for (name, bytes) in &apple {
        assert!(bytes.len() < 32 * 1024, "{name}: {} bytes", bytes.len());
        let export = recovery::ingest::apple::read("export.xml", &mut &bytes[..], None);
        assert_eq!(export.sessions.len(), 1, "{name}: {:?}", export.verdict);
        assert!(export.sessions[0].hr_s() > 0, "{name}: no heart rate");
        assert!(!export.days.nights.is_empty(), "{name}: no night");
        assert_eq!(checks::check_xml(bytes), Ok(()), "{name}");
    }
}

/// An entity an Apple export declares in its DTD is never expanded: a workout whose
/// `sourceName` is `&src;` is not read as the declared text.
#[test]
fn an_entity_declared_in_an_apple_export_is_never_expanded_into_what_is_read() {
    let doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n<!ENTITY src \"Planted Watch Name\">\n]>\n\
<HealthData locale=\"en_DE\">\n\
 <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"&src;\" unit=\"count/min\" startDate=\"2026-10-20 18:30:00 +0200\" endDate=\"2026-10-20 18:30:00 +0200\" value=\"131\"/>\n\
 <Workout workoutActivityType=\"HKWorkoutActivityTypeRunning\" duration=\"30\" durationUnit=\"min\" sourceName=\"&src;\" startDate=\"2026-10-20 18:26:20 +0200\" endDate=\"2026-10-20 18:56:20 +0200\"/>\n\
</HealthData>\n";
    let export = recovery::ingest::apple::read("export.xml", &mut doc.as_bytes(), None);
    let read = format!("{:?} {:?}", export.sessions, export.days);
    assert!(!read.contains("Planted Watch Name"), "{read}");
    assert_eq!(checks::check_xml(doc.as_bytes()), Ok(()));
}

/// journal, a false alarm of the harness (no reader bug), 139 inputs in the 30-minute
/// campaign: a bad HRV cell costs only the HRV since the readiness rules (the row is kept,
/// a problem names its line, `values_left_out` counts it), but the check still expected
/// every named line to be a row left out. It now tells the two apart.
#[test]
fn a_row_kept_without_its_bad_hrv_is_named_by_its_line_and_counted_as_a_value() {
    let bytes = b"date,soreness,hrv_ms\n2026-03-02,3,V6\n2026-03-03,x,60\n2026-03-04,2,61\n";
    assert_eq!(checks::check_journal(bytes), Ok(()));
    let opts = recovery::journal::JournalOptions {
        require_sleep: false,
    };
    let journal = recovery::journal::read_journal("journal.csv", bytes, &opts).expect("read");
    assert_eq!(journal.entries.len(), 2);
    assert_eq!(journal.entries[0].hrv_ms, None, "the bad HRV is left out");
    assert_eq!((journal.rows_left_out, journal.values_left_out), (1, 1));
    let lines: Vec<usize> = journal.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [2, 3], "{:?}", journal.problems);
}

/// journal, found by the second 30-minute campaign (17 inputs): a row with a bad HRV whose
/// date was already given is left out whole, but its HRV was also counted as a value left
/// out, so the journal line said "1 rows left out, 1 HRV values left out" for one row. It is
/// one row left out now, named once.
#[test]
fn a_repeated_date_with_a_bad_hrv_is_one_row_left_out_not_also_a_value() {
    let bytes = b"date,soreness,hrv_ms\n2026-03-02,3,60\n2026-03-02,4,?6\n2026-03-03,2,61\n";
    assert_eq!(checks::check_journal(bytes), Ok(()));
    let opts = recovery::journal::JournalOptions {
        require_sleep: false,
    };
    let journal = recovery::journal::read_journal("journal.csv", bytes, &opts).expect("read");
    assert_eq!(journal.entries.len(), 2);
    assert_eq!((journal.rows_left_out, journal.values_left_out), (1, 0));
    assert_eq!(journal.problems.len(), 1, "{:?}", journal.problems);
    assert!(
        journal.problems[0]
            .message
            .contains("already given on line 2"),
        "{:?}",
        journal.problems
    );
}
