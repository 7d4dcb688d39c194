//! Attaching to a container over a byte channel of our own: the engine's
//! socket, or any stream that ends at an engine (on another node, `docker
//! system dial-stdio` run over ssh). The attach asks for the output
//! written so far before the live output, so nothing the container wrote
//! before we came is lost, and streams our standard input to it. At the
//! end of our input our side is closed without a TTY (the engine then
//! closes the container's standard input if it was created with
//! `StdinOnce`, else it ends the attach), and kept open with one (a
//! terminal's input does not end; the attach lasts as long as the
//! container).
//!
//! The engine never closes an attach to a container that had already
//! stopped when the attach began (it replays the output, then waits): the
//! caller reads with [`Attachment::next`], which returns when idle, and
//! decides itself when the container is done.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::time::Duration;

use crate::error::EngineError;
use crate::http::{encode, engine_message, read_head};
use crate::info::LogStream;
use crate::swarm::fail;

/// A channel to an engine: its reading and writing halves.
pub type Channel = (Box<dyn Read + Send>, Box<dyn InputHalf>);

/// The writing half of a channel to an engine.
pub trait InputHalf: Write + Send {
    /// Our input ended: close the writing side, keep reading.
    fn close_write(self: Box<Self>);
}

impl InputHalf for UnixStream {
    fn close_write(self: Box<Self>) {
        let _ = self.shutdown(std::net::Shutdown::Write);
    }
}

impl InputHalf for std::net::TcpStream {
    fn close_write(self: Box<Self>) {
        let _ = self.shutdown(std::net::Shutdown::Write);
    }
}

/// A child's standard input (the channel of `ssh ... dial-stdio`):
/// closing it is the end of file the other side sees.
impl InputHalf for std::process::ChildStdin {
    fn close_write(self: Box<Self>) {
        drop(self);
    }
}

/// Splits the engine's multiplexed stream (8-byte headers: stream type,
/// 3 zero bytes, big-endian payload size) into its frames.
#[derive(Debug, Default)]
pub(crate) struct Frames {
    pending: Vec<u8>,
}

impl Frames {
    /// Add bytes of the stream; every completed frame is handed out.
    pub(crate) fn push(&mut self, bytes: &[u8], emit: &mut dyn FnMut(LogStream, &[u8])) {
        self.pending.extend_from_slice(bytes);
        while self.pending.len() >= 8 {
            let size = u32::from_be_bytes([
                self.pending[4],
                self.pending[5],
                self.pending[6],
                self.pending[7],
            ]) as usize;
            if self.pending.len() < 8 + size {
                return;
            }
            let stream = if self.pending[0] == 2 {
                LogStream::Stderr
            } else {
                LogStream::Stdout
            };
            emit(stream, &self.pending[8..8 + size]);
            self.pending.drain(..8 + size);
        }
    }
}

/// What an attachment has next.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// Output of the container (a TTY's all as stdout).
    Output(LogStream, Vec<u8>),
    /// Nothing arrived in the time given.
    Idle,
    /// The engine closed the stream.
    Closed,
}

type Chunk = Result<(LogStream, Vec<u8>), String>;

/// A running attach: its output is read by a thread of its own, our input
/// written by another.
pub struct Attachment {
    container: String,
    chunks: Receiver<Chunk>,
    /// The writing half while no input is sent (closing it early could end
    /// a channel that stops at the end of its input).
    _idle_input: Option<Box<dyn InputHalf>>,
    /// The writing half handed back at the end of a terminal's input, kept
    /// open as long as the attachment.
    _kept_input: Receiver<Box<dyn InputHalf>>,
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("container", &self.container)
            .finish()
    }
}

impl Attachment {
    /// The next output, or `Idle` after `wait` without any.
    pub fn next(&self, wait: Duration) -> Result<Next, EngineError> {
        match self.chunks.recv_timeout(wait) {
            Ok(Ok((stream, bytes))) => Ok(Next::Output(stream, bytes)),
            Ok(Err(e)) => Err(fail(
                &format!("attach to container {}", self.container),
                None,
                format!("read: {e}"),
            )),
            Err(RecvTimeoutError::Timeout) => Ok(Next::Idle),
            Err(RecvTimeoutError::Disconnected) => Ok(Next::Closed),
        }
    }
}

