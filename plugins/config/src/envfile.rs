//! The `ENV` file format: reading every form found on Dokku servers, and
//! writing the form Dokku's Go config plugin writes (godotenv's `Marshal`).
//!
//! Written form: one `KEY="value"` line per variable, lines sorted, the value
//! double-quoted with `\`, `"`, `!`, `$` and backtick escaped by a backslash
//! and line feed / carriage return written as `\n` / `\r`. A value that is a
//! canonical integer is written bare (`PORT=5000`). The file ends in a
//! newline.
//!
//! Read forms, besides the above: `export KEY='value'` with `'\''` inside
//! single quotes (the shell form of old releases), bare values up to the end
//! of the line (a ` #` starts a comment), `KEY: value`, comment lines and
//! blank lines. Inside double quotes and bare values an unescaped `$NAME` or
//! `${NAME}` is replaced by the value of a variable defined earlier in the
//! file (empty when there is none), as godotenv does.

use std::collections::BTreeMap;

/// An environment: variable name to value, sorted by name.
pub type Env = BTreeMap<String, String>;

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// A character that cannot be part of a variable name.
    #[error("unexpected character {ch:?} in variable name on line {line}")]
    KeyChar {
        /// The character.
        ch: char,
        /// 1-based line number.
        line: usize,
    },
    /// A name with no `=` after it.
    #[error("missing '=' after {key:?} on line {line}")]
    MissingEquals {
        /// What was read as the name.
        key: String,
        /// 1-based line number.
        line: usize,
    },
    /// A quote that is never closed.
    #[error("unterminated quoted value on line {line}")]
    Unterminated {
        /// 1-based line number where the value starts.
        line: usize,
    },
}

/// Horizontal white space as godotenv sees it (no line feed).
fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\u{0b}' | '\u{0c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    )
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'
}

struct Parser {
    c: Vec<char>,
    i: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }

    fn peek_at(&self, off: usize) -> Option<char> {
        self.c.get(self.i + off).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.i += 1;
        }
        c
    }

    fn line_at(&self, pos: usize) -> usize {
        1 + self.c[..pos.min(self.c.len())]
            .iter()
            .filter(|c| **c == '\n')
            .count()
    }

    /// Skip white space (line feeds included) and comment lines.
    fn skip_blank(&mut self) {
        loop {
            while self.peek().is_some_and(char::is_whitespace) {
                self.i += 1;
            }
            if self.peek() == Some('#') {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.i += 1;
                }
            } else {
                return;
            }
        }
    }

    fn key(&mut self) -> Result<String, ParseError> {
        let export: Vec<char> = "export".chars().collect();
        if self.c[self.i..].starts_with(&export) && self.peek_at(export.len()).is_some_and(is_space)
        {
            self.i += export.len();
            while self.peek().is_some_and(is_space) {
                self.i += 1;
            }
        }
        let start = self.i;
        loop {
            match self.peek() {
                None => {
                    let key: String = self.c[start..].iter().collect();
                    return Err(ParseError::MissingEquals {
                        key: key.trim().to_string(),
                        line: self.line_at(start),
                    });
                }
                Some('=') | Some(':') => {
                    let key: String = self.c[start..self.i].iter().collect();
                    self.i += 1;
                    while self.peek().is_some_and(is_space) {
                        self.i += 1;
                    }
                    return Ok(key.trim_end().to_string());
                }
                Some(c) if is_space(c) || c == '_' || c == '.' || c.is_alphanumeric() => {
                    self.i += 1
                }
                Some(ch) => {
                    return Err(ParseError::KeyChar {
                        ch,
                        line: self.line_at(self.i),
                    })
                }
            }
        }
    }

    /// At an unescaped `$`: `$NAME`, `${NAME}` (braces optional on either
    /// side, as godotenv's pattern has them) becomes an earlier value.
    fn expand(&mut self, env: &Env, out: &mut String) {
        let save = self.i;
        if self.peek() == Some('{') {
            self.i += 1;
        }
        let start = self.i;
        while self.peek().is_some_and(is_name_char) {
            self.i += 1;
        }
        if self.i == start {
            self.i = save;
            out.push('$');
            return;
        }
        let name: String = self.c[start..self.i].iter().collect();
        if self.peek() == Some('}') {
            self.i += 1;
        }
        out.push_str(env.get(&name).map(String::as_str).unwrap_or(""));
    }

    /// The rest of a double-quoted value; the opening quote is consumed.
    fn double_quoted(&mut self, env: &Env, start: usize) -> Result<String, ParseError> {
        let mut out = String::new();
        loop {
            match self.bump() {
                None => {
                    return Err(ParseError::Unterminated {
                        line: self.line_at(start),
                    })
                }
                Some('"') => return Ok(out),
                Some('\\') => match self.bump() {
                    None => {
                        return Err(ParseError::Unterminated {
                            line: self.line_at(start),
                        })
                    }
                    Some('n') => out.push('\n'),
                    Some('r') => out.push('\r'),
                    Some(c) => out.push(c),
                },
                Some('$') => self.expand(env, &mut out),
                Some(c) => out.push(c),
            }
        }
    }

    /// A value starting with a single quote, read as one shell word so that
    /// `'it'\''s'` is `it's`.
    fn shell_word(&mut self, env: &Env) -> Result<String, ParseError> {
        let start = self.i;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Ok(out),
                Some(c) if c.is_whitespace() => return Ok(out),
                Some('\'') => {
                    self.i += 1;
                    loop {
                        match self.bump() {
                            None => {
                                return Err(ParseError::Unterminated {
                                    line: self.line_at(start),
                                })
                            }
                            Some('\'') => break,
                            Some(c) => out.push(c),
                        }
                    }
                }
                Some('"') => {
                    self.i += 1;
                    let part = self.double_quoted(env, start)?;
                    out.push_str(&part);
                }
                Some('\\') => {
                    self.i += 1;
                    match self.bump() {
                        None => out.push('\\'),
                        Some('\n') => {}
                        Some(c) => out.push(c),
                    }
                }
                Some(c) => {
                    self.i += 1;
                    out.push(c);
                }
            }
        }
    }

    /// A bare value: the rest of the line, less a ` #` comment, trimmed.
    fn bare(&mut self, env: &Env) -> String {
        let start = self.i;
        while self.peek().is_some_and(|c| c != '\n' && c != '\r') {
            self.i += 1;
        }
        let line = &self.c[start..self.i];
        let mut end = line.len();
        for j in (1..line.len()).rev() {
            if line[j] == '#' && is_space(line[j - 1]) {
                end = j;
                break;
            }
        }
        let mut s = &line[..end];
        while s.first().is_some_and(|c| is_space(*c)) {
            s = &s[1..];
        }
        while s.last().is_some_and(|c| is_space(*c)) {
            s = &s[..s.len() - 1];
        }
        let mut sub = Parser {
            c: s.to_vec(),
            i: 0,
        };
        let mut out = String::new();
        while let Some(c) = sub.bump() {
            match c {
                '\\' if sub.peek() == Some('$') => {
                    sub.i += 1;
                    out.push('$');
                }
                '$' => sub.expand(env, &mut out),
                c => out.push(c),
            }
        }
        out
    }

    fn value(&mut self, env: &Env) -> Result<String, ParseError> {
        match self.peek() {
            Some('\'') => self.shell_word(env),
            Some('"') => {
                let start = self.i;
                self.i += 1;
                self.double_quoted(env, start)
            }
            _ => Ok(self.bare(env)),
        }
    }
}

