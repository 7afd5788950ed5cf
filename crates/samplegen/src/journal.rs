//! The journal the athlete keeps: soreness, sleep, resting heart rate, notes; and the watch's
//! own view of the same days.

use super::*;

// The journal.

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct JournalRow {
    pub(crate) date: NaiveDate,
    pub(crate) soreness: u8,
    /// As written: one decimal, or `h:mm` on a couple of rows.
    pub(crate) sleep: String,
    pub(crate) sleep_hours: f64,
    pub(crate) sleep_quality: u8,
    pub(crate) resting_hr: u8,
    /// Overnight rMSSD, ms (the journal's `hrv_ms`).
    pub(crate) hrv_ms: u8,
    pub(crate) planned: &'static str,
    pub(crate) notes: &'static str,
}

/// Days without a journal row: the athlete forgot.
pub(crate) const JOURNAL_MISSING: [(u32, u32); 5] = [(9, 5), (9, 27), (10, 19), (11, 1), (11, 6)];

/// The overreaching block's soreness, from the morning after its first hard day.
pub(crate) const BLOCK_SORENESS: [((u32, u32), u8, u8); 9] = [
    ((10, 11), 5, 52),
    ((10, 12), 7, 55),
    ((10, 13), 8, 57),
    ((10, 14), 7, 56),
    ((10, 15), 6, 54),
    ((10, 16), 6, 53),
    ((10, 17), 5, 51),
    ((10, 18), 3, 50),
    ((10, 20), 2, 49),
];

/// Planted nights: the three short ones after hard days, and two written as `h:mm`.
pub(crate) const SLEEP_OVERRIDES: [((u32, u32), &str, f64); 4] = [
    ((9, 9), "6.4", 6.4),
    ((9, 21), "7:50", 7.0 + 50.0 / 60.0),
    ((10, 11), "6:45", 6.75),
    ((10, 23), "6.6", 6.6),
];

/// The planted low HRV spell (rMSSD, ms): the overreaching block pushes it about 35 %
/// under the athlete's usual 60–70 ms; it recovers as the soreness eases.
pub(crate) const HRV_LOW: [((u32, u32), u8); 4] = [
    ((10, 11), 46),
    ((10, 12), 41),
    ((10, 13), 40),
    ((10, 14), 44),
];

pub(crate) const NOTES: [((u32, u32), &str); 12] = [
    ((9, 2), "easy shuffle before work"),
    ((9, 9), "slept badly, legs heavy after intervals"),
    ((9, 17), "meant to jog easy, ended up chasing a friend"),
    ((9, 18), "calves tight"),
    ((9, 26), "first brick of the year, felt fine"),
    ((10, 5), "no rest day this week, let's see"),
    ((10, 11), "late dinner after the ride, short night"),
    ((10, 12), "legs heavy, ran the tempo anyway"),
    ((10, 13), "stairs hurt, \"dead legs\" all day"),
    ((10, 16), "still sore, skipped the ride"),
    ((10, 22), "club run, couldn't hold back"),
    ((10, 25), "clocks went back, extra hour of sleep"),
];

pub(crate) fn is_day(date: NaiveDate, (month, day): (u32, u32)) -> bool {
    date.month() == month && date.day() == day
}

pub(crate) fn find<T: Copy>(table: &[((u32, u32), T)], date: NaiveDate) -> Option<T> {
    table
        .iter()
        .find(|(md, _)| is_day(date, *md))
        .map(|(_, v)| *v)
}

/// The rows the athlete writes into journal.csv: every day but the forgotten ones.
pub(crate) fn journal_rows(outings: &[Outing]) -> Vec<JournalRow> {
    daily_rows(outings)
        .into_iter()
        .filter(|r| !JOURNAL_MISSING.iter().any(|&md| is_day(r.date, md)))
        .collect()
}

