//! The host crontab of the system user, regenerated in full from the tasks
//! of every app whose scheduler uses the host cron, plus the host-wide
//! tasks. No task: the crontab is removed.

use std::io::Write;
use std::process::{Command, Stdio};

use dokku_core::property::GLOBAL;
use dokku_core::{apps, Error, Result};
use dokku_trigger::cron::SchedulerUsesHostCron;
use dokku_trigger::deploy::scheduler_of;
use dokku_trigger::Ctx;

use crate::props::SCHEMA;
use crate::tasks::{self, CronTask, Maintenance};

/// The `PATH` of the crontab, as Dokku writes it.
pub const CRON_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

/// How the crontab's lines reach this installation. For a standard one
/// (the binary found as `dokku` on the crontab's `PATH`, Dokku's default
/// roots and user) this is `dokku` and nothing else, and the crontab is
/// Dokku's word for word. Otherwise the lines name the binary by its path
/// and the variables that locate the installation follow `SHELL`, so the
/// tasks cron starts act on the installation that scheduled them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installation {
    /// The command word for the binary.
    pub bin: String,
    /// `NAME=value` lines.
    pub env: Vec<(String, String)>,
}

impl Default for Installation {
    fn default() -> Self {
        Installation {
            bin: "dokku".into(),
            env: Vec::new(),
        }
    }
}

/// A path as one word of a cron command line (run by bash; `%` is cron's
/// newline unless escaped).
fn cron_word(path: &str) -> String {
    let plain = path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+".contains(c));
    if plain {
        path.to_string()
    } else {
        format!("'{}'", path.replace('\'', "'\\''")).replace('%', "\\%")
    }
}

impl Installation {
    /// The installation this process belongs to.
    pub fn current(paths: &dokku_core::Paths) -> Installation {
        let exe = std::env::current_exe()
            .ok()
            .and_then(|p| std::fs::canonicalize(p).ok());
        let on_path = CRON_PATH
            .split(':')
            .map(|d| std::path::Path::new(d).join("dokku"))
            .find(|p| p.exists())
            .and_then(|p| std::fs::canonicalize(p).ok());
        let bin = match exe {
            Some(exe) if on_path.as_ref() != Some(&exe) => cron_word(&exe.display().to_string()),
            _ => "dokku".into(),
        };
        let default_root = dokku_core::system::home_of("dokku")
            .unwrap_or_else(|| std::path::PathBuf::from("/home/dokku"));
        let mut env = Vec::new();
        let mut differs = |name: &str, value: String, default: &str| {
            if value != default && !value.contains('\n') {
                env.push((name.to_string(), value));
            }
        };
        differs(
            "DOKKU_ROOT",
            paths.dokku_root.display().to_string(),
            &default_root.display().to_string(),
        );
        differs(
            "DOKKU_LIB_ROOT",
            paths.lib_root.display().to_string(),
            "/var/lib/dokku",
        );
        differs(
            "DOKKU_LOGS_DIR",
            paths.logs_dir.display().to_string(),
            "/var/log/dokku",
        );
        differs("DOKKU_SYSTEM_USER", paths.system_user.clone(), "dokku");
        differs(
            "DOKKU_SYSTEM_GROUP",
            paths.system_group.clone(),
            &paths.system_user,
        );
        Installation { bin, env }
    }
}

/// The crontab text for these tasks, or `None` when nothing is scheduled.
pub fn render(
    mailfrom: &str,
    mailto: &str,
    install: &Installation,
    list: &[CronTask],
) -> Option<String> {
    let lines: Vec<String> = list
        .iter()
        .filter(|t| t.maintenance == Maintenance::Off)
        .map(|t| {
            if t.app == GLOBAL {
                if t.log_file.is_empty() {
                    format!("{} {}", t.schedule, t.command)
                } else {
                    format!("{} {} &>> {}", t.schedule, t.command, t.log_file)
                }
            } else {
                format!("{} {} cron:run {} {}", t.schedule, install.bin, t.app, t.id)
            }
        })
        .collect();
    if lines.is_empty() {
        return None;
    }
    let mut out = String::new();
    if !mailfrom.is_empty() {
        out.push_str(&format!("MAILFROM={mailfrom}\n"));
    }
    if !mailto.is_empty() {
        out.push_str(&format!("MAILTO={mailto}\n"));
    }
    out.push_str(&format!("PATH={CRON_PATH}\nSHELL=/bin/bash\n"));
    for (k, v) in &install.env {
        out.push_str(&format!("{k}={v}\n"));
    }
    out.push('\n');
    for l in lines {
        out.push_str(&l);
        out.push('\n');
    }
    Some(out)
}

