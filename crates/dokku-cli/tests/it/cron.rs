//! The cron plugin against the real engine: app.json `cron` tasks of a
//! deployed app listed, run in a one-off container, suspended and resumed,
//! the system user's crontab regenerated after each change, and bad
//! schedules refused. The crontab is written through a stand-in `crontab`
//! program first on PATH, which keeps it in a scratch directory.

use dokku_docker::ContainerEngine;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::harness::write_file;
use crate::harness::write_script;
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
        write_script(&script, FAKE_CRONTAB);
        Cron { env, bin }
    }

    fn run(&self, args: &[&str]) -> Run {
        self.env.run_with_path(&self.bin, args)
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
        write_file(
            &self
                .env
                .lib()
                .join("data/app-json")
                .join(app)
                .join("app.json"),
            text,
        );
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

/// How the crontab names the binary under test: by its path, as it is not
/// the `dokku` on the crontab's PATH.
fn bin() -> String {
    std::fs::canonicalize(env!("CARGO_BIN_EXE_dokku"))
        .expect("binary")
        .display()
        .to_string()
}

/// The crontab's head for a test installation: Dokku's PATH and SHELL,
/// then the variables that locate the installation (its roots differ from
/// Dokku's defaults).
fn header(env: &Env, user: &str) -> String {
    let mut h = format!(
        "PATH=/usr/local/bin:/usr/bin:/bin\nSHELL=/bin/bash\nDOKKU_ROOT={}\nDOKKU_LIB_ROOT={}\nDOKKU_LOGS_DIR={}\n",
        env.root().display(),
        env.lib().display(),
        env.dir.path().join("logs").display()
    );
    if user != "dokku" {
        h.push_str(&format!("DOKKU_SYSTEM_USER={user}\n"));
    }
    h.push('\n');
    h
}

/// A deployed app (busybox httpd, checks off, a 1 s stop timeout) whose
/// app.json holds `app_json`, with the fake crontab.
fn deployed_with_tasks(test: &str, app_json: &str) -> (EngineApp, Cron) {
    let fx = EngineApp::new(test);
    let c = Cron::new();
    let app = fx.name.as_str();
    c.env.create_app(app);
    c.run(&["checks:disable", app]).ok();
    c.run(&["ps:set", app, "stop-timeout-seconds", "1"]).ok();
    fx.build_httpd("hello", "", "");
    c.app_json(app, app_json);
    c.run(&["deploy", app]).ok();
    (fx, c)
}

fn exists(p: &Path) -> bool {
    p.exists()
}

#[test]
fn deployed_cron_tasks_are_listed_run_scheduled_and_checked() {
    let (fx, c) = deployed_with_tasks(
        "cron-tasks",
        r#"{"cron": [
            {"command": "echo cron-says-hi", "schedule": "@daily"},
            {"command": "true", "schedule": "*/5 * * * *"}
        ]}"#,
    );
    let app = fx.name.as_str();

    let daily = task_id(app, "echo cron-says-hi", "@daily");
    let five = task_id(app, "true", "*/5 * * * *");
    let header = header(&c.env, "root");
    let bin = bin();
    let both = format!(
        "{header}@daily {bin} cron:run {app} {daily}\n*/5 * * * * {bin} cron:run {app} {five}\n"
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
    // Detached, the one-off container's name is printed and it goes on
    // alone (removed when done).
    let r = c.run(&["cron:run", app, &daily, "--detach"]);
    let name = r.ok().trim();
    assert!(
        name.strip_prefix(&format!("{app}.run."))
            .is_some_and(|n| n.parse::<u32>().is_ok()),
        "{r:?}"
    );
    c.run(&["cron:run", app, "nope"])
        .fails_with("No matching Cron ID found. Please check the ID using cron:list");
    c.run(&["cron:run", app, &daily, "--ttl-seconds", "0"])
        .fails_with("--ttl-seconds must be a positive integer");

    // A suspended task leaves the crontab and shows as such; resumed, it
    // comes back.
    c.run(&["cron:suspend", app, &five]).ok();
    assert_eq!(
        c.table().as_deref(),
        Some(format!("{header}@daily {bin} cron:run {app} {daily}\n").as_str())
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

/// app.json cron tasks are checked as the docs say: a `concurrency_policy`
/// of `allow`, `forbid` or `replace` only, and no shell operator left
/// unquoted, standing alone or against a word. A refused app.json fails
/// the commands that read it and changes nothing.
#[test]
fn app_json_cron_tasks_are_validated() {
    let c = Cron::new();
    c.env.create_app("checked");
    let refused = [
        (
            r#"{"cron": [{"command": "true", "schedule": "@daily", "concurrency_policy": "sometimes"}]}"#,
            "Invalid cron concurrency_policy for app checked (index 0): sometimes, valid values: allow, forbid, replace",
        ),
        (
            r#"{"cron": [{"command": "true", "schedule": "@daily"}, {"command": "echo a; echo b", "schedule": "@daily"}]}"#,
            "Cron command for app checked (index 1) contains a bare shell operator: ;",
        ),
        (
            r#"{"cron": [{"command": "echo a >>/tmp/x", "schedule": "@daily"}]}"#,
            "Cron command for app checked (index 0) contains a bare shell operator: >>",
        ),
        (
            r#"{"cron": [{"command": "make 2>&1", "schedule": "@daily"}]}"#,
            "Cron command for app checked (index 0) contains a bare shell operator: >&",
        ),
        (
            r#"{"cron": [{"command": "true", "schedule": "@sometimes"}]}"#,
            "Invalid cron schedule for app checked (schedule @sometimes): unrecognized descriptor: @sometimes",
        ),
    ];
    for (json, message) in refused {
        c.app_json("checked", json);
        let before = c.env.state();
        c.run(&["cron:list", "checked"]).fails_with(message);
        c.run(&["cron:run", "checked", "x"]).fails_with(message);
        assert!(c.env.state() == before, "state changed for {json}");
    }
    assert_eq!(c.table(), None);

    // Quoted or escaped, operators are the command's own words; every
    // policy the docs name is taken.
    c.app_json(
        "checked",
        r#"{"cron": [
            {"command": "sh -c 'a > b; c'", "schedule": "@daily", "concurrency_policy": "allow"},
            {"command": "echo \"x|y\" a\\;b", "schedule": "@daily", "concurrency_policy": "forbid"},
            {"command": "true", "schedule": "@daily", "concurrency_policy": "replace"}
        ]}"#,
    );
    c.expect(&["cron:report", "checked", "--cron-task-count"], "3\n");
}

