//! Heart rate stored in `hr` messages (HRM-Swim, HRM-Pro: recorded on the strap while the
//! watch could not receive it, delivered at the end) merged into the records, as Garmin's FIT
//! SDK does it (its HR plugin; Python `garmin-fit-sdk` 21.218, `hr_mesg_utils.py`, called by
//! `Decoder.read(merge_heart_rates=True)`).
//!
//! An `hr` message either anchors the strap's clock (`timestamp` + `fractional_timestamp`
//! with one `event_timestamp`, in 1/1024 s of the strap's own clock) or carries up to eight
//! beats: `filtered_bpm` with their `event_timestamp`s, usually packed as 12-bit deltas in
//! `event_timestamp_12` and accumulated onto the last full `event_timestamp`. The beats are
//! placed in time from the anchor, gaps up to 5 s are filled in 250 ms steps with the previous
//! value, and each record takes the rounded mean of the beats after the previous record and up
//! to its own timestamp.
//!
//! Where the SDK raises and abandons the whole merge (an anchor with several event times, beats
//! before any anchor, a beat before its anchor without a counter roll-over, an invalid bpm,
//! counts that differ), we skip only the message or beat concerned; the corpus has none.

/// The fields of one `hr` message, as raw profile numbers (decoders fill this alike).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawHr {
    /// FIT seconds (UTC); only anchor messages have it.
    pub timestamp: Option<u32>,
    /// 1/32768 s past `timestamp`.
    pub fractional_timestamp: Option<u64>,
    /// 1/256 s past `timestamp` (a component of `fractional_timestamp`).
    pub time256: Option<u64>,
    /// Beats per minute, one per event; `None` for an invalid element.
    pub filtered_bpm: Vec<Option<u64>>,
    /// The strap's clock at each beat, 1/1024 s.
    pub event_timestamp: Vec<Option<u64>>,
    /// The same as 12-bit deltas packed into bytes, least significant bit first.
    pub event_timestamp_12: Vec<Option<u64>>,
}

/// The profile's scales.
const EVENT_TIMESTAMP_SCALE: f64 = 1024.0;
const FRACTIONAL_SCALE: f64 = 32768.0;
const TIME256_SCALE: f64 = 256.0;
/// `event_timestamp_12` expands into at most ten 12-bit components.
const PACKED_COMPONENTS: usize = 10;
const PACKED_BITS: usize = 12;
/// The strap's counter (u32 in 1/1024 s) rolls over after this many seconds.
const ROLLOVER_S: f64 = 4_194_304.0;
/// Gaps between beats are filled with the previous value in steps of this many seconds, for
/// at most [`GAP_MAX_STEPS`] steps (5 s).
const GAP_STEP_S: f64 = 0.25;
const GAP_MAX_STEPS: u32 = 20;

/// The SDK's accumulator for `event_timestamp`: a full value seeds it, each 12-bit component
/// adds its difference from the previous component modulo 2^12.
#[derive(Debug, Clone, Copy)]
struct Accumulated {
    value: u64,
    last: u64,
}

impl Accumulated {
    fn add(acc: &mut Option<Accumulated>, v: u64) -> u64 {
        let a = acc.get_or_insert(Accumulated { value: v, last: v });
        let mask = (1u64 << PACKED_BITS) - 1;
        a.value = a.value.wrapping_add(v.wrapping_sub(a.last) & mask);
        a.last = v;
        a.value
    }
}

/// One beat in time: FIT seconds (with fractions) and bpm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Beat {
    pub t: f64,
    pub bpm: u8,
}

/// The SDK's `expand_heart_rates`: every beat of the messages placed in FIT seconds, with
/// the gaps up to 5 s filled every 250 ms.
pub fn expand(messages: &[RawHr]) -> Vec<Beat> {
    let mut beats: Vec<Beat> = Vec::new();
    let mut acc: Option<Accumulated> = None;
    let mut anchor: Option<(f64, f64)> = None;
    for m in messages {
        // A full `event_timestamp` seeds the accumulator (the SDK does this while reading).
        for v in m.event_timestamp.iter().flatten() {
            acc = Some(Accumulated {
                value: *v,
                last: *v,
            });
        }
        let events: Vec<f64> = if m.event_timestamp_12.is_empty() {
            m.event_timestamp
                .iter()
                .map(|v| v.map_or(f64::NAN, |v| v as f64 / EVENT_TIMESTAMP_SCALE))
                .collect()
        } else {
            unpack_12(&m.event_timestamp_12)
                .into_iter()
                .map(|v| Accumulated::add(&mut acc, v) as f64 / EVENT_TIMESTAMP_SCALE)
                .collect()
        };
        if let Some(ts) = m.timestamp {
            let fraction = match (m.time256, m.fractional_timestamp) {
                (Some(t), _) => t as f64 / TIME256_SCALE,
                (None, Some(f)) => f as f64 / FRACTIONAL_SCALE,
                (None, None) => 0.0,
            };
            match events[..] {
                [e] if !e.is_nan() => anchor = Some((ts as f64 + fraction, e)),
                _ => continue,
            }
        }
        let Some((anchor_t, anchor_event)) = anchor else {
            continue;
        };
        for (&event, bpm) in events.iter().zip(&m.filtered_bpm) {
            let Some(bpm) = bpm.and_then(|b| u8::try_from(b).ok()) else {
                continue;
            };
            let mut event = event;
            if event.is_nan() {
                continue;
            }
            if event < anchor_event {
                if anchor_event - event > ROLLOVER_S {
                    event += ROLLOVER_S;
                } else {
                    continue;
                }
            }
            let current = Beat {
                t: anchor_t + (event - anchor_event),
                bpm,
            };
            if let Some(&previous) = beats.last() {
                let mut gap_ms = (current.t - previous.t).abs() * 1000.0;
                let mut step = 1;
                while gap_ms > GAP_STEP_S * 1000.0 && step <= GAP_MAX_STEPS {
                    beats.push(Beat {
                        t: previous.t + GAP_STEP_S * step as f64,
                        bpm: previous.bpm,
                    });
                    gap_ms -= GAP_STEP_S * 1000.0;
                    step += 1;
                }
            }
            beats.push(current);
        }
    }
    beats
}

