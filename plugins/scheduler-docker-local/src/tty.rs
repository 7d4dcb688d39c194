//! The local terminal of an interactive `run` or `enter`: whether standard
//! input is one, its size, and raw mode while a container owns it.

use std::io::IsTerminal;
use std::process::{Command, Stdio};

/// Whether standard input is a terminal.
pub fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

fn stty(args: &[&str]) -> Option<String> {
    let out = Command::new("stty")
        .args(args)
        .stdin(Stdio::inherit())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The terminal's size as `(rows, columns)`.
pub fn size() -> Option<(u16, u16)> {
    let s = stty(&["size"])?;
    let mut it = s.split_whitespace();
    Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
}

/// The terminal in raw mode (no echo, no line editing, signals passed
/// through as bytes) until dropped, when its settings are restored.
#[derive(Debug)]
pub struct RawMode {
    saved: Option<String>,
}

impl RawMode {
    /// Put the terminal in raw mode.
    pub fn enter() -> RawMode {
        let saved = stty(&["-g"]);
        if saved.is_some() {
            let _ = stty(&["raw", "-echo"]);
        }
        RawMode { saved }
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        if let Some(s) = &self.saved {
            let _ = stty(&[s.as_str()]);
        }
    }
}
