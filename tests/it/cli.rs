//! The command line at the edge: every command that reads exports takes the same reading
//! flags (`--quiet`, `--tz`, `--max-file-mb`, `--decoder`, `--keep-duplicates`) and
//! `--config`, each meaning the same everywhere.

use crate::common::{bin, output};

const SHARED: [&str; 6] = [
    "--quiet",
    "--tz <ZONE>",
    "--max-file-mb <MB>",
    "--decoder <fast|fitparser>",
    "--keep-duplicates",
    "--config <FILE>",
];

#[test]
fn every_command_that_reads_exports_lists_the_shared_reading_flags_in_its_help() {
    for command in ["analyze", "audit", "today", "plan", "sessions", "team"] {
        let (code, help, err) = output(bin().args([command, "--help"]));
        assert_eq!(code, 0, "{command}: {err}");
        for flag in SHARED {
            assert!(
                help.contains(flag),
                "{command} --help lacks {flag}:\n{help}"
            );
        }
    }
}

#[test]
fn team_takes_quiet_like_every_other_command() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = output(
        bin()
            .arg("team")
            .arg(dir.path().join("no-such-team"))
            .args(["--quiet", "--keep-duplicates", "--out"])
            .arg(dir.path().join("out")),
    );
    assert!(!err.contains("unexpected argument"), "{err}");
    assert_ne!(code, 2, "the flags are accepted: {err}");
}
