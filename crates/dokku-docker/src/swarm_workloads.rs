//! Swarm calls that read what services do rather than shape them: a
//! task's output (streamed, for `logs -t` and one-off runs) and services
//! as the engine reports them in full (their whole spec and creation
//! time, for `show-service` and `run:list`).
//!
//! Like [`crate::swarm`], these go through the crate's own HTTP client
//! ([`crate::http`]); its requests are HTTP/1.0, so a log stream arrives
//! unchunked and only the engine's stdout/stderr frames need decoding.

use std::io::Read;

use crate::attach::{Attachment, Frames};
use crate::error::EngineError;
use crate::http::{encode, engine_message, EngineHttp, Request};
use crate::info::LogStream;
use crate::lines::LineBuffer;
use crate::spec::LogOptions;
use crate::swarm::{fail, SWARM_TIMEOUT};

/// The swarm calls that read tasks' output and services' full specs (one
/// service's is [`crate::SwarmEngine::inspect_service_raw`]). Reached
/// through [`crate::ContainerEngine::swarm_workloads`].
pub trait SwarmWorkloads: Send + Sync {
    /// The output of one task's container, a line at a time. With
    /// `follow`, it streams until the engine closes the stream.
    fn task_logs(
        &self,
        task: &str,
        opts: &LogOptions,
        on_line: &mut dyn FnMut(LogStream, &str),
    ) -> Result<(), EngineError>;

    /// The services carrying `label` (`key` or `key=value`), as the engine
    /// reports them.
    fn services_raw(&self, label: &str) -> Result<Vec<serde_json::Value>, EngineError>;

    /// Attach to a container of this engine (a one-off task's here): its
    /// output so far then live, `stdin` streamed to it when given (see
    /// [`crate::attach::attach_over`]).
    fn attach(
        &self,
        container: &str,
        tty: bool,
        stdin: Option<Box<dyn Read + Send>>,
    ) -> Result<Attachment, EngineError>;

    /// Set the TTY size of a container of this engine.
    fn resize(&self, container: &str, rows: u16, columns: u16) -> Result<(), EngineError>;

    /// The engine's events of `types` (`node`, `service`...) from now
    /// until the unix time `until`, each handed to `on_event` as it comes
    /// until it answers false.
    fn events(
        &self,
        types: &[&str],
        until: i64,
        on_event: &mut dyn FnMut(&serde_json::Value) -> bool,
    ) -> Result<(), EngineError>;
}

/// Splits the engine's multiplexed log stream into lines per stream.
#[derive(Debug, Default)]
pub(crate) struct Demux {
    frames: Frames,
    out: LineBuffer,
    err: LineBuffer,
}

impl Demux {
    /// Add bytes of the stream; every completed line is handed out.
    pub(crate) fn push(&mut self, bytes: &[u8], emit: &mut dyn FnMut(LogStream, &str)) {
        let (out, err) = (&mut self.out, &mut self.err);
        self.frames.push(bytes, &mut |stream, frame| match stream {
            LogStream::Stderr => err.push(frame, &mut |l| emit(LogStream::Stderr, l)),
            LogStream::Stdout => out.push(frame, &mut |l| emit(LogStream::Stdout, l)),
        });
    }

    /// The stream ended: hand out unterminated last lines.
    pub(crate) fn finish(&mut self, emit: &mut dyn FnMut(LogStream, &str)) {
        self.out.finish(&mut |l| emit(LogStream::Stdout, l));
        self.err.finish(&mut |l| emit(LogStream::Stderr, l));
    }
}

fn query(opts: &LogOptions) -> String {
    let mut q = format!(
        "stdout={}&stderr={}&timestamps={}&follow={}",
        opts.stdout, opts.stderr, opts.timestamps, opts.follow
    );
    match opts.tail {
        Some(n) => q.push_str(&format!("&tail={n}")),
        None => q.push_str("&tail=all"),
    }
    if let Some(since) = opts.since {
        q.push_str(&format!("&since={since}"));
    }
    q
}

