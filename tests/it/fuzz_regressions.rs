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
