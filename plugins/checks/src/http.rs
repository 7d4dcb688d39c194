//! A minimal HTTP/1.0 GET over a plain TCP connection: all a health check
//! needs to ask a container at its address, without a client library.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

/// What a GET came back with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The body, invalid UTF-8 replaced.
    pub body: String,
}

/// Why a GET failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Nothing accepted the connection (yet).
    Connect(String),
    /// The answer did not come, or was not HTTP.
    Answer(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Connect(m) | Failure::Answer(m) => f.write_str(m),
        }
    }
}

fn addr(host: &str, port: u16) -> Result<SocketAddr, Failure> {
    (host, port)
        .to_socket_addrs()
        .map_err(|e| Failure::Connect(format!("cannot resolve {host}: {e}")))?
        .next()
        .ok_or_else(|| Failure::Connect(format!("cannot resolve {host}")))
}

/// Open a TCP connection within `timeout`.
pub fn connect(host: &str, port: u16, timeout: Duration) -> Result<TcpStream, Failure> {
    let a = addr(host, port)?;
    TcpStream::connect_timeout(&a, timeout.max(Duration::from_millis(1)))
        .map_err(|e| Failure::Connect(format!("{a}: {e}")))
}

/// Parse a raw HTTP answer.
pub fn parse_answer(raw: &[u8]) -> Result<Answer, Failure> {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = match text.split_once("\r\n\r\n") {
        Some(x) => x,
        None => text.split_once("\n\n").unwrap_or((&text, "")),
    };
    let status_line = head.lines().next().unwrap_or("");
    let mut parts = status_line.split_whitespace();
    let proto = parts.next().unwrap_or("");
    if !proto.starts_with("HTTP/") {
        return Err(Failure::Answer(format!(
            "not an HTTP answer: {status_line:?}"
        )));
    }
    let status = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| Failure::Answer(format!("bad status line: {status_line:?}")))?;
    Ok(Answer {
        status,
        body: body.to_string(),
    })
}

/// GET `path` from `host:port` with a `Host` header of `host_header`; the
/// whole exchange must finish within `timeout`.
pub fn get(
    host: &str,
    port: u16,
    path: &str,
    host_header: &str,
    headers: &[(String, String)],
    timeout: Duration,
) -> Result<Answer, Failure> {
    let deadline = Instant::now() + timeout;
    let mut stream = connect(host, port, timeout)?;
    let left = |d: Instant| {
        d.saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1))
    };
    let _ = stream.set_write_timeout(Some(left(deadline)));
    let mut req = format!("GET {path} HTTP/1.0\r\nHost: {host_header}\r\nUser-Agent: dokku-checks\r\nAccept: */*\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream
        .write_all(req.as_bytes())
        .map_err(|e| Failure::Answer(format!("sending request: {e}")))?;
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let _ = stream.set_read_timeout(Some(left(deadline)));
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                if raw.is_empty() || Instant::now() >= deadline {
                    return Err(Failure::Answer(format!("reading answer: {e}")));
                }
                break;
            }
        }
        if raw.len() > 4 * 1024 * 1024 {
            break;
        }
    }
    parse_answer(&raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use socket2::{Domain, Protocol, Socket, Type};
    use std::net::TcpListener;

    #[test]
    fn parses_answers() {
        assert_eq!(
            parse_answer(b"HTTP/1.0 200 OK\r\nA: b\r\n\r\nhello").expect("ok"),
            Answer {
                status: 200,
                body: "hello".into()
            }
        );
        assert_eq!(
            parse_answer(b"HTTP/1.1 404 Not Found\n\n")
                .expect("ok")
                .status,
            404
        );
        assert!(parse_answer(b"SSH-2.0").is_err());
    }

    #[test]
    fn gets_from_a_local_server_and_reports_refusals() {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        let t = std::thread::spawn(move || {
            let (mut s, _) = l.accept().expect("accept");
            let mut b = [0u8; 1024];
            let n = s.read(&mut b).expect("read");
            assert!(
                String::from_utf8_lossy(&b[..n]).starts_with("GET /x HTTP/1.0\r\nHost: app\r\n")
            );
            s.write_all(b"HTTP/1.0 200 OK\r\n\r\nready").expect("write");
        });
        let a = get("127.0.0.1", port, "/x", "app", &[], Duration::from_secs(5)).expect("get");
        assert_eq!(a.body, "ready");
        t.join().expect("server");
        // A port this test keeps bound without listening: the kernel
        // refuses connections to it, and no other socket can take it
        // until the test ends (a released port could be reused at once).
        let held = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).expect("socket");
        held.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
            .expect("bind");
        let closed = held
            .local_addr()
            .expect("addr")
            .as_socket()
            .expect("inet")
            .port();
        match get("127.0.0.1", closed, "/", "x", &[], Duration::from_secs(1)) {
            Err(Failure::Connect(m)) => assert!(m.contains("refused"), "{m}"),
            other => panic!("expected a refused connection, got {other:?}"),
        }
        drop(held);
    }
}
