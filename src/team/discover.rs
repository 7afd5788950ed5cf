//! Finding the athletes of a team folder: each direct subfolder or `.zip` is one athlete,
//! named after the folder or the zip's stem.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Where an athlete's files are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Folder,
    Zip,
}

/// One athlete of the team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Athlete {
    /// The folder name or the zip's stem, exactly as on disk.
    pub name: String,
    pub path: PathBuf,
    pub kind: Kind,
}

/// The athletes of `dir`, sorted by name. Hidden entries, plain files and `skip` (the
/// output folder, when it lies inside `dir`) are not athletes. A folder and a zip with the
/// same name are an error naming both.
pub fn discover(dir: &Path, skip: &Path) -> Result<Vec<Athlete>> {
    let entries = std::fs::read_dir(dir).with_context(|| {
        format!(
            "cannot read the team folder {}; give a folder with one subfolder or .zip per athlete",
            dir.display()
        )
    })?;
    let skip = skip.canonicalize().ok();
    let mut by_name: BTreeMap<String, Athlete> = BTreeMap::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        let path = entry.path();
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with('.') {
            continue;
        }
        if skip.is_some() && path.canonicalize().ok() == skip {
            continue;
        }
        let (name, kind) = if path.is_dir() {
            (file_name.clone(), Kind::Folder)
        } else if path.is_file()
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (stem, Kind::Zip)
        } else {
            continue;
        };
        if name == "dataset" {
            anyhow::bail!(
                "{}: an athlete cannot be named \"dataset\" (the team's Parquet dataset uses that folder); rename it",
                path.display()
            );
        }
        let athlete = Athlete { name, path, kind };
        if let Some(other) = by_name.get(&athlete.name) {
            anyhow::bail!(
                "two athletes are named {:?}: {} and {}; rename one of them",
                athlete.name,
                other.path.display(),
                athlete.path.display()
            );
        }
        by_name.insert(athlete.name.clone(), athlete);
    }
    Ok(by_name.into_values().collect())
}

impl Athlete {
    /// Why this athlete has nothing at all to read (an empty folder or zip), if so.
    pub fn empty_reason(&self) -> Option<String> {
        match self.kind {
            Kind::Folder => {
                let empty = std::fs::read_dir(&self.path)
                    .map(|mut it| it.next().is_none())
                    .unwrap_or(false);
                empty.then(|| "empty folder: no files to read".to_string())
            }
            Kind::Zip => {
                let empty = std::fs::File::open(&self.path)
                    .ok()
                    .and_then(|f| zip::ZipArchive::new(f).ok())
                    .is_some_and(|z| z.is_empty());
                empty.then(|| "empty zip: no files to read".to_string())
            }
        }
    }

    /// The athlete's own `file_name` (e.g. `journal.csv`): in the folder itself, or the
    /// shallowest zip member of that name. Returns its name for messages and its bytes.
    pub fn read_member(&self, file_name: &str) -> Result<Option<(PathBuf, Vec<u8>)>> {
        match self.kind {
            Kind::Folder => {
                let p = self.path.join(file_name);
                if !p.is_file() {
                    return Ok(None);
                }
                let bytes =
                    std::fs::read(&p).with_context(|| format!("reading {}", p.display()))?;
                Ok(Some((p, bytes)))
            }
            Kind::Zip => {
                let f = std::fs::File::open(&self.path)
                    .with_context(|| format!("opening {}", self.path.display()))?;
                let Ok(mut z) = zip::ZipArchive::new(f) else {
                    // Not a readable zip: ingest reports it; there is no member to find.
                    return Ok(None);
                };
                let best = (0..z.len())
                    .filter_map(|i| {
                        let name = z.name_for_index(i)?.ok()?.to_string();
                        let last = name.rsplit('/').next().unwrap_or(&name);
                        (last == file_name).then(|| (name.matches('/').count(), i, name))
                    })
                    .min();
                let Some((_, i, name)) = best else {
                    return Ok(None);
                };
                let mut member = z
                    .by_index(i)
                    .with_context(|| format!("{}: reading {name}", self.path.display()))?;
                let mut bytes = Vec::new();
                member
                    .read_to_end(&mut bytes)
                    .with_context(|| format!("{}: reading {name}", self.path.display()))?;
                Ok(Some((self.path.join(name), bytes)))
            }
        }
    }
}

/// An athlete's name as a Hive partition value: bytes outside `A–Z a–z 0–9 . _ -` are
/// percent-encoded (as polars and pyarrow write them; DuckDB, polars, pyarrow and Spark
/// decode them back), so `=`, `/`, `%`, spaces and non-ASCII letters are safe.
pub fn partition_value(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_values_encode_separators_spaces_and_percent() {
        assert_eq!(partition_value("anna"), "anna");
        assert_eq!(partition_value("a=b/c d%"), "a%3Db%2Fc%20d%25");
        assert_eq!(partition_value("Jörg"), "J%C3%B6rg");
    }

    #[test]
    fn a_folder_and_a_zip_with_one_name_are_an_error_naming_both() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("anna")).unwrap();
        std::fs::write(dir.path().join("anna.zip"), b"").unwrap();
        let err = discover(dir.path(), &dir.path().join("out"))
            .unwrap_err()
            .to_string();
        let folder = dir.path().join("anna").display().to_string();
        // Both named: the zip, and the folder on its own (not only as the zip's prefix).
        assert!(err.contains(&format!("{folder}.zip")), "{err}");
        assert_eq!(err.matches(&folder).count(), 2, "{err}");
    }

    #[test]
    fn hidden_entries_plain_files_and_the_output_folder_are_not_athletes() {
        let dir = tempfile::tempdir().unwrap();
        for d in ["ben", ".git", "reports"] {
            std::fs::create_dir(dir.path().join(d)).unwrap();
        }
        std::fs::write(dir.path().join("recovery.toml"), b"").unwrap();
        std::fs::write(dir.path().join("cara.ZIP"), b"").unwrap();
        let found = discover(dir.path(), &dir.path().join("reports")).unwrap();
        let names: Vec<_> = found.iter().map(|a| (a.name.as_str(), a.kind)).collect();
        assert_eq!(names, vec![("ben", Kind::Folder), ("cara", Kind::Zip)]);
    }
}
