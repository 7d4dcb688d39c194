//! `sigil [-f FILE | -i TEMPLATE] [-p] [-v] KEY=VALUE...`: renders a Go
//! template to stdout with the framework's engine (`dokku_template`, the
//! one nginx-vhosts renders with). `KEY=VALUE` arguments are visible as
//! `$.KEY`; exported environment variables are visible both as `$.NAME`
//! (unless an argument sets the same key) and through `var "NAME"`.
//! Without `-f` or `-i` the template is read from stdin.

use std::collections::BTreeMap;
use std::io::Read;

use dokku_core::{Error, Result};
use dokku_output::Output;

/// The sigil release whose interface this follows.
pub const VERSION: &str = "0.12.1";

#[derive(Debug, Default, PartialEq)]
struct Opts {
    file: Option<String>,
    inline: Option<String>,
    posix: bool,
    version: bool,
    pairs: Vec<(String, String)>,
}

/// Go `flag` style: `-f X`, `-f=X`, `--f X`; flags stop at the first
/// argument that is not one.
fn parse(args: &[String]) -> Result<Opts> {
    let mut o = Opts::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            i += 1;
            break;
        }
        let Some(flag) = a.strip_prefix("--").or_else(|| a.strip_prefix('-')) else {
            break;
        };
        if flag.is_empty() {
            break;
        }
        let (name, inline_value) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (flag, None),
        };
        let mut value = || -> Result<String> {
            if let Some(v) = inline_value.clone() {
                return Ok(v);
            }
            i += 1;
            args.get(i)
                .cloned()
                .ok_or_else(|| Error::fail(format!("flag needs an argument: -{name}")))
        };
        match name {
            "f" => o.file = Some(value()?),
            "i" => o.inline = Some(value()?),
            "p" => o.posix = inline_value.as_deref().map(|v| v == "true").unwrap_or(true),
            "v" => o.version = true,
            other => {
                return Err(Error::fail(format!(
                    "flag provided but not defined: -{other}"
                )))
            }
        }
        i += 1;
    }
    for a in &args[i.min(args.len())..] {
        if let Some((k, v)) = a.split_once('=') {
            o.pairs.push((k.to_string(), v.to_string()));
        }
    }
    Ok(o)
}

/// Run sigil with `args` (argv without the program name).
pub fn run(out: &Output, args: &[String]) -> Result<()> {
    let o = parse(args)?;
    if o.version {
        out.line(VERSION);
        return Ok(());
    }
    let source = if let Some(t) = o.inline.clone() {
        t
    } else if let Some(f) = &o.file {
        std::fs::read_to_string(f).map_err(|e| Error::io("read template", f, e))?
    } else {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Error::io("read template", "stdin", e))?;
        s
    };
    let source = if o.posix {
        dokku_template::posix_to_template(&source)
    } else {
        source
    };
    let mut env: BTreeMap<String, String> = std::env::vars().collect();
    let mut vars = env.clone();
    for (k, v) in &o.pairs {
        vars.insert(k.clone(), v.clone());
        env.insert(k.clone(), v.clone());
    }
    match dokku_template::render_raw(&source, &vars, &env) {
        Ok(s) => {
            out.write_out(&s);
            Ok(())
        }
        Err(e) => {
            out.write_err(&format!("{e}\n"));
            Err(Error::exit(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokku_core::args::owned as v;

    #[test]
    fn flags_then_pairs() {
        let o = parse(&v(&["-f", "t.sigil", "-p", "A=1", "B=x=y", "junk"])).expect("parse");
        assert_eq!(o.file.as_deref(), Some("t.sigil"));
        assert!(o.posix);
        assert_eq!(
            o.pairs,
            vec![("A".into(), "1".into()), ("B".into(), "x=y".into())]
        );
        let o = parse(&v(&["--i={{ .A }}", "A=2"])).expect("parse");
        assert_eq!(o.inline.as_deref(), Some("{{ .A }}"));
        assert!(parse(&v(&["-x"])).is_err());
        assert!(parse(&v(&["-f"])).is_err());
        assert!(parse(&v(&["-v"])).expect("parse").version);
    }
}
