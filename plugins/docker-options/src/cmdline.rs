//! The arguments of `docker-options:add|remove|clear|list`: `--process`
//! values may stand anywhere, even inside the option text; everything else
//! after the app and phases is option text, taken verbatim.

use dokku_core::{Error, Result};
use dokku_trigger::triggers::DEFAULT_PROCESS_TYPE;

use crate::store;
use crate::words;

/// What a command was given.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CmdLine {
    /// `--process` values, in order, without duplicates.
    pub processes: Vec<String>,
    /// Positional arguments before the option text (app, phases).
    pub positional: Vec<String>,
    /// The option words, in order.
    pub option_words: Vec<String>,
    /// `--phase` (list only).
    pub phase: Option<String>,
}

fn add_process(out: &mut CmdLine, v: &str) -> Result<()> {
    if v.is_empty() {
        return Err(Error::fail("--process requires a value"));
    }
    if v == DEFAULT_PROCESS_TYPE {
        return Err(Error::fail(format!(
            "\"{DEFAULT_PROCESS_TYPE}\" is reserved and cannot be used as a --process value"
        )));
    }
    if !store::valid_process(v) {
        return Err(Error::fail(format!("Invalid process type {v:?}")));
    }
    if !out.processes.iter().any(|p| p == v) {
        out.processes.push(v.to_string());
    }
    Ok(())
}

/// Parse argv; the first `fixed` positional arguments (app, phases) come
/// before the option text.
pub fn parse(argv: &[String], fixed: usize, with_phase_flag: bool) -> Result<CmdLine> {
    let mut out = CmdLine::default();
    let mut i = 0;
    let mut text: Vec<String> = Vec::new();
    while i < argv.len() {
        let a = argv[i].as_str();
        i += 1;
        if with_phase_flag && (a == "--phase" || a.starts_with("--phase=")) {
            let v = match a.strip_prefix("--phase=") {
                Some(v) => v.to_string(),
                None => {
                    let v = argv
                        .get(i)
                        .cloned()
                        .ok_or_else(|| Error::fail("--phase requires a value"))?;
                    i += 1;
                    v
                }
            };
            out.phase = Some(v);
            continue;
        }
        let toks = words::words(a).unwrap_or_else(|| vec![a.to_string()]);
        match toks.first().map(String::as_str) {
            Some(first) if first == "--process" || first.starts_with("--process=") => {
                if let Some(v) = first.strip_prefix("--process=") {
                    if toks.len() > 1 {
                        return Err(Error::fail(
                            "--process=value cannot be followed by additional tokens",
                        ));
                    }
                    add_process(&mut out, v)?;
                } else {
                    match toks.len() {
                        1 => {
                            let v = argv
                                .get(i)
                                .cloned()
                                .ok_or_else(|| Error::fail("--process requires a value"))?;
                            i += 1;
                            add_process(&mut out, &v)?;
                        }
                        2 => add_process(&mut out, &toks[1])?,
                        n => {
                            return Err(Error::fail(format!(
                                "--process accepts a single value, got {}",
                                n - 1
                            )))
                        }
                    }
                }
            }
            _ if out.positional.len() < fixed => out.positional.push(a.to_string()),
            _ => text.push(a.to_string()),
        }
    }
    // `--process` may also hide inside the option text.
    let joined = text.join(" ");
    let toks = words::words(&joined).ok_or_else(|| {
        Error::fail(format!(
            "Invalid docker option: unbalanced quotes in {joined}"
        ))
    })?;
    let mut j = 0;
    while j < toks.len() {
        let t = &toks[j];
        if t == "--process" {
            let v = toks
                .get(j + 1)
                .ok_or_else(|| Error::fail("--process requires a value"))?;
            add_process(&mut out, v)?;
            j += 2;
            continue;
        }
        if let Some(v) = t.strip_prefix("--process=") {
            add_process(&mut out, v)?;
            j += 1;
            continue;
        }
        out.option_words.push(t.clone());
        j += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use dokku_core::args::owned as v;

    #[test]
    fn process_anywhere() {
        let a = parse(
            &v(&[
                "--process",
                "web",
                "app",
                "deploy",
                "--ulimit nofile=12",
                "--shm-size 256m",
            ]),
            2,
            false,
        )
        .expect("parse");
        let b = parse(
            &v(&[
                "app",
                "deploy",
                "--ulimit nofile=12",
                "--shm-size 256m",
                "--process",
                "web",
            ]),
            2,
            false,
        )
        .expect("parse");
        assert_eq!(a, b);
        assert_eq!(a.processes, v(&["web"]));
        assert_eq!(a.positional, v(&["app", "deploy"]));
        assert_eq!(
            a.option_words,
            v(&["--ulimit", "nofile=12", "--shm-size", "256m"])
        );
        let c = parse(&v(&["app", "deploy", "--process=api", "-p 1:2"]), 2, false).expect("parse");
        assert_eq!(c.processes, v(&["api"]));
    }

    #[test]
    fn process_errors() {
        let e = |a: &[&str]| parse(&v(a), 2, false).expect_err("error").to_string();
        assert_eq!(
            e(&["app", "deploy", "-p 1:2", "--process"]),
            "--process requires a value"
        );
        assert_eq!(
            e(&["--process", "_default_", "app", "deploy"]),
            "\"_default_\" is reserved and cannot be used as a --process value"
        );
        assert_eq!(
            e(&["app", "deploy", "--process web api"]),
            "--process accepts a single value, got 2"
        );
        assert_eq!(
            e(&["app", "deploy", "--process=web -p 1:2"]),
            "--process=value cannot be followed by additional tokens"
        );
    }
}
