//! The time zone at a GPS position, offline: tzf-rs's bundled boundary data (lite, ~4 MB,
//! built from timezone-boundary-builder over OpenStreetMap, ODbL-1.0), queried in place.

use std::sync::OnceLock;

use chrono_tz::Tz;
use tzf_rs::EmbeddedFinder;

/// What a position says about the time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Place {
    /// Inside a zone on land (or its territorial waters).
    Zone(Tz),
    /// At sea, outside every country's zone: the nautical zone of its longitude
    /// (`Etc/GMT±N`, 15° wide).
    Sea(Tz),
    /// Not a position on Earth: latitude outside −90…90 or longitude outside −180…180.
    OutOfRange,
}

/// The zone at `(lat, lon)` in degrees.
pub fn place(lat: f64, lon: f64) -> Place {
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Place::OutOfRange;
    }
    static FINDER: OnceLock<EmbeddedFinder> = OnceLock::new();
    let name = FINDER
        .get_or_init(EmbeddedFinder::new)
        .get_tz_name(lon, lat);
    match name.parse::<Tz>() {
        Ok(tz) if !name.starts_with("Etc/") => Place::Zone(tz),
        Ok(tz) => Place::Sea(tz),
        Err(_) => Place::Sea(nautical(lon)),
    }
}

/// The nautical zone of a longitude: `Etc/GMT-N` is N hours east of Greenwich (the sign
/// is POSIX's, reversed), N = longitude / 15 rounded, within ±12.
pub fn nautical(lon: f64) -> Tz {
    let n = (lon / 15.0).round().clamp(-12.0, 12.0) as i32;
    let name = match n {
        0 => "Etc/GMT".to_string(),
        n if n > 0 => format!("Etc/GMT-{n}"),
        n => format!("Etc/GMT+{}", -n),
    };
    name.parse().expect("Etc/GMT-12 … Etc/GMT+12 are all zones")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_on_land_give_their_zone() {
        assert_eq!(
            place(42.2808, -83.7430),
            Place::Zone(chrono_tz::America::Detroit)
        );
        assert_eq!(place(52.52, 13.405), Place::Zone(chrono_tz::Europe::Berlin));
        assert_eq!(place(35.68, 139.77), Place::Zone(chrono_tz::Asia::Tokyo));
    }

    #[test]
    fn the_open_sea_gives_the_nautical_zone_and_nonsense_is_out_of_range() {
        assert_eq!(place(30.0, -40.0), Place::Sea(nautical(-40.0)));
        assert_eq!(nautical(-40.0).name(), "Etc/GMT+3");
        assert_eq!(nautical(170.0).name(), "Etc/GMT-11");
        assert_eq!(nautical(7.0).name(), "Etc/GMT");
        assert_eq!(place(95.0, 10.0), Place::OutOfRange);
        assert_eq!(place(10.0, -181.0), Place::OutOfRange);
    }
}
