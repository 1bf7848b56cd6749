//! Time as the service stores it (Unix seconds) and as the dashboard shows and filters it (UTC dates).

use time::macros::format_description;
use time::{Date, OffsetDateTime, Time};

/// Now, in Unix seconds.
pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// `2026-11-29 03:04 UTC` for Unix seconds `t`.
pub fn format_utc(t: i64) -> String {
    let fmt = format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    OffsetDateTime::from_unix_timestamp(t).ok().and_then(|d| d.format(&fmt).ok()).unwrap_or_else(|| t.to_string())
}

/// RFC 3339 (`2026-11-29T03:04:05Z`) for Unix seconds `t`, for exports.
pub fn rfc3339(t: i64) -> String {
    OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_else(|| t.to_string())
}

/// The first second of the UTC day `YYYY-MM-DD`, or `None` when it is not such a date.
pub fn parse_day(s: &str) -> Option<i64> {
    let d = Date::parse(s.trim(), format_description!("[year]-[month]-[day]")).ok()?;
    Some(d.with_time(Time::MIDNIGHT).assume_utc().unix_timestamp())
}

/// The first second of the UTC day containing `t`.
pub fn start_of_day(t: i64) -> i64 {
    t - t.rem_euclid(86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        let t = parse_day("2026-11-29").unwrap();
        assert_eq!(format_utc(t), "2026-11-29 00:00 UTC");
        assert_eq!(rfc3339(t + 61), "2026-11-29T00:01:01Z");
        assert_eq!(start_of_day(t + 5000), t);
        assert_eq!(parse_day("29/11/2026"), None);
        assert_eq!(parse_day("2026-13-01"), None);
    }
}