/// What each morning of the period was like, forgotten journal days included: the watch's
/// sleep and resting heart rate in the Garmin export come from here too.
pub(crate) fn daily_rows(outings: &[Outing]) -> Vec<JournalRow> {
    let first = first_day();
    let days = usize::try_from(WEEKS * 7).expect("small");
    let class_of = |date: NaiveDate| -> Option<Class> {
        outings
            .iter()
            .filter(|o| o.date == date)
            .map(Outing::class)
            .max()
    };
    let long = |date: NaiveDate| -> bool {
        outings
            .iter()
            .any(|o| o.date == date && o.legs.iter().map(|l| l.minutes).sum::<u32>() >= 75)
    };
    let mut rows = Vec::new();
    for i in 0..days {
        let date = first + Duration::days(i as i64);
        let mut rng = rng_for(date, 99);
        let before = |n: i64| date - Duration::days(n);
        let hard_1 = class_of(before(1)) == Some(Class::Hard);
        let hard_2 = class_of(before(2)) == Some(Class::Hard);
        // Soreness peaks the morning after a hard day and fades over the next.
        let mut soreness =
            1 + 3 * u8::from(hard_1) + 2 * u8::from(hard_2) + u8::from(long(before(1)));
        let mut resting_hr = 48 + 4 * u8::from(hard_1) + 2 * u8::from(hard_2);
        if !hard_1 && !hard_2 {
            let wobble = rng.int(0, 3);
            soreness = match wobble {
                0 if soreness > 0 => soreness - 1,
                3 => soreness + 1,
                _ => soreness,
            };
            resting_hr = resting_hr + rng.int(0, 2) as u8 - 1;
        }
        let block = BLOCK_SORENESS.iter().find(|(md, _, _)| is_day(date, *md));
        if let Some((_, s, r)) = block {
            soreness = *s;
            resting_hr = *r;
        }
        // Sleep in tenths of an hour: a little less after hard days, never under 7 h except
        // for the planted short nights.
        let tenths = if hard_1 {
            rng.int(71, 76)
        } else {
            rng.int(72, 85)
        };
        let (sleep, sleep_hours) = match SLEEP_OVERRIDES.iter().find(|(md, _, _)| is_day(date, *md))
        {
            Some((_, text, hours)) => (text.to_string(), *hours),
            None => (
                format!("{}.{}", tenths / 10, tenths % 10),
                f64::from(tenths) / 10.0,
            ),
        };
        let sleep_quality = if sleep_hours < 7.0 {
            2
        } else if sleep_hours < 7.5 {
            3
        } else if sleep_hours < 8.0 {
            rng.int(3, 4) as u8
        } else {
            rng.int(4, 5) as u8
        };
        // rMSSD: about 66 ms, a few ms lower the morning after a hard day; its own random
        // stream, so the other columns are as before.
        let mut hrv_rng = rng_for(date, 77);
        let hrv_ms = find(&HRV_LOW, date).unwrap_or_else(|| {
            (66 - 7 * i32::from(hard_1) - 3 * i32::from(hard_2) + hrv_rng.int(0, 4) as i32 - 2)
                as u8
        });
        let planned = outings
            .iter()
            .filter(|o| o.date == date)
            .find_map(|o| o.planned)
            .or_else(|| class_of(date).map(Class::planned))
            .unwrap_or("rest");
        rows.push(JournalRow {
            date,
            soreness: soreness.min(10),
            sleep,
            sleep_hours,
            sleep_quality,
            resting_hr,
            hrv_ms,
            planned,
            notes: find(&NOTES, date).unwrap_or(""),
        });
    }
    rows
}

/// Writes `header` and `rows` as CSV (quoted only where a field needs it).
pub(crate) fn csv_text<const N: usize>(
    header: [&str; N],
    rows: impl IntoIterator<Item = [String; N]>,
) -> String {
    pub(crate) fn write<const N: usize>(
        header: [&str; N],
        rows: impl IntoIterator<Item = [String; N]>,
    ) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(header)?;
        for row in rows {
            out.write_record(&row)?;
        }
        Ok(out.into_inner()?)
    }
    let bytes = write(header, rows).expect("CSV into memory cannot fail");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

pub(crate) fn journal_csv(rows: &[JournalRow]) -> String {
    let header = [
        "date",
        "soreness",
        "sleep_hours",
        "sleep_quality",
        "resting_hr",
        "hrv_ms",
        "planned",
        "notes",
    ];
    csv_text(
        header,
        rows.iter().map(|r| {
            [
                r.date.format("%Y-%m-%d").to_string(),
                r.soreness.to_string(),
                r.sleep.clone(),
                r.sleep_quality.to_string(),
                r.resting_hr.to_string(),
                r.hrv_ms.to_string(),
                r.planned.to_string(),
                r.notes.to_string(),
            ]
        }),
    )
}
