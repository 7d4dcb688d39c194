//! Port mappings: `scheme:host-port:container-port`, parsed and checked
//! with Dokku's messages.

use std::fmt;

use dokku_core::{Error, Result};

/// One mapping of a host (proxy) port to a container port.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PortMap {
    /// `http`, `https`, `grpc`, `grpcs`, or anything a proxy understands.
    pub scheme: String,
    /// The port the proxy listens on.
    pub host_port: u16,
    /// The port of the app's container it forwards to.
    pub container_port: u16,
}

impl fmt::Display for PortMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            self.scheme, self.host_port, self.container_port
        )
    }
}

impl PortMap {
    /// A mapping.
    pub fn new(scheme: &str, host_port: u16, container_port: u16) -> Self {
        PortMap {
            scheme: scheme.to_string(),
            host_port,
            container_port,
        }
    }

    /// `scheme:host-port`, the key a proxy listens on.
    pub fn listen_key(&self) -> String {
        format!("{}:{}", self.scheme, self.host_port)
    }

    /// The JSON object `ports:report --ports-map-json` prints, keys in
    /// Dokku's order.
    pub fn to_json(&self) -> String {
        let scheme = serde_json::Value::String(self.scheme.clone());
        format!(
            r#"{{"scheme":{scheme},"host_port":{},"container_port":{}}}"#,
            self.host_port, self.container_port
        )
    }
}

fn atoi(s: &str) -> std::result::Result<i64, String> {
    s.parse::<i64>()
        .map_err(|_| format!("strconv.Atoi: parsing {s:?}: invalid syntax"))
}

/// Parse one `scheme:host-port:container-port`.
pub fn parse(s: &str) -> Result<PortMap> {
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() != 3 {
        return Err(Error::fail(format!(
            "Invalid port map {s} [len={}]",
            parts.len()
        )));
    }
    if parts[0].is_empty()
        || !parts[0]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '+' || c == '.')
    {
        return Err(Error::fail(format!(
            "Invalid port map {s} [err=invalid scheme {:?}]",
            parts[0]
        )));
    }
    let host =
        atoi(parts[1]).map_err(|e| Error::fail(format!("Invalid port map {s} [err={e}]")))?;
    if !(1..=65535).contains(&host) {
        return Err(Error::fail(format!(
            "Invalid port map {s} [hostPort={host}]"
        )));
    }
    let container =
        atoi(parts[2]).map_err(|e| Error::fail(format!("Invalid port map {s} [err={e}]")))?;
    if !(1..=65535).contains(&container) {
        return Err(Error::fail(format!(
            "Invalid port map {s} [containerPort={container}]"
        )));
    }
    Ok(PortMap::new(parts[0], host as u16, container as u16))
}

/// Parse a list of mappings, space or newline separated items allowed.
pub fn parse_all<S: AsRef<str>>(items: &[S]) -> Result<Vec<PortMap>> {
    items
        .iter()
        .flat_map(|i| {
            i.as_ref()
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .map(|s| parse(&s))
        .collect()
}

/// Drop exact duplicates (keeping the first) and refuse two mappings of
/// one `scheme:host-port` to different container ports.
pub fn unique(maps: Vec<PortMap>) -> Result<Vec<PortMap>> {
    let mut out: Vec<PortMap> = Vec::new();
    for m in maps {
        if out.contains(&m) {
            continue;
        }
        if out.iter().any(|o| o.listen_key() == m.listen_key()) {
            return Err(Error::fail(format!(
                "The same scheme:host-port is being reused: {}",
                m.listen_key()
            )));
        }
        out.push(m);
    }
    Ok(out)
}

/// What `ports:remove` takes: a bare host port, `scheme:host-port`, or a
/// whole mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removal {
    /// Every mapping on this host port.
    HostPort(u16),
    /// Every mapping of this scheme on this host port.
    Listen(String, u16),
    /// This exact mapping.
    Exact(PortMap),
}

impl Removal {
    /// Parse one argument of `ports:remove`.
    pub fn parse(s: &str) -> Result<Removal> {
        let parts: Vec<&str> = s.split(':').collect();
        let port = |p: &str| -> Result<u16> {
            let v = atoi(p).map_err(|e| Error::fail(format!("Invalid port map {s} [err={e}]")))?;
            u16::try_from(v)
                .ok()
                .filter(|v| *v > 0)
                .ok_or_else(|| Error::fail(format!("Invalid port map {s} [hostPort={v}]")))
        };
        match parts.len() {
            1 => Ok(Removal::HostPort(port(parts[0])?)),
            2 => Ok(Removal::Listen(parts[0].to_string(), port(parts[1])?)),
            _ => Ok(Removal::Exact(parse(s)?)),
        }
    }

    /// Whether a mapping is removed by this.
    pub fn matches(&self, m: &PortMap) -> bool {
        match self {
            Removal::HostPort(p) => m.host_port == *p,
            Removal::Listen(scheme, p) => m.scheme == *scheme && m.host_port == *p,
            Removal::Exact(e) => e == m,
        }
    }
}

/// Space-separated mappings, as reports print them.
pub fn join(maps: &[PortMap]) -> String {
    maps.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The JSON array of mappings.
pub fn to_json(maps: &[PortMap]) -> String {
    format!(
        "[{}]",
        maps.iter()
            .map(PortMap::to_json)
            .collect::<Vec<_>>()
            .join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(s: &str) -> String {
        match parse(s) {
            Ok(m) => m.to_string(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn parsing() {
        assert_eq!(check("http:80:5000"), "http:80:5000");
        assert_eq!(check("grpcs:443:50051"), "grpcs:443:50051");
        assert_eq!(check("http:80"), "Invalid port map http:80 [len=2]");
        assert_eq!(
            check("http:x:5000"),
            "Invalid port map http:x:5000 [err=strconv.Atoi: parsing \"x\": invalid syntax]"
        );
        assert_eq!(
            check("http:0:5000"),
            "Invalid port map http:0:5000 [hostPort=0]"
        );
        assert_eq!(
            check("http:80:70000"),
            "Invalid port map http:80:70000 [containerPort=70000]"
        );
        assert_eq!(
            check(":80:5000"),
            "Invalid port map :80:5000 [err=invalid scheme \"\"]"
        );
        assert_eq!(
            check("http:80:5000:1"),
            "Invalid port map http:80:5000:1 [len=4]"
        );
    }

    #[test]
    fn uniqueness_and_removal() {
        let maps = parse_all(&["http:80:5000 https:443:5000", "http:80:5000"]).expect("parse");
        assert_eq!(
            join(&unique(maps).expect("unique")),
            "http:80:5000 https:443:5000"
        );
        let clash = parse_all(&["http:80:5000", "http:80:3000"]).expect("parse");
        assert_eq!(
            unique(clash).expect_err("clash").to_string(),
            "The same scheme:host-port is being reused: http:80"
        );
        let m = PortMap::new("http", 80, 5000);
        assert!(Removal::parse("80").expect("p").matches(&m));
        assert!(Removal::parse("http:80").expect("p").matches(&m));
        assert!(!Removal::parse("https:80").expect("p").matches(&m));
        assert!(Removal::parse("http:80:5000").expect("p").matches(&m));
        assert!(!Removal::parse("http:80:3000").expect("p").matches(&m));
        assert!(Removal::parse("x").is_err());
        assert_eq!(
            to_json(&[m]),
            r#"[{"scheme":"http","host_port":80,"container_port":5000}]"#
        );
    }
}
