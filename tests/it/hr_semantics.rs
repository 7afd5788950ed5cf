//! The README's heart-rate semantics on hand-built FIT files, with hand-computed minutes:
//! a pause, a 90 s gap, dropouts, a multisport file, compressed timestamps, and heart rate
//! stored in `hr` messages.

use recovery::ingest::{read_activity, Decoder, Verdict};
use samplegen::fitwrite::{
    profile, Activity, BaseType, Event, FieldDef, FileId, FitWriter, Record, Session, Value,
};

/// 2026-03-02T08:00:00Z in FIT seconds.
const T0: u32 = 1_141_372_800;

struct Plan {
    /// (sport, start offset s, elapsed s, timer s)
    sessions: Vec<(u8, u32, f64, f64)>,
    /// (offset s, heart rate)
    records: Vec<(u32, Option<u8>)>,
    /// (offset s, is_start)
    timer: Vec<(u32, bool)>,
    compressed: bool,
}

fn build(p: &Plan) -> Vec<u8> {
    let mut w = FitWriter::new();
    w.set_compressed_records(p.compressed);
    w.file_id(&FileId {
        file_type: profile::FILE_ACTIVITY,
        manufacturer: profile::MANUFACTURER_GARMIN,
        product: 3990,
        serial_number: 1,
        time_created: T0,
    })
    .unwrap();
    let mut events = p.timer.iter().peekable();
    for &(t, hr) in &p.records {
        while let Some(&&(et, start)) = events.peek() {
            if et > t {
                break;
            }
            let e = if start {
                Event::timer_start(T0 + et, 0)
            } else {
                Event::timer_stop_all(T0 + et, 0)
            };
            w.event(&e).unwrap();
            events.next();
        }
        w.record(&Record::hr(T0 + t, hr)).unwrap();
    }
    for (i, &(sport, start, elapsed, timer)) in p.sessions.iter().enumerate() {
        w.session(&Session::plain(i as u16, T0 + start, sport, elapsed, timer))
            .unwrap();
    }
    let end = p.records.last().map_or(0, |r| r.0);
    w.activity(&Activity {
        timestamp: T0 + end,
        total_timer_time_s: end as f64,
        num_sessions: p.sessions.len() as u16,
        activity_type: profile::ACTIVITY_MANUAL,
        local_timestamp: T0 + end + 3600,
    })
    .unwrap();
    w.finish()
}

/// Minutes below / in / above 120–140 of each session, and its HR seconds.
fn minutes(bytes: &[u8]) -> Vec<(u64, f64, f64, f64)> {
    let read = read_activity("test.fit", bytes, None, Decoder::Fast);
    assert_eq!(read.verdict, Verdict::Activity);
    read.sessions
        .iter()
        .map(|s| {
            let (b, i, a) = s.hr.split(120, 140);
            (s.hr_s(), b as f64 / 60.0, i as f64 / 60.0, a as f64 / 60.0)
        })
        .collect()
}

fn every(step: u32, from: u32, to: u32, hr: Option<u8>) -> Vec<(u32, Option<u8>)> {
    (from..to).step_by(step as usize).map(|t| (t, hr)).collect()
}

#[test]
fn a_steady_session_counts_every_second_between_records() {
    // 10 min at 130 bpm, 1 s recording: 600 s inside the band (the last record holds for
    // no time).
    let mut records = every(1, 0, 600, Some(130));
    records.push((600, Some(130)));
    let p = Plan {
        sessions: vec![(profile::SPORT_RUNNING, 0, 600.0, 600.0)],
        records,
        timer: vec![],
        compressed: false,
    };
    assert_eq!(minutes(&build(&p)), vec![(600, 0.0, 10.0, 0.0)]);
}

#[test]
fn time_inside_a_pause_counts_nothing() {
    // Records every 5 s for 20 min at 150; the timer stops at 300 s and restarts at 480 s:
    // 1200 − 180 = 1020 s above the band.
    let p = Plan {
        sessions: vec![(profile::SPORT_RUNNING, 0, 1200.0, 1020.0)],
        records: every(5, 0, 1205, Some(150)),
        timer: vec![(0, true), (300, false), (480, true)],
        compressed: false,
    };
    let m = minutes(&build(&p));
    assert_eq!(m, vec![(1020, 0.0, 0.0, 17.0)]);
}

