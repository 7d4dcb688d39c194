//! The config operations the commands and trigger handlers call: each takes
//! a request already resolved to a [`Scope`], validates all input before
//! touching disk, changes the environment under its lock, then prints,
//! notifies and restarts as Dokku does.

use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

use crate::envfile::{self, Env};
use crate::format::{self, ExportFormat};
use crate::restart::{maybe_restart, notify_update};
use crate::store::{self, Scope};
use crate::{bundle, decode};

/// `config:set`.
#[derive(Debug, Clone)]
pub struct SetRequest {
    /// Whose environment.
    pub scope: Scope,
    /// `KEY=VALUE` arguments as given.
    pub pairs: Vec<String>,
    /// Values are base64.
    pub encoded: bool,
    /// Skip the restart.
    pub no_restart: bool,
}

/// Turn `KEY=VALUE` arguments into variables, with Dokku's errors: every
/// pair is split (and decoded) first, then every name is checked.
pub fn parse_pairs(pairs: &[String], encoded: bool) -> Result<Env> {
    if pairs.is_empty() {
        return Err(Error::fail("At least one env pair must be given"));
    }
    let mut order = Vec::with_capacity(pairs.len());
    let mut env = Env::new();
    for pair in pairs {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(Error::fail(format!("Invalid env pair: {pair}")));
        };
        let value = if encoded {
            let bytes = decode::decode(value.as_bytes())
                .map_err(|e| Error::fail(format!("{e} for key '{key}'")))?;
            String::from_utf8(bytes).map_err(|_| {
                Error::fail(format!("decoded value is not valid UTF-8 for key '{key}'"))
            })?
        } else {
            value.to_string()
        };
        order.push(key.to_string());
        env.insert(key.to_string(), value);
    }
    check_keys(order.iter().map(String::as_str))?;
    Ok(env)
}

fn check_keys<'a>(keys: impl IntoIterator<Item = &'a str>) -> Result<()> {
    for key in keys {
        if !envfile::is_valid_key(key) {
            return Err(Error::fail(format!("Invalid key name: '{key}'")));
        }
    }
    Ok(())
}

/// Set variables, print them, notify and restart.
pub fn set(ctx: &Ctx, req: SetRequest) -> Result<()> {
    let entries = parse_pairs(&req.pairs, req.encoded)?;
    store::update(&ctx.paths, &ctx.out, &req.scope, |env| {
        env.extend(entries.clone());
        Ok(())
    })?;
    report_set(ctx, &req.scope, &entries);
    maybe_restart(ctx, &req.scope, req.no_restart);
    Ok(())
}

fn report_set(ctx: &Ctx, scope: &Scope, entries: &Env) {
    ctx.out.info1("Setting config vars");
    ctx.out.line(&format::pretty("       ", entries));
    let items = entries.iter().map(|(k, v)| format!("{k}={v}")).collect();
    notify_update(ctx, scope, "set", items);
}

fn report_unset(ctx: &Ctx, scope: &Scope, keys: Vec<String>) {
    for k in &keys {
        ctx.out.info1(&format!("Unsetting {k}"));
    }
    if !keys.is_empty() {
        notify_update(ctx, scope, "unset", keys);
    }
}

/// `config:unset`.
#[derive(Debug, Clone)]
pub struct UnsetRequest {
    /// Whose environment.
    pub scope: Scope,
    /// Names to remove; absent ones are fine.
    pub keys: Vec<String>,
    /// Skip the restart.
    pub no_restart: bool,
}

/// Remove variables, print them, notify and restart.
pub fn unset(ctx: &Ctx, req: UnsetRequest) -> Result<()> {
    if req.keys.is_empty() {
        return Err(Error::fail("At least one key must be given"));
    }
    store::update(&ctx.paths, &ctx.out, &req.scope, |env| {
        for k in &req.keys {
            env.remove(k);
        }
        Ok(())
    })?;
    report_unset(ctx, &req.scope, req.keys);
    maybe_restart(ctx, &req.scope, req.no_restart);
    Ok(())
}

/// `config:clear`: unset every variable.
pub fn clear(ctx: &Ctx, scope: &Scope, no_restart: bool) -> Result<()> {
    let keys = store::update(&ctx.paths, &ctx.out, scope, |env| {
        let keys: Vec<String> = env.keys().cloned().collect();
        env.clear();
        Ok(keys)
    })?;
    report_unset(ctx, scope, keys);
    maybe_restart(ctx, scope, no_restart);
    Ok(())
}

/// One value, `None` when unset.
pub fn get(ctx: &Ctx, scope: &Scope, key: &str) -> Result<Option<String>> {
    Ok(store::load(&ctx.paths, &ctx.out, scope)?.remove(key))
}