/// Read an answer's body of `Content-Length` bytes (an error's message).
fn error_body(reader: &mut impl BufRead, headers: &[(String, String)]) -> Vec<u8> {
    let len = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len.min(64 * 1024)];
    match reader.read_exact(&mut body) {
        Ok(()) => body,
        Err(_) => Vec::new(),
    }
}

/// `docker attach` over a channel to an engine (`read` its answers, `write`
/// our requests): the container's output so far, then live, and `stdin`
/// (when given) streamed to its standard input, our side closed at its
/// end. `tty`: the container has a TTY (its output is not multiplexed).
pub fn attach_over(
    read: Box<dyn Read + Send>,
    mut write: Box<dyn InputHalf>,
    container: &str,
    tty: bool,
    stdin: Option<Box<dyn Read + Send>>,
) -> Result<Attachment, EngineError> {
    let op = format!("attach to container {container}");
    let head = format!(
        "POST /containers/{}/attach?logs=1&stream=1&stdout=1&stderr=1&stdin={} HTTP/1.1\r\n\
         Host: docker\r\nUser-Agent: dokku\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\
         Content-Length: 0\r\n\r\n",
        encode(container),
        u8::from(stdin.is_some())
    );
    let reader = exchange(read, &mut write, &op, &head, &[101, 200])?;
    let (sender, chunks) = mpsc::sync_channel::<Chunk>(16);
    std::thread::spawn(move || read_output(reader, tty, &sender));
    let (keep, kept_input) = mpsc::channel();
    let idle_input = match stdin {
        Some(input) => {
            std::thread::spawn(move || {
                let write = send_input(input, write);
                match write {
                    Some(w) if tty => drop(keep.send(w)),
                    Some(w) => w.close_write(),
                    None => {}
                }
            });
            None
        }
        None => Some(write),
    };
    Ok(Attachment {
        container: container.to_string(),
        chunks,
        _idle_input: idle_input,
        _kept_input: kept_input,
    })
}

/// Hand the attach's output to the channel until the stream ends or
/// nobody listens.
fn read_output(mut reader: BufReader<Box<dyn Read + Send>>, tty: bool, sender: &SyncSender<Chunk>) {
    let mut frames = Frames::default();
    let mut buf = vec![0u8; 8192];
    let mut listening = true;
    while listening {
        let n = match reader.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let _ = sender.send(Err(e.to_string()));
                return;
            }
        };
        let mut emit = |stream: LogStream, bytes: &[u8]| {
            listening &= sender.send(Ok((stream, bytes.to_vec()))).is_ok();
        };
        if tty {
            emit(LogStream::Stdout, &buf[..n]);
        } else {
            frames.push(&buf[..n], &mut emit);
        }
    }
}

/// Copy our input to the engine; the writing half back at the end of the
/// input (none when the engine stopped reading).
fn send_input(
    mut input: Box<dyn Read + Send>,
    mut write: Box<dyn InputHalf>,
) -> Option<Box<dyn InputHalf>> {
    let mut buf = vec![0u8; 8192];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        if write
            .write_all(&buf[..n])
            .and_then(|()| write.flush())
            .is_err()
        {
            return None;
        }
    }
    Some(write)
}

/// Set the TTY size of a container (`rows` x `columns`) over a channel to
/// an engine.
pub fn resize_over(
    read: Box<dyn Read + Send>,
    mut write: Box<dyn InputHalf>,
    container: &str,
    rows: u16,
    columns: u16,
) -> Result<(), EngineError> {
    let op = format!("resize the terminal of container {container}");
    let head = format!(
        "POST /containers/{}/resize?h={rows}&w={columns} HTTP/1.0\r\nHost: docker\r\n\
         User-Agent: dokku\r\nContent-Length: 0\r\n\r\n",
        encode(container)
    );
    exchange(read, &mut write, &op, &head, &[200, 204]).map(drop)
}

