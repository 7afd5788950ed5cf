//! Where the first read leaves each session's heart-rate records ([`HrRecords`]) while the
//! rest of the batch is read, so memory never holds more than the files in flight: an
//! anonymous temporary file, appended to as files are read and read back only for the
//! sessions that get a chart. No input file is read twice.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::session::{HrRecords, HrSeries, Session};

/// What ingest does with each session's heart-rate records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum KeepRecords {
    /// Keep them in memory (about a byte a record): a library caller with a few files.
    #[default]
    InMemory,
    /// Move them to an anonymous temporary file in this folder as each file is read.
    Store(PathBuf),
    /// Keep none: the command draws no session chart.
    Drop,
}

/// The temporary file the records are moved to; deleted by the system when dropped.
pub struct HrStore {
    file: Mutex<(File, u64)>,
}

impl std::fmt::Debug for HrStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HrStore")
    }
}

impl HrStore {
    /// An anonymous file in `dir` (it has no name: nothing is left behind, even on a crash).
    pub fn new(dir: &Path) -> std::io::Result<HrStore> {
        Ok(HrStore {
            file: Mutex::new((tempfile::tempfile_in(dir)?, 0)),
        })
    }

    /// Moves the records of `sessions` into the file; a session whose records cannot be
    /// written keeps them in memory.
    pub fn put(&self, sessions: &mut [Session]) {
        let mut guard = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let (file, end) = &mut *guard;
        for s in sessions {
            let at = *end;
            let mut moved = s.hr_records.clone();
            let bytes = moved.take_bytes(at);
            if file.seek(SeekFrom::Start(at)).is_ok() && file.write_all(&bytes).is_ok() {
                *end += bytes.len() as u64;
                s.hr_records = moved;
            }
        }
    }

    /// The chart's series of `records`, read back from the file when they were moved.
    pub fn series(&self, records: &HrRecords) -> Option<HrSeries> {
        let Some((at, len)) = records.stored() else {
            return Some(records.series());
        };
        let mut bytes = vec![0; len as usize];
        let mut guard = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let (file, _) = &mut *guard;
        file.seek(SeekFrom::Start(at)).ok()?;
        file.read_exact(&mut bytes).ok()?;
        Some(records.with_bytes(bytes).series())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_records_come_back_as_the_same_series_and_leave_memory() {
        let dir = tempfile::tempdir().unwrap();
        let store = HrStore::new(dir.path()).unwrap();
        let mut sessions: Vec<Session> = (0..3u32)
            .map(|k| {
                let records: Vec<(u32, u8)> = (0..500)
                    .map(|i| (i * (k + 1), (90 + i % 60) as u8))
                    .collect();
                Session {
                    hr_records: HrRecords::new(0, 10_000, &records, &[(100, 130)]),
                    ..Session::default()
                }
            })
            .collect();
        let want: Vec<HrSeries> = sessions.iter().map(|s| s.hr_records.series()).collect();
        store.put(&mut sessions);
        for (s, want) in sessions.iter().zip(&want) {
            assert!(s.hr_records.stored().is_some());
            assert!(
                s.hr_records.series().samples.is_empty(),
                "nothing in memory"
            );
            assert_eq!(store.series(&s.hr_records).as_ref(), Some(want));
        }
        // Nothing named is left in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
