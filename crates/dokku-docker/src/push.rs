//! Registry work of the engine: checking credentials (`docker login`),
//! pushing and pulling images with them.
//!
//! These three calls go to the engine's HTTP API through the crate's own
//! client ([`crate::http`]): the client library has no `/auth` call, and
//! its push stream drops the layer id of each progress message, which
//! `docker push` prints. Each answer is read as the engine streams it, one
//! JSON message a line, and turned into the line the docker CLI prints for
//! it when its output is not a terminal.

use std::io::BufRead;
use std::time::Duration;

use base64::Engine as _;

use crate::http::{encode, engine_message, Answer, EngineHttp, Request};
use crate::reference::split_reference;
use crate::EngineError;

/// How long a login may take: the engine tries https, then http, each
/// with its own timeouts.
const LOGIN_TIMEOUT: Duration = Duration::from_secs(120);

/// Credentials for one registry, as `docker login` takes them.
#[derive(Clone, PartialEq, Eq)]
pub struct RegistryAuth {
    /// The registry host (`127.0.0.1:5000`, `ghcr.io`); empty or
    /// [`DOCKER_HUB_KEY`] for Docker Hub.
    pub server: String,
    /// User name.
    pub username: String,
    /// Password or token.
    pub password: String,
}

impl std::fmt::Debug for RegistryAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryAuth")
            .field("server", &self.server)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// The key Docker Hub credentials are stored under in `config.json`.
pub const DOCKER_HUB_KEY: &str = "https://index.docker.io/v1/";

impl RegistryAuth {
    /// The JSON the engine takes in a body or an `X-Registry-Auth` header.
    fn to_json(&self) -> String {
        serde_json::json!({
            "username": self.username,
            "password": self.password,
            "serveraddress": self.server,
        })
        .to_string()
    }

    /// The `X-Registry-Auth` header value: the JSON, base64url-encoded.
    pub(crate) fn header(&self) -> String {
        base64::engine::general_purpose::URL_SAFE.encode(self.to_json())
    }
}

/// The registry an image reference lives on, as credentials are keyed:
/// the first path component when it names a host (has a `.` or `:`, or
/// is `localhost`), else Docker Hub ([`DOCKER_HUB_KEY`]).
pub fn registry_of(image: &str) -> String {
    match image.split_once('/') {
        Some((host, _)) if host.contains('.') || host.contains(':') || host == "localhost" => {
            if host == "docker.io" || host == "index.docker.io" {
                DOCKER_HUB_KEY.to_string()
            } else {
                host.to_string()
            }
        }
        _ => DOCKER_HUB_KEY.to_string(),
    }
}

/// Whether `image` only holds characters an image reference may hold
/// (so it can go into a request path as it is).
pub fn is_plain_reference(image: &str) -> bool {
    !image.is_empty()
        && !image.starts_with('-')
        && image
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ':' | '@'))
}

fn check_reference(image: &str) -> Result<(), EngineError> {
    if is_plain_reference(image) {
        return Ok(());
    }
    Err(EngineError::InvalidSpec {
        what: "image reference",
        message: format!("{image:?}"),
    })
}

/// The header value of `auth`; the engine wants one even without
/// credentials.
pub(crate) fn auth_header(auth: Option<&RegistryAuth>) -> String {
    auth.map(RegistryAuth::header)
        .unwrap_or_else(|| base64::engine::general_purpose::URL_SAFE.encode("{}"))
}

fn request(
    http: &EngineHttp,
    operation: &'static str,
    target: &str,
    r: Request<'_>,
) -> Result<Answer, EngineError> {
    http.send(r).map_err(|e| EngineError::Registry {
        operation,
        target: target.to_string(),
        status: None,
        message: e.to_string(),
    })
}

fn read_rest(answer: &mut Answer) -> String {
    String::from_utf8_lossy(&answer.read_all().unwrap_or_default()).to_string()
}

/// The line `docker` prints for one progress message on a non-terminal:
/// `None` for progress-bar updates, which it leaves out.
fn progress_line(msg: &serde_json::Value) -> Option<String> {
    let text = |k: &str| msg.get(k).and_then(|v| v.as_str()).unwrap_or_default();
    if !text("progress").is_empty() {
        return None;
    }
    if msg
        .get("progressDetail")
        .and_then(|d| d.get("current"))
        .is_some()
    {
        return None;
    }
    let stream = text("stream");
    let status = text("status");
    if status.is_empty() && stream.is_empty() {
        return None;
    }
    let id = text("id");
    let mut line = String::new();
    if !id.is_empty() {
        line.push_str(id);
        line.push_str(": ");
    }
    line.push_str(if stream.is_empty() {
        status
    } else {
        stream.trim_end_matches('\n')
    });
    Some(line)
}

/// Stream a progress answer to `on_line`; an `error` message or an error
/// status fails. The digest an `aux` message told (pushes), if any.
fn stream_progress(
    operation: &'static str,
    target: &str,
    mut answer: Answer,
    on_line: &mut dyn FnMut(&str),
) -> Result<String, EngineError> {
    let fail = |status: Option<u16>, message: String| EngineError::Registry {
        operation,
        target: target.to_string(),
        status,
        message,
    };
    if answer.status >= 300 {
        let body = read_rest(&mut answer);
        return Err(fail(Some(answer.status), engine_message(body.as_bytes())));
    }
    let mut line = String::new();
    let mut digest = String::new();
    loop {
        line.clear();
        let n = answer
            .body
            .read_line(&mut line)
            .map_err(|e| fail(None, e.to_string()))?;
        if n == 0 {
            return Ok(digest);
        }
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line.trim()) else {
            continue;
        };
        if let Some(err) = msg.get("error").and_then(|e| e.as_str()) {
            return Err(fail(None, err.to_string()));
        }
        if let Some(d) = msg["aux"]["Digest"].as_str() {
            digest = d.to_string();
        }
        if let Some(l) = progress_line(&msg) {
            on_line(&l);
        }
    }
}

