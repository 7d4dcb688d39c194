//! Reaching a node over ssh: the `ssh://user@host[:port]` address
//! `scheduler-swarm:cluster:add` takes, checked strictly, and running a
//! fixed command there with the Dokku user's keys.

use std::path::Path;
use std::process::{Command, Stdio};

use dokku_core::{Error, Result};

/// A checked `ssh://user@host[:port]` address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshUrl {
    pub user: String,
    /// A host name, an IPv4 address or a bracketless IPv6 address.
    pub host: String,
    pub port: u16,
}

fn valid_user(u: &str) -> bool {
    let mut chars = u.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        && u.len() <= 32
}

fn valid_hostname(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 253
        && h.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

impl SshUrl {
    /// Parse and check an address; Dokku's wording on failure.
    pub fn parse(url: &str) -> Result<SshUrl> {
        let invalid = || Error::fail(format!("Invalid server url: {url}"));
        let rest = url.strip_prefix("ssh://").ok_or_else(invalid)?;
        let (user, hostport) = rest.split_once('@').ok_or_else(invalid)?;
        if !valid_user(user) {
            return Err(invalid());
        }
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let (addr, after) = v6.split_once(']').ok_or_else(invalid)?;
            let addr: std::net::Ipv6Addr = addr.parse().map_err(|_| invalid())?;
            let port = match after {
                "" => 22,
                p => p
                    .strip_prefix(':')
                    .and_then(|p| p.parse().ok())
                    .ok_or_else(invalid)?,
            };
            (addr.to_string(), port)
        } else {
            let (host, port) = match hostport.split_once(':') {
                Some((h, p)) => (h, p.parse::<u16>().map_err(|_| invalid())?),
                None => (hostport, 22),
            };
            if host.parse::<std::net::Ipv4Addr>().is_err() && !valid_hostname(host) {
                return Err(invalid());
            }
            (host.to_string(), port)
        };
        if port == 0 {
            return Err(invalid());
        }
        Ok(SshUrl {
            user: user.to_string(),
            host,
            port,
        })
    }

    /// The address back in `ssh://` form.
    pub fn to_url(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        if self.port == 22 {
            format!("ssh://{}@{host}", self.user)
        } else {
            format!("ssh://{}@{host}:{}", self.user, self.port)
        }
    }
}

/// How to treat a host key not in the Dokku user's known_hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostKeys {
    /// Refuse the connection.
    Known,
    /// Accept it and remember it.
    AcceptNew,
}

/// What a remote command left.
#[derive(Debug)]
pub struct Remote {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// `ssh` to a node with Dokku's keys and known hosts, in batch mode, up to
/// the remote command (`sudo -n` first for a user other than root);
/// `options` go before the rest (`-tt` asks for a terminal on the node
/// even when our standard input is not one).
fn command(dokku_root: &Path, url: &SshUrl, keys: HostKeys, options: &[&str]) -> Command {
    let ssh_dir = dokku_root.join(".ssh");
    let mut c = Command::new("ssh");
    c.args(options);
    c.args(["-o", "BatchMode=yes", "-o", "ConnectTimeout=15"])
        .arg("-o")
        .arg(format!(
            "UserKnownHostsFile={}",
            ssh_dir.join("known_hosts").display()
        ))
        .args([
            "-o",
            match keys {
                HostKeys::Known => "StrictHostKeyChecking=yes",
                HostKeys::AcceptNew => "StrictHostKeyChecking=accept-new",
            },
        ]);
    for key in ["id_ed25519", "id_ecdsa", "id_rsa"] {
        let p = ssh_dir.join(key);
        if p.is_file() {
            c.arg("-i").arg(p);
        }
    }
    c.args([
        "-p",
        &url.port.to_string(),
        "-l",
        &url.user,
        "--",
        &url.host,
    ]);
    if url.user != "root" {
        c.args(["sudo", "-n"]);
    }
    c
}

/// Quote a word for the node's shell, which reads the remote command line.
pub fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', "'\\''"))
}

/// Run `docker exec` in a container on a node, with the terminal attached
/// when `tty`; the exit code of the command (255 when ssh itself failed).
/// `cmd` words are quoted for the node's shell.
pub fn docker_exec(
    dokku_root: &Path,
    url: &SshUrl,
    container: &str,
    cmd: &[String],
    tty: bool,
) -> Result<i32> {
    let mut words = vec!["exec".to_string(), "-i".to_string()];
    if tty {
        words.push("-t".to_string());
    }
    words.push(checked_id(container)?.to_string());
    words.extend(cmd.iter().map(|w| quote(w)));
    docker_attached(dokku_root, url, &words, tty)
}

