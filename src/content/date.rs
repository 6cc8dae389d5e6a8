//! Historical dates as curators write them.
//!
//! Archival sources rarely give a full, certain day. Lantai reads the subset
//! of ISO 8601-2 (EDTF level 1) that archival description needs:
//!
//! | written            | means                                   |
//! |--------------------|-----------------------------------------|
//! | `1921`             | some day in 1921                        |
//! | `1921-07`          | some day in July 1921                   |
//! | `1921-07-23`       | 23 July 1921                            |
//! | `1921~`            | approximately 1921                      |
//! | `1921?`            | 1921, but the source is uncertain       |
//! | `1921%`            | approximate and uncertain               |
//! | `1920-08/1921-07`  | from August 1920 to July 1921           |
//!
//! Qualifiers go at the end of a date or of either end of an interval
//! (`1920~/1921-07?`). Years have four digits, 0001–9999. Dates are in the
//! (proleptic) Gregorian calendar: a date from a lunar-calendar (农历) source
//! must be converted before it is written here.
//!
//! Anything else is an error whose help says how to write the date, and
//! where the intent is clear (`1921.7.23`, `1921年7月23日`, `1921-7`) it gives
//! the corrected text.

use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// A historical date as curators write it: partial, approximate, uncertain, or an interval.
///
/// It keeps the text as written (trimmed), because exports and citations
/// quote it unchanged, and knows the range of days it can mean, because
/// lists and the timeline sort by that.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HistoricalDate {
    written: String,
    extent: Extent,
}

/// A day of the Gregorian calendar; the bound of the range a date can mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// Why a text is not a date lantai understands, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    pub message: String,
    pub help: String,
    /// 0-based char offset in the text of the bad part
    pub offset: usize,
    /// How many chars the bad part spans (at least 1), for the caret underline.
    pub length: usize,
}

/// A single date or an interval between two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Extent {
    Single(CalendarDate),
    Interval {
        start: CalendarDate,
        end: CalendarDate,
    },
}

/// One date at the precision the source allows, with its qualifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct CalendarDate {
    year: i32,
    precision: Precision,
    approximate: bool,
    uncertain: bool,
}

/// How much of a date is known. A day is never known without its month,
/// which this shape makes impossible to write down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Precision {
    Year,
    Month(u8),
    Day { month: u8, day: u8 },
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// What the help says when the text gives no clue what was meant.
const FORMS_HELP: &str = "write a year (1921), a month (1921-07) or a day (1921-07-23); \
     end it with ~ if approximate, ? if uncertain, % if both; \
     join two dates with / for an interval (1920-08/1921-07)";

/// The EDTF qualifiers, which follow the date they qualify.
const QUALIFIERS: [char; 3] = ['~', '?', '%'];

impl HistoricalDate {
    /// Reads a date as written in front matter (for an unquoted YAML date,
    /// the scalar's text). Surrounding whitespace is ignored; offsets in the
    /// error still count it, so they index into `text` as given.
    pub fn parse(text: &str) -> Result<HistoricalDate, DateError> {
        let written = text.trim();
        // An empty date is pointed at from the start, not past the blanks.
        let leading = match written {
            "" => 0,
            _ => text.chars().take_while(|c| c.is_whitespace()).count(),
        };
        match parse_extent(written) {
            Ok(extent) => Ok(HistoricalDate {
                written: written.to_owned(),
                extent,
            }),
            Err(fault) => Err(fault.into_error(written, leading)),
        }
    }

    /// The text as the curator wrote it, without surrounding whitespace.
    pub fn as_written(&self) -> &str {
        &self.written
    }

    /// The first day the date can mean: `1921` → 1921-01-01, `1921-07` → 1921-07-01.
    pub fn earliest(&self) -> Day {
        match self.extent {
            Extent::Single(date) | Extent::Interval { start: date, .. } => date.earliest(),
        }
    }

    /// The last day the date can mean: `1921` → 1921-12-31, `1921-02` →
    /// 1921-02-28; for an interval, the last day of its end.
    pub fn latest(&self) -> Day {
        match self.extent {
            Extent::Single(date) | Extent::Interval { end: date, .. } => date.latest(),
        }
    }

    /// The year of [`earliest`](Self::earliest), which places the date on the timeline.
    pub fn year(&self) -> i32 {
        self.earliest().year
    }

    /// Whether the date, or either end of the interval, is approximate (`~` or `%`).
    pub fn is_approximate(&self) -> bool {
        self.ends().any(|date| date.approximate)
    }

    /// Whether the date, or either end of the interval, is uncertain (`?` or `%`).
    pub fn is_uncertain(&self) -> bool {
        self.ends().any(|date| date.uncertain)
    }

    /// Whether the date is written as two dates joined by `/`.
    pub fn is_interval(&self) -> bool {
        matches!(self.extent, Extent::Interval { .. })
    }

    /// The date in Chinese: `1921年`, `1921年7月`, `1921年7月23日`, `约1921年`,
    /// `1921年(?)`, `约1921年(?)`.
    ///
    /// An interval shows both ends in full, each with its own qualifiers:
    /// `1921年7月23日至1921年7月31日`. Shortening the second end when both
    /// share a year would be prettier, but the full form can never be misread
    /// and reads the same whatever the qualifiers are.
    pub fn display_zh(&self) -> String {
        match self.extent {
            Extent::Single(date) => date.display_zh(),
            Extent::Interval { start, end } => {
                format!("{}至{}", start.display_zh(), end.display_zh())
            }
        }
    }