/// What `config:show` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowStyle {
    /// Header and aligned lines.
    Pretty,
    /// Deprecated `--shell`.
    Shell,
    /// Deprecated `--export`.
    Exports,
}

/// `config:show`.
pub fn show(ctx: &Ctx, scope: &Scope, merged: bool, style: ShowStyle) -> Result<()> {
    let env = store::load_view(&ctx.paths, &ctx.out, scope, merged)?;
    match style {
        ShowStyle::Shell => {
            ctx.out
                .warn("Deprecated: Use 'config:export --format shell' instead");
            ctx.out
                .write_out(&format!("{} ", ExportFormat::Shell.render(&env)));
        }
        ShowStyle::Exports => {
            ctx.out
                .warn("Deprecated: Use 'config:export --format exports' instead");
            ctx.out.line(&ExportFormat::Exports.render(&env));
        }
        ShowStyle::Pretty => {
            ctx.out.info2_quiet(&format!("{} env vars", scope.label()));
            ctx.out.line(&format::pretty("", &env));
        }
    }
    Ok(())
}

/// Sorted variable names.
pub fn keys(ctx: &Ctx, scope: &Scope, merged: bool) -> Result<Vec<String>> {
    Ok(store::load_view(&ctx.paths, &ctx.out, scope, merged)?
        .into_keys()
        .collect())
}

/// The environment rendered in `format` (without the final separator).
pub fn export(ctx: &Ctx, scope: &Scope, merged: bool, format: ExportFormat) -> Result<String> {
    Ok(format.render(&store::load_view(&ctx.paths, &ctx.out, scope, merged)?))
}

/// The environment as a tar archive.
pub fn bundle(ctx: &Ctx, scope: &Scope, merged: bool) -> Result<Vec<u8>> {
    bundle::tar(&store::load_view(&ctx.paths, &ctx.out, scope, merged)?)
}

/// What `config:import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// Any `ENV` file form, including `exports` and `shell` output.
    Envfile,
    /// A JSON object of names to values.
    Json,
    /// A JSON array of `{"name", "value"}` objects.
    JsonList,
}

impl ImportFormat {
    /// Parse a format name.
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "envfile" | "exports" | "shell" => Ok(ImportFormat::Envfile),
            "json" => Ok(ImportFormat::Json),
            "json-list" => Ok(ImportFormat::JsonList),
            other => Err(Error::fail(format!("Unknown format: {other}"))),
        }
    }
}

/// `config:import`.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// Whose environment.
    pub scope: Scope,
    /// The text read from stdin.
    pub input: String,
    /// How to read it.
    pub format: ImportFormat,
    /// Drop variables the input does not name.
    pub replace: bool,
    /// Skip the restart.
    pub no_restart: bool,
}

fn json_text(key: &str, v: &serde_json::Value) -> Result<String> {
    match v {
        serde_json::Value::String(s) => Ok(s.clone()),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        serde_json::Value::Bool(b) => Ok(b.to_string()),
        serde_json::Value::Null => Ok(String::new()),
        _ => Err(Error::fail(format!(
            "Invalid value for key '{key}': expected a string"
        ))),
    }
}

fn parse_import(input: &str, format: ImportFormat) -> Result<Vec<(String, String)>> {
    let bad = |e: &dyn std::fmt::Display| Error::fail(format!("Unable to parse input: {e}"));
    match format {
        ImportFormat::Envfile => Ok(envfile::parse(input)
            .map_err(|e| bad(&e))?
            .into_iter()
            .collect()),
        ImportFormat::Json => {
            let map: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(input).map_err(|e| bad(&e))?;
            map.iter()
                .map(|(k, v)| Ok((k.clone(), json_text(k, v)?)))
                .collect()
        }
        ImportFormat::JsonList => {
            let list: Vec<serde_json::Map<String, serde_json::Value>> =
                serde_json::from_str(input).map_err(|e| bad(&e))?;
            list.iter()
                .map(|item| {
                    let name = item
                        .get("name")
                        .and_then(|v| v.as_str())
                        .ok_or_else(|| bad(&"entry without a name"))?;
                    let value = item
                        .get("value")
                        .map(|v| json_text(name, v))
                        .transpose()?
                        .unwrap_or_default();
                    Ok((name.to_string(), value))
                })
                .collect()
        }
    }
}