/// `docker login`: asks the engine to check `auth` against its registry.
/// Returns the engine's status (`Login Succeeded`); a refusal is
/// [`EngineError::Registry`] with the engine's message.
pub(crate) fn login(http: &EngineHttp, auth: &RegistryAuth) -> Result<String, EngineError> {
    let target = auth.server.clone();
    let mut answer = request(
        http,
        "log in to",
        &target,
        Request {
            method: "POST",
            path: "/auth",
            body: Some(auth.to_json()),
            timeout: Some(LOGIN_TIMEOUT),
            ..Request::default()
        },
    )?;
    let body = read_rest(&mut answer);
    if answer.status >= 300 {
        return Err(EngineError::Registry {
            operation: "log in to",
            target,
            status: Some(answer.status),
            message: engine_message(body.as_bytes()),
        });
    }
    Ok(serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("Status").and_then(|s| s.as_str()).map(str::to_string))
        .unwrap_or_else(|| "Login Succeeded".to_string()))
}

/// `docker image push <image>`: pushes a local `repo:tag` with `auth`,
/// calling `on_line` with each progress line `docker push` prints. The
/// pushed manifest's digest (`sha256:...`), when the engine told it.
pub(crate) fn push(
    http: &EngineHttp,
    image: &str,
    auth: Option<&RegistryAuth>,
    on_line: &mut dyn FnMut(&str),
) -> Result<String, EngineError> {
    check_reference(image)?;
    let (repo, tag) = split_reference(image);
    if tag.is_empty() {
        return Err(EngineError::InvalidSpec {
            what: "image reference",
            message: format!("{image:?} is a digest reference, not a tag"),
        });
    }
    let path = format!("/images/{repo}/push?tag={}", encode(tag));
    let r = Request {
        method: "POST",
        path: &path,
        headers: vec![("X-Registry-Auth", auth_header(auth))],
        ..Request::default()
    };
    let answer = request(http, "push", image, r)?;
    stream_progress("push", image, answer, on_line)
}

/// `docker image pull <image>`: pulls `repo:tag` (or `repo@digest`) with
/// `auth`, calling `on_line` with each progress line `docker pull` prints.
pub(crate) fn pull(
    http: &EngineHttp,
    image: &str,
    auth: Option<&RegistryAuth>,
    on_line: &mut dyn FnMut(&str),
) -> Result<(), EngineError> {
    check_reference(image)?;
    let (repo, tag) = split_reference(image);
    let path = if tag.is_empty() {
        format!("/images/create?fromImage={}", encode(repo))
    } else {
        format!(
            "/images/create?fromImage={}&tag={}",
            encode(repo),
            encode(tag)
        )
    };
    let r = Request {
        method: "POST",
        path: &path,
        headers: auth
            .map(|a| vec![("X-Registry-Auth", a.header())])
            .unwrap_or_default(),
        ..Request::default()
    };
    let answer = request(http, "pull", image, r)?;
    stream_progress("pull", image, answer, on_line).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registries_of_references() {
        assert_eq!(registry_of("127.0.0.1:5000/dokku/app:1"), "127.0.0.1:5000");
        assert_eq!(registry_of("ghcr.io/me/app"), "ghcr.io");
        assert_eq!(registry_of("localhost/app"), "localhost");
        assert_eq!(registry_of("dokku/app:latest"), DOCKER_HUB_KEY);
        assert_eq!(registry_of("docker.io/library/app"), DOCKER_HUB_KEY);
        assert_eq!(registry_of("app"), DOCKER_HUB_KEY);
    }

    #[test]
    fn progress_lines_as_the_cli_prints_them() {
        let line = |s: &str| progress_line(&serde_json::from_str(s).expect("json"));
        assert_eq!(
            line(r#"{"status":"The push refers to repository [127.0.0.1:5000/a]"}"#).as_deref(),
            Some("The push refers to repository [127.0.0.1:5000/a]")
        );
        assert_eq!(
            line(r#"{"status":"Preparing","progressDetail":{},"id":"5f70bf18a086"}"#).as_deref(),
            Some("5f70bf18a086: Preparing")
        );
        assert_eq!(
            line(
                r#"{"status":"Pushing","progressDetail":{"current":512,"total":1024},"progress":"[==>  ]","id":"5f70"}"#
            ),
            None
        );
        assert_eq!(line(r#"{"aux":{"Tag":"1"}}"#), None);
    }

    #[test]
    fn only_plain_references_reach_a_request_line() {
        assert!(is_plain_reference("127.0.0.1:5000/dokku/app:1"));
        assert!(is_plain_reference("app@sha256:abc"));
        for bad in ["", "-x", "a b", "a\r\nb", "a?b", "a#b", "a%2F"] {
            assert!(!is_plain_reference(bad), "{bad:?}");
        }
        let http = EngineHttp {
            endpoint: crate::http::Endpoint::Unix("/nonexistent".into()),
            api_version: String::new(),
        };
        let e = push(&http, "a b:1", None, &mut |_| {}).expect_err("refused");
        assert!(matches!(e, EngineError::InvalidSpec { .. }));
    }

    #[test]
    fn auth_debug_hides_the_password() {
        let a = RegistryAuth {
            server: "s".into(),
            username: "u".into(),
            password: "secret".into(),
        };
        assert!(!format!("{a:?}").contains("secret"));
    }
}
