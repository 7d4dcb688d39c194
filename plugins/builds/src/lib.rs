//! The builds plugin: a record of every build and deploy (what started it,
//! when, how it ended, everything it printed), and the commands to list,
//! inspect, follow, cancel and prune them. The capture itself is wrapped
//! around deploy commands by the entry point (`dokku_trigger::builds`);
//! this plugin answers its triggers and keeps the files.

pub mod record;

use std::io::Read;

use dokku_core::report::Rows;
use dokku_core::schema::{check, Keys, Prop, Schema};
use dokku_core::{apps, args, Error, Paths, Result};
use dokku_trigger::builds::{BuildsGenerateId, BuildsRecordFinalize, BuildsRecordStart};
use dokku_trigger::plugin::{cmd, Command};
use dokku_trigger::triggers::{PostAppRename, PostDelete};
use dokku_trigger::{Bus, CorePlugin, Ctx, ReportDef};

use record::Record;

const PLUGIN_NAME: &str = "builds";

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: PLUGIN_NAME,
    description: "dokku core builds plugin",
    summary: "Manage running and historical builds",
    commands: &[
        cmd("builds:cancel", cancel),
        cmd("builds:info", info),
        Command {
            name: "builds:list",
            takes_app: true,
            run: list,
        },
        cmd("builds:output", output),
        cmd("builds:prune", prune),
        cmd("builds:report", report),
        cmd("builds:set", set),
    ],
    help: &[
        "builds:cancel <app>, Cancel a running build for an app",
        "builds:info <app> <build-id> [--format json|stdout], Show details for a single build",
        "builds:list [<app>] [--format json] [--kind build|deploy] [--status <status>], List builds",
        "builds:output <app> [<build-id>|current], Show build output",
        "builds:prune <app> [--all-apps], Prune build records to retention",
        "builds:report [<app>] [<flag>], Display a build report for one or more apps",
        "builds:set [--global|<app>] <key> [<value>], Set or clear a builds property",
    ],
    register,
    ..CorePlugin::DEFAULTS
};

/// The properties.
pub static SCHEMA: Schema = Schema::named(
    PLUGIN_NAME,
    &[Prop::both("retention", "20")
        .keys(Keys::ALL.without(Keys::COMPUTED_REPORT))
        .check(check::positive)],
)
.legacy_json();

/// The report: the retention, then the latest build's details.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA).extra(latest_rows);

fn latest_rows(ctx: &Ctx, app: &str) -> Result<Rows> {
    let latest = record::list(&ctx.paths, app).into_iter().next();
    let field = |f: fn(&Record) -> String| latest.as_ref().map(f).unwrap_or_default();
    Ok(vec![
        ("--build-id".into(), field(|r| r.id.clone())),
        ("--build-kind".into(), field(|r| r.kind.clone())),
        ("--build-status".into(), field(Record::display_status)),
        ("--build-pid".into(), field(|r| r.pid.to_string())),
        ("--build-source".into(), field(|r| r.source.clone())),
        ("--build-started-at".into(), field(|r| unix(&r.started_at))),
        (
            "--build-finished-at".into(),
            field(|r| r.finished_at.as_deref().map(unix).unwrap_or_default()),
        ),
        (
            "--build-exit-code".into(),
            field(|r| r.exit_code.map(|c| c.to_string()).unwrap_or_default()),
        ),
    ])
}

fn unix(iso: &str) -> String {
    record::parse_iso(iso)
        .map(|s| s.to_string())
        .unwrap_or_default()
}

/// The retention that applies to an app.
pub fn retention(paths: &Paths, app: &str) -> usize {
    SCHEMA
        .computed(paths, app, "retention")
        .parse()
        .unwrap_or(20)
}

fn register(bus: &mut Bus) {
    bus.on::<BuildsGenerateId, _>(PLUGIN_NAME, |_ctx, _t: &BuildsGenerateId| {
        Ok(record::generate_id())
    });
    bus.on::<BuildsRecordStart, _>(PLUGIN_NAME, |ctx, t: &BuildsRecordStart| {
        record_start(ctx, t)
    });
    bus.on::<BuildsRecordFinalize, _>(PLUGIN_NAME, |ctx, t: &BuildsRecordFinalize| {
        record_finalize(ctx, t)
    });
    bus.on::<PostDelete, _>(PLUGIN_NAME, |ctx, t: &PostDelete| {
        remove_dir(&record::dir(&ctx.paths, &t.app))
    });
    bus.on::<PostAppRename, _>(PLUGIN_NAME, |ctx, t: &PostAppRename| {
        rename(&ctx.paths, &t.old_app, &t.new_app)
    });
    REPORT.register(bus, PLUGIN_NAME);
}

