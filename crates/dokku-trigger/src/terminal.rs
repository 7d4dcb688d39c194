//! The local terminal of an interactive `run` or `enter`, for every
//! scheduler: whether standard input is one, its size, raw mode while a
//! container owns it, and commands attached to it through this host's
//! engine.

use std::io::IsTerminal;
use std::process::{Command, Stdio};

use dokku_core::{Error, Result};
use dokku_docker::{AttachIo, ExecSpec, LogStream};
use dokku_output::Output;

use crate::Ctx;

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

/// Whether a one-off run gets a terminal: asked for (`--tty`), or
/// attached with a terminal on standard input unless refused
/// (`--no-tty`).
pub fn run_wants_tty(options: &crate::deploy::RunOptions) -> bool {
    options.force_tty || (!options.detach && !options.no_tty && stdin_is_terminal())
}

/// Our standard input for an attached command, with the terminal's size
/// when `tty`; its output to `on_output`.
pub fn attach_io(tty: bool, on_output: &mut dyn FnMut(LogStream, &[u8])) -> AttachIo<'_> {
    AttachIo {
        stdin: Some(Box::new(std::io::stdin())),
        tty_size: if tty { size() } else { None },
        ..AttachIo::new(on_output)
    }
}

/// Where an attached command's output goes: stdout bytes as they come,
/// stderr to stderr.
pub fn sink(out: &Output) -> impl FnMut(LogStream, &[u8]) + '_ {
    move |stream, bytes| match stream {
        LogStream::Stdout => out.write_out_bytes(bytes),
        LogStream::Stderr => out.write_err(&String::from_utf8_lossy(bytes)),
    }
}

/// `docker exec -i [-t]` of `cmd` in a running container of this host's
/// engine, with our standard input and output, a terminal when ours is one
/// (in raw mode meanwhile); the command's exit code.
pub fn exec_in(ctx: &Ctx, container: &str, cmd: Vec<String>) -> Result<i64> {
    let engine = ctx.engine()?;
    let terminal = stdin_is_terminal();
    let mut spec = ExecSpec::new(cmd);
    spec.tty = terminal;
    let raw = terminal.then(RawMode::enter);
    let out = ctx.out.clone();
    let mut output = sink(&out);
    let result = engine.exec_attached(container, &spec, attach_io(terminal, &mut output));
    drop(raw);
    result.map_err(|e| Error::other("exec in container", e))
}