/// Read an `ENV` file in any of the forms described in the module docs.
/// A variable defined twice keeps its last value.
pub fn parse(text: &str) -> Result<Env, ParseError> {
    let text = text.replace("\r\n", "\n");
    let mut p = Parser {
        c: text.chars().collect(),
        i: 0,
    };
    let mut env = Env::new();
    loop {
        p.skip_blank();
        if p.peek().is_none() {
            return Ok(env);
        }
        let key = p.key()?;
        let value = p.value(&env)?;
        env.insert(key, value);
    }
}

/// Whether `s` is an integer written the one way it prints back: optional
/// `-`, no leading zeros, no `-0`, within 64 bits. Only those are written
/// bare, so a value such as `007` keeps its zeros.
pub fn is_canonical_int(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if digits.starts_with('0') && (digits.len() > 1 || s.starts_with('-')) {
        return false;
    }
    s.parse::<i64>().is_ok()
}

/// Escape a value for the inside of double quotes, as godotenv does.
pub fn double_quote_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\\' | '"' | '!' | '$' | '`' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// One line of the written form.
pub fn marshal_line(key: &str, value: &str) -> String {
    if is_canonical_int(value) {
        format!("{key}={value}")
    } else {
        format!("{key}=\"{}\"", double_quote_escape(value))
    }
}

/// The written form without the final newline (godotenv's `Marshal`):
/// lines sorted as strings.
pub fn marshal(env: &Env) -> String {
    let mut lines: Vec<String> = env.iter().map(|(k, v)| marshal_line(k, v)).collect();
    lines.sort();
    lines.join("\n")
}

/// The full file contents: [`marshal`] plus a newline.
pub fn file_contents(env: &Env) -> String {
    let mut s = marshal(env);
    s.push('\n');
    s
}

/// A value in single quotes for a POSIX shell, `'` written as `'\''`.
pub fn single_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "'\\''"))
}