    /// The date in English: `1921`, `July 1921`, `23 July 1921`, `c. 1921`,
    /// `1921?`, and for an interval `August 1920 – July 1921` (both ends in full).
    pub fn display_en(&self) -> String {
        match self.extent {
            Extent::Single(date) => date.display_en(),
            Extent::Interval { start, end } => {
                format!("{} – {}", start.display_en(), end.display_en())
            }
        }
    }

    /// What lists and the timeline sort by: the earliest day the date can
    /// mean, then the latest, so `1921` comes before `1921-07-23`, which it contains.
    pub fn sort_key(&self) -> (Day, Day) {
        (self.earliest(), self.latest())
    }

    fn ends(&self) -> impl Iterator<Item = CalendarDate> {
        let (first, second) = match self.extent {
            Extent::Single(date) => (date, None),
            Extent::Interval { start, end } => (start, Some(end)),
        };
        std::iter::once(first).chain(second)
    }
}

impl FromStr for HistoricalDate {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, DateError> {
        HistoricalDate::parse(text)
    }
}

impl fmt::Display for HistoricalDate {
    /// The Chinese form, the site's language.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_zh())
    }
}

impl Ord for HistoricalDate {
    /// By [`sort_key`](HistoricalDate::sort_key), then by the text as written
    /// so that two dates meaning the same days still sort the same way every build.
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key()
            .cmp(&other.sort_key())
            .then_with(|| self.written.cmp(&other.written))
    }
}

impl PartialOrd for HistoricalDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Serialized as the text as written: that is what the data exports publish.
impl serde::Serialize for HistoricalDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.written)
    }
}

/// Read from a string; integers and floats are accepted too, because a YAML
/// or JSON reader may hand over an unquoted `1921` as a number.
impl<'de> serde::Deserialize<'de> for HistoricalDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(HistoricalDateVisitor)
    }
}

struct HistoricalDateVisitor;

impl serde::de::Visitor<'_> for HistoricalDateVisitor {
    type Value = HistoricalDate;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date such as 1921, 1921-07, 1921-07-23 or 1920/1921")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<HistoricalDate, E> {
        HistoricalDate::parse(text).map_err(|error| E::custom(format!("{error}; {}", error.help)))
    }

    fn visit_u64<E: serde::de::Error>(self, number: u64) -> Result<HistoricalDate, E> {
        self.visit_str(&number.to_string())
    }

    fn visit_i64<E: serde::de::Error>(self, number: i64) -> Result<HistoricalDate, E> {
        self.visit_str(&number.to_string())
    }

    fn visit_f64<E: serde::de::Error>(self, number: f64) -> Result<HistoricalDate, E> {
        self.visit_str(&number.to_string())
    }
}

impl Day {
    /// The ISO 8601 form: `1921-07-01`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

/// Serialized in its ISO form, as the data exports' `date_start` and `date_end` want it.
impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.iso())
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateError {}

impl CalendarDate {
    fn earliest(&self) -> Day {
        let (month, day) = match self.precision {
            Precision::Year => (1, 1),
            Precision::Month(month) => (month, 1),
            Precision::Day { month, day } => (month, day),
        };
        Day {
            year: self.year,
            month,
            day,
        }
    }

    fn latest(&self) -> Day {
        let (month, day) = match self.precision {
            Precision::Year => (12, 31),
            Precision::Month(month) => (month, days_in_month(self.year, month)),
            Precision::Day { month, day } => (month, day),
        };
        Day {
            year: self.year,
            month,
            day,
        }
    }

    fn display_zh(&self) -> String {
        let approximate = if self.approximate { "约" } else { "" };
        let uncertain = if self.uncertain { "(?)" } else { "" };
        let year = self.year;
        match self.precision {
            Precision::Year => format!("{approximate}{year}年{uncertain}"),
            Precision::Month(month) => format!("{approximate}{year}年{month}月{uncertain}"),
            Precision::Day { month, day } => {
                format!("{approximate}{year}年{month}月{day}日{uncertain}")
            }
        }
    }

    fn display_en(&self) -> String {
        let approximate = if self.approximate { "c. " } else { "" };
        let uncertain = if self.uncertain { "?" } else { "" };
        let year = self.year;
        match self.precision {
            Precision::Year => format!("{approximate}{year}{uncertain}"),
            Precision::Month(month) => {
                format!("{approximate}{} {year}{uncertain}", month_name(month))
            }
            Precision::Day { month, day } => {
                format!("{approximate}{day} {} {year}{uncertain}", month_name(month))
            }
        }
    }
}

