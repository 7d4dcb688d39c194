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

/// A command with its `$NAME` and `${NAME}` references replaced by what
/// `lookup` answers for them, with the rules of Go's `os.Expand` (which
/// procfile-util applies): a name is a run of ASCII letters, digits and
/// `_`, or one of the shell's special characters (`$1`, `$$`, `${@}`); a
/// `$` with no name after it stays; `${}` and an unclosed `${` are dropped.
pub fn expand(command: &str, lookup: impl Fn(&str) -> String) -> String {
    let b = command.as_bytes();
    let mut out = String::with_capacity(command.len());
    let mut literal = 0;
    let mut j = 0;
    while j < b.len() {
        if b[j] == b'$' && j + 1 < b.len() {
            out.push_str(&command[literal..j]);
            let (name, width) = shell_name(&command[j + 1..]);
            match name {
                Some(n) => out.push_str(&lookup(n)),
                None if width == 0 => out.push('$'),
                None => {}
            }
            j += width;
            literal = j + 1;
        }
        j += 1;
    }
    out.push_str(&command[literal..]);
    out
}

fn is_shell_special(c: u8) -> bool {
    matches!(c, b'*' | b'#' | b'$' | b'@' | b'!' | b'?' | b'-') || c.is_ascii_digit()
}

/// The name after a `$` and how many bytes it spans; no name with a width
/// is bad syntax to drop, no name and no width a lone `$`.
fn shell_name(s: &str) -> (Option<&str>, usize) {
    let b = s.as_bytes();
    if b[0] == b'{' {
        if b.len() > 2 && is_shell_special(b[1]) && b[2] == b'}' {
            return (Some(&s[1..2]), 3);
        }
        return match b.iter().skip(1).position(|&c| c == b'}') {
            Some(0) => (None, 2),
            Some(p) => (Some(&s[1..p + 1]), p + 2),
            None => (None, 1),
        };
    }
    if is_shell_special(b[0]) {
        return (Some(&s[..1]), 1);
    }
    let n = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count();
    if n == 0 {
        (None, 0)
    } else {
        (Some(&s[..n]), n)
    }
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
    fn expansion_follows_go() {
        let env = |k: &str| match k {
            "PORT" => "5000".to_string(),
            "A" => "x y".to_string(),
            "1" => "one".to_string(),
            _ => String::new(),
        };
        let check = |s: &str| expand(s, env);
        assert_eq!(
            check("httpd -p $PORT -x ${PORT} $PORTS"),
            "httpd -p 5000 -x 5000 "
        );
        assert_eq!(check("a=$A b=${A}c $Ab"), "a=x y b=x yc ");
        assert_eq!(check("$1 ${1} $$ $@x"), "one one  x");
        assert_eq!(check("cost $ 5 and $"), "cost $ 5 and $");
        assert_eq!(check("a ${} b ${A"), "a  b A");
        assert_eq!(check("${A B} é$Aé"), " éx yé");
        assert_eq!(check("no refs"), "no refs");
    }
}
