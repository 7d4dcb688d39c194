//! `nginx-vhosts/nginx-property [--app APP] [--global|--computed] PROP`:
//! one nginx property as the nginx plugin reads it, printed without a
//! newline (the `fn-nginx-*` shell helpers wrap it).

use dokku_core::{Error, Result};
use dokku_nginx_vhosts::props::Props;
use dokku_nginx_vhosts::server::Server;
use dokku_trigger::Ctx;

/// Which value of the property to print.
#[derive(Debug, PartialEq)]
enum Which {
    App,
    Global,
    Computed,
}

fn parse(args: &[String]) -> Result<(String, Which, String)> {
    let mut app = String::new();
    let mut which = Which::App;
    let mut prop = String::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--app" => app = it.next().cloned().unwrap_or_default(),
            "--global" => which = Which::Global,
            "--computed" => which = Which::Computed,
            s if s.starts_with("--app=") => app = s["--app=".len()..].to_string(),
            s if s.starts_with('-') => {
                return Err(Error::fail(format!("flag provided but not defined: {s}")))
            }
            s => {
                if prop.is_empty() {
                    prop = s.to_string();
                }
            }
        }
    }
    if prop.is_empty() {
        return Err(Error::fail("No property specified"));
    }
    Ok((app, which, prop))
}

/// Print one property.
pub fn run(ctx: &Ctx, args: &[String]) -> Result<()> {
    let (app, which, prop) = parse(args)?;
    if !app.is_empty() {
        dokku_core::apps::validate_name(&app)?;
    }
    if !dokku_core::fsutil::is_single_segment(&prop) {
        return Err(Error::fail(format!("Invalid property: {prop}")));
    }
    let srv = Server::from_env(None);
    let props = Props::new(&ctx.paths, &srv.log_root);
    let value = match which {
        Which::App if app.is_empty() => String::new(),
        Which::App => props.app(&app, &prop),
        Which::Global => props.global(&prop),
        Which::Computed => props.computed(&app, &prop),
    };
    ctx.out.write_out(&value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokku_core::args::owned as v;

    #[test]
    fn flags() {
        assert_eq!(
            parse(&v(&["--app", "a", "--computed", "hsts"])).expect("parse"),
            ("a".into(), Which::Computed, "hsts".into())
        );
        assert_eq!(
            parse(&v(&["--global", "hsts"])).expect("parse"),
            ("".into(), Which::Global, "hsts".into())
        );
        assert!(parse(&v(&["--app", "a"])).is_err());
    }
}