#[test]
fn host_wide_tasks_come_from_the_cron_entries_trigger() {
    let c = Cron::new();
    let dir = c.env.lib().join("plugins/enabled/test-cron");
    std::fs::create_dir_all(&dir).expect("plugin dir");
    let script = dir.join("cron-entries");
    write_script(&script, "#!/bin/sh\necho '@daily;/bin/true;'\necho '@hourly;/usr/bin/backup --all;/var/log/backup.log'\necho 'not a task'\n");

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
            format!(
                "MAILFROM=cron@example.com\n{}@daily /bin/true\n@hourly /usr/bin/backup --all &>> /var/log/backup.log\n",
                header(&c.env, "root")
            )
            .as_str()
        )
    );
    c.expect(
        &["cron:report", "--global", "--cron-computed-mailfrom"],
        "cron@example.com\n",
    );
}

/// A system user of a real-cron test, removed with its crontab and its
/// mailbox: the cron user (in the `docker` group, its home the test
/// installation's DOKKU_ROOT) or the user cron mails output to.
struct SystemUser {
    name: String,
}

impl SystemUser {
    fn create(prefix: &str, home: &Path, groups: &[&str]) -> SystemUser {
        let name = format!("{prefix}{}", std::process::id());
        let mut last = None;
        for _ in 0..20 {
            let mut cmd = std::process::Command::new("useradd");
            cmd.args(["--system", "--user-group", "--no-create-home"])
                .arg("--home-dir")
                .arg(home)
                .args(["--shell", "/bin/bash"]);
            if !groups.is_empty() {
                cmd.arg("--groups").arg(groups.join(","));
            }
            let out = cmd.arg(&name).output().expect("useradd");
            if out.status.success() {
                return SystemUser { name };
            }
            last = Some(out);
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("useradd {name}: {last:?}");
    }

    fn mailbox(&self) -> PathBuf {
        Path::new("/var/mail").join(&self.name)
    }
}

impl Drop for SystemUser {
    fn drop(&mut self) {
        let _ = std::process::Command::new("crontab")
            .args(["-r", "-u", &self.name])
            .output();
        for _ in 0..20 {
            let r = std::process::Command::new("userdel")
                .arg("-f")
                .arg(&self.name)
                .output();
            if matches!(r.map(|o| o.status.code()), Ok(Some(0 | 6))) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let _ = std::process::Command::new("groupdel")
            .arg(&self.name)
            .output();
        let _ = std::fs::remove_file(self.mailbox());
    }
}

/// The real thing: Debian's cron daemon (started by tests/setup-host.sh)
/// reads the system user's crontab as the plugin writes it (`crontab -`
/// run as that user), and an every-minute app.json task runs through
/// `cron:run` in a one-off container of the app, with the app's env and
/// storage mounts; cron logs the command it started to syslog, and mails
/// the task's output (MAILTO, MAILFROM from `cron:set --global`) through
/// the host's MTA (exim4, local delivery only, from tests/setup-host.sh)
/// to the local mailbox of the test's mail user.
#[test]
fn the_cron_daemon_runs_an_app_json_task_every_minute() {
    use std::process::Command;
    assert!(
        nix::unistd::Uid::effective().is_root(),
        "this test runs as root (useradd, crontab -u)"
    );
    let running = Command::new("pgrep")
        .args(["-x", "cron"])
        .output()
        .expect("pgrep");
    assert!(
        running.status.success(),
        "the cron daemon runs (tests/setup-host.sh starts it)"
    );
    let fx = EngineApp::new("cron-daemon");
    let env = Env::new();
    let user = SystemUser::create("dkcron", &env.root(), &["docker"]);
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755))
        .expect("chmod");
    // Whom cron mails the task's output to: a local user with a home
    // (the MTA delivers from there) and a mailbox in /var/mail.
    let mail_home = env.dir.path().join("mail-home");
    std::fs::create_dir_all(&mail_home).expect("mkdir");
    let mail_user = SystemUser::create("dkmail", &mail_home, &[]);
    let st = Command::new("chown")
        .arg(&mail_user.name)
        .arg(&mail_home)
        .status()
        .expect("chown");
    assert!(st.success());
    assert!(
        Path::new("/usr/sbin/sendmail").exists(),
        "a local MTA provides /usr/sbin/sendmail (tests/setup-host.sh installs one)"
    );
    let out_dir = env.dir.path().join("cron-out");
    std::fs::create_dir_all(&out_dir).expect("mkdir");
    std::fs::set_permissions(&out_dir, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    for d in [env.root(), env.lib()] {
        let st = Command::new("chown")
            .arg("-R")
            .arg(format!("{0}:{0}", user.name))
            .arg(d)
            .status()
            .expect("chown");
        assert!(st.success());
    }
    // The binary under test, where the user may run it whatever the
    // checkout's permissions: the crontab names the binary that wrote it.
    let copy = env.dir.path().join("bin/dokku");
    std::fs::create_dir_all(copy.parent().expect("parent")).expect("mkdir");
    std::fs::copy(env!("CARGO_BIN_EXE_dokku"), &copy).expect("copy binary");
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let as_user = |args: &[&str]| -> Run {
        let base = env.cmd(args);
        let mut c = Command::new(&copy);
        c.args(args).env_clear().stdin(std::process::Stdio::null());
        for (k, v) in base.get_envs() {
            if let Some(v) = v {
                c.env(k, v);
            }
        }
        c.env("DOKKU_SYSTEM_USER", &user.name)
            .env("DOKKU_SYSTEM_GROUP", &user.name)
            .output()
            .expect("run")
            .into()
    };
    let app = fx.name.as_str();
    as_user(&["apps:create", app]).ok();
    as_user(&["checks:disable", app]).ok();
    as_user(&["ps:set", app, "stop-timeout-seconds", "1"]).ok();
    as_user(&["config:set", "--no-restart", app, "CRON_GREETING=hello"]).ok();
    let mount = format!("{}:/data", out_dir.display());
    as_user(&["storage:mount", app, &mount]).ok();
    as_user(&["cron:set", "--global", "mailto", &mail_user.name]).ok();
    as_user(&[
        "cron:set",
        "--global",
        "mailfrom",
        "cron-sender@example.test",
    ])
    .ok();
    fx.build_httpd("hello", "", "");
    let command =
        "sh -c 'echo cron-ran $CRON_GREETING >> /data/out && echo cron-mailed $CRON_GREETING'";
    let dir = env.lib().join("data/app-json").join(app);
    std::fs::create_dir_all(&dir).expect("app-json dir");
    std::fs::write(
        dir.join("app.json"),
        format!(
            "{{\"cron\": [{{\"command\": {}, \"schedule\": \"* * * * *\"}}]}}",
            serde_json::to_string(command).expect("json")
        ),
    )
    .expect("app.json");
    Command::new("chown")
        .arg("-R")
        .arg(format!("{0}:{0}", user.name))
        .arg(env.lib().join("data/app-json"))
        .status()
        .expect("chown");
    let r = as_user(&["deploy", app]);
    assert_eq!(r.code, 0, "{}", r.stderr);

    // The user's crontab, as the plugin wrote it.
    let id = task_id(app, command, "* * * * *");
    let table = Command::new("crontab")
        .args(["-l", "-u", &user.name])
        .output()
        .expect("crontab -l");
    let table = String::from_utf8_lossy(&table.stdout).into_owned();
    assert_eq!(
        table,
        format!(
            "MAILFROM=cron-sender@example.test\nMAILTO={}\n{}* * * * * {} cron:run {app} {id}\n",
            mail_user.name,
            header(&env, &user.name),
            copy.display()
        )
    );

    // cron reads new crontabs at the turn of a minute and then starts the
    // task: up to two minutes, and a generous margin.
    let out_file = out_dir.join("out");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(200);
    while !out_file.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_secs(2));
    }
    let ran = std::fs::read_to_string(&out_file).unwrap_or_default();
    assert!(
        ran.lines().next() == Some("cron-ran hello"),
        "the task did not run within the wait: {ran:?}"
    );
    // cron said which command it started, for this user.
    let started = format!(
        "({}) CMD ({} cron:run {app} {id})",
        user.name,
        copy.display()
    );
    let mut logged = false;
    for _ in 0..50 {
        let syslog = std::fs::read("/var/log/syslog").unwrap_or_default();
        if String::from_utf8_lossy(&syslog).contains(&started) {
            logged = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(logged, "no {started:?} in /var/log/syslog");
    // Without vector, the task's output goes where cron mails it: the
    // MAILTO user's local mailbox, in a message about the crontab line.
    let mut mail = String::new();
    for _ in 0..150 {
        mail = String::from_utf8_lossy(&std::fs::read(mail_user.mailbox()).unwrap_or_default())
            .into_owned();
        if mail.lines().any(|l| l == "cron-mailed hello") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(
        mail.lines().any(|l| l == "cron-mailed hello"),
        "no task output in {}: {mail:?}",
        mail_user.mailbox().display()
    );
    assert!(
        mail.lines().any(|l| l.starts_with("Subject: Cron <")),
        "{mail}"
    );
    assert!(mail.contains(&format!("cron:run {app} {id}")), "{mail}");

    // The task's one-off containers are gone once it has run.
    as_user(&["cron:set", app, "maintenance", "true"]).ok();
    let table = Command::new("crontab")
        .args(["-l", "-u", &user.name])
        .output()
        .expect("crontab -l");
    assert!(!table.status.success(), "the crontab is removed");
    let filter = dokku_docker::ContainerFilter::label(format!("com.dokku.cron-id={id}"));
    let mut left = Vec::new();
    for _ in 0..60 {
        left = fx.engine.list_containers(&filter).expect("list");
        if left.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    assert!(left.is_empty(), "{left:?}");
    as_user(&["apps:destroy", app, "--force"]).ok();
}

/// app.json's `concurrency_policy`: a `forbid` task does not start while
/// a run of it still goes, a `replace` task removes that run first, an
/// `allow` task runs beside it.
#[test]
fn concurrency_policies_of_cron_tasks() {
    let (fx, c) = deployed_with_tasks(
        "cron-concurrency",
        r#"{"cron": [
            {"command": "sleep 60", "schedule": "@daily", "concurrency_policy": "forbid"},
            {"command": "sleep 61", "schedule": "@daily", "concurrency_policy": "replace"},
            {"command": "sleep 62", "schedule": "@daily"}
        ]}"#,
    );
    let app = fx.name.as_str();
    let running = |id: &str| -> Vec<String> {
        let filter = dokku_docker::ContainerFilter {
            labels: vec![format!("com.dokku.cron-id={id}")],
            statuses: vec!["running".into()],
            ..Default::default()
        };
        let mut names: Vec<String> = fx
            .engine
            .list_containers(&filter)
            .expect("list")
            .into_iter()
            .map(|s| s.names.join(","))
            .collect();
        names.sort();
        names
    };

    let forbid = task_id(app, "sleep 60", "@daily");
    let first = c.run(&["cron:run", app, &forbid, "--detach"]);
    assert_eq!(running(&forbid).len(), 1, "{first:?}");
    let r = c.run(&["cron:run", app, &forbid, "--detach"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{r:?}");
    assert_eq!(
        r.stderr,
        format!(" !     {app} currently has a cron lock in place for {forbid}. Exiting...\n")
    );
    assert_eq!(running(&forbid).len(), 1);

    let replace = task_id(app, "sleep 61", "@daily");
    let first = c.run(&["cron:run", app, &replace, "--detach"]);
    let first_name = first.ok().trim().to_string();
    let r = c.run(&["cron:run", app, &replace, "--detach"]);
    let second_name = r.ok().trim().to_string();
    assert_eq!(
        r.stderr,
        format!(" !     Replacing running container for {replace}\n")
    );
    assert_ne!(first_name, second_name);
    let now = running(&replace);
    assert_eq!(now.len(), 1, "{now:?}");
    assert!(now[0].contains(&second_name), "{now:?}");

    let allow = task_id(app, "sleep 62", "@daily");
    c.run(&["cron:run", app, &allow, "--detach"]).ok();
    let r = c.run(&["cron:run", app, &allow, "--detach"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{r:?}");
    assert_eq!(running(&allow).len(), 2);
    c.run(&["apps:destroy", app, "--force"]).ok();
}
