//! The `authorized_keys` line format Dokku's sshcommand writes, read and
//! written without touching the disk.
//!
//! A managed line forces every login through the `dokku` binary named in
//! `$DOKKU_ROOT/.sshcommand`, with the key's fingerprint and name in the
//! environment, and turns off forwarding and `~/.ssh/rc`:
//!
//! ```text
//! command="FINGERPRINT=SHA256:… NAME=\"admin\" `cat /home/dokku/.sshcommand` $SSH_ORIGINAL_COMMAND",no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding ssh-ed25519 AAAA… me@laptop
//! ```
//!
//! sshd hands the quoted command to the account's shell; the `\"` become
//! plain quotes there. Everything put into that command (the fingerprint,
//! the name, the root path, the options) is checked against a narrow
//! character set first, so no value can add shell syntax to it. Lines that
//! are not in this form are kept as they are.

use std::path::Path;

/// The options sshcommand adds after the forced command unless
/// `SSHCOMMAND_ALLOWED_KEYS` says otherwise.
pub const DEFAULT_OPTIONS: &str =
    "no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding";

const PREFIX: &str = "command=\"FINGERPRINT=";

/// One key managed by Dokku.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `SHA256:…` as ssh-keygen prints it.
    pub fingerprint: String,
    /// The name given to `ssh-keys:add`.
    pub name: String,
    /// The comma-separated ssh options after the forced command.
    pub options: String,
    /// `<type> <base64> [comment]`.
    pub key: String,
}

/// One line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A line in sshcommand's form, with its text as read.
    Managed { entry: Entry, raw: String },
    /// Anything else (keys added by hand, comments, blank lines).
    Other(String),
}

impl Line {
    /// The line's text as it stands in the file.
    pub fn raw(&self) -> &str {
        match self {
            Line::Managed { raw, .. } => raw,
            Line::Other(raw) => raw,
        }
    }

    /// The managed entry, if any.
    pub fn entry(&self) -> Option<&Entry> {
        match self {
            Line::Managed { entry, .. } => Some(entry),
            Line::Other(_) => None,
        }
    }
}

/// Whether a key name may be written into the forced command: letters,
/// digits and `.`, `_`, `-`, `@`, `+`, `:`.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '+' | ':'))
}

/// Whether a fingerprint has ssh-keygen's SHA256 shape.
pub fn is_valid_fingerprint(fp: &str) -> bool {
    fp.strip_prefix("SHA256:")
        .map(|b| {
            !b.is_empty()
                && b.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        })
        .unwrap_or(false)
}

/// Whether an option list is plain `word[,word…]` (letters, digits, `-`).
pub fn is_valid_options(opts: &str) -> bool {
    !opts.is_empty()
        && opts
            .split(',')
            .all(|o| !o.is_empty() && o.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

/// Whether a root path can stand unquoted in the forced command.
pub fn is_valid_root(root: &Path) -> bool {
    let s = root.to_string_lossy();
    s.starts_with('/')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '+' | '@'))
}

/// The text of a managed line for `entry`, with `root` as DOKKU_ROOT.
/// Callers check every part with the `is_valid_*` functions first.
pub fn render_entry(entry: &Entry, root: &Path) -> String {
    format!(
        "command=\"FINGERPRINT={fp} NAME=\\\"{name}\\\" `cat {root}/.sshcommand` $SSH_ORIGINAL_COMMAND\",{opts} {key}",
        fp = entry.fingerprint,
        name = entry.name,
        root = root.display(),
        opts = entry.options,
        key = entry.key,
    )
}

/// Read one line.
pub fn parse_line(line: &str) -> Line {
    match parse_managed(line) {
        Some(entry) => Line::Managed {
            entry,
            raw: line.to_string(),
        },
        None => Line::Other(line.to_string()),
    }
}

/// Read a whole file.
pub fn parse(text: &str) -> Vec<Line> {
    text.lines().map(parse_line).collect()
}

/// Write lines back, one per line with a final newline.
pub fn render(lines: &[Line]) -> String {
    let mut s = String::new();
    for l in lines {
        s.push_str(l.raw());
        s.push('\n');
    }
    s
}

fn parse_managed(line: &str) -> Option<Entry> {
    let rest = line.strip_prefix(PREFIX)?;
    let (fingerprint, rest) = rest.split_once(' ')?;
    let rest = rest.strip_prefix("NAME=")?;
    // sshcommand always escapes the quotes; very old files may not have them.
    let (name, rest) = match rest.strip_prefix("\\\"") {
        Some(r) => r.split_once("\\\" `")?,
        None => rest.split_once(" `")?,
    };
    // The forced command ends at the first `",` after the backticks.
    let (_, rest) = rest.split_once("\",")?;
    let (options, key) = rest.split_once(char::is_whitespace)?;
    Some(Entry {
        fingerprint: fingerprint.to_string(),
        name: name.to_string(),
        options: options.to_string(),
        key: key.trim().to_string(),
    })
}

fn is_key_type(token: &str) -> bool {
    ["ssh-", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-"]
        .iter()
        .any(|p| token.starts_with(p))
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '@' | '.'))
}

fn is_base64(token: &str) -> bool {
    !token.is_empty()
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
}

