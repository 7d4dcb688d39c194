//! `nginx:report [<app>|--global] [--format stdout|json] [--<flag>]`, and
//! the nginx properties, declared once.

use dokku_core::report::Rows;
use dokku_core::schema::{Keys, Prop, Schema};
use dokku_core::set::Wording;
use dokku_core::{Error, Result};
use dokku_trigger::{Ctx, ReportDef};

use crate::build;
use crate::props::{self, Props, STORE};

/// Values end up inside nginx.conf: anything that could end a directive
/// or open a block is refused, so a property cannot inject configuration.
fn validate(key: &str, value: &str) -> Result<()> {
    if value.contains(['\n', '\r']) {
        return Err(Error::fail(format!(
            "Invalid value for {key}: must be a single line"
        )));
    }
    if value.contains([';', '{', '}']) {
        return Err(Error::fail(format!(
            "Invalid value for {key}: must not contain ';', '{{' or '}}'"
        )));
    }
    match key {
        "proxy-keepalive" if value.parse::<u32>().is_err() => Err(Error::fail(
            "Invalid value for proxy-keepalive: must be an integer",
        )),
        "hsts-max-age" if value.parse::<u64>().is_err() => Err(Error::fail(
            "Invalid value for hsts-max-age: must be an integer",
        )),
        "hsts" | "hsts-include-subdomains" | "hsts-preload" | "disable-custom-config"
            if value != "true" && value != "false" =>
        {
            Err(Error::fail(format!(
                "Invalid value for {key}: must be true or false"
            )))
        }
        _ => Ok(()),
    }
}

/// Raw app and global values come from the table; computed values depend
/// on the server's log directory and are added by [`computed`].
const KEYS_SHOWN: Keys = Keys::RAW.with(Keys::GLOBAL).with(Keys::GLOBAL_REPORT);

macro_rules! nginx_props {
    ($($key:literal),* $(,)?) => {
        &[$(Prop::both($key, "").keys(KEYS_SHOWN).check(validate)),*]
    };
}

/// The properties, sorted by key.
pub static SCHEMA: Schema = Schema::named(
    "nginx",
    nginx_props![
        "access-log-format",
        "access-log-path",
        "bind-address-ipv4",
        "bind-address-ipv6",
        "client-body-timeout",
        "client-header-timeout",
        "client-max-body-size",
        "disable-custom-config",
        "error-log-path",
        "hsts",
        "hsts-include-subdomains",
        "hsts-max-age",
        "hsts-preload",
        "keepalive-timeout",
        "lingering-timeout",
        "nginx-conf-sigil-path",
        "nginx-service-command",
        "proxy-buffer-size",
        "proxy-buffering",
        "proxy-buffers",
        "proxy-busy-buffers-size",
        "proxy-connect-timeout",
        "proxy-keepalive",
        "proxy-read-timeout",
        "proxy-send-timeout",
        "send-timeout",
        "underscore-in-headers",
        "x-forwarded-for-value",
        "x-forwarded-port-value",
        "x-forwarded-proto-value",
        "x-forwarded-ssl",
    ],
)
.stored_as(STORE)
.worded(Wording::Shell {
    keys: None,
    not_global: "The key '{key}' cannot be set globally",
});

/// The computed values and the last visit.
fn computed(ctx: &Ctx, app: &str) -> Result<Rows> {
    let srv = build::server(ctx);
    let props = Props::new(&ctx.paths, &srv.log_root);
    let mut rows: Rows = props::keys()
        .map(|key| (format!("--nginx-computed-{key}"), props.computed(app, key)))
        .collect();
    rows.push((
        "--nginx-last-visited-at".into(),
        props.app(app, "last-visited-at"),
    ));
    Ok(rows)
}

/// The report.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA).extra(computed);

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    REPORT.command(ctx, argv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injection_is_refused() {
        for bad in ["1m; root /", "x { }", "a\nb", "}"] {
            assert!(validate("client-max-body-size", bad).is_err(), "{bad}");
        }
        assert!(validate("client-max-body-size", "10m").is_ok());
        assert_eq!(
            validate("proxy-keepalive", "x")
                .expect_err("int")
                .to_string(),
            "Invalid value for proxy-keepalive: must be an integer"
        );
    }
}
