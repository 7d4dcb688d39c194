//! Lines to the local syslog daemon, as `logger -t <tag>` sends them: one
//! datagram per line on `/dev/log`, `user.notice` priority, the
//! traditional stamp and the tag. No daemon listening (or one that does
//! not keep up) means no syslog copy; nothing fails or waits because of it.

use std::os::unix::net::UnixDatagram;
use std::path::Path;

use crate::time::Utc;

/// The local syslog socket.
pub const SOCKET: &str = "/dev/log";

/// `user.notice`, logger's default priority.
const PRIORITY: u8 = 13;

/// A tagged line writer; partial lines wait for their end.
pub struct Syslog {
    sock: UnixDatagram,
    tag: String,
    pending: Vec<u8>,
}

impl Syslog {
    /// Connected to `/dev/log`, or `None` when no daemon listens there.
    pub fn connect(tag: &str) -> Option<Syslog> {
        Self::connect_to(Path::new(SOCKET), tag)
    }

    /// Connected to the datagram socket at `path`.
    pub fn connect_to(path: &Path, tag: &str) -> Option<Syslog> {
        let sock = UnixDatagram::unbound().ok()?;
        sock.connect(path).ok()?;
        // A daemon that does not keep up loses lines; it never holds up
        // the output the copy is taken from.
        sock.set_nonblocking(true).ok()?;
        Some(Syslog {
            sock,
            tag: tag.to_string(),
            pending: Vec::new(),
        })
    }

    /// The same destination and tag, with its own partial line.
    pub fn try_clone(&self) -> Option<Syslog> {
        Some(Syslog {
            sock: self.sock.try_clone().ok()?,
            tag: self.tag.clone(),
            pending: Vec::new(),
        })
    }

    /// The datagram for one line.
    pub fn message(stamp: &str, tag: &str, line: &str) -> String {
        format!("<{PRIORITY}>{stamp} {tag}: {line}")
    }

    fn send(&self, line: &[u8]) {
        let text = String::from_utf8_lossy(line);
        let text = text.trim_end_matches('\r');
        if text.trim().is_empty() {
            return;
        }
        let msg = Self::message(&Utc::now().syslog(), &self.tag, text);
        let _ = self.sock.send(msg.as_bytes());
    }

    /// Take a chunk of output; every completed line is sent.
    pub fn feed(&mut self, chunk: &[u8]) {
        self.pending.extend_from_slice(chunk);
        while let Some(end) = self.pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            self.send(&line[..line.len() - 1]);
        }
    }

    /// Send what is left of an unterminated line.
    pub fn flush(&mut self) {
        let rest = std::mem::take(&mut self.pending);
        if !rest.is_empty() {
            self.send(&rest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_tagged_datagrams() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("log");
        let server = UnixDatagram::bind(&path).expect("bind");
        let mut s = Syslog::connect_to(&path, "dokku-abc").expect("connect");
        s.feed(b"-----> one\n  two");
        s.feed(b" halves\n\n");
        s.feed(b"tail");
        s.flush();
        let mut got = Vec::new();
        let mut buf = [0u8; 512];
        for _ in 0..3 {
            let n = server.recv(&mut buf).expect("recv");
            got.push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
        let bodies: Vec<&str> = got
            .iter()
            .map(|m| {
                assert!(m.starts_with("<13>"), "{m}");
                m.split_once(" dokku-abc: ").expect("tag").1
            })
            .collect();
        assert_eq!(bodies, ["-----> one", "  two halves", "tail"]);
        assert!(Syslog::connect_to(&dir.path().join("none"), "x").is_none());
    }
}
