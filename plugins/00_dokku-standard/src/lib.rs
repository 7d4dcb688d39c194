//! Dokku's standard plugin: the commands outside any namespace (`report`,
//! `url`, `urls`, `cleanup`, `deploy`).

mod install;

use std::process::Command as Proc;

use dokku_core::deploy_lock::DeployLock;
use dokku_core::{apps, args, Error, Result};
use dokku_trigger::deploy::ReleaseAndDeploy;
use dokku_trigger::plugin::{Bare, Command, HelpStyle};
use dokku_trigger::proxy::DomainsUrls;
use dokku_trigger::release;
use dokku_trigger::triggers::Report;
use dokku_trigger::{Bus, CorePlugin, Ctx};

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: "00_dokku-standard",
    description: "dokku core standard plugin",
    summary: "",
    namespace: Some("report"),
    commands: &[
        Command {
            name: "url",
            takes_app: true,
            run: url,
        },
        Command {
            name: "urls",
            takes_app: true,
            run: urls,
        },
        Command {
            name: "cleanup",
            takes_app: true,
            run: cleanup,
        },
        Command {
            name: "deploy",
            takes_app: true,
            run: deploy,
        },
    ],
    help_style: HelpStyle::Standard,
    help: &[
        "help, Print the list of commands",
        "version , Print dokku's version",
        "cleanup [<app>], Cleans up exited/dead Docker containers and removes dangling images",
        "url <app>, Show the first URL for an application (compatibility)",
        "urls <app>, Show all URLs for an application",
    ],
    bare: Bare::Run {
        run: report,
        help_flag: false,
    },
    register,
};

fn register(bus: &mut Bus) {
    bus.on_install("00_dokku-standard", install::install);
}

/// The app argument of a standard command: present, valid and existing
/// (checked as Dokku's shell library does).
fn app_arg(ctx: &Ctx, argv: &[String]) -> Result<String> {
    let app = argv
        .first()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| Error::fail(apps::MISSING_APP))?;
    apps::verify_as_shell(&ctx.paths, app)?;
    Ok(app.clone())
}

/// Print the answers of `domains-urls` for `url_type` (`url` or `urls`).
fn print_urls(ctx: &Ctx, argv: &[String], url_type: &str) -> Result<()> {
    let app = app_arg(ctx, argv)?;
    let urls = ctx.bus.collect(
        ctx,
        &DomainsUrls {
            app,
            url_type: url_type.into(),
        },
    )?;
    for u in urls.into_iter().flatten() {
        ctx.out.line(&u);
    }
    Ok(())
}

/// `dokku url <app>`: the app's first URL.
fn url(ctx: &Ctx, argv: &[String]) -> Result<()> {
    print_urls(ctx, argv, "url")
}

/// `dokku urls <app>`: every URL of the app.
fn urls(ctx: &Ctx, argv: &[String]) -> Result<()> {
    print_urls(ctx, argv, "urls")
}

/// `dokku cleanup [<app>]`: remove stopped containers and dangling images
/// (of one app, or of every app), whatever the skip settings say.
fn cleanup(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = match argv.first().filter(|a| !a.is_empty()) {
        Some(a) if a != "--global" => {
            apps::verify_as_shell(&ctx.paths, a)?;
            a.clone()
        }
        _ => String::new(),
    };
    dokku_trigger::cleanup::docker_cleanup(ctx, &app, true)
}

/// `dokku deploy <app> [<tag>]`: release and deploy the app's image (the
/// given tag, else `latest`). Without that image there is nothing to
/// deploy, and nothing happens.
fn deploy(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let app = app_arg(ctx, argv)?;
    let image_tag = argv.get(1).cloned().unwrap_or_default();
    if release::inspect(ctx, &release::image(&app, &image_tag))?.is_none() {
        return Ok(());
    }
    let _lock = DeployLock::acquire(&ctx.paths, &app, &ctx.out)?;
    ctx.bus.notify(ctx, &ReleaseAndDeploy { app, image_tag })
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

/// The installed version, as `dokku version` prints it.
fn dokku_version(ctx: &Ctx) -> String {
    let v = std::fs::read_to_string(ctx.paths.lib_root.join("VERSION"))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| env!("CARGO_PKG_VERSION").to_string());
    format!("dokku version {}", v.strip_prefix('v').unwrap_or(&v))
}

/// The host section of `dokku report`: the system, the engine, the tools
/// and the plugins, each under its `----->` heading.
fn host_report(ctx: &Ctx) {
    ctx.out
        .info1(&format!("uname: {}", first_line("uname", &["-a"])));
    ctx.out.info1("memory: ");
    tool_lines(ctx, "free", &["-m"]);
    ctx.out.info1("docker version: ");
    tool_lines(ctx, "docker", &["version"]);
    ctx.out.info1("docker daemon info: ");
    tool_lines(ctx, "docker", &["info"]);
    ctx.out.info1(&format!(
        "git version: {}",
        first_line("git", &["--version"])
    ));
    ctx.out
        .info1(&format!("sigil version: {}", first_line("sigil", &["-v"])));
    ctx.out.info1("herokuish version: ");
    let herokuish = std::env::var("DOKKU_IMAGE")
        .ok()
        .filter(|i| !i.is_empty())
        .unwrap_or_else(|| "gliderlabs/herokuish:latest-24".into());
    match release::inspect(ctx, &herokuish) {
        Ok(Some(_)) => ctx.out.verbose(&herokuish),
        _ => ctx
            .out
            .warn(&format!("Herokuish image {herokuish} is not available")),
    }
    ctx.out
        .info1(&format!("dokku version: {}", dokku_version(ctx)));
    ctx.out.info1("plugn version: dev");
    ctx.out.info1("dokku plugins: ");
    for p in dokku_trigger::external::enabled(&ctx.paths) {
        let meta = dokku_trigger::external::read_meta(&p.path);
        // `plugn list`'s columns.
        ctx.out.verbose(&format!(
            "  {:<20} {:<5} {:<10} {}",
            p.name, meta.version, "enabled", meta.description
        ));
    }
}

/// `dokku report [<app>|--all]`: the host, then every app (or one app),
/// each plugin printing its own report through the `report` trigger.
pub fn report(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&["--all"], &["--format"]))?;
    match p.arg(0) {
        Some(app) => {
            apps::verify_as_shell(&ctx.paths, app)?;
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
            // One batch: plugins read shared state (containers) once.
            ctx.begin_batch();
            let mut r = Ok(());
            for app in apps::list(&ctx.paths) {
                r = ctx.bus.notify(ctx, &Report { app });
                if r.is_err() {
                    break;
                }
            }
            ctx.end_batch().and(r)
        }
    }
}
