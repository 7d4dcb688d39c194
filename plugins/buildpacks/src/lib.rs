//! The buildpacks plugin: an app's ordered list of buildpacks and its
//! stack image. The list reaches herokuish and pack builds as a
//! `.buildpacks` file written into the extracted source; the stack is
//! answered through `buildpack-stack-name`.

pub mod detect;

use dokku_core::property::Properties;
use dokku_core::report::Rows;
use dokku_core::schema::{Keys, Prop, Schema};
use dokku_core::{apps, args, Error, Paths, Result};
use dokku_trigger::deploy::{BuildpackStackName, PostExtract};
use dokku_trigger::plugin::cmd;
use dokku_trigger::{Bus, CorePlugin, Ctx, ReportDef};

const PLUGIN_NAME: &str = "buildpacks";
/// The list property: one buildpack URL per line.
const LIST: &str = "buildpacks";

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: PLUGIN_NAME,
    description: "dokku core buildpacks plugin",
    summary: "Manage buildpacks settings for an app",
    commands: &[
        cmd("buildpacks:add", add),
        cmd("buildpacks:clear", clear),
        cmd("buildpacks:detect", detect::command),
        cmd("buildpacks:list", list),
        cmd("buildpacks:remove", remove),
        cmd("buildpacks:report", report),
        cmd("buildpacks:set", set),
        cmd("buildpacks:set-property", set_property),
    ],
    help: &[
        "buildpacks:add [--index 1] <app> <buildpack>, Add new app buildpack while inserting into list of buildpacks if necessary",
        "buildpacks:clear <app>, Clear all buildpacks set on the app",
        "buildpacks:detect <app> [--branch <branch-name>], Detect the buildpack for an app (if not specified                                                     the branch flag defaults to the deploy branch)",
        "buildpacks:list <app>, List all buildpacks for an app",
        "buildpacks:remove <app> <buildpack>, Remove a buildpack set on the app",
        "buildpacks:report [<app>] [<flag>], Displays a buildpack report for one or more apps",
        "buildpacks:set [--index 1] <app> <buildpack>, Set new app buildpack at a given position defaulting to the first buildpack if no index is specified",
        "buildpacks:set --replace <app> <buildpack> [<buildpack> ...], Replace the entire ordered buildpack list with the specified buildpacks",
        "buildpacks:set-property [--global|<app>] <key> <value>, Set or clear a buildpacks property for an app",
    ],
    register,
    ..CorePlugin::DEFAULTS
};

/// The properties `buildpacks:set-property` manages.
pub static SCHEMA: Schema = Schema::named(
    PLUGIN_NAME,
    &[Prop::both("stack", "").keys(Keys::ALL.without(Keys::COMPUTED_REPORT))],
)
.legacy_json();

/// The report: the stack, and the list joined by commas.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA).extra(list_row);

fn list_row(ctx: &Ctx, app: &str) -> Result<Rows> {
    Ok(vec![(
        "--buildpacks-list".into(),
        buildpacks(&ctx.paths, app)?.join(","),
    )])
}

fn store(paths: &Paths) -> Properties<'_> {
    Properties::new(paths, PLUGIN_NAME)
}

/// The app's buildpacks, in order.
pub fn buildpacks(paths: &Paths, app: &str) -> Result<Vec<String>> {
    store(paths).list_get(app, LIST)
}

fn register(bus: &mut Bus) {
    bus.on::<BuildpackStackName, _>(PLUGIN_NAME, |ctx, t: &BuildpackStackName| {
        Ok(SCHEMA.computed(&ctx.paths, &t.app, "stack"))
    });
    bus.on::<PostExtract, _>(PLUGIN_NAME, |ctx, t: &PostExtract| {
        write_dot_buildpacks(ctx, &t.app, &t.tmp_work_dir)
    });
    REPORT.register(bus, PLUGIN_NAME);
}

/// Put the app's list into the source as `.buildpacks`, which the
/// builders read; an app without a list keeps the source's own file.
pub(crate) fn write_dot_buildpacks(ctx: &Ctx, app: &str, dir: &str) -> Result<()> {
    let list = buildpacks(&ctx.paths, app)?;
    if list.is_empty() || dir.is_empty() {
        return Ok(());
    }
    let path = std::path::Path::new(dir).join(".buildpacks");
    let mut text = list.join("\n");
    text.push('\n');
    std::fs::write(&path, text).map_err(|e| Error::io("write", path, e))
}

/// A buildpack as stored: `<org>/<name>` expands to the heroku buildpack
/// repository; otherwise an http(s) or git URL.
pub fn valid_buildpack(buildpack: &str) -> Result<String> {
    if buildpack.is_empty() {
        return Err(Error::fail("Must specify a buildpack to add"));
    }
    let word = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if let Some((org, name)) = buildpack.split_once('/') {
        if word(org) && word(name) {
            return Ok(format!(
                "https://github.com/{org}/heroku-buildpack-{name}.git"
            ));
        }
    }
    let url_like = ["http://", "https://", "git://", "git@"]
        .iter()
        .any(|p| buildpack.starts_with(p))
        && !buildpack.chars().any(char::is_whitespace)
        && buildpack.matches('/').count() >= 1;
    if url_like {
        Ok(buildpack.to_string())
    } else {
        Err(Error::fail(format!(
            "Invalid buildpack specified: {buildpack}"
        )))
    }
}

