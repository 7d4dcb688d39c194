//! The cron tasks of an app (from its `app.json`, read through the
//! `app-json-get-content` trigger) and the host-wide ones other plugins add
//! through `cron-entries`, each with its stable id.

use dokku_core::property::GLOBAL;
use dokku_core::{Error, Result};
use dokku_trigger::appjson::AppJson;
use dokku_trigger::cron::CronEntries;
use dokku_trigger::deploy::{first_answer, scheduler_of, AppJsonGetContent};
use dokku_trigger::Ctx;

use crate::props::{self, SCHEMA};
use crate::schedule;

/// Why a task does not run on its schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Maintenance {
    /// It runs.
    Off,
    /// The app (or every app) is in maintenance, or app.json says so.
    App,
    /// The task itself was suspended with `cron:suspend`.
    Task,
}

/// One scheduled task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronTask {
    /// Stable id: base36 of what identifies the task.
    pub id: String,
    /// The app, or `--global` for host-wide tasks.
    pub app: String,
    /// The command run in the app's image (or on the host, for host-wide
    /// tasks).
    pub command: String,
    /// The cron schedule.
    pub schedule: String,
    /// Where host-wide task output is appended, if anywhere.
    pub log_file: String,
    /// What a run does when the previous one still runs: `allow`,
    /// `forbid` or `replace` (app tasks only).
    pub concurrency_policy: String,
    /// Whether it is held back.
    pub maintenance: Maintenance,
}

/// Lowercase base36 of the bytes read as one big-endian number; each
/// leading zero byte is a `0`.
pub fn base36(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    let mut num: Vec<u8> = bytes[zeros..].to_vec();
    let mut digits = Vec::new();
    while !num.is_empty() {
        let mut rem = 0u32;
        let mut next = Vec::with_capacity(num.len());
        for b in &num {
            let acc = rem * 256 + u32::from(*b);
            let q = acc / 36;
            rem = acc % 36;
            if !(next.is_empty() && q == 0) {
                next.push(q as u8);
            }
        }
        digits.push(DIGITS[rem as usize]);
        num = next;
    }
    let mut out = "0".repeat(zeros);
    out.extend(digits.iter().rev().map(|d| char::from(*d)));
    out
}

/// The id of an app task.
pub fn app_task_id(app: &str, command: &str, schedule: &str) -> String {
    base36(format!("{app}==={command}==={schedule}").as_bytes())
}

/// The id of a host-wide task.
pub fn global_task_id(schedule: &str, command: &str) -> String {
    base36(format!("{schedule};;;{command}").as_bytes())
}

fn app_json(ctx: &Ctx, app: &str) -> Result<AppJson> {
    let text = first_answer(
        ctx.bus
            .collect(ctx, &AppJsonGetContent { app: app.into() })?,
    )
    .unwrap_or_default();
    AppJson::parse(&text).map_err(Error::fail)
}

/// The values of app.json's `concurrency_policy` (none: `allow`).
pub const CONCURRENCY_POLICIES: &[&str] = &["allow", "forbid", "replace"];

/// The tasks of an app's current `app.json`; a task without a command or
/// schedule, or with a malformed schedule, is an error.
pub fn for_app(ctx: &Ctx, app: &str) -> Result<Vec<CronTask>> {
    if app == GLOBAL {
        return global(ctx);
    }
    let manifest = app_json(ctx, app)?;
    let in_maintenance = SCHEMA.enabled(&ctx.paths, app, "maintenance");
    let store = SCHEMA.store(&ctx.paths);
    let mut tasks = Vec::new();
    for (i, entry) in manifest.cron.iter().enumerate() {
        let command = entry.command.trim();
        let schedule = entry.schedule.trim();
        if command.is_empty() {
            return Err(Error::fail(format!(
                "Missing cron command for app {app} (index {i})"
            )));
        }
        if schedule.is_empty() {
            return Err(Error::fail(format!(
                "Missing cron schedule for app {app} (index {i})"
            )));
        }
        schedule::check(schedule).map_err(|e| {
            Error::fail(format!(
                "Invalid cron schedule for app {app} (schedule {schedule}): {e}"
            ))
        })?;
        if let Some(op) = bare_operator(command) {
            return Err(Error::fail(format!(
                "Cron command for app {app} (index {i}) contains a bare shell operator: {op}"
            )));
        }
        let policy = entry.concurrency_policy.as_deref().unwrap_or_default();
        if !policy.is_empty() && !CONCURRENCY_POLICIES.contains(&policy) {
            // Dokku's words are not in the reference: these follow the
            // other app.json cron errors.
            return Err(Error::fail(format!(
                "Invalid cron concurrency_policy for app {app} (index {i}): {policy}, valid values: {}",
                CONCURRENCY_POLICIES.join(", ")
            )));
        }
        let id = app_task_id(app, command, schedule);
        let maintenance = if store.get_str(app, &props::task_key(&id)) == "true" {
            Maintenance::Task
        } else if in_maintenance || entry.maintenance == Some(true) {
            Maintenance::App
        } else {
            Maintenance::Off
        };
        tasks.push(CronTask {
            id,
            app: app.to_string(),
            command: command.to_string(),
            schedule: schedule.to_string(),
            log_file: String::new(),
            concurrency_policy: entry
                .concurrency_policy
                .clone()
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| "allow".into()),
            maintenance,
        });
    }
    Ok(tasks)
}

