//! Build capture: while a deploy runs, everything written to this
//! process's stdout and stderr, by us or by any child, is also appended to
//! the build's log file. Each stream is moved onto a pipe whose reader
//! thread writes to the original stream and to the log, so what the user
//! sees is unchanged.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::path::Path;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::syslog::Syslog;

/// One redirected stream.
struct Stream {
    fd: i32,
    original: OwnedFd,
    reader: Option<JoinHandle<()>>,
}

/// A running capture; [`Tee::stop`] puts the streams back.
pub struct Tee {
    streams: Vec<Stream>,
}

fn pump(mut from: File, mut to: File, mut log: File, mut syslog: Option<Syslog>) {
    let mut buf = [0u8; 8192];
    loop {
        match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let chunk = &buf[..n];
                let _ = to.write_all(chunk);
                let _ = log.write_all(chunk);
                if let Some(s) = syslog.as_mut() {
                    s.feed(chunk);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    if let Some(s) = syslog.as_mut() {
        s.flush();
    }
}

fn redirect(fd: i32, original: OwnedFd, log: &File, syslog: Option<Syslog>) -> Result<Stream> {
    let ctx = |e: std::io::Error| Error::other("build capture", e);
    let (read, write) = nix::unistd::pipe().map_err(|e| Error::other("build capture", e))?;
    let to = File::from(original.try_clone().map_err(ctx)?);
    let log = log.try_clone().map_err(ctx)?;
    let from = File::from(read);
    let reader = std::thread::spawn(move || pump(from, to, log, syslog));
    nix::unistd::dup2(write.as_raw_fd(), fd).map_err(|e| Error::other("build capture", e))?;
    drop(write);
    Ok(Stream {
        fd,
        original,
        reader: Some(reader),
    })
}

impl Tee {
    /// Start copying stdout and stderr to `log` (created or truncated),
    /// and line by line to syslog under `syslog_tag` when given and a
    /// daemon listens.
    pub fn start(log: &Path, syslog_tag: Option<&str>) -> Result<Tee> {
        if let Some(dir) = log.parent() {
            crate::fsutil::ensure_dir(dir)?;
        }
        let file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .open(log)
            .map_err(|e| Error::io("open", log, e))?;
        drop(file);
        let file = OpenOptions::new()
            .append(true)
            .open(log)
            .map_err(|e| Error::io("open", log, e))?;
        crate::system::chown_to_system(log);
        let _ = std::io::stdout().flush();
        let _ = std::io::stderr().flush();
        let mut streams = Vec::new();
        let originals = [
            (1, std::io::stdout().as_fd().try_clone_to_owned()),
            (2, std::io::stderr().as_fd().try_clone_to_owned()),
        ];
        let syslog = syslog_tag.and_then(Syslog::connect);
        for (fd, original) in originals {
            let original = original.map_err(|e| Error::other("build capture", e))?;
            let sink = syslog.as_ref().and_then(Syslog::try_clone);
            streams.push(redirect(fd, original, &file, sink)?);
        }
        Ok(Tee { streams })
    }

    /// Put the streams back and wait (briefly) until what was written is in
    /// the log. A child still holding a stream keeps its reader alive; it
    /// is then left to finish on its own.
    pub fn stop(mut self) {
        let _ = std::io::stdout().flush();
        let _ = std::io::stderr().flush();
        for s in &mut self.streams {
            let _ = nix::unistd::dup2(s.original.as_raw_fd(), s.fd);
        }
        for s in &mut self.streams {
            if let Some(reader) = s.reader.take() {
                let (tx, rx) = mpsc::channel();
                std::thread::spawn(move || {
                    let _ = reader.join();
                    let _ = tx.send(());
                });
                let _ = rx.recv_timeout(Duration::from_secs(2));
            }
        }
    }
}