fn remove_dir(dir: &std::path::Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("remove", dir, e)),
    }
}

/// Records move with a renamed app, each naming its new app.
fn rename(paths: &Paths, old: &str, new: &str) -> Result<()> {
    let from = record::dir(paths, old);
    if !from.is_dir() {
        return Ok(());
    }
    let to = record::dir(paths, new);
    remove_dir(&to)?;
    std::fs::rename(&from, &to).map_err(|e| Error::io("rename", &from, e))?;
    for mut r in record::list(paths, new) {
        r.app = new.to_string();
        record::write(paths, &r)?;
    }
    Ok(())
}

fn record_start(ctx: &Ctx, t: &BuildsRecordStart) -> Result<()> {
    if t.app.is_empty() {
        return Err(Error::fail("builds-record-start: missing app name"));
    }
    if t.build_id.is_empty() {
        return Err(Error::fail("builds-record-start: missing build id"));
    }
    if !record::valid_id(&t.build_id) {
        return Err(Error::fail(format!(
            "builds-record-start: invalid build id {}",
            t.build_id
        )));
    }
    apps::validate_name(&t.app)?;
    let pid: i64 = t
        .pid
        .trim()
        .parse()
        .map_err(|_| Error::fail(format!("builds-record-start: invalid pid {}", t.pid)))?;
    let source = if record::KNOWN_SOURCES.contains(&t.source.as_str()) {
        t.source.as_str()
    } else {
        ctx.out.warn(&format!(
            "Unknown build source '{}', recording as unknown",
            t.source
        ));
        "unknown"
    };
    record::start(&ctx.paths, &t.app, &t.build_id, pid, source)?;
    Ok(())
}

fn record_finalize(ctx: &Ctx, t: &BuildsRecordFinalize) -> Result<()> {
    let code: i32 = t.exit_code.trim().parse().map_err(|_| {
        Error::fail(format!(
            "builds-record-finalize: invalid exit code {}",
            t.exit_code
        ))
    })?;
    apps::validate_name(&t.app)?;
    if let Some(r) = record::read(&ctx.paths, &t.app, &t.build_id) {
        // A canceled build stays canceled.
        if r.status == "running" {
            let status = if code == 0 { "succeeded" } else { "failed" };
            record::finish(&ctx.paths, r, status, code)?;
        }
    }
    record::prune(&ctx.paths, &t.app, retention(&ctx.paths, &t.app))
}

fn app_arg(ctx: &Ctx, p: &args::Parsed) -> Result<String> {
    apps::require(&ctx.paths, p.arg(0))
}

/// The build id in an app's deploy lock, while a deploy holds it.
fn current_id(paths: &Paths, app: &str) -> Option<String> {
    let text = std::fs::read_to_string(apps::deploy_lock_path(paths, app)).ok()?;
    let id = text.trim().to_string();
    record::valid_id(&id).then_some(id)
}

fn json_of(r: &Record, paths: &Paths) -> serde_json::Value {
    let mut v = serde_json::to_value(r).unwrap_or(serde_json::Value::Null);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("status".into(), r.display_status().into());
        obj.insert(
            "log_path".into(),
            record::log_path(paths, &r.app, &r.id)
                .display()
                .to_string()
                .into(),
        );
    }
    v
}

fn format_of(p: &args::Parsed) -> Result<bool> {
    match p.value("--format").unwrap_or("stdout") {
        "stdout" => Ok(false),
        "json" => Ok(true),
        other => Err(Error::fail(format!(
            "Invalid --format value specified: {other}"
        ))),
    }
}

const ROW: fn(&[&str]) -> String = |c| {
    format!(
        "{:<10} {:<15} {:<6} {:<6} {:<10} {}",
        c[0], c[1], c[2], c[3], c[4], c[5]
    )
};

