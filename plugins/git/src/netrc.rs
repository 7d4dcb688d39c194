//! `$DOKKU_ROOT/.netrc`: the credentials git uses for https remotes, one
//! `machine` entry per host, kept at mode 0600.

use std::path::{Path, PathBuf};

use dokku_core::{fsutil, Paths, Result};

/// One entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub machine: String,
    pub login: String,
    pub password: String,
}

/// The file.
pub fn path(paths: &Paths) -> PathBuf {
    paths.dokku_root.join(".netrc")
}

/// Parse the tokens of a netrc file (`machine`, `login`, `password`;
/// other tokens are skipped with their value, `default` and `macdef`
/// blocks are not kept).
pub fn parse(text: &str) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    let mut tokens = text.split_whitespace();
    while let Some(t) = tokens.next() {
        match t {
            "machine" => out.push(Entry {
                machine: tokens.next().unwrap_or_default().to_string(),
                login: String::new(),
                password: String::new(),
            }),
            "login" | "password" | "account" => {
                let v = tokens.next().unwrap_or_default().to_string();
                if let Some(e) = out.last_mut() {
                    match t {
                        "login" => e.login = v,
                        "password" => e.password = v,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The file's text for `entries`.
pub fn render(entries: &[Entry]) -> String {
    entries
        .iter()
        .map(|e| {
            format!(
                "machine {}\n  login {}\n  password {}\n",
                e.machine, e.login, e.password
            )
        })
        .collect()
}

/// Every entry of the file (none when it is missing).
pub fn read(file: &Path) -> Vec<Entry> {
    std::fs::read_to_string(file)
        .map(|t| parse(&t))
        .unwrap_or_default()
}

fn write(file: &Path, entries: &[Entry]) -> Result<()> {
    fsutil::write_atomic(file, render(entries).as_bytes(), 0o600)
}

/// Set the entry of `host`.
pub fn set(paths: &Paths, host: &str, login: &str, password: &str) -> Result<()> {
    let file = path(paths);
    let _lock = dokku_core::lock::StateLock::acquire(paths, "--netrc")?;
    let mut entries = read(&file);
    let entry = Entry {
        machine: host.to_string(),
        login: login.to_string(),
        password: password.to_string(),
    };
    match entries.iter_mut().find(|e| e.machine == host) {
        Some(e) => *e = entry,
        None => entries.push(entry),
    }
    write(&file, &entries)
}

/// Remove the entry of `host`.
pub fn unset(paths: &Paths, host: &str) -> Result<()> {
    let file = path(paths);
    let _lock = dokku_core::lock::StateLock::acquire(paths, "--netrc")?;
    let mut entries = read(&file);
    entries.retain(|e| e.machine != host);
    write(&file, &entries)
}

/// The entry of `host`.
pub fn get(paths: &Paths, host: &str) -> Option<Entry> {
    read(&path(paths)).into_iter().find(|e| e.machine == host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_render() {
        let text = "machine a.example\n  login u\n  password p\nmachine b login v password q\n";
        let e = parse(text);
        assert_eq!(e.len(), 2);
        assert_eq!(
            (
                e[1].machine.as_str(),
                e[1].login.as_str(),
                e[1].password.as_str()
            ),
            ("b", "v", "q")
        );
        assert_eq!(parse(&render(&e)), e);
    }
}