/// A channel to a node's engine: `docker system dial-stdio` over ssh (what
/// the docker client itself runs for an `ssh://` engine), spoken to with
/// the engine's API. The ssh process ends with it.
#[derive(Debug)]
pub struct EngineChannel {
    child: std::process::Child,
}

impl EngineChannel {
    /// Open a channel; its reading and writing halves.
    pub fn open(
        dokku_root: &Path,
        url: &SshUrl,
    ) -> Result<(EngineChannel, dokku_docker::attach::Channel)> {
        // Quiet about being ended (`Killed by signal`), not about errors.
        let mut c = command(dokku_root, url, HostKeys::Known, &["-o", "LogLevel=ERROR"]);
        c.args(["docker", "system", "dial-stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped());
        let mut child = c
            .spawn()
            .map_err(|e| Error::fail(format!("Unable to run ssh: {e}")))?;
        let halves = child.stdout.take().zip(child.stdin.take());
        let channel = EngineChannel { child };
        let (read, write) =
            halves.ok_or_else(|| Error::other("ssh", "no standard input or output"))?;
        Ok((channel, (Box::new(read), Box::new(write))))
    }
}

impl Drop for EngineChannel {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn checked_id(container: &str) -> Result<&str> {
    if container.is_empty() || !container.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(Error::fail(format!("Invalid container id: {container}")));
    }
    Ok(container)
}

/// `docker <words>` on the node with our standard input, output and
/// error, and a terminal on the node when `tty` (forced: the
/// node's docker wants one even when ours is a pipe). Words are sent as
/// given: callers quote.
fn docker_attached(dokku_root: &Path, url: &SshUrl, words: &[String], tty: bool) -> Result<i32> {
    let mut c = command(
        dokku_root,
        url,
        HostKeys::Known,
        if tty { &["-tt"] } else { &[] },
    );
    c.arg("docker").args(words);
    let status = c
        .status()
        .map_err(|e| Error::fail(format!("Unable to run ssh: {e}")))?;
    Ok(status.code().unwrap_or(1))
}

/// Run `words` on the node as its user (through `sudo -n` unless root),
/// with the Dokku user's ssh directory (`$DOKKU_ROOT/.ssh`) for keys and
/// known hosts. Every word must be free of shell syntax: the remote shell
/// reads the line. Callers pass fixed words and values they checked.
pub fn run(dokku_root: &Path, url: &SshUrl, keys: HostKeys, words: &[&str]) -> Result<Remote> {
    for w in words {
        if !w.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '/' | '=' | '[' | ']')
        }) && !w.starts_with("'{{")
        {
            return Err(Error::fail(format!(
                "Refusing to send an unsafe word over ssh: {w}"
            )));
        }
    }
    let mut c = command(dokku_root, url, keys, &[]);
    c.args(words);
    let out = c
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::fail(format!("Unable to run ssh: {e}")))?;
    Ok(Remote {
        success: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_parse_strictly() {
        let u = SshUrl::parse("ssh://root@10.0.0.2").expect("parse");
        assert_eq!(
            (u.user.as_str(), u.host.as_str(), u.port),
            ("root", "10.0.0.2", 22)
        );
        let u = SshUrl::parse("ssh://deploy@worker-1.example.com:2222").expect("parse");
        assert_eq!(u.to_url(), "ssh://deploy@worker-1.example.com:2222");
        let u = SshUrl::parse("ssh://root@[fd00::5]:22").expect("parse");
        assert_eq!(
            (u.host.as_str(), u.to_url().as_str()),
            ("fd00::5", "ssh://root@[fd00::5]")
        );
        for bad in [
            "root@host",
            "ssh://host",
            "ssh://root@",
            "ssh://root@-oProxyCommand=x",
            "ssh://root@host;reboot",
            "ssh://root@host:0",
            "ssh://root@host:99999",
            "ssh://Root@host",
            "ssh://ro ot@host",
            "ssh://root@ho$t",
            "ssh://root@[::1",
            "ssh://root@host/path",
        ] {
            assert!(SshUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
