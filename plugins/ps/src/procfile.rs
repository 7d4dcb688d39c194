//! Procfile parsing under procfile-util's strict rules: `<type>: <command>`
//! lines, comments (`#` or `//`, trailing ones after whitespace), blank
//! lines; process types are DNS labels and appear once.

/// One process of a Procfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    /// The process type (`web`).
    pub name: String,
    /// Its command.
    pub command: String,
}

/// Whether a process type is a valid DNS label: at most 63 characters,
/// lowercase alphanumerics and `-`, alphanumeric at both ends.
pub fn valid_process_type(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

fn strip_trailing_comment(cmd: &str) -> &str {
    let bytes = cmd.as_bytes();
    for i in 1..bytes.len() {
        if bytes[i - 1].is_ascii_whitespace()
            && (bytes[i] == b'#' || (bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'/')))
        {
            return cmd[..i].trim_end();
        }
    }
    cmd.trim_end()
}

/// Parse a Procfile; the error is the text behind Dokku's
/// `Invalid Procfile: ...`.
pub fn parse(content: &str) -> Result<Vec<Process>, String> {
    let mut out: Vec<Process> = Vec::new();
    for (n, raw) in content.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
            continue;
        }
        let Some((name, cmd)) = line.split_once(':') else {
            return Err(format!("invalid line in procfile, line {}", n + 1));
        };
        let name = name.trim();
        if !valid_process_type(name) {
            return Err(format!(
                "invalid process type {name:?} in procfile, line {}",
                n + 1
            ));
        }
        let command = strip_trailing_comment(cmd.trim());
        if command.is_empty() {
            return Err(format!(
                "empty command for process type {name}, line {}",
                n + 1
            ));
        }
        if out.iter().any(|p| p.name == name) {
            return Err(format!("process type {name} specified more than once"));
        }
        out.push(Process {
            name: name.to_string(),
            command: command.to_string(),
        });
    }
    Ok(out)
}

/// A command with `$PORT` and `${PORT}` replaced by `port`.
pub fn expand_port(command: &str, port: &str) -> String {
    if port.is_empty() {
        return command.to_string();
    }
    let mut s = command.replace("${PORT}", port);
    let mut i = 0;
    while let Some(pos) = s[i..].find("$PORT") {
        let at = i + pos;
        let after = s[at + 5..].chars().next();
        if after
            .map(|c| c.is_ascii_alphanumeric() || c == '_')
            .unwrap_or(false)
        {
            i = at + 5;
            continue;
        }
        s.replace_range(at..at + 5, port);
        i = at + port.len();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str) -> String {
        match parse(input) {
            Ok(p) => p
                .iter()
                .map(|p| format!("{} => {}", p.name, p.command))
                .collect::<Vec<_>>()
                .join("\n"),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn strict_procfiles() {
        insta::assert_snapshot!(check("# comment\n\nweb: httpd -f -p $PORT  # serve\nworker:   run // forever\n// c\nrelease: ./migrate\n"), @r#"
            web => httpd -f -p $PORT
            worker => run
            release => ./migrate
            "#);
        assert_eq!(check("web: a#b"), "web => a#b");
        assert_eq!(
            check("Web: x"),
            "error: invalid process type \"Web\" in procfile, line 1"
        );
        assert_eq!(
            check("web_1: x"),
            "error: invalid process type \"web_1\" in procfile, line 1"
        );
        assert_eq!(
            check("web: x\nweb: y"),
            "error: process type web specified more than once"
        );
        assert_eq!(
            check("<<<<<<< HEAD"),
            "error: invalid line in procfile, line 1"
        );
        assert_eq!(
            check("web:"),
            "error: empty command for process type web, line 1"
        );
        assert!(!valid_process_type(&"a".repeat(64)));
        assert!(valid_process_type("urgent-worker2"));
    }

    #[test]
    fn port_expansion() {
        assert_eq!(
            expand_port("httpd -p $PORT -x ${PORT} $PORTS", "5000"),
            "httpd -p 5000 -x 5000 $PORTS"
        );
        assert_eq!(expand_port("a $PORT", ""), "a $PORT");
    }
}