/// Every task that belongs in the host crontab. Apps whose app.json
/// cannot be read are left out rather than failing the whole write.
pub fn host_tasks(ctx: &Ctx) -> Result<Vec<CronTask>> {
    let mut list = Vec::new();
    for app in apps::list(&ctx.paths) {
        let scheduler = scheduler_of(ctx, &app)?;
        let uses = ctx
            .bus
            .select(ctx, &SchedulerUsesHostCron { scheduler })?
            .unwrap_or(false);
        if uses {
            list.extend(tasks::for_app(ctx, &app).unwrap_or_default());
        }
    }
    list.extend(tasks::global(ctx)?);
    Ok(list)
}

fn crontab(ctx: &Ctx, args: &[&str]) -> Command {
    let mut cmd = Command::new("crontab");
    // root names the user; the user itself may not use -u everywhere.
    if dokku_core::system::is_root() {
        cmd.args(["-u", &ctx.paths.system_user]);
    }
    cmd.args(args);
    cmd
}

/// Regenerate the crontab from every app.
pub fn write(ctx: &Ctx) -> Result<()> {
    let list = host_tasks(ctx)?;
    let mailfrom = SCHEMA.computed(&ctx.paths, GLOBAL, "mailfrom");
    let mailto = SCHEMA.computed(&ctx.paths, GLOBAL, "mailto");
    let here = Installation::current(&ctx.paths);
    match render(&mailfrom, &mailto, &here, &list) {
        Some(text) => install(ctx, &text),
        None => remove(ctx),
    }
}

fn install(ctx: &Ctx, text: &str) -> Result<()> {
    let fail = |e: std::io::Error| Error::other("write the crontab", e);
    let mut child = crontab(ctx, &["-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(fail)?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(text.as_bytes()).map_err(fail)?;
    }
    let out = child.wait_with_output().map_err(fail)?;
    Error::from_output("write the crontab", &out)
}

/// Remove the crontab if there is one; without a `crontab` program there
/// is none.
fn remove(ctx: &Ctx) -> Result<()> {
    let listed = crontab(ctx, &["-l"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    match listed {
        Ok(s) if s.success() => {}
        _ => return Ok(()),
    }
    let out = crontab(ctx, &["-r"])
        .output()
        .map_err(|e| Error::other("remove the crontab", e))?;
    Error::from_output("remove the crontab", &out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(app: &str, schedule: &str, m: Maintenance) -> CronTask {
        CronTask {
            id: tasks::app_task_id(app, "true", schedule),
            app: app.into(),
            command: "true".into(),
            schedule: schedule.into(),
            log_file: String::new(),
            concurrency_policy: "allow".into(),
            maintenance: m,
        }
    }

    #[test]
    fn crontab_layout() {
        let list = vec![
            task("a", "@daily", Maintenance::Off),
            task("b", "* * * * *", Maintenance::Task),
            CronTask {
                id: "x".into(),
                app: GLOBAL.into(),
                command: "/bin/true".into(),
                schedule: "@hourly".into(),
                log_file: "/var/log/x.log".into(),
                concurrency_policy: "allow".into(),
                maintenance: Maintenance::Off,
            },
        ];
        let standard = Installation::default();
        insta::assert_snapshot!(render("from@x", "to@x", &standard, &list).expect("text"), @r"
        MAILFROM=from@x
        MAILTO=to@x
        PATH=/usr/local/bin:/usr/bin:/bin
        SHELL=/bin/bash

        @daily dokku cron:run a 14xqn1uy8pojka9xwmlnlgo9uux
        @hourly /bin/true &>> /var/log/x.log
        ");
        assert_eq!(render("", "", &standard, &list[1..2]), None);
        let other = Installation {
            bin: cron_word("/opt/my dokku/100%/dokku"),
            env: vec![("DOKKU_ROOT".into(), "/srv/dokku".into())],
        };
        insta::assert_snapshot!(render("", "", &other, &list[..1]).expect("text"), @r"
        PATH=/usr/local/bin:/usr/bin:/bin
        SHELL=/bin/bash
        DOKKU_ROOT=/srv/dokku

        @daily '/opt/my dokku/100\%/dokku' cron:run a 14xqn1uy8pojka9xwmlnlgo9uux
        ");
    }
}