impl SwarmWorkloads for EngineHttp {
    fn task_logs(
        &self,
        task: &str,
        opts: &LogOptions,
        on_line: &mut dyn FnMut(LogStream, &str),
    ) -> Result<(), EngineError> {
        let op = format!("read the logs of task {task}");
        let path = format!("/tasks/{}/logs?{}", encode(task), query(opts));
        // Following waits as long as the engine keeps the stream open.
        let mut answer = self
            .send(Request {
                method: "GET",
                path: &path,
                timeout: (!opts.follow).then_some(SWARM_TIMEOUT),
                ..Request::default()
            })
            .map_err(|e| fail(&op, None, e.to_string()))?;
        let read_err = |e: std::io::Error| fail(&op, None, format!("read: {e}"));
        if !(200..300).contains(&answer.status) {
            let body = answer.read_all().map_err(read_err)?;
            return Err(fail(&op, Some(answer.status), engine_message(&body)));
        }
        let mut demux = Demux::default();
        let mut buf = [0u8; 8192];
        loop {
            let n = answer.body.read(&mut buf).map_err(read_err)?;
            if n == 0 {
                break;
            }
            demux.push(&buf[..n], on_line);
        }
        demux.finish(on_line);
        Ok(())
    }

    fn attach(
        &self,
        container: &str,
        tty: bool,
        stdin: Option<Box<dyn Read + Send>>,
    ) -> Result<Attachment, EngineError> {
        let (read, write) = self.open().map_err(|e| {
            fail(
                &format!("attach to container {container}"),
                None,
                e.to_string(),
            )
        })?;
        crate::attach::attach_over(read, write, container, tty, stdin)
    }

    fn resize(&self, container: &str, rows: u16, columns: u16) -> Result<(), EngineError> {
        let (read, write) = self.open().map_err(|e| {
            fail(
                &format!("resize container {container}"),
                None,
                e.to_string(),
            )
        })?;
        crate::attach::resize_over(read, write, container, rows, columns)
    }

    fn events(
        &self,
        types: &[&str],
        until: i64,
        on_event: &mut dyn FnMut(&serde_json::Value) -> bool,
    ) -> Result<(), EngineError> {
        use std::io::BufRead;
        let op = "follow the engine's events";
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        let filters = serde_json::json!({ "type": types }).to_string();
        let path = format!(
            "/events?since={now}&until={until}&filters={}",
            encode(&filters)
        );
        // The engine closes the stream at `until`; a read never waits much
        // longer than that.
        let wait = u64::try_from(until.saturating_sub(now)).unwrap_or(0) + 30;
        let mut answer = self
            .send(Request {
                method: "GET",
                path: &path,
                timeout: Some(std::time::Duration::from_secs(wait)),
                ..Request::default()
            })
            .map_err(|e| fail(op, None, e.to_string()))?;
        if !(200..300).contains(&answer.status) {
            let body = answer
                .read_all()
                .map_err(|e| fail(op, None, format!("read: {e}")))?;
            return Err(fail(op, Some(answer.status), engine_message(&body)));
        }
        let mut line = String::new();
        loop {
            line.clear();
            let n = answer
                .body
                .read_line(&mut line)
                .map_err(|e| fail(op, None, format!("read: {e}")))?;
            if n == 0 {
                return Ok(());
            }
            if let Ok(event) = serde_json::from_str::<serde_json::Value>(line.trim()) {
                if !on_event(&event) {
                    return Ok(());
                }
            }
        }
    }

    fn services_raw(&self, label: &str) -> Result<Vec<serde_json::Value>, EngineError> {
        let filters = serde_json::json!({ "label": [label] }).to_string();
        self.get(
            "list services",
            &format!("/services?filters={}", encode(&filters)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_split_into_lines_per_stream() {
        let mut raw = Vec::new();
        for (kind, payload) in [(1u8, &b"one\ntw"[..]), (2, b"oops\n"), (1, b"o\nlast")] {
            raw.push(kind);
            raw.extend_from_slice(&[0, 0, 0]);
            raw.extend_from_slice(&(payload.len() as u32).to_be_bytes());
            raw.extend_from_slice(payload);
        }
        let mut got = Vec::new();
        let mut d = Demux::default();
        // Arrives in awkward pieces.
        for piece in raw.chunks(5) {
            d.push(piece, &mut |s, l| got.push((s, l.to_string())));
        }
        d.finish(&mut |s, l| got.push((s, l.to_string())));
        assert_eq!(
            got,
            vec![
                (LogStream::Stdout, "one".to_string()),
                (LogStream::Stderr, "oops".to_string()),
                (LogStream::Stdout, "two".to_string()),
                (LogStream::Stdout, "last".to_string()),
            ]
        );
    }

    #[test]
    fn log_queries_name_every_option() {
        let opts = LogOptions {
            tail: Some(5),
            follow: true,
            timestamps: true,
            ..LogOptions::default()
        };
        assert_eq!(
            query(&opts),
            "stdout=true&stderr=true&timestamps=true&follow=true&tail=5"
        );
    }
}
