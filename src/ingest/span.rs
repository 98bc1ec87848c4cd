//! The loader's date-span rules: a span's start and end must fit its stated precision.

use super::format::DateSpan;
use chrono::{Datelike, Duration, NaiveDate};
use entity::enums::DatePrecision;

/// A date span checked against its precision: its start and end (the end defaults to the
/// start), both None for UNKNOWN; or why it does not fit.
pub fn check(d: &DateSpan) -> Result<(Option<NaiveDate>, Option<NaiveDate>), String> {
    if d.precision == DatePrecision::Unknown {
        return match (d.start, d.end) {
            (None, None) => Ok((None, None)),
            _ => Err("precision UNKNOWN takes no start or end".into()),
        };
    }
    let start = d.start.ok_or("start is missing")?;
    let end = d.end.unwrap_or(start);
    if end < start {
        return Err("end is before start".into());
    }
    let fits = match d.precision {
        DatePrecision::Day => start == end,
        DatePrecision::Week => end - start == Duration::days(6),
        DatePrecision::Month => start.day() == 1 && Some(end) == month_end(start),
        DatePrecision::Year => {
            start.ordinal() == 1
                && end.month() == 12
                && end.day() == 31
                && start.year() == end.year()
        }
        DatePrecision::Range | DatePrecision::Unknown => true,
    };
    if !fits {
        return Err(format!(
            "{start}..{end} is not one {}",
            d.precision.as_str()
        ));
    }
    Ok((Some(start), Some(end)))
}

/// The last day of `day`'s month.
fn month_end(day: NaiveDate) -> Option<NaiveDate> {
    let (y, m) = if day.month() == 12 {
        (day.year() + 1, 1)
    } else {
        (day.year(), day.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).map(|first| first - Duration::days(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("a test date")
    }

    fn span(start: Option<&str>, end: Option<&str>, precision: DatePrecision) -> DateSpan {
        DateSpan {
            start: start.map(date),
            end: end.map(date),
            precision,
            derived: false,
        }
    }

    fn ok(start: &str, end: Option<&str>, precision: DatePrecision) -> (NaiveDate, NaiveDate) {
        match check(&span(Some(start), end, precision)) {
            Ok((Some(s), Some(e))) => (s, e),
            other => panic!("{start}..{end:?} {precision:?}: {other:?}"),
        }
    }

    fn why(start: Option<&str>, end: Option<&str>, precision: DatePrecision) -> String {
        check(&span(start, end, precision)).expect_err("refused")
    }

    #[test]
    fn a_day_is_one_day_and_its_end_defaults_to_its_start() {
        let d = date("2025-03-14");
        assert_eq!(ok("2025-03-14", None, DatePrecision::Day), (d, d));
        assert!(
            why(Some("2025-03-14"), Some("2025-03-15"), DatePrecision::Day).contains("not one DAY")
        );
    }

    #[test]
    fn a_week_is_seven_days() {
        assert_eq!(
            ok("2025-03-10", Some("2025-03-16"), DatePrecision::Week).1,
            date("2025-03-16")
        );
        assert!(
            why(Some("2025-03-10"), Some("2025-03-15"), DatePrecision::Week)
                .contains("not one WEEK")
        );
    }

    #[test]
    fn a_month_runs_from_its_first_to_its_last_day() {
        ok("2024-02-01", Some("2024-02-29"), DatePrecision::Month);
        ok("2025-12-01", Some("2025-12-31"), DatePrecision::Month);
        assert!(
            why(Some("2025-02-01"), Some("2025-02-27"), DatePrecision::Month)
                .contains("not one MONTH")
        );
        assert!(
            why(Some("2025-02-02"), Some("2025-03-01"), DatePrecision::Month)
                .contains("not one MONTH")
        );
    }

    #[test]
    fn a_year_is_one_calendar_year() {
        ok("2025-01-01", Some("2025-12-31"), DatePrecision::Year);
        assert!(
            why(Some("2025-01-01"), Some("2026-12-31"), DatePrecision::Year)
                .contains("not one YEAR")
        );
        assert!(
            why(Some("2025-01-02"), Some("2025-12-31"), DatePrecision::Year)
                .contains("not one YEAR")
        );
    }

    #[test]
    fn a_range_is_any_ordered_span() {
        ok("2025-01-05", Some("2025-04-30"), DatePrecision::Range);
        assert_eq!(
            why(Some("2025-01-05"), Some("2025-01-04"), DatePrecision::Range),
            "end is before start"
        );
    }

    #[test]
    fn unknown_takes_no_dates_and_others_need_a_start() {
        assert_eq!(
            check(&span(None, None, DatePrecision::Unknown)),
            Ok((None, None))
        );
        assert!(why(Some("2025-01-05"), None, DatePrecision::Unknown).contains("UNKNOWN"));
        assert_eq!(why(None, None, DatePrecision::Day), "start is missing");
    }
}