fn index_of(p: &args::Parsed) -> Result<usize> {
    match p.value("--index") {
        None => Ok(0),
        Some(v) => v.parse::<usize>().map_err(|_| {
            Error::fail(format!(
                "invalid value \"{v}\" for flag -index: parse error"
            ))
        }),
    }
}

fn app_arg(ctx: &Ctx, p: &args::Parsed) -> Result<String> {
    apps::require(&ctx.paths, p.arg(0))
}

/// `buildpacks:add [--index N] <app> <buildpack>`: append, or insert
/// before the N-th (1-based) entry.
fn add(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--index"]))?;
    let index = index_of(&p)?;
    let app = app_arg(ctx, &p)?;
    let bp = valid_buildpack(p.arg(1).unwrap_or(""))?;
    let _lock = dokku_core::lock::StateLock::acquire(&ctx.paths, &app)?;
    let mut list = buildpacks(&ctx.paths, &app)?;
    if index == 0 || index > list.len() {
        list.push(bp);
    } else {
        list.insert(index - 1, bp);
    }
    store(&ctx.paths).list_write(&app, LIST, &list)
}

/// `buildpacks:set [--index N] <app> <buildpack>` replaces the N-th entry
/// (the first by default; past the end appends);
/// `buildpacks:set --replace <app> <buildpack>...` replaces the list.
fn set(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&["--replace"], &["--index"]))?;
    let index = index_of(&p)?;
    let app = app_arg(ctx, &p)?;
    if p.has("--replace") {
        if p.value("--index").is_some() {
            return Err(Error::fail("Cannot specify --index with --replace"));
        }
        let given = &p.positional[1..];
        if given.is_empty() {
            return Err(Error::fail("Must specify at least one buildpack"));
        }
        let list = given
            .iter()
            .map(|b| valid_buildpack(b))
            .collect::<Result<Vec<_>>>()?;
        let _lock = dokku_core::lock::StateLock::acquire(&ctx.paths, &app)?;
        return store(&ctx.paths).list_write(&app, LIST, &list);
    }
    let bp = valid_buildpack(p.arg(1).unwrap_or(""))?;
    let _lock = dokku_core::lock::StateLock::acquire(&ctx.paths, &app)?;
    let mut list = buildpacks(&ctx.paths, &app)?;
    let at = index.max(1) - 1;
    if at < list.len() {
        list[at] = bp;
    } else {
        list.push(bp);
    }
    store(&ctx.paths).list_write(&app, LIST, &list)
}

/// `buildpacks:remove <app> <buildpack>` or `--index N`.
fn remove(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--index"]))?;
    let index = index_of(&p)?;
    let app = app_arg(ctx, &p)?;
    let given = p.arg(1).unwrap_or("");
    if given.is_empty() && index == 0 {
        return Err(Error::fail(
            "Must specify a buildpack to remove, either by address or list index",
        ));
    }
    let _lock = dokku_core::lock::StateLock::acquire(&ctx.paths, &app)?;
    let mut list = buildpacks(&ctx.paths, &app)?;
    if list.is_empty() {
        return Err(Error::fail(
            "No buildpacks were found, next release on this app will use autodetected buildpack",
        ));
    }
    if index > 0 {
        if index > list.len() {
            return Err(Error::fail(format!(
                "Index {index} is out of range for the buildpacks list"
            )));
        }
        list.remove(index - 1);
    } else {
        let bp = valid_buildpack(given)?;
        let before = list.len();
        list.retain(|b| *b != bp);
        if list.len() == before {
            return Err(Error::fail(format!(
                "Unable to remove {bp} from buildpacks list"
            )));
        }
    }
    if list.is_empty() {
        return store(&ctx.paths).delete(&app, LIST);
    }
    store(&ctx.paths).list_write(&app, LIST, &list)
}

/// `buildpacks:clear <app>`.
fn clear(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &[]))?;
    let app = app_arg(ctx, &p)?;
    store(&ctx.paths).delete(&app, LIST)
}

/// `buildpacks:list <app>`.
fn list(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &[]))?;
    let app = app_arg(ctx, &p)?;
    ctx.out.info1_quiet(&format!("{app} buildpack urls"));
    for b in buildpacks(&ctx.paths, &app)? {
        ctx.out.verbose(&b);
    }
    Ok(())
}

fn report(ctx: &Ctx, argv: &[String]) -> Result<()> {
    REPORT.command(ctx, argv)
}

fn set_property(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let req = REPORT.set_command(ctx, argv)?;
    if req.key != "stack" {
        return Ok(());
    }
    // Plugins hear of a changed stack (the app, or `--global`).
    ctx.bus.notify(
        ctx,
        &dokku_trigger::helpers::PostStackSet {
            app: req.app,
            value: req.value,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buildpack_forms() {
        assert_eq!(
            valid_buildpack("heroku/nodejs").expect("short"),
            "https://github.com/heroku/heroku-buildpack-nodejs.git"
        );
        for ok in [
            "https://github.com/heroku/heroku-buildpack-ruby.git",
            "https://github.com/heroku/heroku-buildpack-nodejs#v87",
            "git@github.com:org/bp.git",
        ] {
            assert_eq!(valid_buildpack(ok).expect(ok), ok);
        }
        assert_eq!(
            valid_buildpack("nonsense").map_err(|e| e.to_string()),
            Err("Invalid buildpack specified: nonsense".into())
        );
    }
}
