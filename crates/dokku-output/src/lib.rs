//! The one path by which every command writes to the user, with Dokku's prefixes.
//!
//! Dokku marks its lines with fixed prefixes: `-----> ` for a step, `=====> `
//! for a section header, seven spaces for a detail line, and ` !     ` (on
//! stderr) for warnings and failures. Some of those lines are "quiet-able":
//! `--quiet` (or `DOKKU_QUIET_OUTPUT`) hides them so scripts can parse the
//! rest. Nothing else in the workspace prints directly; tests capture output
//! by building an [`Output`] over in-memory buffers.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

/// Prefix of a step line (`dokku_log_info1`).
pub const INFO1: &str = "-----> ";
/// Prefix of a section header (`dokku_log_info2`).
pub const INFO2: &str = "=====> ";
/// Prefix of a detail line (`dokku_log_verbose`).
pub const VERBOSE: &str = "       ";
/// Prefix of a warning or failure line, written to stderr.
pub const WARN: &str = " !     ";

type Sink = Arc<Mutex<dyn Write + Send>>;

/// Where output goes, and whether quiet-able lines are shown.
#[derive(Clone)]
pub struct Output {
    quiet: bool,
    stdout: Option<Sink>,
    stderr: Option<Sink>,
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Output")
            .field("quiet", &self.quiet)
            .finish()
    }
}

/// Buffers an [`Output`] wrote to, for tests.
#[derive(Clone, Default)]
pub struct Captured {
    out: Arc<Mutex<Vec<u8>>>,
    err: Arc<Mutex<Vec<u8>>>,
}

impl Captured {
    /// Everything written to stdout so far.
    pub fn stdout(&self) -> String {
        self.out
            .lock()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }
    /// Everything written to stderr so far.
    pub fn stderr(&self) -> String {
        self.err
            .lock()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }
}

struct BufSink(Arc<Mutex<Vec<u8>>>);
impl Write for BufSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Output {
    /// Output to the process's stdout and stderr.
    pub fn stdio(quiet: bool) -> Self {
        Output {
            quiet,
            stdout: None,
            stderr: None,
        }
    }

    /// Output into memory, for tests.
    pub fn captured(quiet: bool) -> (Self, Captured) {
        let cap = Captured::default();
        let out = Output {
            quiet,
            stdout: Some(Arc::new(Mutex::new(BufSink(cap.out.clone())))),
            stderr: Some(Arc::new(Mutex::new(BufSink(cap.err.clone())))),
        };
        (out, cap)
    }

    /// Whether quiet-able lines are hidden.
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// Write raw text to stdout (no newline added).
    pub fn write_out(&self, text: &str) {
        emit(&self.stdout, || io::stdout().lock(), text.as_bytes());
    }

    /// Write raw bytes to stdout.
    pub fn write_out_bytes(&self, bytes: &[u8]) {
        emit(&self.stdout, || io::stdout().lock(), bytes);
    }

    /// Write raw text to stderr (no newline added).
    pub fn write_err(&self, text: &str) {
        emit(&self.stderr, || io::stderr().lock(), text.as_bytes());
    }

    /// A plain line on stdout.
    pub fn line(&self, text: &str) {
        self.write_out(&format!("{text}\n"));
    }

    /// `-----> text`
    pub fn info1(&self, text: &str) {
        self.prefixed(INFO1, text);
    }

    /// `=====> text`
    pub fn info2(&self, text: &str) {
        self.prefixed(INFO2, text);
    }

    /// Seven spaces, then text.
    pub fn verbose(&self, text: &str) {
        self.prefixed(VERBOSE, text);
    }

    /// ` !     text` on stderr; every line of a multi-line text gets the prefix.
    pub fn warn(&self, text: &str) {
        self.write_err(&prefix_lines(WARN, text));
    }

    fn prefixed(&self, prefix: &str, text: &str) {
        self.write_out(&prefix_lines(prefix, text));
    }
}

/// Write `bytes` to `sink`, or, when there is none, to the stream `std`
/// opens, flushed at once. Write errors are ignored: there is nowhere left
/// to report them.
fn emit<W: Write>(sink: &Option<Sink>, std: impl FnOnce() -> W, bytes: &[u8]) {
    match sink {
        Some(s) => {
            if let Ok(mut w) = s.lock() {
                let _ = w.write_all(bytes);
            }
        }
        None => {
            let mut w = std();
            let _ = w.write_all(bytes);
            let _ = w.flush();
        }
    }
}

