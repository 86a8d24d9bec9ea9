//! The legacy service's statistics calendar: days begin at midnight US Pacific time, with
//! daylight saving time as the US has kept it since 2007.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};

use crate::model::requester as api;

/// The local dates on which US Pacific daylight saving time began and ended in `year`.
pub(super) fn dst_switch_dates(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    if year >= 2007 {
        Some((
            NaiveDate::from_weekday_of_month_opt(year, 3, Weekday::Sun, 2)?,
            NaiveDate::from_weekday_of_month_opt(year, 11, Weekday::Sun, 1)?,
        ))
    } else {
        let october_end = NaiveDate::from_ymd_opt(year, 10, 31)?;
        let back = i64::from(october_end.weekday().num_days_from_sunday());
        Some((
            NaiveDate::from_weekday_of_month_opt(year, 4, Weekday::Sun, 1)?,
            october_end.checked_sub_signed(Duration::days(back))?,
        ))
    }
}

/// The moment the Pacific calendar day `date` begins. The switches happen at 2 a.m., so
/// midnight keeps the previous day's offset: daylight time from the day after the spring
/// switch through the day of the autumn one.
pub(super) fn pacific_midnight(date: NaiveDate) -> Option<DateTime<Utc>> {
    let (start, end) = dst_switch_dates(date.year())?;
    let offset_hours = if date > start && date <= end { 7 } else { 8 };
    date.and_hms_opt(0, 0, 0)?
        .and_utc()
        .checked_add_signed(Duration::hours(offset_hours))
}

/// The Pacific calendar date at moment `t`.
pub(super) fn pacific_date(t: DateTime<Utc>) -> Option<NaiveDate> {
    // Pacific time is 7 or 8 hours behind: the date is the one under standard time, or the next.
    let standard = t.checked_sub_signed(Duration::hours(8))?.date_naive();
    match standard.succ_opt() {
        Some(next) if pacific_midnight(next).is_some_and(|m| t >= m) => Some(next),
        _ => Some(standard),
    }
}

/// One data point to compute: its date, and the moments whose levels it subtracts (`from` is
/// `None` for "before anything happened").
pub(super) type Window = (DateTime<Utc>, Option<DateTime<Utc>>, DateTime<Utc>);

/// A period's data points.
pub(super) fn windows(
    period: api::TimePeriod,
    count: i32,
    now: DateTime<Utc>,
) -> Option<Vec<Window>> {
    let second = Duration::seconds(1);
    let today = pacific_date(now)?;
    let today_start = pacific_midnight(today)?;
    let back = |days: i64| today.checked_sub_signed(Duration::days(days));
    let since = |days: i64| -> Option<DateTime<Utc>> {
        pacific_midnight(back(days)?)?.checked_sub_signed(second)
    };
    Some(match period {
        api::TimePeriod::LifeToDate => vec![(today_start, None, now)],
        api::TimePeriod::SevenDays => vec![(today_start, Some(since(6)?), now)],
        api::TimePeriod::ThirtyDays => vec![(today_start, Some(since(29)?), now)],
        api::TimePeriod::OneDay => {
            let mut out = Vec::with_capacity(usize::try_from(count).unwrap_or(1));
            for k in (0..i64::from(count)).rev() {
                let day = back(k)?;
                let start = pacific_midnight(day)?;
                let end = match day.succ_opt().and_then(pacific_midnight) {
                    Some(next) => (next - second).min(now),
                    None => now,
                };
                out.push((start, Some(start.checked_sub_signed(second)?), end));
            }
            out
        }
    })
}