#[test]
fn a_90_s_gap_counts_nothing_and_a_60_s_one_counts_whole() {
    // 0–300 s every 1 s at 110 (300 s below); gap 300→390 (90 s, dropped);
    // 390→450 one 60 s interval at 125 (in); then 450–600 every 1 s at 145 (150 s above).
    let mut records = every(1, 0, 301, Some(110));
    records.push((390, Some(125)));
    records.extend(every(1, 450, 601, Some(145)));
    let p = Plan {
        sessions: vec![(profile::SPORT_RUNNING, 0, 600.0, 600.0)],
        records,
        timer: vec![],
        compressed: false,
    };
    // The 300 s record at 110 is followed by the gap, so it holds for nothing.
    assert_eq!(minutes(&build(&p)), vec![(510, 5.0, 1.0, 2.5)]);
}

#[test]
fn dropouts_zero_and_missing_count_nothing() {
    // 0–120 s at 130; 120–150 s HR 0; 150–180 s HR missing (0xFF); 180–300 s at 130.
    let mut records = every(1, 0, 120, Some(130));
    records.extend(every(1, 120, 150, Some(0)));
    records.extend(every(1, 150, 180, None));
    records.extend(every(1, 180, 301, Some(130)));
    let p = Plan {
        sessions: vec![(profile::SPORT_RUNNING, 0, 300.0, 300.0)],
        records,
        timer: vec![],
        compressed: false,
    };
    assert_eq!(minutes(&build(&p)), vec![(240, 0.0, 4.0, 0.0)]);
}

#[test]
fn a_multisport_file_splits_heart_rate_by_session_window() {
    // Bike 0–1200 s at 150, transition 1200–1260 at 100, run 1260–1860 at 130; sessions
    // are bike [0, 1200] and run [1260, 1860].
    let mut records = every(2, 0, 1200, Some(150));
    records.extend(every(2, 1200, 1260, Some(100)));
    records.extend(every(2, 1260, 1862, Some(130)));
    let p = Plan {
        sessions: vec![
            (profile::SPORT_CYCLING, 0, 1200.0, 1200.0),
            (profile::SPORT_RUNNING, 1260, 600.0, 600.0),
        ],
        records,
        timer: vec![],
        compressed: false,
    };
    let m = minutes(&build(&p));
    assert_eq!(m, vec![(1200, 0.0, 0.0, 20.0), (600, 0.0, 10.0, 0.0)]);
    let s = read_activity("t.fit", &build(&p), None, Decoder::Fast).sessions;
    assert_eq!(
        (s[0].sport.as_str(), s[1].sport.as_str()),
        ("cycling", "running")
    );
    assert_eq!((s[0].index, s[1].index), (0, 1));
}

#[test]
fn compressed_timestamps_give_the_same_minutes_as_full_ones() {
    let mut records = every(3, 0, 900, Some(125));
    records.extend(every(3, 900, 1801, Some(160)));
    let plan = |compressed| Plan {
        sessions: vec![(profile::SPORT_RUNNING, 0, 1800.0, 1800.0)],
        records: records.clone(),
        timer: vec![],
        compressed,
    };
    let full = build(&plan(false));
    let packed = build(&plan(true));
    assert!(
        packed.len() < full.len(),
        "compressed headers make a smaller file"
    );
    assert_eq!(minutes(&full), vec![(1800, 0.0, 15.0, 15.0)]);
    assert_eq!(minutes(&packed), minutes(&full));
}

