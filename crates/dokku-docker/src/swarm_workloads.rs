//! Swarm calls that read what services do rather than shape them: a
//! task's output (streamed, for `logs -t` and one-off runs) and services
//! as the engine reports them in full (their whole spec and creation
//! time, for `show-service` and `run:list`).
//!
//! Like [`crate::swarm`], these go over the engine's unix socket with the
//! raw client; the log stream is decoded as it arrives (chunked transfer,
//! then the engine's stdout/stderr frames).

use std::io::{BufRead, BufReader, Read, Write};

use crate::error::EngineError;
use crate::info::LogStream;
use crate::lines::LineBuffer;
use crate::spec::LogOptions;
use crate::swarm::{fail, RawClient, RAW_TIMEOUT};

/// The swarm calls that read tasks' output and services' full specs.
/// Reached through [`crate::ContainerEngine::swarm_workloads`].
pub trait SwarmWorkloads: Send + Sync {
    /// The output of one task's container, a line at a time. With
    /// `follow`, it streams until the engine closes the stream.
    fn task_logs(
        &self,
        task: &str,
        opts: &LogOptions,
        on_line: &mut dyn FnMut(LogStream, &str),
    ) -> Result<(), EngineError>;

    /// One service as the engine reports it (`docker service inspect`).
    fn service_raw(&self, name: &str) -> Result<serde_json::Value, EngineError>;

    /// The services carrying `label` (`key` or `key=value`), as the engine
    /// reports them.
    fn services_raw(&self, label: &str) -> Result<Vec<serde_json::Value>, EngineError>;
}

/// Splits the engine's multiplexed log stream (8-byte headers: stream
/// type, 3 zero bytes, big-endian payload size) into lines per stream.
#[derive(Debug, Default)]
pub(crate) struct Demux {
    pending: Vec<u8>,
    out: LineBuffer,
    err: LineBuffer,
}

impl Demux {
    /// Add bytes of the stream; every completed line is handed out.
    pub(crate) fn push(&mut self, bytes: &[u8], emit: &mut dyn FnMut(LogStream, &str)) {
        self.pending.extend_from_slice(bytes);
        loop {
            if self.pending.len() < 8 {
                return;
            }
            let size = u32::from_be_bytes([
                self.pending[4],
                self.pending[5],
                self.pending[6],
                self.pending[7],
            ]) as usize;
            if self.pending.len() < 8 + size {
                return;
            }
            let kind = self.pending[0];
            let frame: Vec<u8> = self.pending.drain(..8 + size).skip(8).collect();
            if kind == 2 {
                self.err.push(&frame, &mut |l| emit(LogStream::Stderr, l));
            } else {
                self.out.push(&frame, &mut |l| emit(LogStream::Stdout, l));
            }
        }
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

impl RawClient {
    /// A GET whose answer is consumed as it arrives: `on_body` gets each
    /// piece of the (de-chunked) body. Without `follow`, reads time out as
    /// other calls do; following waits as long as the engine keeps the
    /// stream open.
    pub(crate) fn stream(
        &self,
        operation: &str,
        path: &str,
        follow: bool,
        on_body: &mut dyn FnMut(&[u8]),
    ) -> Result<(), EngineError> {
        let mut stream = self.connect(operation, (!follow).then_some(RAW_TIMEOUT))?;
        let request = format!(
            "GET /v{}{path} HTTP/1.1\r\nHost: docker\r\nConnection: close\r\nUser-Agent: dokku\r\n\r\n",
            self.api_version
        );
        stream
            .write_all(request.as_bytes())
            .map_err(|e| fail(operation, None, format!("send: {e}")))?;
        let mut reader = BufReader::new(stream);
        let read_err = |e: std::io::Error| fail(operation, None, format!("read: {e}"));
        let mut line = String::new();
        reader.read_line(&mut line).map_err(read_err)?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| fail(operation, None, "malformed answer from the engine"))?;
        let mut chunked = false;
        loop {
            line.clear();
            if reader.read_line(&mut line).map_err(read_err)? == 0 {
                break;
            }
            let l = line.trim_end().to_ascii_lowercase();
            if l.is_empty() {
                break;
            }
            if l.starts_with("transfer-encoding:") && l.contains("chunked") {
                chunked = true;
            }
        }
        if !(200..300).contains(&status) {
            let mut body = Vec::new();
            let _ = reader.read_to_end(&mut body);
            let body = if chunked {
                crate::swarm::dechunk(&body).unwrap_or(body)
            } else {
                body
            };
            return Err(fail(
                operation,
                Some(status),
                crate::swarm::engine_message(&body),
            ));
        }
        if !chunked {
            let mut buf = [0u8; 8192];
            loop {
                let n = reader.read(&mut buf).map_err(read_err)?;
                if n == 0 {
                    return Ok(());
                }
                on_body(&buf[..n]);
            }
        }
        loop {
            line.clear();
            if reader.read_line(&mut line).map_err(read_err)? == 0 {
                return Ok(());
            }
            let size_text = line.trim().split(';').next().unwrap_or("").trim();
            if size_text.is_empty() {
                continue;
            }
            let size = usize::from_str_radix(size_text, 16)
                .map_err(|_| fail(operation, None, "malformed chunk from the engine"))?;
            if size == 0 {
                return Ok(());
            }
            let mut chunk = vec![0u8; size];
            reader.read_exact(&mut chunk).map_err(read_err)?;
            on_body(&chunk);
        }
    }
}

impl SwarmWorkloads for RawClient {
    fn task_logs(
        &self,
        task: &str,
        opts: &LogOptions,
        on_line: &mut dyn FnMut(LogStream, &str),
    ) -> Result<(), EngineError> {
        let op = format!("read the logs of task {task}");
        let path = format!("/tasks/{}/logs?{}", crate::swarm::encode(task), query(opts));
        let mut demux = Demux::default();
        self.stream(&op, &path, opts.follow, &mut |bytes| {
            demux.push(bytes, on_line)
        })?;
        demux.finish(on_line);
        Ok(())
    }

    fn service_raw(&self, name: &str) -> Result<serde_json::Value, EngineError> {
        let op = format!("inspect service {name}");
        let body = self.request(
            &op,
            "GET",
            &format!("/services/{}", crate::swarm::encode(name)),
            None,
        )?;
        serde_json::from_slice(&body).map_err(|e| fail(&op, None, format!("decode: {e}")))
    }

    fn services_raw(&self, label: &str) -> Result<Vec<serde_json::Value>, EngineError> {
        let filters = serde_json::json!({ "label": [label] }).to_string();
        let body = self.request(
            "list services",
            "GET",
            &format!("/services?filters={}", crate::swarm::encode(&filters)),
            None,
        )?;
        serde_json::from_slice(&body)
            .map_err(|e| fail("list services", None, format!("decode: {e}")))
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