/// Split a key line into whitespace-separated tokens, keeping double-quoted
/// option values (which may hold spaces) whole. Returns byte offsets.
fn tokens(line: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted => escaped = true,
            '"' => {
                quoted = !quoted;
                start.get_or_insert(i);
            }
            c if c.is_whitespace() && !quoted => {
                if let Some(s) = start.take() {
                    out.push((s, i));
                }
            }
            _ => {
                start.get_or_insert(i);
            }
        }
    }
    if let Some(s) = start {
        out.push((s, line.len()));
    }
    out
}

/// The public key of a key line: `<type> <base64> [comment]`, without any
/// leading options, and its base64 blob. `None` when no key is found.
pub fn public_key(line: &str) -> Option<(String, String)> {
    let toks = tokens(line);
    for (i, &(s, e)) in toks.iter().enumerate() {
        if !is_key_type(&line[s..e]) {
            continue;
        }
        let &(bs, be) = toks.get(i + 1)?;
        let blob = &line[bs..be];
        if !is_base64(blob) {
            return None;
        }
        return Some((line[s..].trim_end().to_string(), blob.to_string()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICcHhyrPXbex5SodKg6v4vB59yIOj998WQ38kgqbV8lb me@laptop";

    fn entry(name: &str) -> Entry {
        Entry {
            fingerprint: "SHA256:Xb9A+DDb1h0pD6wrIpWPNsxVOF256q5W+QJIC02rBsU".into(),
            name: name.into(),
            options: DEFAULT_OPTIONS.into(),
            key: KEY.into(),
        }
    }

    #[test]
    fn managed_line_has_sshcommand_shape() {
        let line = render_entry(&entry("admin"), Path::new("/home/dokku"));
        insta::assert_snapshot!(line, @r#"command="FINGERPRINT=SHA256:Xb9A+DDb1h0pD6wrIpWPNsxVOF256q5W+QJIC02rBsU NAME=\"admin\" `cat /home/dokku/.sshcommand` $SSH_ORIGINAL_COMMAND",no-agent-forwarding,no-user-rc,no-X11-forwarding,no-port-forwarding ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICcHhyrPXbex5SodKg6v4vB59yIOj998WQ38kgqbV8lb me@laptop"#);
        assert_eq!(
            parse_line(&line),
            Line::Managed {
                entry: entry("admin"),
                raw: line.clone()
            }
        );
    }

    #[test]
    fn other_lines_are_kept() {
        let text = format!(
            "# keys\n{KEY}\n\n{}\n",
            render_entry(&entry("a@b"), Path::new("/srv/dokku"))
        );
        let lines = parse(&text);
        assert_eq!(lines.len(), 4);
        assert!(matches!(lines[0], Line::Other(_)));
        assert!(matches!(lines[1], Line::Other(_)));
        assert_eq!(lines[3].entry().map(|e| e.name.as_str()), Some("a@b"));
        assert_eq!(render(&lines), text);
    }

    #[test]
    fn unescaped_name_of_old_files() {
        let line = format!(
            "command=\"FINGERPRINT=SHA256:abc NAME=old `cat /home/dokku/.sshcommand` $SSH_ORIGINAL_COMMAND\",no-pty {KEY}"
        );
        let e = parse_line(&line);
        let e = e.entry().expect("managed");
        assert_eq!(
            (e.name.as_str(), e.options.as_str(), e.key.as_str()),
            ("old", "no-pty", KEY)
        );
    }

    #[test]
    fn names_that_could_break_the_command_are_refused() {
        for ok in [
            "admin",
            "KEY_NAME",
            "jane.doe@laptop",
            "ci-deploy+1",
            "team:ops",
        ] {
            assert!(is_valid_name(ok), "{ok}");
        }
        for bad in [
            "", "a b", "x\"", "x\\", "a`id`", "$(id)", "a;b", "a'b", "é", "a\nb", "a,b", "a/b",
        ] {
            assert!(!is_valid_name(bad), "{bad:?}");
        }
        assert!(is_valid_fingerprint(
            "SHA256:Xb9A+DDb1h0pD6wrIpWPNsxVOF256q5W+QJIC02rBsU"
        ));
        assert!(!is_valid_fingerprint("SHA256:a b"));
        assert!(!is_valid_fingerprint("MD5:aa"));
        assert!(is_valid_options(DEFAULT_OPTIONS));
        assert!(!is_valid_options("no-pty,command=\"x\""));
        assert!(is_valid_root(Path::new("/home/dokku")));
        assert!(!is_valid_root(Path::new("/home/a b")));
        assert!(!is_valid_root(Path::new("relative")));
    }

    #[test]
    fn public_key_drops_options() {
        let (key, blob) = public_key(KEY).expect("plain");
        assert_eq!(key, KEY);
        assert_eq!(
            blob,
            "AAAAC3NzaC1lZDI1NTE5AAAAICcHhyrPXbex5SodKg6v4vB59yIOj998WQ38kgqbV8lb"
        );
        let with_opts =
            format!("no-port-forwarding,command=\"echo 'use ssh-rsa x' \\\"y\\\"\" {KEY}  ");
        assert_eq!(public_key(&with_opts).map(|k| k.0), Some(KEY.to_string()));
        assert_eq!(public_key("ssh-rsa"), None);
        assert_eq!(public_key("ssh-rsa not*base64"), None);
        assert_eq!(public_key("hello world"), None);
    }
}
