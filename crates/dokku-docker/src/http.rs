//! A plain HTTP client of the engine's API, for the calls the client
//! library lacks or gets wrong: registry login, push and pull (it has no
//! `/auth` call and its push stream drops each message's layer id) and
//! the swarm's cluster, node, task, task log and service calls (it has
//! none).
//!
//! One connection a request, to the same address the library client uses
//! (unix socket or TCP). Requests are HTTP/1.0, so the engine never
//! chunks an answer: the body ends where the connection closes, and a
//! streamed answer (push progress, task logs) can be read as it comes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::Duration;

/// Where the engine listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Endpoint {
    Unix(PathBuf),
    /// `host:port`.
    Tcp(String),
}

impl Endpoint {
    /// The endpoint an engine address (`DOCKER_HOST`'s value) names:
    /// `unix://`, `tcp://` or `http://`; none is the default socket.
    /// Other schemes (`ssh://`, `https://`) are not served here.
    pub(crate) fn of(host: Option<&str>) -> Option<Endpoint> {
        match host.map(str::trim) {
            None | Some("") => Some(Endpoint::Unix("/var/run/docker.sock".into())),
            Some(h) => {
                if let Some(p) = h.strip_prefix("unix://") {
                    Some(Endpoint::Unix(p.into()))
                } else {
                    h.strip_prefix("tcp://")
                        .or_else(|| h.strip_prefix("http://"))
                        .map(|a| Endpoint::Tcp(a.trim_end_matches('/').to_string()))
                }
            }
        }
    }
}

pub(crate) trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

/// The client: an endpoint and the API version requests are made in.
#[derive(Debug, Clone)]
pub(crate) struct EngineHttp {
    pub(crate) endpoint: Endpoint,
    /// `1.45`; empty for the engine's own (unversioned paths).
    pub(crate) api_version: String,
}

/// An answer being read: its status, then its body.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: BufReader<Box<dyn Stream>>,
}

impl Answer {
    /// The rest of the body.
    pub(crate) fn read_all(&mut self) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        self.body.read_to_end(&mut out)?;
        Ok(out)
    }
}

/// A request to send.
#[derive(Debug, Default)]
pub(crate) struct Request<'a> {
    pub(crate) method: &'a str,
    /// Path and query, without the version prefix.
    pub(crate) path: &'a str,
    pub(crate) headers: Vec<(&'static str, String)>,
    /// A JSON body.
    pub(crate) body: Option<String>,
    /// How long a read may block (none: forever, for long pushes).
    pub(crate) timeout: Option<Duration>,
}

impl EngineHttp {
    fn connect(&self, timeout: Option<Duration>) -> std::io::Result<Box<dyn Stream>> {
        Ok(match &self.endpoint {
            Endpoint::Unix(path) => {
                let s = UnixStream::connect(path).map_err(|e| {
                    std::io::Error::new(e.kind(), format!("connect {}: {e}", path.display()))
                })?;
                s.set_read_timeout(timeout)?;
                s.set_write_timeout(timeout)?;
                Box::new(s)
            }
            Endpoint::Tcp(addr) => {
                let s = TcpStream::connect(addr)
                    .map_err(|e| std::io::Error::new(e.kind(), format!("connect {addr}: {e}")))?;
                s.set_read_timeout(timeout)?;
                s.set_write_timeout(timeout)?;
                Box::new(s)
            }
        })
    }

    /// A connection of our own, as its reading and writing halves (for an
    /// attach, which keeps both open).
    pub(crate) fn open(&self) -> std::io::Result<crate::attach::Channel> {
        Ok(match &self.endpoint {
            Endpoint::Unix(path) => {
                let s = UnixStream::connect(path).map_err(|e| {
                    std::io::Error::new(e.kind(), format!("connect {}: {e}", path.display()))
                })?;
                (Box::new(s.try_clone()?), Box::new(s))
            }
            Endpoint::Tcp(addr) => {
                let s = TcpStream::connect(addr)
                    .map_err(|e| std::io::Error::new(e.kind(), format!("connect {addr}: {e}")))?;
                (Box::new(s.try_clone()?), Box::new(s))
            }
        })
    }

