//! Dates as people read and type them, in UTC: "26 Nov 2026, 18:04 UTC", and the
//! "2026-11-26T18:04" of a `datetime-local` field; pages take the parts (`civil_utc`) and name the
//! month in the reader's language. Pure arithmetic on Unix seconds (the civil
//! calendar conversions of Howard Hinnant's algorithms), so that server and browser agree.

/// Months as English prints them short (exports, citations, logs).
pub const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Year, month (1–12) and day of the month of a day counted from 1970-01-01.
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The day counted from 1970-01-01 of a civil date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Year, month (1–12), day of the month, hour and minute of unix seconds, in UTC: the pieces
/// pages put into a date in the reader's language.
pub fn civil_utc(secs: i64) -> (i64, i64, i64, i64, i64) {
    let (year, month, day) = civil(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    (year, month, day, rem / 3600, (rem % 3600) / 60)
}

/// "26 Nov 2026, 18:04 UTC", in English (logs, mails, exports).
pub fn format(secs: i64) -> String {
    let (year, month, day, hour, minute) = civil_utc(secs);
    let name = MONTHS[((month - 1).clamp(0, 11)) as usize];
    format!("{day} {name} {year}, {hour:02}:{minute:02} UTC")
}

/// "2026-11-26T18:04", the value of a `datetime-local` field, in UTC.
pub fn to_field(secs: i64) -> String {
    let (year, month, day, hour, minute) = civil_utc(secs);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}")
}

/// Unix seconds of a `datetime-local` value read as UTC ("2026-11-26T18:04", seconds allowed);
/// `None` unless it is a real date and time.
pub fn from_field(value: &str) -> Option<i64> {
    let (date, time) = value.trim().split_once('T')?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time.splitn(3, ':').map(|p| p.parse::<i64>().ok());
    let (hour, minute) = (t.next()??, t.next()??);
    let second = match t.next() {
        Some(s) => s?,
        None => 0,
    };
    let days = days_from_civil(year, month, day);
    let valid = (1970..=9999).contains(&year)
        && civil(days) == (year, month, day)
        && (0..24).contains(&hour)
        && (0..60).contains(&minute)
        && (0..60).contains(&second);
    valid.then_some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_as_dates_in_utc() {
        assert_eq!(format(0), "1 Jan 1970, 00:00 UTC");
        assert_eq!(format(1_795_716_240), "26 Nov 2026, 18:04 UTC");
        assert_eq!(format(951_782_400), "29 Feb 2000, 00:00 UTC");
    }

    #[test]
    fn a_moment_splits_into_its_civil_parts() {
        assert_eq!(civil_utc(1_795_716_240), (2026, 11, 26, 18, 4));
        assert_eq!(civil_utc(-1), (1969, 12, 31, 23, 59));
    }

    #[test]
    fn a_field_value_goes_there_and_back() {
        for secs in [0, 951_782_400, 1_795_716_240, 4_102_444_740] {
            assert_eq!(from_field(&to_field(secs)), Some(secs), "{secs}");
        }
        assert_eq!(from_field("2026-11-26T18:04:30"), Some(1_795_716_270));
        for bad in [
            "",
            "2026-02-30T10:00",
            "2026-13-01T10:00",
            "2026-11-26",
            "2026-11-26T24:00",
            "1969-12-31T23:59",
            "x-y-zT1:2",
        ] {
            assert_eq!(from_field(bad), None, "{bad}");
        }
    }
}
