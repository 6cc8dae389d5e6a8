//! Historical dates: parsing, and every display of what parses.
#![no_main]

use lantai::content::HistoricalDate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(date) = HistoricalDate::parse(text) {
        assert!(date.earliest() <= date.latest());
        let _ = date.display_zh();
        let _ = date.display_en();
        assert_eq!(HistoricalDate::parse(date.as_written()).as_ref(), Ok(&date));
    }
});