/// The characters of shell operators (`;`, `&&`, `||`, `|`, `&`, `>`,
/// `>>`, `<`, `2>&1`...). The command is split into words and run without
/// a shell, so where one stands unquoted and unescaped, alone or against
/// a word, it would not do what it says.
const OPERATOR_CHARS: &[char] = &[';', '&', '|', '<', '>'];

/// The first unquoted, unescaped shell operator of `command` (the whole
/// run of operator characters, as `&&` or `>>`).
pub fn bare_operator(command: &str) -> Option<String> {
    let mut quote: Option<char> = None;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') | (None, '\\') => {
                chars.next();
            }
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, c) if OPERATOR_CHARS.contains(&c) => {
                let mut op = c.to_string();
                while let Some(n) = chars.next_if(|n| OPERATOR_CHARS.contains(n)) {
                    op.push(n);
                }
                return Some(op);
            }
            (None, _) => {}
        }
    }
    None
}

/// The host-wide tasks other plugins add: `schedule;command;log file`
/// lines. Lines without a schedule or command, or with a malformed
/// schedule, are skipped.
pub fn global(ctx: &Ctx) -> Result<Vec<CronTask>> {
    let scheduler = scheduler_of(ctx, GLOBAL)?;
    let answers = ctx.bus.collect(ctx, &CronEntries { scheduler })?;
    let mut tasks = Vec::new();
    for line in answers.iter().flat_map(|a| a.lines()) {
        let mut parts = line.splitn(3, ';');
        let schedule = parts.next().unwrap_or_default().trim();
        let command = parts.next().unwrap_or_default().trim();
        let log_file = parts.next().unwrap_or_default().trim();
        if schedule.is_empty() || command.is_empty() || schedule::check(schedule).is_err() {
            continue;
        }
        tasks.push(CronTask {
            id: global_task_id(schedule, command),
            app: GLOBAL.to_string(),
            command: command.to_string(),
            schedule: schedule.to_string(),
            log_file: log_file.to_string(),
            concurrency_policy: "allow".into(),
            maintenance: Maintenance::Off,
        });
    }
    Ok(tasks)
}

/// The task of an app with this id.
pub fn find(ctx: &Ctx, app: &str, id: &str) -> Result<CronTask> {
    for_app(ctx, app)?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| {
            Error::fail("No matching Cron ID found. Please check the ID using cron:list")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_base36_of_the_task() {
        assert_eq!(
            global_task_id("@daily", "/bin/true"),
            "5cruaotm4yzzpnjlsdunblj8qyjp"
        );
        assert_eq!(base36(&[0, 0, 1]), "001");
        assert_eq!(base36(&[35]), "z");
        assert_eq!(base36(&[1, 0]), "74");
        assert_eq!(base36(b""), "");
    }

    #[test]
    fn bare_shell_operators_are_found() {
        assert_eq!(bare_operator("a && b").as_deref(), Some("&&"));
        assert_eq!(bare_operator("echo x > /tmp/y").as_deref(), Some(">"));
        assert_eq!(bare_operator("sh -c 'a > b; c'"), None);
        assert_eq!(bare_operator("echo '>' \\; \"|\""), None);
        assert_eq!(bare_operator("npm run send-email"), None);
        // Against a word, it is still the shell's.
        assert_eq!(bare_operator("echo a; echo b").as_deref(), Some(";"));
        assert_eq!(bare_operator("echo x >>/tmp/y").as_deref(), Some(">>"));
        assert_eq!(bare_operator("run 2>&1").as_deref(), Some(">&"));
        assert_eq!(bare_operator("a||b").as_deref(), Some("||"));
        assert_eq!(bare_operator("echo a\\;b \"x|y\" 'p&q'"), None);
    }
}
