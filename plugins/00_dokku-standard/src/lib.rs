//! Dokku's standard plugin: host-wide commands, here `dokku report`.

use std::process::Command as Proc;

use dokku_core::{apps, args, Error, Result};
use dokku_trigger::plugin::{Bare, HelpStyle};
use dokku_trigger::triggers::{Install, Report};
use dokku_trigger::{Bus, CorePlugin, Ctx};

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "00_dokku-standard",
    description: "dokku core standard plugin",
    summary: "",
    namespace: Some("report"),
    commands: &[],
    // Dokku's list also has `cleanup`, `url` and `urls`; they join it when
    // they are implemented here.
    help_style: HelpStyle::Standard,
    help: &[
        "help, Print the list of commands",
        "version , Print dokku's version",
    ],
    bare: Bare::Run {
        run: report,
        help_flag: false,
    },
    register,
};

fn register(bus: &mut Bus) {
    bus.on::<Install, _>("00_dokku-standard", |ctx, _t: &Install| install(ctx));
}

/// The install step: `$DOKKU_ROOT/.dokkurc/`, the directory of rc files
/// every run reads (`trace:on` and `events:on` write there), exists and
/// belongs to the system user with everything in it.
fn install(ctx: &Ctx) -> Result<()> {
    let dir = ctx.paths.dokku_root.join(".dokkurc");
    dokku_core::fsutil::ensure_dir(&dir)?;
    dokku_core::system::chown_to_system(&dir);
    if let Ok(rd) = std::fs::read_dir(&dir) {
        for e in rd.flatten() {
            dokku_core::system::chown_to_system(&e.path());
        }
    }
    Ok(())
}

/// Output of a host tool, each line indented as a detail line.
fn tool_lines(ctx: &Ctx, program: &str, argv: &[&str]) {
    match Proc::new(program).args(argv).output() {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout);
            for l in text.lines() {
                ctx.out.verbose(l);
            }
        }
        _ => ctx.out.verbose(&format!("{program} not available")),
    }
}

fn first_line(program: &str, argv: &[&str]) -> String {
    Proc::new(program)
        .args(argv)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_string()
        })
        .unwrap_or_else(|| "not available".into())
}

fn host_report(ctx: &Ctx) {
    ctx.out
        .info1(&format!("uname: {}", first_line("uname", &["-a"])));
    ctx.out.info1("memory: ");
    tool_lines(ctx, "free", &["-m"]);
    ctx.out.info1(&format!(
        "git version: {}",
        first_line("git", &["--version"])
    ));
    ctx.out.info1(&format!(
        "dokku version: dokku version {}",
        env!("CARGO_PKG_VERSION")
    ));
    ctx.out.info1("dokku plugins: ");
    let mut listed = Vec::new();
    for p in dokku_trigger::external::enabled(&ctx.paths) {
        let meta = dokku_trigger::external::read_meta(&p.path);
        listed.push(format!(
            "{} {} enabled {}",
            p.name, meta.version, meta.description
        ));
    }
    for l in listed {
        ctx.out.verbose(&l);
    }
}

/// `dokku report [<app>]`: the host, then every app (or one app), each
/// plugin printing its own report through the `report` trigger.
pub fn report(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], &["--format"]))?;
    match p.arg(0) {
        Some(app) => {
            apps::verify(&ctx.paths, app)?;
            if p.value("--format").is_some() {
                return Err(Error::fail("--format flag not supported on global report"));
            }
            ctx.bus.notify(
                ctx,
                &Report {
                    app: app.to_string(),
                },
            )
        }
        None => {
            if p.value("--format").is_some() {
                return Err(Error::fail("--format flag not supported on global report"));
            }
            host_report(ctx);
            for app in apps::list(&ctx.paths) {
                ctx.bus.notify(ctx, &Report { app })?;
            }
            Ok(())
        }
    }
}