#[test]
fn the_local_date_comes_from_the_activity_offset() {
    // Start 23:30 UTC; the activity says local time is UTC+1, so the local date is the next day.
    let late = T0 + 15 * 3600 + 1800;
    let mut w = FitWriter::new();
    w.file_id(&FileId::activity(late)).unwrap();
    for t in 0..=60 {
        w.record(&Record::hr(late + t, Some(130))).unwrap();
    }
    w.activity(&Activity {
        timestamp: late + 60,
        total_timer_time_s: 60.0,
        num_sessions: 1,
        activity_type: 0,
        local_timestamp: late + 60 + 3600,
    })
    .unwrap();
    let s = read_activity("t.fit", &w.finish(), None, Decoder::Fast).sessions;
    assert_eq!(s[0].start_utc.to_rfc3339(), "2026-03-02T23:30:00+00:00");
    assert_eq!(s[0].local_date.to_string(), "2026-03-03");
}

/// `hr` messages as an HRM-Swim writes them: an anchor (timestamp, strap clock, one beat),
/// then messages of eight beats with their strap times packed as 12-bit values.
fn write_hr_messages(w: &mut FitWriter, anchor_t: u32, beats: &[(u32, u8)]) {
    const STRAP_START: u32 = 5 * 1024;
    let anchor = [
        FieldDef::new(253, BaseType::UInt32),
        FieldDef::new(0, BaseType::UInt16),
        FieldDef::new(9, BaseType::UInt32),
        FieldDef::new(6, BaseType::UInt8),
    ];
    w.define(13, 132, &anchor).unwrap();
    let (first, rest) = beats.split_first().expect("beats");
    w.write(
        13,
        &[
            Value::U32(anchor_t),
            Value::U16(0),
            Value::U32(STRAP_START + first.0),
            Value::U8(first.1),
        ],
    )
    .unwrap();
    w.define(14, 132, &[FieldDef::bytes(6, 8), FieldDef::bytes(10, 12)])
        .unwrap();
    for chunk in rest.chunks(8) {
        let mut packed = [0u8; 12];
        for (i, (t, _)) in chunk.iter().enumerate() {
            let v = (STRAP_START + t) & 0xFFF;
            for bit in 0..12 {
                let at = i * 12 + bit;
                packed[at / 8] |= (((v >> bit) & 1) as u8) << (at % 8);
            }
        }
        let mut bpm: Vec<u8> = chunk.iter().map(|b| b.1).collect();
        bpm.resize(8, *bpm.last().expect("a beat"));
        w.write(14, &[Value::Bytes(bpm), Value::Bytes(packed.to_vec())])
            .unwrap();
    }
}

#[test]
fn heart_rate_in_hr_messages_is_merged_into_the_records_and_counted_alike() {
    // Records every second without heart rate; the strap stored a beat every 0.5 s (strap
    // clock in 1/1024 s): 130 bpm before 300 s, 150 from 300 s, until 612 s. Each record
    // takes the rounded mean of the beats since the previous record: 0–299 s 130 (in the
    // band), 300 s (130 + 150) / 2 = 140 (in), 301–599 s 150 (above); the record at 600 s
    // ends the window. So 301 s inside and 299 s above the band.
    let beats: Vec<(u32, u8)> = (0..=1224u32)
        .map(|k| (k * 512, if k < 600 { 130 } else { 150 }))
        .collect();
    let mut w = FitWriter::new();
    w.file_id(&FileId::activity(T0)).unwrap();
    for t in 0..=600 {
        w.record(&Record::hr(T0 + t, None)).unwrap();
    }
    write_hr_messages(&mut w, T0, &beats);
    w.session(&Session {
        sub_sport: 17,
        ..Session::plain(0, T0, 5, 600.0, 600.0)
    })
    .unwrap();
    let bytes = w.finish();
    let (hr_s, below, inside, above) = minutes(&bytes)[0];
    assert_eq!(hr_s, 600);
    assert_eq!(
        (below * 60.0, inside * 60.0, above * 60.0),
        (0.0, 301.0, 299.0)
    );
    // The fitparser path merges the same messages into the same figures.
    let s = read_activity("t.fit", &bytes, None, Decoder::Fitparser).sessions;
    assert_eq!(s[0].hr.split(120, 140), (0, 301, 299));
}
