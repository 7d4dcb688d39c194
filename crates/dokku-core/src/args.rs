//! A small flag parser with the rules of Dokku's subcommands: flags may stand
//! before, between or after positional arguments, `--name value` and
//! `--name=value` are the same, and `--` ends flag parsing.

use std::collections::HashMap;

use crate::error::{Error, Result};

/// What a command accepts.
#[derive(Debug, Default, Clone, Copy)]
pub struct Spec<'a> {
    /// Flags without a value (`--global`).
    pub switches: &'a [&'a str],
    /// Flags taking a value (`--format json`).
    pub options: &'a [&'a str],
    /// Keep unknown `--flags` (report info flags) instead of failing.
    pub allow_unknown: bool,
}

impl<'a> Spec<'a> {
    /// A spec with these switches and value options, refusing unknown flags.
    pub const fn new(switches: &'a [&'a str], options: &'a [&'a str]) -> Self {
        Spec {
            switches,
            options,
            allow_unknown: false,
        }
    }
}

/// The parsed arguments.
#[derive(Debug, Default, Clone)]
pub struct Parsed {
    /// Positional arguments in order.
    pub positional: Vec<String>,
    switches: Vec<String>,
    options: HashMap<String, Vec<String>>,
    /// Unknown flags, when the spec allows them.
    pub unknown: Vec<String>,
}

impl Parsed {
    /// Whether a switch was given.
    pub fn has(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }

    /// The last value of an option.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.options
            .get(name)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    /// Every value of a repeatable option.
    pub fn values(&self, name: &str) -> &[String] {
        self.options.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Positional argument `i`.
    pub fn arg(&self, i: usize) -> Option<&str> {
        self.positional.get(i).map(String::as_str)
    }

    /// The number an option gives, `default` when it is absent; a value
    /// that is not a number is `invalid argument for flag <name>: <value>`.
    pub fn number<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T> {
        match self.value(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<T>()
                .map_err(|_| Error::fail(format!("invalid argument for flag {name}: {v}"))),
        }
    }
}

/// `args` with each short flag of `aliases` spelled as its long name
/// (`("-t", "--tail")`), for commands that accept both.
pub fn expand_short(args: &[String], aliases: &[(&str, &str)]) -> Vec<String> {
    args.iter()
        .map(|a| match aliases.iter().find(|(short, _)| short == a) {
            Some((_, long)) => long.to_string(),
            None => a.clone(),
        })
        .collect()
}

fn is_flag(a: &str) -> bool {
    a.len() > 1 && a.starts_with('-') && !a[1..].starts_with(|c: char| c.is_ascii_digit())
}

/// Parse `args` against `spec`.
pub fn parse(args: &[String], spec: Spec<'_>) -> Result<Parsed> {
    let mut p = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            p.positional.extend(args[i + 1..].iter().cloned());
            break;
        }
        if is_flag(a) {
            let (name, inline) = match a.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (a.clone(), None),
            };
            if spec.switches.contains(&name.as_str()) {
                match inline.as_deref() {
                    None | Some("true") => p.switches.push(name),
                    Some("false") => {}
                    Some(_) => {
                        return Err(Error::fail(format!("invalid argument for flag {name}")))
                    }
                }
            } else if spec.options.contains(&name.as_str()) {
                let v = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        args.get(i)
                            .cloned()
                            .ok_or_else(|| Error::fail(format!("flag needs an argument: {name}")))?
                    }
                };
                p.options.entry(name).or_default().push(v);
            } else if spec.allow_unknown {
                p.unknown.push(a.clone());
            } else {
                return Err(Error::fail(format!("unknown flag: {name}")));
            }
        } else {
            p.positional.push(a.clone());
        }
        i += 1;
    }
    Ok(p)
}

/// Owned copies of borrowed words, as argument vectors are handed around.
pub fn owned(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::owned as v;

    #[test]
    fn flags_anywhere_and_inline_values() {
        let spec = Spec::new(&["--global"], &["--format"]);
        let p = parse(&v(&["app", "--format=json", "x", "--global"]), spec).expect("parse");
        assert_eq!(p.positional, v(&["app", "x"]));
        assert_eq!(p.value("--format"), Some("json"));
        assert!(p.has("--global"));
        let p = parse(&v(&["--format", "json", "--", "--global"]), spec).expect("parse");
        assert_eq!(p.positional, v(&["--global"]));
    }

    #[test]
    fn unknown_flag_is_an_error_unless_allowed() {
        let spec = Spec::default();
        assert_eq!(
            parse(&v(&["--nope"]), spec)
                .expect_err("unknown")
                .to_string(),
            "unknown flag: --nope"
        );
        let p = parse(
            &v(&["app", "--app-dir"]),
            Spec {
                allow_unknown: true,
                ..spec
            },
        )
        .expect("parse");
        assert_eq!(p.unknown, v(&["--app-dir"]));
        assert_eq!(
            parse(
                &v(&["--format"]),
                Spec {
                    options: &["--format"],
                    ..spec
                }
            )
            .expect_err("missing")
            .to_string(),
            "flag needs an argument: --format"
        );
    }
}
