//! The docker CLI's `config.json` (`$DOCKER_CONFIG/config.json`, by default
//! `~/.docker/config.json`): the `auths` map `docker login` writes, one
//! entry per registry with `auth` = base64 of `user:password`. Other keys
//! (credential helpers, proxies...) are kept as they are.

use base64::Engine as _;
use serde_json::{Map, Value};

use crate::push::{RegistryAuth, DOCKER_HUB_KEY};

/// A parsed `config.json`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DockerConfig {
    root: Map<String, Value>,
}

/// The `auths` key a server is stored under: Docker Hub's aliases (and no
/// server) under [`DOCKER_HUB_KEY`], others as the host, without a scheme
/// or a trailing `/`.
pub fn auth_key(server: &str) -> String {
    let host = server
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    match host {
        ""
        | "docker.io"
        | "hub.docker.com"
        | "index.docker.io"
        | "index.docker.io/v1"
        | "registry-1.docker.io" => DOCKER_HUB_KEY.to_string(),
        h => h.split('/').next().unwrap_or(h).to_string(),
    }
}

impl DockerConfig {
    /// Parse a file's contents (empty means an empty configuration).
    pub fn parse(text: &str) -> Result<Self, serde_json::Error> {
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let root: Map<String, Value> = serde_json::from_str(text)?;
        Ok(Self { root })
    }

    /// The file's contents as the docker CLI writes them (tab-indented).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let fmt = serde_json::ser::PrettyFormatter::with_indent(b"\t");
        let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
        // A map of JSON values always serialises.
        let _ = serde::Serialize::serialize(&self.root, &mut ser);
        out
    }

    fn auths(&self) -> Option<&Map<String, Value>> {
        self.root.get("auths").and_then(Value::as_object)
    }

    /// Whether any registry has an entry.
    pub fn has_auths(&self) -> bool {
        self.auths().is_some_and(|a| !a.is_empty())
    }

    /// The stored credentials of `server` (any spelling [`auth_key`]
    /// accepts), when its entry has a decodable `auth`.
    pub fn auth(&self, server: &str) -> Option<RegistryAuth> {
        let key = auth_key(server);
        let entry = self.auths()?.get(&key)?;
        let encoded = entry.get("auth")?.as_str()?;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .ok()?;
        let decoded = String::from_utf8(decoded).ok()?;
        let (username, password) = decoded.split_once(':')?;
        Some(RegistryAuth {
            server: key,
            username: username.to_string(),
            password: password.to_string(),
        })
    }

    /// Store credentials for `auth.server`, as `docker login` does.
    pub fn set_auth(&mut self, auth: &RegistryAuth) {
        let encoded = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", auth.username, auth.password));
        let auths = self
            .root
            .entry("auths")
            .or_insert_with(|| Value::Object(Map::new()));
        if !auths.is_object() {
            *auths = Value::Object(Map::new());
        }
        if let Some(map) = auths.as_object_mut() {
            let mut entry = Map::new();
            entry.insert("auth".into(), Value::String(encoded));
            map.insert(auth_key(&auth.server), Value::Object(entry));
        }
    }

    /// Forget the credentials of `server`; whether there were any.
    pub fn remove_auth(&mut self, server: &str) -> bool {
        let key = auth_key(server);
        self.root
            .get_mut("auths")
            .and_then(Value::as_object_mut)
            .is_some_and(|m| m.remove(&key).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_entries_round_trip_and_keep_other_keys() {
        let mut c = DockerConfig::parse(r#"{"credsStore":"pass"}"#).expect("parse");
        assert!(!c.has_auths());
        c.set_auth(&RegistryAuth {
            server: "127.0.0.1:5000".into(),
            username: "user".into(),
            password: "p:w".into(),
        });
        let text = String::from_utf8(c.to_bytes()).expect("utf8");
        assert!(
            text.contains(
                "\t\"auths\": {\n\t\t\"127.0.0.1:5000\": {\n\t\t\t\"auth\": \"dXNlcjpwOnc=\""
            ),
            "{text}"
        );
        let c = DockerConfig::parse(&text).expect("parse");
        let a = c.auth("http://127.0.0.1:5000/").expect("auth");
        assert_eq!((a.username.as_str(), a.password.as_str()), ("user", "p:w"));
        assert!(text.contains("credsStore"));
        let mut c = c;
        assert!(c.remove_auth("127.0.0.1:5000"));
        assert!(!c.remove_auth("127.0.0.1:5000"));
        assert!(!c.has_auths());
    }

    #[test]
    fn docker_hub_aliases_share_one_key() {
        for s in [
            "",
            "docker.io",
            "hub.docker.com",
            "https://index.docker.io/v1/",
        ] {
            assert_eq!(auth_key(s), DOCKER_HUB_KEY);
        }
        assert_eq!(auth_key("ghcr.io"), "ghcr.io");
    }
}