    /// Send a request; the answer's status is read, its body is left to
    /// the caller.
    pub(crate) fn send(&self, r: Request<'_>) -> std::io::Result<Answer> {
        let mut stream = self.connect(r.timeout)?;
        let prefix = if self.api_version.is_empty() {
            String::new()
        } else {
            format!("/v{}", self.api_version)
        };
        let mut head = format!(
            "{} {prefix}{} HTTP/1.0\r\nHost: docker\r\nUser-Agent: dokku\r\n",
            r.method, r.path
        );
        for (k, v) in &r.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        let body = r.body.unwrap_or_default();
        if !body.is_empty() || r.method == "POST" {
            head.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes())?;
        stream.write_all(body.as_bytes())?;
        stream.flush()?;
        let mut reader = BufReader::new(stream);
        let (status, _) = read_head(&mut reader)?;
        Ok(Answer {
            status,
            body: reader,
        })
    }
}

/// An answer's status and headers, read up to the blank line that ends
/// them.
pub(crate) fn read_head(
    reader: &mut impl BufRead,
) -> std::io::Result<(u16, Vec<(String, String)>)> {
    let mut status_line = String::new();
    reader.read_line(&mut status_line)?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("unexpected engine answer: {:?}", status_line.trim()),
            )
        })?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line)?;
        if n == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    Ok((status, headers))
}

/// The engine's `{"message": ...}` of an error answer, else the body.
pub(crate) fn engine_message(body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            v.get("message")
                .and_then(|m| m.as_str())
                .map(str::to_string)
        })
        .unwrap_or_else(|| String::from_utf8_lossy(body).trim().to_string())
}

/// Percent-encode a query value.
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_addresses_name_endpoints() {
        assert_eq!(
            Endpoint::of(None),
            Some(Endpoint::Unix("/var/run/docker.sock".into()))
        );
        assert_eq!(
            Endpoint::of(Some("unix:///tmp/x.sock")),
            Some(Endpoint::Unix("/tmp/x.sock".into()))
        );
        assert_eq!(
            Endpoint::of(Some("tcp://1.2.3.4:2375/")),
            Some(Endpoint::Tcp("1.2.3.4:2375".into()))
        );
        assert_eq!(Endpoint::of(Some("ssh://me@host")), None);
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("127.0.0.1:5000/a/b"), "127.0.0.1%3A5000%2Fa%2Fb");
        assert_eq!(
            encode("{\"a\":[\"b c\"]}"),
            "%7B%22a%22%3A%5B%22b%20c%22%5D%7D"
        );
    }

    #[test]
    fn answers_are_read_from_a_real_socket() {
        let d = tempfile::tempdir().expect("tempdir");
        let sock = d.path().join("s.sock");
        let listener = std::os::unix::net::UnixListener::bind(&sock).expect("bind");
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().expect("accept");
            let mut req = [0u8; 1024];
            let n = s.read(&mut req).expect("read");
            let text = String::from_utf8_lossy(&req[..n]).to_string();
            s.write_all(b"HTTP/1.0 404 Not Found\r\nContent-Type: application/json\r\n\r\n{\"message\":\"no such\"}\n")
                .expect("write");
            text
        });
        let client = EngineHttp {
            endpoint: Endpoint::Unix(sock),
            api_version: "1.45".into(),
        };
        let mut a = client
            .send(Request {
                method: "GET",
                path: "/services/x",
                headers: vec![("X-Registry-Auth", "e30=".into())],
                ..Request::default()
            })
            .expect("send");
        assert_eq!(a.status, 404);
        assert_eq!(engine_message(&a.read_all().expect("body")), "no such");
        let req = server.join().expect("server");
        assert!(
            req.starts_with("GET /v1.45/services/x HTTP/1.0\r\n"),
            "{req}"
        );
        assert!(req.contains("X-Registry-Auth: e30=\r\n"), "{req}");
    }
}