/// The English name of a month, 1–12.
fn month_name(month: u8) -> &'static str {
    MONTH_NAMES
        .get(usize::from(month).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// Gregorian rules: every fourth year, except centuries not divisible by 400.
fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// ---------------------------------------------------------------------------
// Parsing
//
// The strict parser below reads only the accepted forms and reports a
// `Fault` at the first problem. A fault about the *shape* of the text asks
// `suggest` for a corrected spelling, which must itself parse, so a help line
// never proposes something that would fail again.

/// A problem found by the strict parser, before it becomes a `DateError`.
struct Fault {
    kind: FaultKind,
    message: String,
    help: String,
    /// In chars of the trimmed text.
    span: Range<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FaultKind {
    /// The text is not in an accepted shape; a respelling may fix it.
    Shape,
    /// A month or day has one digit; a respelling pads it.
    OneDigit,
    /// The shape is right but the value is not (month 13, 30 February, a
    /// reversed interval); no respelling can know what was meant.
    Value,
}

impl Fault {
    fn new(kind: FaultKind, message: String, help: impl Into<String>, span: Range<usize>) -> Self {
        Fault {
            kind,
            message,
            help: help.into(),
            span,
        }
    }

    fn into_error(self, written: &str, leading: usize) -> DateError {
        let suggestion = match self.kind {
            FaultKind::Value => None,
            FaultKind::Shape | FaultKind::OneDigit => suggest(written),
        };
        let help = match (self.kind, suggestion) {
            (FaultKind::OneDigit, Some(respelled)) => {
                format!("write months and days with two digits: {respelled}")
            }
            (_, Some(respelled)) => format!("write {respelled}"),
            (_, None) => self.help,
        };
        DateError {
            message: self.message,
            help,
            offset: leading + self.span.start,
            length: self.span.len().max(1),
        }
    }
}

/// A date or an interval; `text` is trimmed and not yet known to be ASCII.
fn parse_extent(text: &str) -> Result<Extent, Fault> {
    if text.is_empty() {
        return Err(Fault::new(
            FaultKind::Value,
            "empty date".to_owned(),
            FORMS_HELP,
            0..0,
        ));
    }
    // Past this check byte offsets are char offsets, which keeps spans simple.
    if let Some((at, unexpected)) = text.chars().enumerate().find(|(_, c)| !c.is_ascii()) {
        return Err(Fault::new(
            FaultKind::Shape,
            format!("unrecognised date `{text}`: unexpected `{unexpected}`"),
            FORMS_HELP,
            at..at + 1,
        ));
    }
    if let Some(at) = text.find("..") {
        return Err(open_interval(text, at..at + 2));
    }
    let ends: Vec<&str> = text.split('/').collect();
    match ends.as_slice() {
        [single] => parse_calendar_date(single, 0).map(Extent::Single),
        ["", _] => Err(open_interval(text, 0..1)),
        [_, ""] => Err(open_interval(text, text.len() - 1..text.len())),
        [start_text, end_text] if is_short_number(end_text) => Err(unrecognised(
            text,
            start_text.len() + 1..text.len(),
            "write a month as 1921-07; an interval joins two dates, such as 1920/1921",
        )),
        [start_text, end_text] => {
            let start = parse_calendar_date(start_text, 0)?;
            let end = parse_calendar_date(end_text, start_text.len() + 1)?;
            if start.earliest() > end.latest() {
                return Err(Fault::new(
                    FaultKind::Value,
                    format!("interval `{text}` ends before it starts"),
                    format!("put the earlier date first: {end_text}/{start_text}"),
                    0..text.len(),
                ));
            }
            Ok(Extent::Interval { start, end })
        }
        _ => Err(unrecognised(text, 0..text.len(), FORMS_HELP)),
    }
}

fn open_interval(text: &str, span: Range<usize>) -> Fault {
    Fault::new(
        FaultKind::Value,
        format!("open-ended interval `{text}` is not supported"),
        "give both ends of the interval, such as 1920/1921; \
         mark a guessed end with ~ (approximate) or ? (uncertain)",
        span,
    )
}

fn unrecognised(text: &str, span: Range<usize>, help: &str) -> Fault {
    Fault::new(
        FaultKind::Shape,
        format!("unrecognised date `{text}`"),
        help,
        span,
    )
}

/// One date with its qualifier; `text` is ASCII and starts at char `at` of
/// the whole text.
fn parse_calendar_date(text: &str, at: usize) -> Result<CalendarDate, Fault> {
    let (body, qualifier) = match text.char_indices().last() {
        Some((last, q)) if QUALIFIERS.contains(&q) => (&text[..last], Some(q)),
        _ => (text, None),
    };
    if let Some(misplaced) = body.find(QUALIFIERS) {
        let help = if body[misplaced + 1..].contains(QUALIFIERS) || qualifier.is_some() {
            "write one qualifier at the end: ~ approximate, ? uncertain, % both"
        } else {
            "put the qualifier after the date, such as 1921~"
        };
        return Err(unrecognised(text, at + misplaced..at + misplaced + 1, help));
    }
    let mut fields = body.split('-');
    let mut field_at = at;
    let year_text = fields.next().unwrap_or_default();
    let year = parse_year(text, year_text, field_at)?;
    field_at += year_text.len() + 1;

    let precision = match (fields.next(), fields.next(), fields.next()) {
        (None, ..) => Precision::Year,
        (Some(month_text), None, _) => {
            if is_year_like(month_text) {
                return Err(unrecognised(
                    text,
                    at..at + text.len(),
                    "join the two ends of an interval with /, such as 1920/1921",
                ));
            }
            let month = parse_month(text, month_text, field_at)?;
            Precision::Month(month)
        }
        (Some(month_text), Some(day_text), None) => {
            let month = parse_month(text, month_text, field_at)?;
            let day_at = field_at + month_text.len() + 1;
            let day = parse_day(text, year, month, day_text, day_at)?;
            Precision::Day { month, day }
        }
        (Some(_), Some(_), Some(_)) => {
            return Err(unrecognised(text, at..at + text.len(), FORMS_HELP));
        }
    };
    Ok(CalendarDate {
        year,
        precision,
        approximate: matches!(qualifier, Some('~' | '%')),
        uncertain: matches!(qualifier, Some('?' | '%')),
    })
}

fn is_year_like(field: &str) -> bool {
    field.len() == 4 && field.bytes().all(|b| b.is_ascii_digit())
}

/// One or two digits: a month or day, never a year.
fn is_short_number(field: &str) -> bool {
    (1..=2).contains(&field.len()) && field.bytes().all(|b| b.is_ascii_digit())
}

fn parse_year(date: &str, field: &str, at: usize) -> Result<i32, Fault> {
    let span = at..at + field.len().max(1);
    let digits = field.bytes().take_while(u8::is_ascii_digit).count();
    if field.is_empty() && date.starts_with('-') {
        return Err(Fault::new(
            FaultKind::Value,
            format!("year in `{date}` is before the common era"),
            "lantai reads years 0001–9999 of the common era",
            span,
        ));
    }
    if digits == field.len() && !field.is_empty() {
        if field.len() != 4 {
            let help = if field.len() < 4 {
                format!("write years with four digits: the year {field} is {field:0>4}")
            } else {
                "years run from 0001 to 9999".to_owned()
            };
            return Err(Fault::new(
                FaultKind::Value,
                format!("year `{field}` in `{date}` must have four digits"),
                help,
                span,
            ));
        }
        let year: i32 = field.parse().unwrap_or_default();
        if year == 0 {
            return Err(Fault::new(
                FaultKind::Value,
                format!("there is no year 0000 in `{date}`"),
                "years run from 0001 to 9999",
                span,
            ));
        }
        return Ok(year);
    }
    // EDTF writes a decade or century as `192X` or `19XX`; an interval says
    // the same thing and sorts and displays without special cases.
    let unspecified = &field[digits..];
    if field.len() == 4 && digits > 0 && unspecified.bytes().all(|b| b == b'X' || b == b'x') {
        let known = &field[..digits];
        return Err(Fault::new(
            FaultKind::Value,
            format!("unspecified digits in `{date}` are not supported"),
            format!(
                "write the span as an interval: {known}{}/{known}{}",
                "0".repeat(4 - digits),
                "9".repeat(4 - digits)
            ),
            span,
        ));
    }
    Err(unrecognised(date, span, FORMS_HELP))
}

fn parse_month(date: &str, field: &str, at: usize) -> Result<u8, Fault> {
    let month = parse_two_digits(date, field, at, "month")?;
    if !(1..=12).contains(&month) {
        return Err(Fault::new(
            FaultKind::Value,
            format!("impossible date `{date}`: there is no month {field}"),
            "month must be 01–12",
            at..at + field.len(),
        ));
    }
    Ok(month)
}

fn parse_day(date: &str, year: i32, month: u8, field: &str, at: usize) -> Result<u8, Fault> {
    let day = parse_two_digits(date, field, at, "day")?;
    let length = days_in_month(year, month);
    if day == 0 || day > length {
        let month_year = format!("{} {year}", month_name(month));
        let message = if day == 0 {
            format!("impossible date `{date}`: days are numbered from 01")
        } else {
            format!("impossible date `{date}`: {month_year} has {length} days")
        };
        return Err(Fault::new(
            FaultKind::Value,
            message,
            format!("check the day; {month_year} has {length} days"),
            at..at + field.len(),
        ));
    }
    Ok(day)
}

/// A month or day field: exactly two ASCII digits.
fn parse_two_digits(date: &str, field: &str, at: usize, what: &str) -> Result<u8, Fault> {
    let span = at..at + field.len().max(1);
    let all_digits = !field.is_empty() && field.bytes().all(|b| b.is_ascii_digit());
    match field.len() {
        2 if all_digits => Ok(field.parse().unwrap_or_default()),
        1 if all_digits => Err(Fault::new(
            FaultKind::OneDigit,
            format!("{what} `{field}` in `{date}` must have two digits"),
            format!(
                "write months and days with two digits: {}",
                pad_fields(date)
            ),
            span,
        )),
        _ => Err(unrecognised(date, span, FORMS_HELP)),
    }
}

/// `date` with one-digit month and day fields padded; the fallback help
/// when the whole text has no respelling that parses.
fn pad_fields(date: &str) -> String {
    date.split('-')
        .enumerate()
        .map(|(index, field)| {
            let digits = field.bytes().take_while(u8::is_ascii_digit).count();
            if index > 0 && digits == 1 {
                format!("0{field}")
            } else {
                field.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

// ---------------------------------------------------------------------------
// Respelling common mistakes
//
// Curators type dates the way Chinese documents print them (1921年7月23日),
// with an input method's full-width characters (１９２１－０７), with dots
// or slashes (1921.7.23, 1921/07/23), or with words for "about" (约1921年,
// c. 1921). `suggest` rewrites such text into the accepted form, or gives up.

/// Words for "approximately" written before a date.
const APPROXIMATE_PREFIXES: [&str; 5] = ["大约", "约", "circa ", "ca.", "c."];
/// Words for "approximately" written after a date.
const APPROXIMATE_SUFFIXES: [&str; 2] = ["前后", "左右"];
/// Words and dashes that join the two ends of a range.
const RANGE_WORDS: [char; 4] = ['至', '到', '–', '—'];

/// The accepted spelling of `written`, when its intent is clear and the
/// respelling parses.
fn suggest(written: &str) -> Option<String> {
    let folded: String = written.chars().map(fold_full_width).collect();
    let (core, approximate) = strip_approximate_words(folded.trim());
    let ends = split_range(core)?;
    let respelled = ends
        .iter()
        .map(|end| respell_date(end, approximate))
        .collect::<Option<Vec<_>>>()?
        .join("/");
    let parses = parse_extent(&respelled).is_ok();
    (parses && respelled != written).then_some(respelled)
}

/// Full-width forms typed with a Chinese input method, to their ASCII twins.
fn fold_full_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '。' => '.',
        '〜' => '~',
        _ => c,
    }
}

fn strip_approximate_words(text: &str) -> (&str, bool) {
    let lowered = text.to_ascii_lowercase();
    for prefix in APPROXIMATE_PREFIXES {
        if lowered.starts_with(prefix) {
            return (text[prefix.len()..].trim(), true);
        }
    }
    for suffix in APPROXIMATE_SUFFIXES {
        if let Some(core) = text.strip_suffix(suffix) {
            return (core.trim(), true);
        }
    }
    (text, false)
}

/// The one or two dates in `text`.
fn split_range(text: &str) -> Option<Vec<&str>> {
    if let Some((start, end)) = text.split_once(RANGE_WORDS) {
        return Some(vec![start.trim(), end.trim()]);
    }
    if text.contains('/') {
        let parts: Vec<&str> = text.split('/').map(str::trim).collect();
        // `1921/7/23` and `1921/07` write one date with slashes.
        if parts.len() > 1 && parts[1..].iter().all(|part| is_short_number(part)) {
            return Some(vec![text]);
        }
        return (parts.len() == 2).then_some(parts);
    }
    // `1920-1921` and `1920~1921`: a hyphen or tilde before a four-digit year.
    let bytes = text.as_bytes();
    for (at, &b) in bytes.iter().enumerate().skip(1) {
        let after = &bytes[at + 1..];
        let year_follows = after.len() >= 4
            && after[..4].iter().all(u8::is_ascii_digit)
            && after.get(4).is_none_or(|b| !b.is_ascii_digit());
        if (b == b'-' || b == b'~') && year_follows {
            return Some(vec![text[..at].trim(), text[at + 1..].trim()]);
        }
    }
    Some(vec![text])
}

/// One date in the accepted form, or `None` if it is not clearly a date.
fn respell_date(text: &str, approximate_word: bool) -> Option<String> {
    let mut approximate = approximate_word;
    let mut uncertain = false;
    let mut body = text.trim();
    if let Some(rest) = body.strip_suffix("(?)") {
        uncertain = true;
        body = rest.trim_end();
    }
    if let Some(rest) = body.strip_prefix('~') {
        approximate = true;
        body = rest;
    }
    while let Some(rest) = body.strip_suffix(QUALIFIERS) {
        match body[rest.len()..].chars().next() {
            Some('~') => approximate = true,
            Some('?') => uncertain = true,
            _ => (approximate, uncertain) = (true, true),
        }
        body = rest;
    }
    let separated: String = body
        .chars()
        .filter(|c| !matches!(c, '日' | '号'))
        .map(|c| match c {
            '年' | '月' | '.' | '/' => '-',
            _ => c,
        })
        .collect();
    let fields: Vec<&str> = separated.trim_end_matches('-').split('-').collect();
    let is_number = |field: &&str| !field.is_empty() && field.bytes().all(|b| b.is_ascii_digit());
    if fields.len() > 3 || !fields.iter().all(is_number) || fields[0].len() != 4 {
        return None;
    }
    let mut respelled = fields[0].to_owned();
    for field in &fields[1..] {
        respelled.push('-');
        if field.len() == 1 {
            respelled.push('0');
        }
        respelled.push_str(field);
    }
    match (approximate, uncertain) {
        (true, true) => respelled.push('%'),
        (true, false) => respelled.push('~'),
        (false, true) => respelled.push('?'),
        (false, false) => {}
    }
    Some(respelled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(text: &str) -> HistoricalDate {
        match HistoricalDate::parse(text) {
            Ok(date) => date,
            Err(error) => panic!("`{text}` should parse, got {error:?}"),
        }
    }

    fn error(text: &str) -> DateError {
        match HistoricalDate::parse(text) {
            Ok(date) => panic!("`{text}` should not parse, got {date:?}"),
            Err(error) => error,
        }
    }

    fn day(year: i32, month: u8, day: u8) -> Day {
        Day { year, month, day }
    }

    // --- accepted forms -------------------------------------------------

    #[test]
    fn year() {
        let d = date("1921");
        assert_eq!(d.earliest(), day(1921, 1, 1));
        assert_eq!(d.latest(), day(1921, 12, 31));
        assert_eq!(d.year(), 1921);
        assert_eq!(d.as_written(), "1921");
        assert!(!d.is_approximate() && !d.is_uncertain() && !d.is_interval());
        assert_eq!(d.display_zh(), "1921年");
        assert_eq!(d.display_en(), "1921");
    }

    #[test]
    fn month() {
        let d = date("1921-07");
        assert_eq!(d.earliest(), day(1921, 7, 1));
        assert_eq!(d.latest(), day(1921, 7, 31));
        assert_eq!(d.display_zh(), "1921年7月");
        assert_eq!(d.display_en(), "July 1921");
    }

    #[test]
    fn month_lengths() {
        assert_eq!(date("1921-02").latest(), day(1921, 2, 28));
        assert_eq!(date("1920-02").latest(), day(1920, 2, 29));
        assert_eq!(date("1900-02").latest(), day(1900, 2, 28));
        assert_eq!(date("2000-02").latest(), day(2000, 2, 29));
        assert_eq!(date("1921-04").latest(), day(1921, 4, 30));
        assert_eq!(date("1921-12").latest(), day(1921, 12, 31));
    }

    #[test]
    fn full_day() {
        let d = date("1921-07-23");
        assert_eq!(d.earliest(), day(1921, 7, 23));
        assert_eq!(d.latest(), day(1921, 7, 23));
        assert_eq!(d.display_zh(), "1921年7月23日");
        assert_eq!(d.display_en(), "23 July 1921");
    }

    #[test]
    fn leap_days() {
        assert_eq!(date("1920-02-29").latest(), day(1920, 2, 29));
        assert_eq!(date("2000-02-29").latest(), day(2000, 2, 29));
        assert!(HistoricalDate::parse("1900-02-29").is_err());
        assert!(HistoricalDate::parse("1921-02-29").is_err());
    }

    #[test]
    fn extreme_years() {
        assert_eq!(date("0001").earliest(), day(1, 1, 1));
        assert_eq!(date("0001").display_zh(), "1年");
        assert_eq!(date("9999-12-31").latest(), day(9999, 12, 31));
    }

    #[test]
    fn approximate() {
        let d = date("1921~");
        assert!(d.is_approximate() && !d.is_uncertain());
        assert_eq!(d.earliest(), day(1921, 1, 1));
        assert_eq!(d.display_zh(), "约1921年");
        assert_eq!(d.display_en(), "c. 1921");
        assert_eq!(date("1921-07~").display_zh(), "约1921年7月");
        assert_eq!(date("1921-07~").display_en(), "c. July 1921");
    }

    #[test]
    fn uncertain() {
        let d = date("1921?");
        assert!(d.is_uncertain() && !d.is_approximate());
        assert_eq!(d.display_zh(), "1921年(?)");
        assert_eq!(d.display_en(), "1921?");
        assert_eq!(date("1921-07-23?").display_zh(), "1921年7月23日(?)");
        assert_eq!(date("1921-07-23?").display_en(), "23 July 1921?");
    }

    #[test]
    fn approximate_and_uncertain() {
        let d = date("1921%");
        assert!(d.is_approximate() && d.is_uncertain());
        assert_eq!(d.display_zh(), "约1921年(?)");
        assert_eq!(d.display_en(), "c. 1921?");
    }

    #[test]
    fn interval() {
        let d = date("1920-08/1921-07");
        assert!(d.is_interval());
        assert_eq!(d.earliest(), day(1920, 8, 1));
        assert_eq!(d.latest(), day(1921, 7, 31));
        assert_eq!(d.year(), 1920);
        assert_eq!(d.display_zh(), "1920年8月至1921年7月");
        assert_eq!(d.display_en(), "August 1920 – July 1921");
    }

    #[test]
    fn interval_within_one_year_is_shown_in_full() {
        let d = date("1921-07-23/1921-07-31");
        assert_eq!(d.display_zh(), "1921年7月23日至1921年7月31日");
        assert_eq!(d.display_en(), "23 July 1921 – 31 July 1921");
    }

    #[test]
    fn interval_ends_keep_their_own_qualifiers() {
        let d = date("1920~/1921-07?");
        assert!(d.is_approximate() && d.is_uncertain());
        assert_eq!(d.display_zh(), "约1920年至1921年7月(?)");
        assert_eq!(d.display_en(), "c. 1920 – July 1921?");
        assert!(date("1920/1921%").is_approximate());
    }

    #[test]
    fn interval_may_nest_or_touch() {
        assert!(date("1921/1921").is_interval());
        assert_eq!(date("1921/1921-07").latest(), day(1921, 7, 31));
        // Both ends may fall in July 1921: the interval is not empty.
        assert_eq!(date("1921-07-20/1921-07").earliest(), day(1921, 7, 20));
    }

    #[test]
    fn whitespace_is_trimmed_but_counted_in_offsets() {
        let d = date("  1921-07 \n");
        assert_eq!(d.as_written(), "1921-07");
        assert_eq!(error("  1921-13").offset, 7);
        assert_eq!(error("\u{3000}1921-13").offset, 6);
    }

    #[test]
    fn from_str_and_display() {
        let d: HistoricalDate = match "1921-07".parse() {
            Ok(d) => d,
            Err(e) => panic!("{e:?}"),
        };
        assert_eq!(d.to_string(), "1921年7月");
        assert_eq!(day(1921, 7, 1).to_string(), "1921-07-01");
        assert_eq!(day(921, 7, 1).iso(), "0921-07-01");
    }

    #[test]
    fn sorting_by_earliest_then_latest_then_text() {
        let mut dates: Vec<HistoricalDate> = [
            "1921-07-23",
            "1921",
            "1920/1922",
            "1921-07",
            "1921~",
            "1919-05-04",
        ]
        .into_iter()
        .map(date)
        .collect();
        dates.sort();
        let written: Vec<&str> = dates.iter().map(HistoricalDate::as_written).collect();
        assert_eq!(
            written,
            [
                "1919-05-04",
                "1920/1922",
                "1921",
                "1921~",
                "1921-07",
                "1921-07-23"
            ]
        );
        assert_eq!(
            date("1921").sort_key(),
            (day(1921, 1, 1), day(1921, 12, 31))
        );
    }

    // --- errors -----------------------------------------------------------

    #[test]
    fn impossible_day() {
        let e = error("1921-02-30");
        assert_eq!(
            e.message,
            "impossible date `1921-02-30`: February 1921 has 28 days"
        );
        assert_eq!(e.help, "check the day; February 1921 has 28 days");
        assert_eq!((e.offset, e.length), (8, 2));
        let e = error("1921-04-31");
        assert_eq!(
            e.message,
            "impossible date `1921-04-31`: April 1921 has 30 days"
        );
        let e = error("1921-07-00");
        assert_eq!(
            e.message,
            "impossible date `1921-07-00`: days are numbered from 01"
        );
        assert_eq!(e.help, "check the day; July 1921 has 31 days");
    }

    #[test]
    fn impossible_month() {
        let e = error("1921-13");
        assert_eq!(e.message, "impossible date `1921-13`: there is no month 13");
        assert_eq!(e.help, "month must be 01–12");
        assert_eq!((e.offset, e.length), (5, 2));
        assert_eq!(error("1921-00-01").help, "month must be 01–12");
    }

    #[test]
    fn one_digit_month_or_day() {
        let e = error("1921-7");
        assert_eq!(e.message, "month `7` in `1921-7` must have two digits");
        assert_eq!(e.help, "write months and days with two digits: 1921-07");
        assert_eq!((e.offset, e.length), (5, 1));
        assert_eq!(
            error("1921-07-3~").help,
            "write months and days with two digits: 1921-07-03~"
        );
        assert_eq!(
            error("1920-8/1921-7").help,
            "write months and days with two digits: 1920-08/1921-07"
        );
        // Padding would not make it a date: the help still shows the padding.
        let e = error("1921-2-30");
        assert_eq!(e.help, "write months and days with two digits: 1921-02-30");
    }

    #[test]
    fn dotted_slashed_and_chinese_dates() {
        for written in [
            "1921.7.23",
            "1921.07.23",
            "1921/07/23",
            "1921/7/23",
            "1921年7月23日",
            "1921年07月23日",
            "１９２１－０７－２３",
            "1921-07-23。",
        ] {
            assert_eq!(error(written).help, "write 1921-07-23", "{written}");
        }
        assert_eq!(error("1921年").help, "write 1921");
        assert_eq!(error("1921年7月").help, "write 1921-07");
        assert_eq!(error("1921/7").help, "write 1921-07");
        assert_eq!(error("1921.7").help, "write 1921-07");
    }

    #[test]
    fn chinese_error_points_at_the_first_foreign_character() {
        let e = error("1921年7月23日");
        assert_eq!(
            e.message,
            "unrecognised date `1921年7月23日`: unexpected `年`"
        );
        assert_eq!((e.offset, e.length), (4, 1));
    }

    #[test]
    fn words_for_approximately_and_ranges() {
        assert_eq!(error("约1921年").help, "write 1921~");
        assert_eq!(error("1921年前后").help, "write 1921~");
        assert_eq!(error("c. 1921").help, "write 1921~");
        assert_eq!(error("ca.1921").help, "write 1921~");
        assert_eq!(error("~1921").help, "write 1921~");
        assert_eq!(error("1921？").help, "write 1921?");
        assert_eq!(error("1921～").help, "write 1921~");
        assert_eq!(error("1921?~").help, "write 1921%");
        assert_eq!(error("约1921年(?)").help, "write 1921%");
        assert_eq!(error("1920-1921").help, "write 1920/1921");
        assert_eq!(error("1920~1921").help, "write 1920/1921");
        assert_eq!(error("1920年至1921年").help, "write 1920/1921");
        assert_eq!(error("1920年8月至1921年7月").help, "write 1920-08/1921-07");
        assert_eq!(error("1920–1921").help, "write 1920/1921");
    }

    #[test]
    fn misplaced_qualifiers_without_a_respelling() {
        let e = error("19~21");
        assert_eq!(e.message, "unrecognised date `19~21`");
        assert_eq!(e.help, "put the qualifier after the date, such as 1921~");
        assert_eq!(e.offset, 2);
        assert_eq!(
            error("1921-13?~").help,
            "write one qualifier at the end: ~ approximate, ? uncertain, % both"
        );
    }

    #[test]
    fn reversed_interval() {
        let e = error("1921/1920");
        assert_eq!(e.message, "interval `1921/1920` ends before it starts");
        assert_eq!(e.help, "put the earlier date first: 1920/1921");
        assert!(HistoricalDate::parse("1921-07-24/1921-07-23").is_err());
        assert!(HistoricalDate::parse("1921-08/1921-07").is_err());
        assert_eq!(
            error("1920-1919").help,
            "join the two ends of an interval with /, such as 1920/1921"
        );
    }

    #[test]
    fn open_intervals() {
        for written in ["../1921", "1921/..", "1921/", "/1921"] {
            let e = error(written);
            assert!(e.message.starts_with("open-ended interval"), "{written}");
            assert!(e.help.starts_with("give both ends"), "{written}");
        }
        assert_eq!(error("1921/..").offset, 5);
    }

    #[test]
    fn bad_years() {
        let e = error("921");
        assert_eq!(e.message, "year `921` in `921` must have four digits");
        assert!(e.help.contains("0921"));
        assert!(error("19210").message.contains("four digits"));
        assert_eq!(error("0000").message, "there is no year 0000 in `0000`");
        assert!(error("-0500").message.contains("before the common era"));
        let e = error("192X");
        assert_eq!(e.help, "write the span as an interval: 1920/1929");
        assert_eq!(
            error("19XX").help,
            "write the span as an interval: 1900/1999"
        );
    }

    #[test]
    fn shapeless_text() {
        for written in [
            "",
            "   ",
            "soon",
            "1921-07-23-01",
            "1921-07-23T10:00",
            "1921-",
            "1921--07",
            "1921/07/23/01",
            "July 1921",
            "一九二一年",
            "🎉",
        ] {
            let e = error(written);
            assert!(e.length >= 1, "{written}");
            assert!(!e.help.is_empty(), "{written}");
        }
        assert_eq!(error("").message, "empty date");
        assert_eq!(error("soon").help, FORMS_HELP);
    }

    #[test]
    fn serde_reads_strings_and_numbers_and_writes_text() {
        use serde::Deserialize;
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, StrDeserializer, U64Deserializer};

        let from_str: Result<HistoricalDate, Error> =
            HistoricalDate::deserialize::<StrDeserializer<Error>>("1921-07".into_deserializer());
        assert_eq!(from_str.ok().map(|d| d.latest()), Some(day(1921, 7, 31)));
        let from_number: Result<HistoricalDate, Error> =
            HistoricalDate::deserialize::<U64Deserializer<Error>>(1921u64.into_deserializer());
        assert_eq!(from_number.ok().map(|d| d.year()), Some(1921));
        let bad: Result<HistoricalDate, Error> =
            HistoricalDate::deserialize::<StrDeserializer<Error>>("1921-13".into_deserializer());
        let message = bad.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("month must be 01–12"), "{message}");
    }

    // --- properties -------------------------------------------------------

    fn valid_day() -> impl Strategy<Value = (i32, u8, u8)> {
        (1..=9999i32, 1..=12u8).prop_flat_map(|(year, month)| {
            (Just(year), Just(month), 1..=days_in_month(year, month))
        })
    }

    fn digits_of(text: &str) -> Vec<u32> {
        text.split(|c: char| !c.is_ascii_digit())
            .filter(|run| !run.is_empty())
            .filter_map(|run| run.parse().ok())
            .collect()
    }

    proptest! {
        #[test]
        fn every_real_day_parses((year, month, d) in valid_day()) {
            let written = format!("{year:04}-{month:02}-{d:02}");
            let parsed = HistoricalDate::parse(&written);
            prop_assert!(parsed.is_ok(), "{written}: {parsed:?}");
            let parsed = parsed.map_err(|e| TestCaseError::fail(e.message))?;
            prop_assert_eq!(parsed.earliest(), day(year, month, d));
            prop_assert_eq!(parsed.latest(), day(year, month, d));
            prop_assert_eq!(parsed.earliest().iso(), written);
        }

        #[test]
        fn chinese_display_keeps_the_numbers((year, month, d) in valid_day(), qualifier in "[~?%]?") {
            let written = format!("{year:04}-{month:02}-{d:02}{qualifier}");
            let parsed = HistoricalDate::parse(&written)
                .map_err(|e| TestCaseError::fail(e.message))?;
            let shown = parsed.display_zh();
            prop_assert_eq!(digits_of(&shown), vec![year.unsigned_abs(), u32::from(month), u32::from(d)]);
            let month_only = HistoricalDate::parse(&written[..7])
                .map_err(|e| TestCaseError::fail(e.message))?;
            prop_assert_eq!(digits_of(&month_only.display_zh()), vec![year.unsigned_abs(), u32::from(month)]);
        }

        #[test]
        fn earliest_never_follows_latest(
            (y1, m1, d1) in valid_day(),
            (y2, m2, d2) in valid_day(),
            precision1 in 0..3usize,
            precision2 in 0..3usize,
        ) {
            let cut = [4, 7, 10];
            let first = format!("{y1:04}-{m1:02}-{d1:02}");
            let second = format!("{y2:04}-{m2:02}-{d2:02}");
            let (first, second) = (&first[..cut[precision1]], &second[..cut[precision2]]);
            for written in [first.to_owned(), second.to_owned(), format!("{first}/{second}")] {
                if let Ok(parsed) = HistoricalDate::parse(&written) {
                    prop_assert!(parsed.earliest() <= parsed.latest(), "{written}");
                    prop_assert_eq!(parsed.year(), parsed.earliest().year);
                }
            }
            // An interval of two ordered days always parses.
            let (low, high) = if first <= second { (first, second) } else { (second, first) };
            if precision1 == 2 && precision2 == 2 {
                let interval = format!("{low}/{high}");
                prop_assert!(HistoricalDate::parse(&interval).is_ok(), "{}", interval);
            }
        }

        #[test]
        fn ordering_agrees_with_equality(
            a in "1[89][0-9]{2}(-0[1-9](-[012][1-9])?)?[~?%]?",
            b in "1[89][0-9]{2}(-0[1-9](-[012][1-9])?)?[~?%]?",
        ) {
            if let (Ok(a), Ok(b)) = (HistoricalDate::parse(&a), HistoricalDate::parse(&b)) {
                prop_assert_eq!(a.cmp(&b) == Ordering::Equal, a == b);
                prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
                prop_assert_eq!(a.partial_cmp(&b), Some(a.cmp(&b)));
                if a.sort_key() < b.sort_key() {
                    prop_assert!(a < b);
                }
            }
        }

        #[test]
        fn parse_never_panics(text in any::<String>()) {
            if let Err(e) = HistoricalDate::parse(&text) {
                prop_assert!(e.offset + e.length <= text.chars().count().max(1) + 1);
            }
        }

        #[test]
        fn parse_never_panics_on_date_like_text(
            text in "[ 0-9X~?%/.\\-年月日至约前后（）()？～－／０-９😀]{0,20}"
        ) {
            match HistoricalDate::parse(&text) {
                Ok(parsed) => prop_assert!(parsed.earliest() <= parsed.latest()),
                Err(e) => {
                    prop_assert!(!e.help.is_empty());
                    // A missing field at the very end is pointed at just past it.
                    prop_assert!(e.offset + e.length <= text.chars().count().max(1) + 1);
                }
            }
        }

        #[test]
        fn suggestions_always_parse(text in "[ 0-9~?%/.\\-年月日至约前后？～－０-９]{0,16}") {
            // "write 1921-07-23" is a respelling; longer helps are advice.
            if let Err(e) = HistoricalDate::parse(&text)
                && let Some(respelled) = e.help.strip_prefix("write ").filter(|h| !h.contains(' '))
            {
                prop_assert!(HistoricalDate::parse(respelled).is_ok(), "{text} -> {respelled}");
            }
        }
    }
}
