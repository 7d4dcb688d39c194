//! The cron plugin against the real engine: app.json `cron` tasks of a
//! deployed app listed, run in a one-off container, suspended and resumed,
//! the system user's crontab regenerated after each change, and bad
//! schedules refused. The crontab is written through a stand-in `crontab`
//! program first on PATH, which keeps it in a scratch directory.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::harness::{EngineApp, Env, Run};

/// A `crontab` that keeps the installed table in its own directory and
/// logs its arguments.
const FAKE_CRONTAB: &str = r#"#!/bin/sh
dir=$(dirname "$0")
echo "$*" >> "$dir/calls"
while [ $# -gt 0 ]; do
  case "$1" in
    -u) shift 2 ;;
    -l) if [ -f "$dir/table" ]; then exec cat "$dir/table"; fi; echo "no crontab" >&2; exit 1 ;;
    -r) exec rm "$dir/table" ;;
    -) exec cat > "$dir/table" ;;
    *) exec cp "$1" "$dir/table" ;;
  esac
done
"#;

struct Cron {
    env: Env,
    bin: PathBuf,
}

impl Cron {
    fn new() -> Cron {
        let env = Env::new();
        let bin = env.lib().join("fake-bin");
        std::fs::create_dir_all(&bin).expect("fake bin dir");
        let script = bin.join("crontab");
        std::fs::write(&script, FAKE_CRONTAB).expect("fake crontab");
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        Cron { env, bin }
    }

    fn run(&self, args: &[&str]) -> Run {
        let path = format!(
            "{}:{}",
            self.bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        self.env
            .cmd(args)
            .env("PATH", path)
            .output()
            .expect("spawn dokku")
            .into()
    }

    #[track_caller]
    fn expect(&self, args: &[&str], want: &str) {
        assert_eq!(self.run(args).ok(), want, "dokku {}", args.join(" "));
    }

    fn table(&self) -> Option<String> {
        std::fs::read_to_string(self.bin.join("table")).ok()
    }

    fn calls(&self) -> String {
        std::fs::read_to_string(self.bin.join("calls")).unwrap_or_default()
    }

    /// Put the app.json the last build would have kept.
    fn app_json(&self, app: &str, text: &str) {
        let dir = self.env.lib().join("data/app-json").join(app);
        std::fs::create_dir_all(&dir).expect("app-json dir");
        std::fs::write(dir.join("app.json"), text).expect("app.json");
    }
}

/// The task id Dokku derives: lowercase base36 of `app===command===schedule`.
fn task_id(app: &str, command: &str, schedule: &str) -> String {
    base36(&format!("{app}==={command}==={schedule}"))
}

/// Lowercase base36 of the text read as one big-endian number.
fn base36(text: &str) -> String {
    let mut num: Vec<u32> = text.bytes().map(u32::from).collect();
    let mut out = Vec::new();
    while !num.is_empty() {
        let mut rem = 0;
        let mut next = Vec::new();
        for b in &num {
            let acc = rem * 256 + b;
            if !(next.is_empty() && acc / 36 == 0) {
                next.push(acc / 36);
            }
            rem = acc % 36;
        }
        out.push(char::from(
            b"0123456789abcdefghijklmnopqrstuvwxyz"[rem as usize],
        ));
        num = next;
    }
    out.iter().rev().collect()
}

fn exists(p: &Path) -> bool {
    p.exists()
}

#[test]
fn deployed_cron_tasks_are_listed_run_scheduled_and_checked() {
    let fx = EngineApp::new("cron-tasks");
    let c = Cron::new();
    let app = fx.name.as_str();
    c.env.create_app(app);
    c.run(&["checks:disable", app]).ok();
    c.run(&["ps:set", app, "stop-timeout-seconds", "1"]).ok();
    fx.build_httpd("hello", "", "");
    c.app_json(
        app,
        r#"{"cron": [
            {"command": "echo cron-says-hi", "schedule": "@daily"},
            {"command": "true", "schedule": "*/5 * * * *"}
        ]}"#,
    );
    c.run(&["deploy", app]).ok();

    let daily = task_id(app, "echo cron-says-hi", "@daily");
    let five = task_id(app, "true", "*/5 * * * *");
    let header = "PATH=/usr/local/bin:/usr/bin:/bin\nSHELL=/bin/bash\n\n";
    let both = format!(
        "{header}@daily dokku cron:run {app} {daily}\n*/5 * * * * dokku cron:run {app} {five}\n"
    );
    assert_eq!(c.table().as_deref(), Some(both.as_str()));
    assert!(c.calls().contains("-u root -\n"), "{}", c.calls());

    // cron:list, as a table and as JSON.
    let w = daily.len().max(five.len());
    c.expect(
        &["cron:list", app],
        &format!(
            "{:w$}  Schedule     Maintenance  Command\n{daily:w$}  @daily       false        echo cron-says-hi\n{five:w$}  */5 * * * *  false        true\n",
            "ID"
        ),
    );
    c.expect(
        &["cron:list", app, "--format", "json"],
        &format!(
            "[{{\"id\":\"{daily}\",\"app\":\"{app}\",\"command\":\"echo cron-says-hi\",\"schedule\":\"@daily\"}},{{\"id\":\"{five}\",\"app\":\"{app}\",\"command\":\"true\",\"schedule\":\"*/5 * * * *\"}}]\n"
        ),
    );
    c.run(&["cron:list", app, "--format", "yaml"])
        .fails_with("Invalid format specified, supported formats: json, stdout");
    c.expect(&["cron:report", app, "--cron-task-count"], "2\n");

    // cron:run runs the command in a one-off container and shows its output.
    let r = c.run(&["cron:run", app, &daily]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("cron-says-hi"), "{r:?}");
    c.run(&["cron:run", app, "nope"])
        .fails_with("No matching Cron ID found. Please check the ID using cron:list");
    c.run(&["cron:run", app, &daily, "--ttl-seconds", "0"])
        .fails_with("--ttl-seconds must be a positive integer");

    // A suspended task leaves the crontab and shows as such; resumed, it
    // comes back.
    c.run(&["cron:suspend", app, &five]).ok();
    assert_eq!(
        c.table().as_deref(),
        Some(format!("{header}@daily dokku cron:run {app} {daily}\n").as_str())
    );
    assert!(c
        .run(&["cron:list", app])
        .ok()
        .contains(&format!("{five:w$}  */5 * * * *  true (task)  true\n")));
    c.expect(
        &["cron:report", app, &format!("--cron-maintenance-{five}")],
        "true\n",
    );
    c.run(&["cron:resume", app, &five]).ok();
    assert_eq!(c.table().as_deref(), Some(both.as_str()));

    // Global mail settings head the crontab; app maintenance empties it.
    c.run(&["cron:set", "--global", "mailto", "ops@example.com"])
        .ok();
    assert_eq!(c.table(), Some(format!("MAILTO=ops@example.com\n{both}")));
    c.run(&["cron:set", app, "mailto", "x@example.com"])
        .fails_with("Property can only be specified globally");
    c.run(&["cron:set", app, "maintenance", "true"]).ok();
    assert_eq!(c.table(), None);
    assert!(
        c.calls().ends_with("-u root -l\n-u root -r\n"),
        "{}",
        c.calls()
    );
    c.run(&["cron:set", app, "maintenance"]).ok();
    assert_eq!(c.table(), Some(format!("MAILTO=ops@example.com\n{both}")));

    // A malformed schedule fails the deploy with the parser's words and
    // leaves the crontab alone.
    c.app_json(
        app,
        r#"{"cron": [{"command": "true", "schedule": "61 * * * *"}]}"#,
    );
    c.run(&["deploy", app]).fails_with(&format!(
        "Invalid cron schedule for app {app} (schedule 61 * * * *): end of range (61) above maximum (59): 61"
    ));
    assert_eq!(c.table(), Some(format!("MAILTO=ops@example.com\n{both}")));
    c.app_json(
        app,
        r#"{"cron": [{"command": "true", "schedule": "* * *"}]}"#,
    );
    c.run(&["cron:list", app]).fails_with(&format!(
        "Invalid cron schedule for app {app} (schedule * * *): expected exactly 5 fields, found 3: [* * *]"
    ));

    c.app_json(
        app,
        r#"{"cron": [{"command": "echo a && echo b", "schedule": "@daily"}]}"#,
    );
    c.run(&["cron:list", app]).fails_with(&format!(
        "Cron command for app {app} (index 0) contains a bare shell operator: &&"
    ));

    // Destroying the last app with tasks removes the crontab.
    c.app_json(
        app,
        r#"{"cron": [{"command": "true", "schedule": "@hourly"}]}"#,
    );
    c.run(&["apps:destroy", app, "--force"]).ok();
    assert_eq!(c.table(), None);
    assert!(!exists(&c.env.root().join(app)));
}

