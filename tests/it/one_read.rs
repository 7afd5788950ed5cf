//! Every input is read once. The session charts draw from the heart-rate records the first
//! read kept with each session (`Session::hr_records`, moved to an anonymous temporary file
//! as each file is read), never from a second pass over the files, so they are drawn even
//! when the files are gone by the time the report is written, and they are the same charts
//! the binary draws from intact files.

use std::path::Path;

use recovery::config::{self, Overrides};
use recovery::ingest::KeepRecords;
use recovery::pipeline::{self, Inputs};
use recovery::report::charts::ChartStyle;
use recovery::report::folder::write_reports;

use crate::common::{bin, sample};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let path = e.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(e.file_name()));
        } else {
            std::fs::copy(&path, to.join(e.file_name())).unwrap();
        }
    }
}

fn session_pngs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("sessions"))
        .map(|d| {
            d.flatten()
                .map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    (name, std::fs::read(e.path()).unwrap())
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn session_charts_are_drawn_from_the_first_read_even_when_the_files_are_gone_before_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&sample(), &data);

    // The binary on intact files: the charts to match.
    let intact = tmp.path().join("intact");
    let out = bin()
        .args([
            "analyze".as_ref(),
            data.as_os_str(),
            "--quiet".as_ref(),
            "--out".as_ref(),
        ])
        .arg(&intact)
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(3),
        "{out:?}"
    );
    let want = session_pngs(&intact);
    assert!(
        want.len() >= 6,
        "the sample flags at least 6 sessions: {want:?}"
    );

    // The library: read once (each file's heart-rate records moved to a temporary file as
    // it is read), delete every input, then write the report.
    let spill = tmp.path().join("spill");
    std::fs::create_dir(&spill).unwrap();
    let s = config::settings(&Overrides {
        keep_records: KeepRecords::Store(spill.clone()),
        ..Overrides::default()
    })
    .unwrap();
    let inputs = Inputs::new(vec![data.clone()], None);
    let outcome = pipeline::run(&inputs, &s, &mut Vec::new()).unwrap();
    assert!(
        outcome
            .classified
            .iter()
            .all(|c| c.session.hr_records.stored().is_some()),
        "every session's records left memory"
    );
    assert_eq!(
        std::fs::read_dir(&spill).unwrap().count(),
        0,
        "the store has no name"
    );
    std::fs::remove_dir_all(&data).unwrap();
    let report = tmp.path().join("after");
    recovery::report::write::prepare(&report).unwrap();
    let written = write_reports(&outcome, &s, &inputs, &report, &ChartStyle::default()).unwrap();
    assert!(
        written.say.iter().all(|l| !l.starts_with("warning")),
        "{:?}",
        written.say
    );
    let got = session_pngs(&report);
    assert_eq!(
        got.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        want.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    for ((name, a), (_, b)) in got.iter().zip(&want) {
        assert!(a == b, "{name}: not the chart drawn from the intact files");
    }
}

#[test]
fn without_a_writable_temporary_folder_the_charts_keep_their_records_in_memory_and_say_so() {
    let tmp = tempfile::tempdir().unwrap();
    let nowhere = tmp.path().join("no-such-folder");
    let s = config::settings(&Overrides {
        keep_records: KeepRecords::Store(nowhere.clone()),
        ..Overrides::default()
    })
    .unwrap();
    let inputs = Inputs::new(vec![sample().join("activities")], None);
    let mut say = Vec::new();
    let outcome = pipeline::run(&inputs, &s, &mut say).unwrap();
    let line = say
        .iter()
        .find(|l| l.contains("no temporary file for the session charts"))
        .unwrap_or_else(|| panic!("{say:?}"));
    assert!(
        line.starts_with(&format!("warning: {}", nowhere.display())),
        "{line}"
    );
    assert!(line.contains("set TMPDIR"), "{line}");
    assert!(!outcome.inputs.problems, "not a skip: exit 0");
    let charted = outcome
        .classified
        .iter()
        .filter(|c| c.session.hr_s() > 0)
        .map(|c| {
            outcome
                .inputs
                .report
                .hr_series(&c.session.hr_records)
                .unwrap()
        })
        .filter(|series| !series.samples.is_empty())
        .count();
    assert_eq!(
        charted,
        outcome
            .classified
            .iter()
            .filter(|c| c.session.hr_s() > 0)
            .count()
    );
}