/// Whether `key` may be set: a POSIX environment variable name.
pub fn is_valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// An environment of `(key, value)` pairs (for tests).
#[cfg(test)]
pub fn env_of(pairs: &[(&str, &str)]) -> Env {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, expected: &[(&str, &str)]) {
        assert_eq!(
            parse(input).expect("parse"),
            env_of(expected),
            "input: {input:?}"
        );
    }

    #[track_caller]
    fn round_trip(value: &str) {
        let e = env_of(&[("KEY", value)]);
        let text = file_contents(&e);
        assert_eq!(parse(&text).expect("parse"), e, "written: {text:?}");
    }

    #[test]
    fn writes_godotenv_marshal_form() {
        let e = env_of(&[
            ("PORT", "5000"),
            ("A", "x y"),
            ("Q", "say \"hi\""),
            ("S", "$HOME `id` !x \\ end"),
            ("M", "one\ntwo\r\n"),
            ("Z", "007"),
            ("N", "-12"),
            ("E", ""),
        ]);
        insta::assert_snapshot!(file_contents(&e), @r#"
        A="x y"
        E=""
        M="one\ntwo\r\n"
        N=-12
        PORT=5000
        Q="say \"hi\""
        S="\$HOME \`id\` \!x \\ end"
        Z="007"
        "#);
        assert_eq!(file_contents(&Env::new()), "\n");
    }

    #[test]
    fn lines_sort_as_strings_not_keys() {
        // `A1=` sorts before `A=` because '1' < '='.
        let e = env_of(&[("A", "x"), ("A1", "y"), ("A_B", "z")]);
        assert_eq!(marshal(&e), "A1=\"y\"\nA=\"x\"\nA_B=\"z\"");
    }

    #[test]
    fn canonical_integers() {
        for yes in [
            "0",
            "5000",
            "-1",
            "9223372036854775807",
            "-9223372036854775808",
        ] {
            assert!(is_canonical_int(yes), "{yes}");
        }
        for no in [
            "",
            "-",
            "-0",
            "007",
            "+5",
            " 5",
            "5 ",
            "1e3",
            "9223372036854775808",
            "1.0",
            "٣",
        ] {
            assert!(!is_canonical_int(no), "{no}");
        }
    }

    #[test]
    fn round_trips() {
        for v in [
            "",
            "plain",
            "with spaces",
            "  padded  ",
            "a=b=c",
            "quote \" inside",
            "ends with quote\"",
            "ends with backslash\\",
            "\\\"",
            "single ' quote",
            "$VAR ${VAR} $(cmd) `cmd` !!",
            "line1\nline2\n",
            "crlf\r\nx",
            "tab\there",
            "unicode ✓ ünïcödé 日本語 🚀",
            "# not a comment",
            "x #y",
            "5000",
            "007",
            "-0",
        ] {
            round_trip(v);
        }
    }

    #[test]
    fn reads_legacy_export_form() {
        check(
            "export A='plain'\nexport B='it'\\''s'\nexport C='multi\nline'\nexport D=''\n",
            &[
                ("A", "plain"),
                ("B", "it's"),
                ("C", "multi\nline"),
                ("D", ""),
            ],
        );
        check("export Q='\\'\n", &[("Q", "\\")]);
    }

    #[test]
    fn reads_hand_written_forms() {
        check(
            "# comment\n\n  FOO=bar baz   # trailing\nexport BAR=\"x\\ty\"\nYAML: value\nEMPTY=\nURL=http://a#b\r\nLAST=1",
            &[
                ("FOO", "bar baz"),
                ("BAR", "xty"),
                ("YAML", "value"),
                ("EMPTY", ""),
                ("URL", "http://a#b"),
                ("LAST", "1"),
            ],
        );
        check("A=1\nA=2\n", &[("A", "2")]);
        check("export=1\n", &[("export", "1")]);
        check("A='x' B=\"y\"\n", &[("A", "x"), ("B", "y")]);
    }

    #[test]
    fn expands_earlier_variables_like_godotenv() {
        check(
            "BASE=/srv\nP=\"${BASE}/app $BASE \\$BASE $MISSING $lower $\"\nQ=$BASE/x\nR='$BASE'\n",
            &[
                ("BASE", "/srv"),
                ("P", "/srv/app /srv $BASE  $lower $"),
                ("Q", "/srv/x"),
                ("R", "$BASE"),
            ],
        );
    }

    #[test]
    fn errors_name_the_line() {
        for (text, message) in [
            (
                "A=1\nB-C=2\n",
                "unexpected character '-' in variable name on line 2",
            ),
            ("A=1\nJUNK", "missing '=' after \"JUNK\" on line 2"),
            ("A=\"open\n", "unterminated quoted value on line 1"),
            ("A='open\n", "unterminated quoted value on line 1"),
        ] {
            let error = parse(text).expect_err(text).to_string();
            assert_eq!(error, message, "{text:?}");
        }
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(single_quote("it's"), "'it'\\''s'");
        assert_eq!(single_quote(""), "''");
    }

    #[test]
    fn key_names() {
        for ok in ["A", "_", "a_b", "PORT_5000", "_X1"] {
            assert!(is_valid_key(ok), "{ok}");
        }
        for bad in ["", "1A", "A-B", "A.B", "A B", "É", "A=", "-A"] {
            assert!(!is_valid_key(bad), "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_env_round_trips(map in proptest::collection::btree_map("[A-Za-z_][A-Za-z0-9_]{0,8}", ".*", 0..6)) {
            let text = file_contents(&map);
            proptest::prop_assert_eq!(parse(&text).expect("parse"), map);
        }
    }
}
