//! The rule book's promise: `today`'s advice and the audit are the same rules. Walk the
//! sample athlete day by day, obey `today` on each day (a session of exactly the advised
//! kind and length), and the audit finds nothing on that day for the rules that judge
//! the training chosen.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use recovery::classify::{self, Classified};
use recovery::config::{self, Overrides, Settings};
use recovery::days::{self, Day};
use recovery::ingest;
use recovery::journal::{read_journal_file, Journal, JournalOptions};
use recovery::load::{HeartProfile, Week};
use recovery::rules::{self, audit::breaks, Advice, Ctx, RULES};
use recovery::session::{HrHistogram, Session};

struct World {
    classified: Vec<Classified>,
    days: Vec<Day>,
    weeks: Vec<Week>,
}

fn world(sessions: Vec<Session>, journal: &Journal, s: &Settings) -> World {
    let athlete = HeartProfile {
        hr_max: 190.0,
        hr_rest: s.hr_rest.unwrap_or(recovery::load::DEFAULT_HR_REST),
        sex: s.sex,
    };
    let classified = classify::classify_all(sessions, s.band, &s.thresholds, &athlete);
    let days = days::build(&classified, Some(journal), None, s.band, &s.thresholds);
    let weeks = days::weeks(&days);
    World {
        classified,
        days,
        weeks,
    }
}

fn ctx<'a>(w: &'a World, s: &'a Settings) -> Ctx<'a> {
    Ctx {
        days: &w.days,
        sessions: &w.classified,
        weeks: &w.weeks,
        thresholds: &s.thresholds,
        cfg: &s.rules,
        band: s.band,
    }
}

/// A session of exactly the advised kind: hard (30 of 60 min above the band), easy (all
/// inside it), active recovery (at the band's lower edge), capped at `max_minutes`.
fn obeying(date: NaiveDate, advice: Advice, max_minutes: Option<f64>) -> Option<Session> {
    let (minutes, above_bpm_min, bpm): (f64, f64, u8) = match advice {
        Advice::Rest => return None,
        Advice::ActiveRecovery => (30.0, 0.0, 120),
        Advice::Easy => (60.0, 0.0, 130),
        Advice::HardOk => (60.0, 30.0, 130),
    };
    let minutes: f64 = max_minutes.map_or(minutes, |m| m.min(minutes));
    if minutes < 1.0 {
        return None;
    }
    let above = above_bpm_min.min(minutes / 2.0);
    let mut hr = HrHistogram::default();
    hr.add(160, (above * 60.0) as u32);
    hr.add(bpm, ((minutes - above) * 60.0) as u32);
    Some(Session {
        file: format!("obeying-{date}.fit"),
        sport: "running".into(),
        start_utc: Utc.from_utc_datetime(&date.and_hms_opt(8, 0, 0).unwrap()),
        local_date: date,
        timer_s: minutes * 60.0,
        elapsed_s: minutes * 60.0,
        hr,
        ..Session::default()
    })
}

#[test]
fn obeying_today_on_every_day_of_the_sample_athlete_breaks_no_rule_today_checked() {
    let s = config::settings(&Overrides::default()).expect("default settings");
    let sample = crate::common::sample();
    let report = ingest::ingest(
        &[sample.join("activities")],
        &config::ingest_options(None, 512, false).expect("default ingest options"),
    );
    let sessions = report.sessions;
    assert_eq!(sessions.len(), 55);
    let journal = read_journal_file(
        &sample.join("journal.csv"),
        &JournalOptions {
            require_sleep: true,
        },
    )
    .expect("sample journal");
    let first = journal.entries.first().unwrap().date;
    let last = journal.entries.last().unwrap().date;
    let judged: Vec<&str> = RULES
        .iter()
        .filter(|r| r.judges_training)
        .map(|r| r.id)
        .collect();
    let mut advice_seen = std::collections::BTreeMap::new();
    let mut day = first + Duration::days(1);
    while day <= last {
        // What the athlete knew that morning: the sessions before, the journal up to today.
        let before: Vec<Session> = sessions
            .iter()
            .filter(|x| x.local_date < day)
            .cloned()
            .collect();
        let mut known = journal.clone();
        known.entries.retain(|e| e.date <= day);
        let w = world(before.clone(), &known, &s);
        let answer = rules::today(&ctx(&w, &s), day);
        *advice_seen.entry(answer.recommendation).or_insert(0) += 1;

        let mut obeyed = before;
        obeyed.extend(obeying(day, answer.recommendation, answer.max_minutes));
        let w = world(obeyed, &known, &s);
        let broken: Vec<_> = breaks(&ctx(&w, &s))
            .into_iter()
            .filter(|f| f.date == day && judged.contains(&f.rule))
            .collect();
        assert!(
            broken.is_empty(),
            "{day}: obeying {:?} (max {:?} min) still broke {:?}; reasons were {:?}",
            answer.recommendation,
            answer.max_minutes,
            broken
                .iter()
                .map(|f| (f.rule, &f.found))
                .collect::<Vec<_>>(),
            answer.reasons.iter().map(|r| &r.text).collect::<Vec<_>>()
        );
        day += Duration::days(1);
    }
    // The walk met every kind of advice, so every rule's forward side was exercised.
    assert_eq!(advice_seen.len(), 4, "{advice_seen:?}");
}
