//! The progress line of `lantai build` on a terminal: the stage being run,
//! then a bar over the pages. Nothing is drawn when standard error is not a
//! terminal (logs, CI, pipes), where the one summary line at the end says
//! how long each stage took.

use std::io::IsTerminal;
use std::sync::Once;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::build::Progress;

/// A progress line on standard error, or nothing.
pub struct Bar {
    bar: Option<ProgressBar>,
    pages_started: Once,
}

impl Bar {
    /// A bar when standard error is a terminal (and `TERM` is not `dumb`),
    /// otherwise one that draws nothing.
    pub fn on_terminal() -> Bar {
        let terminal = std::io::stderr().is_terminal()
            && std::env::var_os("TERM").is_none_or(|term| term != "dumb");
        Bar::new(terminal)
    }

    fn new(visible: bool) -> Bar {
        let bar = visible.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10));
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed:.dim}") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Bar {
            bar,
            pages_started: Once::new(),
        }
    }

    /// Clears the line, so that the summary is printed on a clean one.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn stage(&self, name: &'static str) {
        if let Some(bar) = &self.bar {
            bar.set_message(name);
        }
    }

    fn pages(&self, _done: usize, total: usize) {
        let Some(bar) = &self.bar else {
            return;
        };
        self.pages_started.call_once(|| {
            bar.set_length(total as u64);
            bar.set_position(0);
            if let Ok(style) = ProgressStyle::with_template(
                "{msg} [{bar:30}] {human_pos}/{human_len} {per_sec} {elapsed:.dim}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
        });
        // Threads finish pages out of order: count, don't set positions.
        bar.inc(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hidden_bar_accepts_every_call() {
        let bar = Bar::new(false);
        bar.stage("load");
        bar.pages(1, 2);
        bar.finish();
        assert!(bar.bar.is_none());
    }

    #[test]
    fn a_visible_bar_counts_pages() {
        let bar = Bar::new(true);
        bar.stage("pages");
        for done in 1..=3 {
            bar.pages(done, 10);
        }
        let inner = bar.bar.as_ref().map(|b| (b.position(), b.length()));
        assert_eq!(inner, Some((3, Some(10))));
        bar.finish();
    }
}