/// Send a request `head` (no body) and read the answer's head; the reader,
/// positioned at the body, when the status is one of `ok`, else the
/// engine's message as an error of `op`.
fn exchange(
    read: Box<dyn Read + Send>,
    write: &mut Box<dyn InputHalf>,
    op: &str,
    head: &str,
    ok: &[u16],
) -> Result<BufReader<Box<dyn Read + Send>>, EngineError> {
    write
        .write_all(head.as_bytes())
        .and_then(|()| write.flush())
        .map_err(|e| fail(op, None, format!("write: {e}")))?;
    let mut reader = BufReader::new(read);
    let (status, headers) = read_head(&mut reader).map_err(|e| fail(op, None, e.to_string()))?;
    if ok.contains(&status) {
        Ok(reader)
    } else {
        let body = error_body(&mut reader, &headers);
        Err(fail(op, Some(status), engine_message(&body)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(kind: u8, payload: &[u8]) -> Vec<u8> {
        let mut raw = vec![kind, 0, 0, 0];
        raw.extend_from_slice(&u32::try_from(payload.len()).unwrap_or(0).to_be_bytes());
        raw.extend_from_slice(payload);
        raw
    }

    #[test]
    fn frames_are_split_whatever_the_pieces() {
        let mut raw = frame(1, b"early\n");
        raw.extend(frame(2, b"oops"));
        raw.extend(frame(1, b""));
        raw.extend(frame(1, b"late"));
        let mut got = Vec::new();
        let mut f = Frames::default();
        for piece in raw.chunks(3) {
            f.push(piece, &mut |s, b| got.push((s, b.to_vec())));
        }
        assert_eq!(
            got,
            vec![
                (LogStream::Stdout, b"early\n".to_vec()),
                (LogStream::Stderr, b"oops".to_vec()),
                (LogStream::Stdout, Vec::new()),
                (LogStream::Stdout, b"late".to_vec()),
            ]
        );
    }

    /// An engine on a socket pair: reads the attach request and our
    /// input, answers with the upgrade and output frames.
    #[test]
    fn attach_replays_output_and_sends_input_until_its_end() {
        let (ours, mut engine) = UnixStream::pair().expect("pair");
        let server = std::thread::spawn(move || {
            let mut seen = Vec::new();
            let mut buf = [0u8; 1024];
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = engine.read(&mut buf).expect("read");
                seen.extend_from_slice(&buf[..n]);
            }
            engine
                .write_all(b"HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
                .expect("write");
            engine.write_all(&frame(1, b"early\n")).expect("write");
            // Our input, to its end (we close our side).
            let end = seen
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map_or(0, |p| p + 4);
            let mut input = seen.split_off(end);
            engine.read_to_end(&mut input).expect("read input");
            engine.write_all(&frame(2, &input)).expect("write");
            String::from_utf8_lossy(&seen).to_string()
        });
        let read = ours.try_clone().expect("clone");
        let a = attach_over(
            Box::new(read),
            Box::new(ours),
            "abc123",
            false,
            Some(Box::new(std::io::Cursor::new(b"typed\n".to_vec()))),
        )
        .expect("attach");
        let mut got = Vec::new();
        while let Next::Output(s, b) = a.next(Duration::from_secs(10)).expect("next") {
            got.push((s, b));
        }
        let request = server.join().expect("server");
        assert!(
            request.starts_with(
                "POST /containers/abc123/attach?logs=1&stream=1&stdout=1&stderr=1&stdin=1 HTTP/1.1\r\n"
            ),
            "{request}"
        );
        assert_eq!(
            got,
            vec![
                (LogStream::Stdout, b"early\n".to_vec()),
                (LogStream::Stderr, b"typed\n".to_vec()),
            ]
        );
    }

    #[test]
    fn an_engine_refusal_is_an_error_with_its_message() {
        let (ours, mut engine) = UnixStream::pair().expect("pair");
        let server = std::thread::spawn(move || {
            let mut buf = [0u8; 1024];
            let _ = engine.read(&mut buf).expect("read");
            let body = b"{\"message\":\"No such container: abc\"}";
            engine
                .write_all(
                    format!(
                        "HTTP/1.1 404 Not Found\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    )
                    .as_bytes(),
                )
                .expect("write");
            engine.write_all(body).expect("write");
        });
        let read = ours.try_clone().expect("clone");
        let e =
            attach_over(Box::new(read), Box::new(ours), "abc", true, None).expect_err("refused");
        server.join().expect("server");
        assert_eq!(
            e.to_string(),
            "attach to container abc: No such container: abc"
        );
    }
}