/// Set (and with `replace`, unset) variables from a document.
pub fn import(ctx: &Ctx, req: ImportRequest) -> Result<()> {
    let pairs = parse_import(&req.input, req.format)?;
    if pairs.is_empty() {
        return Err(Error::fail("No config vars to set"));
    }
    check_keys(pairs.iter().map(|(k, _)| k.as_str()))?;
    let entries: Env = pairs.into_iter().collect();
    let removed = store::update(&ctx.paths, &ctx.out, &req.scope, |env| {
        let removed: Vec<String> = if req.replace {
            env.keys()
                .filter(|k| !entries.contains_key(*k))
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        for k in &removed {
            env.remove(k);
        }
        env.extend(entries.clone());
        Ok(removed)
    })?;
    report_unset(ctx, &req.scope, removed);
    report_set(ctx, &req.scope, &entries);
    maybe_restart(ctx, &req.scope, req.no_restart);
    Ok(())
}

/// Go's `strconv.ParseBool`, for trigger arguments.
pub fn parse_bool(v: &str) -> Result<bool> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(Error::fail(format!(
            "strconv.ParseBool: parsing \"{v}\": invalid syntax"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use dokku_core::Paths;
    use dokku_output::{Captured, Output};
    use dokku_trigger::{Bus, Flags};

    struct T {
        _dir: tempfile::TempDir,
        ctx: Ctx,
        cap: Captured,
    }

    fn setup() -> T {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::for_roots(&dir.path().join("home"), &dir.path().join("lib"));
        std::fs::create_dir_all(paths.app_dir("app")).expect("app dir");
        let (out, cap) = Output::captured(false);
        let mut bus = Bus::new();
        crate::hooks::register(&mut bus);
        T {
            _dir: dir,
            ctx: Ctx::new(paths, out, Flags::default(), Arc::new(bus)),
            cap,
        }
    }

    fn app() -> Scope {
        Scope::App("app".into())
    }

    use dokku_core::args::owned as v;

    fn set_req(pairs: &[&str]) -> SetRequest {
        SetRequest {
            scope: app(),
            pairs: v(pairs),
            encoded: false,
            no_restart: false,
        }
    }

    #[test]
    fn pair_errors_use_dokku_words() {
        let err = |p: &[&str], enc: bool| parse_pairs(&v(p), enc).expect_err("error").to_string();
        assert_eq!(err(&[], false), "At least one env pair must be given");
        assert_eq!(err(&["A=1", "NOEQ"], false), "Invalid env pair: NOEQ");
        assert_eq!(err(&["1A=x"], false), "Invalid key name: '1A'");
        assert_eq!(err(&["=x"], false), "Invalid key name: ''");
        assert_eq!(err(&["BAD-KEY=x", "NOEQ"], false), "Invalid env pair: NOEQ");
        assert_eq!(
            err(&["K=YWJ"], true),
            "illegal base64 data at input byte 0 for key 'K'"
        );
        assert_eq!(
            err(&["K=/w=="], true),
            "decoded value is not valid UTF-8 for key 'K'"
        );
        let env =
            parse_pairs(&v(&["A=x=y", "B=", "A=last", "E=bXl2YWx1ZQo="]), false).expect("pairs");
        assert_eq!(env.get("A").map(String::as_str), Some("last"));
        assert_eq!(env.get("B").map(String::as_str), Some(""));
        let env = parse_pairs(&v(&["E=bXl2YWx1ZQo="]), true).expect("encoded");
        assert_eq!(env.get("E").map(String::as_str), Some("myvalue\n"));
    }

    #[test]
    fn set_prints_aligned_pairs() {
        let t = setup();
        set(
            &t.ctx,
            set_req(&["PORT=5000", "APP_ENV= prod ", "LONG_NAME=a b"]),
        )
        .expect("set");
        insta::assert_snapshot!(t.cap.stdout(), @r"
        -----> Setting config vars
               APP_ENV:    prod
               LONG_NAME:  a b
               PORT:       5000
        ");
        assert_eq!(t.cap.stderr(), "");
        assert_eq!(
            get(&t.ctx, &app(), "APP_ENV").expect("get").as_deref(),
            Some(" prod ")
        );
    }

    #[test]
    fn unset_and_clear_print_each_key() {
        let t = setup();
        set(&t.ctx, set_req(&["A=1", "B=2", "C=3"])).expect("set");
        let _ = t.cap.stdout();
        unset(
            &t.ctx,
            UnsetRequest {
                scope: app(),
                keys: v(&["A", "MISSING"]),
                no_restart: false,
            },
        )
        .expect("unset");
        clear(&t.ctx, &app(), false).expect("clear");
        let out = t.cap.stdout();
        let tail = out
            .split_once("       C:  3\n")
            .map(|(_, t)| t)
            .unwrap_or_default();
        insta::assert_snapshot!(tail, @r"
        -----> Unsetting A
        -----> Unsetting MISSING
        -----> Unsetting B
        -----> Unsetting C
        ");
        assert_eq!(
            keys(&t.ctx, &app(), false).expect("keys"),
            Vec::<String>::new()
        );
        let e = unset(
            &t.ctx,
            UnsetRequest {
                scope: app(),
                keys: vec![],
                no_restart: false,
            },
        )
        .expect_err("no keys");
        assert_eq!(e.to_string(), "At least one key must be given");
    }

    #[test]
    fn show_layouts() {
        let t = setup();
        set(
            &t.ctx,
            SetRequest {
                scope: Scope::Global,
                pairs: v(&["GLOBAL_ONLY=g", "SHARED=global"]),
                encoded: false,
                no_restart: true,
            },
        )
        .expect("global");
        set(&t.ctx, set_req(&["SHARED=app", "B=it's"])).expect("app");
        let (out, cap) = Output::captured(false);
        let mut ctx = t.ctx.clone();
        ctx.out = out;
        show(&ctx, &app(), false, ShowStyle::Pretty).expect("show");
        show(&ctx, &app(), true, ShowStyle::Pretty).expect("merged");
        show(&ctx, &Scope::Global, false, ShowStyle::Pretty).expect("global");
        show(&ctx, &app(), false, ShowStyle::Shell).expect("shell");
        ctx.out.line("|");
        show(&ctx, &app(), false, ShowStyle::Exports).expect("exports");
        insta::assert_snapshot!(cap.stdout(), @r"
        =====> app env vars
        B:       it's
        SHARED:  app
        =====> app env vars
        B:            it's
        GLOBAL_ONLY:  g
        SHARED:       app
        =====> global env vars
        GLOBAL_ONLY:  g
        SHARED:       global
        B='it'\''s' SHARED='app' |
        export B='it'\''s'
        export SHARED='app'
        ");
        assert_eq!(
            cap.stderr(),
            " !     Deprecated: Use 'config:export --format shell' instead\n !     Deprecated: Use 'config:export --format exports' instead\n"
        );
    }

    #[test]
    fn empty_show_prints_header_and_blank_line() {
        let t = setup();
        show(&t.ctx, &app(), false, ShowStyle::Pretty).expect("show");
        assert_eq!(t.cap.stdout(), "=====> app env vars\n\n");
    }

    #[test]
    fn import_formats() {
        let t = setup();
        set(&t.ctx, set_req(&["OLD=1", "KEEP=k"])).expect("set");
        let req = |input: &str, format, replace| ImportRequest {
            scope: app(),
            input: input.into(),
            format,
            replace,
            no_restart: false,
        };
        import(
            &t.ctx,
            req("export A='x'\nB=\"y\"\n", ImportFormat::Envfile, false),
        )
        .expect("envfile");
        import(
            &t.ctx,
            req(r#"{"C":"c","N":5,"T":true}"#, ImportFormat::Json, false),
        )
        .expect("json");
        import(
            &t.ctx,
            req(
                r#"[{"name":"D","value":"d"}]"#,
                ImportFormat::JsonList,
                false,
            ),
        )
        .expect("json-list");
        assert_eq!(
            keys(&t.ctx, &app(), false).expect("keys"),
            v(&["A", "B", "C", "D", "KEEP", "N", "OLD", "T"])
        );
        import(&t.ctx, req("KEEP=new\n", ImportFormat::Envfile, true)).expect("replace");
        assert_eq!(keys(&t.ctx, &app(), false).expect("keys"), v(&["KEEP"]));
        let err = |input: &str, format| {
            import(&t.ctx, req(input, format, false))
                .expect_err("error")
                .to_string()
        };
        assert_eq!(err("", ImportFormat::Envfile), "No config vars to set");
        assert_eq!(err("{}", ImportFormat::Json), "No config vars to set");
        assert_eq!(
            err("BAD.KEY=1\n", ImportFormat::Envfile),
            "Invalid key name: 'BAD.KEY'"
        );
        assert_eq!(
            err("A=\"open\n", ImportFormat::Envfile),
            "Unable to parse input: unterminated quoted value on line 1"
        );
        assert_eq!(
            ImportFormat::parse("yaml").expect_err("format").to_string(),
            "Unknown format: yaml"
        );
        assert_eq!(keys(&t.ctx, &app(), false).expect("keys"), v(&["KEEP"]));
    }

    #[test]
    fn go_bools() {
        assert!(parse_bool("true").expect("t"));
        assert!(!parse_bool("0").expect("f"));
        assert_eq!(
            parse_bool("yes").expect_err("bad").to_string(),
            "strconv.ParseBool: parsing \"yes\": invalid syntax"
        );
    }
}