/// Every line of `text` after `prefix`, each ended by a newline.
fn prefix_lines(prefix: &str, text: &str) -> String {
    let mut s = String::new();
    for l in text.split('\n') {
        s.push_str(prefix);
        s.push_str(l);
        s.push('\n');
    }
    s
}

/// The `_quiet` twin of each way of printing: the same, except that it
/// prints nothing when the output is quiet.
macro_rules! quiet_twins {
    ($($(#[$doc:meta])* $quiet:ident => $loud:ident;)*) => {
        impl Output {
            $(
                $(#[$doc])*
                pub fn $quiet(&self, text: &str) {
                    if !self.quiet {
                        self.$loud(text);
                    }
                }
            )*
        }
    };
}

quiet_twins! {
    /// A plain line on stdout, hidden when quiet.
    line_quiet => line;
    /// `-----> text`, hidden when quiet.
    info1_quiet => info1;
    /// `=====> text`, hidden when quiet.
    info2_quiet => info2;
    /// Seven spaces, then text; hidden when quiet.
    verbose_quiet => verbose;
    /// ` !     text` on stderr, hidden when quiet.
    warn_quiet => warn;
}

/// Lays out rows of cells in aligned columns, as Dokku's help and
/// pretty-printers do (the `columnize` rules): every cell but the last is
/// padded to the widest cell of its column and followed by `glue`.
pub fn columnize(rows: &[Vec<String>], prefix: &str, glue: &str) -> String {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let w = cell.chars().count();
            if widths.len() <= i {
                widths.push(w);
            } else if widths[i] < w {
                widths[i] = w;
            }
        }
    }
    let mut out = String::new();
    for row in rows {
        out.push_str(prefix);
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                out.push_str(cell);
            } else {
                out.push_str(cell);
                let pad = widths[i] - cell.chars().count();
                out.push_str(&" ".repeat(pad));
                out.push_str(glue);
            }
        }
        out.push('\n');
    }
    out
}

/// Aligns lines the way util-linux `column -t -s <delim>` does, which is how
/// Dokku's bash plugins lay out their help lists: cells are split at every
/// `delim` and kept as they are (not trimmed), and every cell outside the
/// table's last column is padded to its column's width and followed by two
/// spaces, even at the end of a short row. Empty lines are dropped.
pub fn column_table(lines: &[&str], delim: char) -> String {
    let rows: Vec<Vec<&str>> = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.split(delim).collect())
        .collect();
    let mut widths: Vec<usize> = Vec::new();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            let w = cell.chars().count();
            match widths.get_mut(i) {
                Some(max) => *max = (*max).max(w),
                None => widths.push(w),
            }
        }
    }
    let last = widths.len().saturating_sub(1);
    let mut out = String::new();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i < last {
                out.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_exact() {
        let (out, cap) = Output::captured(false);
        out.info1("Step");
        out.info2("Header");
        out.verbose("detail");
        out.warn("careful");
        insta::assert_snapshot!(cap.stdout(), @r"
        -----> Step
        =====> Header
               detail
        ");
        assert_eq!(cap.stderr(), " !     careful\n");
    }

    #[test]
    fn quiet_hides_quietable_lines_only() {
        let (out, cap) = Output::captured(true);
        out.info2_quiet("My Apps");
        out.info1_quiet("step");
        out.line("app");
        out.info1("always");
        assert_eq!(cap.stdout(), "app\n-----> always\n");
    }

    #[test]
    fn columnize_pads_all_but_last() {
        let rows = vec![
            vec!["a:b <x>".to_string(), "first".to_string()],
            vec!["a:longer".to_string(), "second".to_string()],
        ];
        assert_eq!(
            columnize(&rows, "    ", "  "),
            "    a:b <x>   first\n    a:longer  second\n"
        );
    }

    #[test]
    fn column_table_keeps_cell_spaces_and_drops_empty_lines() {
        let s = column_table(
            &["    a:b <x>, first", "", "    a:longer, second, third"],
            ',',
        );
        assert_eq!(
            s,
            "    a:b <x>    first   \n    a:longer   second   third\n"
        );
    }
}
