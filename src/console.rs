//! Printing to the terminal that never stops the program. `println!`
//! panics when its reader has gone away (`lantai build 2>&1 | head`): the
//! build would end half-written with a panic instead of finishing. These
//! drop what cannot be written instead.

/// Like `println!`, ignoring a closed or failing standard output.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let _ = ::std::writeln!(::std::io::stdout(), $($arg)*);
    }};
}

/// Like `eprintln!`, ignoring a closed or failing standard error.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let _ = ::std::writeln!(::std::io::stderr(), $($arg)*);
    }};
}