/// `builds:list [<app>] [--format json] [--kind ...] [--status ...]`.
fn list(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(
        argv,
        args::Spec::new(&[], &["--format", "--kind", "--status"]),
    )?;
    let json = format_of(&p)?;
    if let Some(kind) = p.value("--kind") {
        if kind != "build" && kind != "deploy" {
            return Err(Error::fail(format!(
                "Invalid --kind value specified: {kind}"
            )));
        }
    }
    let (records, title) = match p.arg(0) {
        Some(app) => {
            apps::verify(&ctx.paths, app)?;
            let keep = retention(&ctx.paths, app);
            let mut finished = 0usize;
            let records: Vec<Record> = record::list(&ctx.paths, app)
                .into_iter()
                .filter(|r| {
                    if r.is_live() {
                        return true;
                    }
                    finished += 1;
                    finished <= keep
                })
                .collect();
            (records, format!("{app} builds"))
        }
        None => {
            let mut all = Vec::new();
            for app in apps::list(&ctx.paths) {
                all.extend(
                    record::list(&ctx.paths, &app)
                        .into_iter()
                        .filter(Record::is_live),
                );
            }
            (all, "Currently running builds".to_string())
        }
    };
    let records: Vec<Record> = records
        .into_iter()
        .filter(|r| p.value("--kind").is_none_or(|k| r.kind == k))
        .filter(|r| p.value("--status").is_none_or(|s| r.display_status() == s))
        .collect();
    if json {
        let v: Vec<serde_json::Value> = records.iter().map(|r| json_of(r, &ctx.paths)).collect();
        ctx.out.line(&serde_json::Value::Array(v).to_string());
        return Ok(());
    }
    ctx.out.info2(&title);
    let with_status = p.arg(0).is_some();
    let header = if with_status {
        format!(
            "{:<10} {:<15} {:<6} {:<10} {:<6} {:<10} {}",
            "App", "Build ID", "Kind", "Status", "PID", "Source", "Started"
        )
    } else {
        ROW(&["App", "Build ID", "Kind", "PID", "Source", "Started"])
    };
    ctx.out.line(header.trim_end());
    for r in &records {
        let pid = r.pid.to_string();
        let line = if with_status {
            format!(
                "{:<10} {:<15} {:<6} {:<10} {:<6} {:<10} {}",
                r.app,
                r.id,
                r.kind,
                r.display_status(),
                pid,
                r.source,
                r.started_at
            )
        } else {
            ROW(&[&r.app, &r.id, &r.kind, &pid, &r.source, &r.started_at])
        };
        ctx.out.line(line.trim_end());
    }
    Ok(())
}

fn find(ctx: &Ctx, app: &str, id: &str) -> Result<Record> {
    record::read(&ctx.paths, app, id)
        .ok_or_else(|| Error::fail(format!("Build {id} not found for app {app}")))
}

/// `builds:info <app> <build-id> [--format json|stdout]`.
fn info(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--format"]))?;
    let app = app_arg(ctx, &p)?;
    let json = format_of(&p)?;
    let id = p
        .arg(1)
        .ok_or_else(|| Error::fail("Please specify a build id"))?;
    let r = find(ctx, &app, id)?;
    if json {
        ctx.out.line(&json_of(&r, &ctx.paths).to_string());
        return Ok(());
    }
    let log = record::log_path(&ctx.paths, &app, &r.id);
    let finished = r.finished_at.clone().unwrap_or_default();
    let rows: Vec<(&str, String)> = vec![
        ("Build ID", r.id.clone()),
        ("App", r.app.clone()),
        ("Kind", r.kind.clone()),
        ("Status", r.display_status()),
        ("PID", r.pid.to_string()),
        ("Source", r.source.clone()),
        ("Started", r.started_at.clone()),
        ("Finished", finished.clone()),
        (
            "Duration",
            if finished.is_empty() {
                String::new()
            } else {
                record::duration(&r.started_at, &finished)
            },
        ),
        (
            "Exit Code",
            r.exit_code.map(|c| c.to_string()).unwrap_or_default(),
        ),
        ("Log", log.display().to_string()),
    ];
    ctx.out.info2(&format!("Build {}", r.id));
    for (label, value) in rows {
        let line = format!("{:<12}{value}", format!("{label}:"));
        ctx.out.verbose(line.trim_end());
    }
    Ok(())
}

