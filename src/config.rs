//! Validated settings: the only input the core sees. Built from flags; every error
//! names the flag and what is expected.

use chrono_tz::Tz;
use thiserror::Error;

use crate::ingest::{IngestOptions, Limits};

/// A flag or setting with a value we cannot use.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error(
        "--tz {0:?} is not an IANA time zone name; expected e.g. Europe/Berlin or America/New_York"
    )]
    BadZone(String),
    #[error("--max-file-mb must be at least 1")]
    BadLimit,
}

/// Parses an IANA zone name.
pub fn parse_tz(name: Option<&str>) -> Result<Option<Tz>, ConfigError> {
    name.map(|n| {
        n.parse::<Tz>()
            .map_err(|_| ConfigError::BadZone(n.to_string()))
    })
    .transpose()
}

/// Ingest options from the shared input flags.
pub fn ingest_options(
    tz: Option<&str>,
    max_file_mb: u64,
    progress: bool,
) -> Result<IngestOptions, ConfigError> {
    if max_file_mb == 0 {
        return Err(ConfigError::BadLimit);
    }
    Ok(IngestOptions {
        tz: parse_tz(tz)?,
        limits: Limits {
            max_file_bytes: max_file_mb.saturating_mul(1024 * 1024),
        },
        progress,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_zone_parses_and_a_typo_names_the_flag() {
        assert!(parse_tz(Some("Europe/Berlin")).unwrap().is_some());
        assert_eq!(parse_tz(None).unwrap(), None);
        let err = parse_tz(Some("Europe/Berln")).unwrap_err();
        assert!(err.to_string().starts_with("--tz \"Europe/Berln\""));
    }

    #[test]
    fn a_zero_size_limit_is_refused() {
        assert_eq!(
            ingest_options(None, 0, false).unwrap_err(),
            ConfigError::BadLimit
        );
    }
}
