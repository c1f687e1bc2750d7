//! Progress output: one line per step with its duration. On a terminal a spinner runs while the step
//! is in flight (indicatif); otherwise (CI, pipes, tests) plain lines are printed when steps finish.
//! Everything goes to stderr so stdout carries only results (tables, JSON).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// Where progress lines go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgressMode {
    /// Spinner while running, then a line (stderr is a terminal).
    Spinner,
    /// One plain line per finished step (stderr is not a terminal).
    Lines,
    /// Nothing (library use, tests).
    Quiet,
}

impl ProgressMode {
    /// Spinner when stderr is a terminal, plain lines otherwise.
    pub fn detect() -> Self {
        if std::io::stderr().is_terminal() {
            Self::Spinner
        } else {
            Self::Lines
        }
    }
}

/// Prints steps and notes in the chosen [`ProgressMode`].
#[derive(Clone, Debug)]
pub struct Progress {
    mode: ProgressMode,
}

/// A running step; finish it with [`Step::done`] or [`Step::fail`].
#[derive(Debug)]
pub struct Step {
    label: String,
    started: Instant,
    bar: Option<ProgressBar>,
    mode: ProgressMode,
}

impl Progress {
    /// Progress printer in `mode`.
    pub fn new(mode: ProgressMode) -> Self {
        Self { mode }
    }

    /// A printer that prints nothing.
    pub fn quiet() -> Self {
        Self::new(ProgressMode::Quiet)
    }

    /// Starts a step labelled `label`.
    pub fn start(&self, label: impl Into<String>) -> Step {
        let label = label.into();
        let bar = (self.mode == ProgressMode::Spinner).then(|| {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
                bar.set_style(style);
            }
            bar.set_message(label.clone());
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Step {
            label,
            started: Instant::now(),
            bar,
            mode: self.mode,
        }
    }

    /// Prints a note line (not a timed step).
    pub fn note(&self, line: impl AsRef<str>) {
        if self.mode != ProgressMode::Quiet {
            eprintln!("  {}", line.as_ref());
        }
    }
}

impl Step {
    /// Time since the step started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Finishes the step successfully with an optional `detail`; returns its duration.
    pub fn done(self, detail: impl AsRef<str>) -> Duration {
        self.finish("✓", detail.as_ref())
    }

    /// Finishes the step as failed; returns its duration.
    pub fn fail(self, detail: impl AsRef<str>) -> Duration {
        self.finish("✗", detail.as_ref())
    }

    fn finish(self, mark: &str, detail: &str) -> Duration {
        let elapsed = self.started.elapsed();
        let sep = if detail.is_empty() { "" } else { ": " };
        let line = format!(
            "{mark} {}{sep}{detail} ({})",
            self.label,
            format_duration(elapsed)
        );
        match (self.mode, self.bar) {
            (_, Some(bar)) => bar.finish_with_message(line),
            (ProgressMode::Quiet, None) => {}
            (_, None) => eprintln!("{line}"),
        }
        elapsed
    }
}

/// Formats a duration as `812ms` or `3.41s`.
pub fn format_duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{}ms", d.as_millis())
    } else {
        format!("{:.2}s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(format_duration(Duration::from_millis(812)), "812ms");
        assert_eq!(format_duration(Duration::from_millis(3414)), "3.41s");
    }

    #[test]
    fn quiet_steps_still_time() {
        let p = Progress::quiet();
        let s = p.start("x");
        assert!(s.done("") < Duration::from_secs(5));
    }
}