/// The 12-bit components of a packed field, least significant bit first; as many as the
/// bits hold, at most ten. An invalid byte reads as 0xFF, its raw value.
fn unpack_12(bytes: &[Option<u64>]) -> Vec<u64> {
    let bytes: Vec<u64> = bytes.iter().map(|b| b.unwrap_or(0xFF) & 0xFF).collect();
    let count = (bytes.len() * 8 / PACKED_BITS).min(PACKED_COMPONENTS);
    (0..count)
        .map(|i| {
            (0..PACKED_BITS).fold(0u64, |v, bit| {
                let at = i * PACKED_BITS + bit;
                v | ((bytes[at / 8] >> (at % 8)) & 1) << bit
            })
        })
        .collect()
}

/// The SDK's `merge_heart_rates`: each record, in file order, takes the rounded mean of the
/// beats after the previous record's time and up to its own (`records` are `(FIT seconds,
/// heart rate)`; a record without beats in its range keeps its own heart rate).
pub fn merge(records: &mut [(u32, u8)], messages: &[RawHr]) {
    if messages.is_empty() || records.is_empty() {
        return;
    }
    let beats = expand(messages);
    let mut next = 0usize;
    let mut range_start: Option<f64> = None;
    for record in records.iter_mut() {
        let (mut sum, mut count) = (0u64, 0u64);
        let end = record.0 as f64;
        let mut start = range_start.unwrap_or(end);
        if start == end {
            start -= 1.0;
            next = next.saturating_sub(1);
        }
        range_start = Some(start);
        while let Some(beat) = beats.get(next) {
            if beat.t > start && beat.t <= end {
                sum += u64::from(beat.bpm);
                count += 1;
            } else if beat.t > end {
                if count > 0 {
                    let mean = (sum as f64 / count as f64 + 0.5) as u64;
                    record.1 = u8::try_from(mean).unwrap_or(u8::MAX);
                }
                range_start = Some(end);
                break;
            }
            next += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor(ts: u32, event: u64, bpm: u64) -> RawHr {
        RawHr {
            timestamp: Some(ts),
            fractional_timestamp: Some(0),
            event_timestamp: vec![Some(event)],
            filtered_bpm: vec![Some(bpm)],
            ..RawHr::default()
        }
    }

    /// Packs 12-bit values least significant bit first, as devices write them.
    fn pack(values: &[u64]) -> Vec<Option<u64>> {
        let mut bytes = vec![0u64; (values.len() * 12).div_ceil(8)];
        for (i, v) in values.iter().enumerate() {
            for bit in 0..12 {
                let at = i * 12 + bit;
                bytes[at / 8] |= ((v >> bit) & 1) << (at % 8);
            }
        }
        bytes.into_iter().map(Some).collect()
    }

    #[test]
    fn packed_deltas_unpack_least_significant_bit_first() {
        // From the SDK's reading of GarminHRMswim.FIT: bytes 212 128 42 are 0x0D4 and 0x2A8.
        let b = [212, 128, 42].map(Some);
        assert_eq!(unpack_12(&b), vec![0x0D4, 0x2A8]);
        assert_eq!(
            unpack_12(&pack(&[1, 4095, 7, 2048])),
            vec![1, 4095, 7, 2048]
        );
        // Twelve bytes hold eight components; more bytes never give more than ten.
        assert_eq!(unpack_12(&[Some(0); 12]).len(), 8);
        assert_eq!(unpack_12(&[Some(0); 20]).len(), 10);
    }

    #[test]
    fn beats_are_placed_from_the_anchor_and_the_accumulated_deltas() {
        // Anchor: strap clock 10 s (10240/1024) at FIT second 1000.5. Deltas accumulate
        // modulo 4096 onto the anchor's counter, across the 12-bit wrap.
        let first = 10_240u64;
        let deltas = [first + 512, first + 1024, first + 4096 + 100];
        let packed: Vec<u64> = deltas.iter().map(|d| d & 0xFFF).collect();
        let msgs = [
            RawHr {
                fractional_timestamp: Some(16_384),
                ..anchor(1000, first, 100)
            },
            RawHr {
                event_timestamp_12: pack(&packed),
                filtered_bpm: vec![Some(101), Some(102), Some(103)],
                ..RawHr::default()
            },
        ];
        let beats = expand(&msgs);
        let b = |t: f64, bpm: u8| Beat { t, bpm };
        // Each gap over 250 ms is filled with the previous value every 250 ms.
        assert_eq!(
            beats[..5],
            [
                b(1000.5, 100),
                b(1000.75, 100),
                b(1001.0, 101),
                b(1001.25, 101),
                b(1001.5, 102)
            ]
        );
        // The third delta wrapped past 4096: 4196 / 1024 s after the anchor.
        assert_eq!(beats.last(), Some(&b(1000.5 + 4196.0 / 1024.0, 103)));
        assert_eq!(beats.len(), 5 + 12 + 1);
    }

    #[test]
    fn gaps_are_filled_every_quarter_second_for_at_most_five_seconds() {
        let msgs = [
            anchor(1000, 0, 100),
            RawHr {
                event_timestamp: vec![Some(1024), Some(10 * 1024)],
                filtered_bpm: vec![Some(110), Some(120)],
                ..RawHr::default()
            },
        ];
        let beats = expand(&msgs);
        // 1 s gap: 3 fills (0.25, 0.5, 0.75) then the beat; 9 s gap: 20 fills then the beat.
        assert_eq!(beats.len(), 1 + 3 + 1 + 20 + 1);
        assert_eq!(
            beats[1],
            Beat {
                t: 1000.25,
                bpm: 100
            }
        );
        assert_eq!(
            beats[4],
            Beat {
                t: 1001.0,
                bpm: 110
            }
        );
        assert_eq!(
            beats[24],
            Beat {
                t: 1006.0,
                bpm: 110
            }
        );
        assert_eq!(
            beats[25],
            Beat {
                t: 1010.0,
                bpm: 120
            }
        );
    }

    #[test]
    fn each_record_takes_the_rounded_mean_of_the_beats_since_the_previous_record() {
        let msgs = [
            anchor(1000, 0, 100),
            RawHr {
                // Beats every 0.25 s from 1000.25 to 1002, then one at 1003.5 (the gap
                // filled with 111 from 1002.25 to 1003.25).
                event_timestamp: (1..=8).map(|i| Some(i * 256)).chain([Some(3584)]).collect(),
                filtered_bpm: [101, 102, 103, 104, 110, 110, 110, 111, 120]
                    .map(Some)
                    .to_vec(),
                ..RawHr::default()
            },
        ];
        let mut records = vec![(1000, 0), (1001, 0), (1002, 90), (1003, 0), (1004, 0)];
        merge(&mut records, &msgs);
        // 1000: the first record's range is (999, 1000]: the anchor beat alone.
        // 1001: 101..104 → 102.5 rounds to 103. 1002: 110, 110, 110, 111 → 110.25 → 110.
        // 1003: four fills of 111. 1004: its beats are the last ones, and the SDK sets a
        // record only when it meets a beat past it, so it keeps its own value.
        assert_eq!(
            records,
            vec![
                (1000, 100),
                (1001, 103),
                (1002, 110),
                (1003, 111),
                (1004, 0)
            ]
        );
    }

    #[test]
    fn records_keep_their_own_heart_rate_without_hr_messages() {
        let mut records = vec![(1000, 120), (1001, 121)];
        merge(&mut records, &[]);
        assert_eq!(records, vec![(1000, 120), (1001, 121)]);
    }

    #[test]
    fn messages_the_sdk_refuses_are_skipped_not_fatal() {
        let msgs = [
            // Beats before any anchor, and an anchor with two event times: skipped.
            RawHr {
                event_timestamp: vec![Some(1)],
                filtered_bpm: vec![Some(99)],
                ..RawHr::default()
            },
            RawHr {
                event_timestamp: vec![Some(1), Some(2)],
                filtered_bpm: vec![Some(99), Some(99)],
                ..anchor(900, 0, 0)
            },
            anchor(1000, 2048, 100),
            RawHr {
                // A beat before the anchor (no roll-over) and an invalid bpm: skipped.
                event_timestamp: vec![Some(1024), Some(2304), Some(2560)],
                filtered_bpm: vec![Some(120), None, Some(130)],
                ..RawHr::default()
            },
        ];
        let beats = expand(&msgs);
        assert_eq!(
            beats.first(),
            Some(&Beat {
                t: 1000.0,
                bpm: 100
            })
        );
        assert_eq!(
            beats.last(),
            Some(&Beat {
                t: 1000.5,
                bpm: 130
            })
        );
        assert!(beats.iter().all(|b| b.bpm != 99 && b.bpm != 120));
    }
}