#[test]
fn host_wide_tasks_come_from_the_cron_entries_trigger() {
    let c = Cron::new();
    let dir = c.env.lib().join("plugins/enabled/test-cron");
    std::fs::create_dir_all(&dir).expect("plugin dir");
    let script = dir.join("cron-entries");
    std::fs::write(
        &script,
        "#!/bin/sh\necho '@daily;/bin/true;'\necho '@hourly;/usr/bin/backup --all;/var/log/backup.log'\necho 'not a task'\n",
    )
    .expect("script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");

    // The id of Dokku's documented example.
    let daily = "5cruaotm4yzzpnjlsdunblj8qyjp";
    assert_eq!(base36("@daily;;;/bin/true"), daily);
    let hourly = base36("@hourly;;;/usr/bin/backup --all");
    let w = hourly.len();
    c.expect(
        &["cron:list", "--global"],
        &format!(
            "{:w$}  Schedule  Maintenance  Command\n{daily:w$}  @daily    false        /bin/true\n{hourly}  @hourly   false        /usr/bin/backup --all\n",
            "ID"
        ),
    );

    // Any change writes them out, with their log file.
    c.run(&["cron:set", "--global", "mailfrom", "cron@example.com"])
        .ok();
    assert_eq!(
        c.table().as_deref(),
        Some(
            "MAILFROM=cron@example.com\nPATH=/usr/local/bin:/usr/bin:/bin\nSHELL=/bin/bash\n\n@daily /bin/true\n@hourly /usr/bin/backup --all &>> /var/log/backup.log\n"
        )
    );
    c.expect(
        &["cron:report", "--global", "--cron-computed-mailfrom"],
        "cron@example.com\n",
    );
}
