//! The way in through sshd. A key added by `ssh-keys:add` carries a forced
//! command that runs this binary with `FINGERPRINT` and `NAME` set; sshd
//! keeps what the client asked for in `SSH_ORIGINAL_COMMAND`. The command
//! line is taken from there and split here, without any shell: quotes and
//! backslashes group words as in a POSIX shell, and every other character
//! (`;`, `|`, `&`, `$`, backticks, globs, redirections, `#`) is plain text
//! in an argument, so nothing in it can run anything.

use std::fmt;

/// Git's ssh transport commands; their repository argument names an app.
const GIT_COMMANDS: &[&str] = &["git-receive-pack", "git-upload-pack", "git-upload-archive"];

/// Why a command line could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// A `'` or `"` is never closed.
    UnclosedQuote(char),
    /// The command is not valid UTF-8.
    NotUtf8,
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SplitError::UnclosedQuote(q) => write!(f, "Invalid command: unmatched {q} quote"),
            SplitError::NotUtf8 => write!(f, "Invalid command: not UTF-8"),
        }
    }
}

/// Split a command line into words the way a POSIX shell groups them,
/// without expanding anything.
pub fn split(line: &str) -> Result<Vec<String>, SplitError> {
    let mut words = Vec::new();
    let mut word = String::new();
    // A word exists once any character or quote of it has been seen, so
    // `''` yields an empty argument.
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => word.push(ch),
                        None => return Err(SplitError::UnclosedQuote('\'')),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.peek().copied() {
                            Some('\n') => {
                                chars.next();
                            }
                            Some(e @ ('$' | '`' | '"' | '\\')) => {
                                chars.next();
                                word.push(e);
                            }
                            _ => word.push('\\'),
                        },
                        Some(ch) => word.push(ch),
                        None => return Err(SplitError::UnclosedQuote('"')),
                    }
                }
            }
            '\\' => match chars.next() {
                // A backslash before a newline joins the lines.
                Some('\n') => {}
                Some(ch) => {
                    in_word = true;
                    word.push(ch);
                }
                None => {
                    in_word = true;
                    word.push('\\');
                }
            },
            ch => {
                in_word = true;
                word.push(ch);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// Git asks for `git-receive-pack '/app'` (ssh:// remotes) or
/// `git-receive-pack 'app'` (scp-style remotes): the quotes are gone after
/// [`split`]; leading slashes are dropped here so the git commands get the
/// bare app name.
fn normalise(mut args: Vec<String>) -> Vec<String> {
    if args.len() >= 2 && GIT_COMMANDS.contains(&args[0].as_str()) {
        args[1] = args[1].trim_start_matches('/').to_string();
    }
    args
}

/// When this process is sshd's forced command, the arguments to run in
/// place of argv. `SSH_ORIGINAL_COMMAND` is removed from the environment so
/// `dokku` calls made by plugins do not take it again; the key's `NAME`
/// becomes `SSH_NAME` (`default` when unset) and `SSH_USER` defaults to the
/// account, which is what the `user-auth` trigger and plugins read.
/// An empty `SSH_ORIGINAL_COMMAND` (a plain `ssh dokku@host`) means no
/// command.
pub fn take_command() -> Option<Result<Vec<String>, SplitError>> {
    let raw = std::env::var_os("SSH_ORIGINAL_COMMAND")?;
    std::env::remove_var("SSH_ORIGINAL_COMMAND");
    let name = std::env::var("NAME")
        .ok()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "default".into());
    std::env::set_var("SSH_NAME", name);
    if std::env::var_os("SSH_USER").is_none() {
        std::env::set_var("SSH_USER", dokku_core::system::current_user_name());
    }
    let Some(line) = raw.to_str() else {
        return Some(Err(SplitError::NotUtf8));
    };
    Some(split(line).map(normalise))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(line: &str, expected: &[&str]) {
        let got = split(line).map(normalise).expect(line);
        assert_eq!(got, expected, "{line:?}");
    }

    #[test]
    fn words_and_quotes() {
        check("apps:list", &["apps:list"]);
        check("  apps:report   web  ", &["apps:report", "web"]);
        check(
            "config:set web 'A=b c' \"D=e f\" G=h\\ i",
            &["config:set", "web", "A=b c", "D=e f", "G=h i"],
        );
        check("x '' \"\"", &["x", "", ""]);
        check(
            "x 'it'\\''s' \"a\\\"b\\\\c\\d\"",
            &["x", "it's", "a\"b\\c\\d"],
        );
        check("x a'b'\"c\"d", &["x", "abcd"]);
        check("x\ty\nz", &["x", "y", "z"]);
        check("x a\\\nb", &["x", "ab"]);
        check("", &[]);
        check("x \\", &["x", "\\"]);
    }

    #[test]
    fn shell_syntax_is_plain_text() {
        check("apps:list; rm -rf /", &["apps:list;", "rm", "-rf", "/"]);
        check(
            "apps:list && touch /tmp/x",
            &["apps:list", "&&", "touch", "/tmp/x"],
        );
        check(
            "apps:list | tee x > y < z",
            &["apps:list", "|", "tee", "x", ">", "y", "<", "z"],
        );
        check("apps:exists `id`", &["apps:exists", "`id`"]);
        check(
            "apps:exists $(id) ${HOME} $HOME",
            &["apps:exists", "$(id)", "${HOME}", "$HOME"],
        );
        check(
            "apps:exists \"$(id)\" '`id`'",
            &["apps:exists", "$(id)", "`id`"],
        );
        check(
            "apps:exists * ?.x [a] ~ # c",
            &["apps:exists", "*", "?.x", "[a]", "~", "#", "c"],
        );
    }

    #[test]
    fn unclosed_quotes_fail() {
        assert_eq!(split("x 'a"), Err(SplitError::UnclosedQuote('\'')));
        assert_eq!(split("x \"a\\\""), Err(SplitError::UnclosedQuote('"')));
        assert_eq!(
            SplitError::UnclosedQuote('\'').to_string(),
            "Invalid command: unmatched ' quote"
        );
    }

    #[test]
    fn git_commands_get_the_bare_app() {
        check(
            "git-receive-pack 'node-js-app'",
            &["git-receive-pack", "node-js-app"],
        );
        check(
            "git-receive-pack '/node-js-app'",
            &["git-receive-pack", "node-js-app"],
        );
        check("git-upload-pack '//app'", &["git-upload-pack", "app"]);
        check("git-upload-archive 'app'", &["git-upload-archive", "app"]);
        check("apps:exists '/x'", &["apps:exists", "/x"]);
    }

    proptest::proptest! {
        #[test]
        fn no_input_panics_and_words_never_hold_separators_unquoted(s in ".*") {
            if let Ok(words) = split(&s) {
                if !s.contains(['\'', '"', '\\']) {
                    let plain: Vec<&str> = s.split([' ', '\t', '\n']).filter(|w| !w.is_empty()).collect();
                    proptest::prop_assert_eq!(words, plain);
                }
            }
        }
    }
}