/// `builds:output <app> [<build-id>|current]`: the log of a finished
/// build, or the log of a live one as it grows until the build ends.
fn output(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &[]))?;
    let app = app_arg(ctx, &p)?;
    let id = match p.arg(1) {
        None | Some("current") => match current_id(&ctx.paths, &app) {
            Some(id) => id,
            None if p.arg(1).is_none() => record::list(&ctx.paths, &app)
                .into_iter()
                .next()
                .map(|r| r.id)
                .ok_or_else(|| Error::fail(format!("No builds found for app {app}")))?,
            None => {
                return Err(Error::fail(format!(
                    "No build is currently running for app {app}"
                )))
            }
        },
        Some(id) => id.to_string(),
    };
    find(ctx, &app, &id)?;
    let path = record::log_path(&ctx.paths, &app, &id);
    if !path.exists() {
        return from_journal(&id);
    }
    let mut file = std::fs::File::open(&path).map_err(|e| Error::io("open", &path, e))?;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        file.read_to_end(&mut buf)
            .map_err(|e| Error::io("read", &path, e))?;
        ctx.out.write_out_bytes(&buf);
        let live = record::read(&ctx.paths, &app, &id).is_some_and(|r| r.is_live());
        if !live {
            // What was written between the last read and the end.
            buf.clear();
            file.read_to_end(&mut buf)
                .map_err(|e| Error::io("read", &path, e))?;
            ctx.out.write_out_bytes(&buf);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    Ok(())
}

/// A build without a log file (older than the capture): what syslog kept
/// under the build's tag, as Dokku reads it (`journalctl -t
/// dokku-<build id>`), passed through.
fn from_journal(id: &str) -> Result<()> {
    let status = std::process::Command::new("journalctl")
        .args(["--no-pager", "--output", "cat", "-t"])
        .arg(format!("dokku-{id}"))
        .stdin(std::process::Stdio::null())
        .status()
        .map_err(|e| Error::other("run journalctl", e))?;
    if !status.success() {
        return Err(Error::exit(status.code().unwrap_or(1)));
    }
    Ok(())
}

/// `builds:cancel <app>`: stop the build holding the app's deploy lock,
/// mark it canceled and release the lock.
fn cancel(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &[]))?;
    let app = app_arg(ctx, &p)?;
    let id = current_id(&ctx.paths, &app)
        .ok_or_else(|| Error::fail(format!("No build is currently running for app {app}")))?;
    let r = find(ctx, &app, &id)?;
    if r.status != "running" {
        ctx.out.info1(&format!("Build {id} has already finished"));
        return Ok(());
    }
    let status = if r.is_live() {
        ctx.out.info1(&format!("Canceling build {id}"));
        let pid = nix::unistd::Pid::from_raw(r.pid as i32);
        // The whole group when the build leads one (its children go too),
        // else the process alone.
        let target = match nix::unistd::getpgid(Some(pid)) {
            Ok(g) if g == pid => nix::unistd::Pid::from_raw(-(r.pid as i32)),
            _ => pid,
        };
        let _ = nix::sys::signal::kill(target, nix::sys::signal::Signal::SIGQUIT);
        "canceled"
    } else {
        "failed"
    };
    record::finish(&ctx.paths, r, status, 1)?;
    let lock = apps::deploy_lock_path(&ctx.paths, &app);
    match std::fs::remove_file(&lock) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("remove", lock, e)),
    }
}

/// `builds:prune <app> [--all-apps]`.
fn prune(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&["--all-apps"], &[]))?;
    let apps_to_prune = if p.has("--all-apps") {
        apps::list(&ctx.paths)
    } else {
        vec![app_arg(ctx, &p)?]
    };
    for app in apps_to_prune {
        record::prune(&ctx.paths, &app, retention(&ctx.paths, &app))?;
    }
    Ok(())
}

fn report(ctx: &Ctx, argv: &[String]) -> Result<()> {
    REPORT.command(ctx, argv)
}

fn set(ctx: &Ctx, argv: &[String]) -> Result<()> {
    REPORT.set_command(ctx, argv).map(|_| ())
}
