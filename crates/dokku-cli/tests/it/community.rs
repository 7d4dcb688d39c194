//! The dokku-postgres and dokku-redis community plugins, unchanged, run
//! against this Dokku: each is installed from a git repository and driven
//! through its service lifecycle (create, info, list, exists, link into an
//! app, promote, unlink, expose, stop/start/restart, export and import,
//! clone, destroy) and an app deploy with a linked service.
//!
//! No image can be pulled, so the images the plugins ask for are built
//! here from busybox and tagged with the exact names and versions the
//! plugins read from their `Dockerfile` and `config`: the datastore (a
//! listener on the service port plus small stand-ins of the client tools
//! the plugin runs inside it), the wait image, the ambassador that
//! forwards an exposed port, the busybox image and the backup image.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use dokku_docker::testing::{busybox_image, unique_name, TEST_LABEL};
use dokku_docker::{BuildContext, BuildSpec, ContainerEngine, DockerEngine};

use crate::harness::write_script;
use crate::harness::Holds;
use crate::harness::{EngineApp, Env, Run};

/// The plugins' helper images (busybox, wait, ambassador, backup) have
/// fixed names shared by both plugins: one plugin test at a time.
static SHARED_IMAGES: Mutex<()> = Mutex::new(());

/// What differs between the two plugins.
struct Kind {
    /// Folder under the reference directory, and the installed name.
    folder: &'static str,
    /// `PLUGIN_COMMAND_PREFIX`.
    prefix: &'static str,
    /// `PLUGIN_SERVICE`.
    service: &'static str,
    /// `FROM` of the plugin's Dockerfile.
    image: &'static str,
    /// `PLUGIN_DATASTORE_PORTS[0]`.
    port: u16,
    /// `PLUGIN_DEFAULT_ALIAS`.
    alias: &'static str,
    /// `PLUGIN_ALT_ALIAS`.
    alt_alias: &'static str,
    /// `PLUGIN_CONFIG_SUFFIX`.
    config_suffix: &'static str,
}

const POSTGRES: Kind = Kind {
    folder: "dokku-postgres",
    prefix: "postgres",
    service: "Postgres",
    image: "postgres:18.4",
    port: 5432,
    alias: "DATABASE",
    alt_alias: "DOKKU_POSTGRES",
    config_suffix: "data",
};

const REDIS: Kind = Kind {
    folder: "dokku-redis",
    prefix: "redis",
    service: "Redis",
    image: "redis:8.8.0",
    port: 6379,
    alias: "REDIS",
    alt_alias: "DOKKU_REDIS",
    config_suffix: "config",
};

/// Images the plugins use besides the datastore (their `config` names them).
const BUSYBOX: &str = "busybox:1.37.0-uclibc";
const WAIT: &str = "dokku/wait:0.9.3";
const AMBASSADOR: &str = "dokku/ambassador:0.8.2";
const S3BACKUP: &str = "dokku/s3backup:0.18.0";

/// The stand-in images, removed (with the containers the plugin made for
/// the services of the test) when dropped.
struct Fixture {
    engine: DockerEngine,
    base: String,
    tags: Vec<String>,
    prefix: &'static str,
    services: Mutex<Vec<String>>,
    sudoers: PathBuf,
    sudoers_existed: bool,
}

impl Fixture {
    fn new(kind: &Kind) -> Fixture {
        let engine = DockerEngine::connect().expect("docker engine");
        let base = format!("{}-base:latest", unique_name(kind.prefix));
        busybox_image(&engine, &base).expect("busybox base image");
        let sudoers = PathBuf::from(format!("/etc/sudoers.d/dokku-{}", kind.prefix));
        Fixture {
            engine,
            base,
            tags: Vec::new(),
            prefix: kind.prefix,
            services: Mutex::new(Vec::new()),
            sudoers_existed: sudoers.exists(),
            sudoers,
        }
    }

    /// Build `tag` from the busybox base with `files` (path, body; all
    /// executable) and the Dockerfile lines `extra`.
    fn build(&mut self, tag: &str, files: &[(&str, &str)], extra: &str) {
        assert!(
            !self.engine.image_exists(tag).expect("image exists"),
            "{tag} already exists on this host; the test only removes what it made"
        );
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("root");
        for (path, body) in files {
            let p = root.join(path.trim_start_matches('/'));
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            write_script(&p, body);
        }
        std::fs::create_dir_all(&root).expect("mkdir");
        let dockerfile = format!(
            "FROM {base}\nCOPY root/ /\nRUN mkdir -p /srv /tmp && echo ok > /srv/index.html\n{extra}\n",
            base = self.base
        );
        std::fs::write(dir.path().join("Dockerfile"), dockerfile).expect("dockerfile");
        let mut spec = BuildSpec::new(BuildContext::Directory(dir.path().to_path_buf()));
        spec.tags = vec![tag.to_string()];
        spec.labels = BTreeMap::from([(TEST_LABEL.to_string(), tag.to_string())]);
        self.tags.push(tag.to_string());
        self.engine
            .build_image(&spec, &mut |_| {})
            .expect("build stand-in image");
    }

    /// The helper images both plugins run.
    fn helpers(&mut self) {
        self.build(BUSYBOX, &[], "");
        self.build(
            WAIT,
            &[("/usr/local/bin/wait", WAIT_SCRIPT)],
            "ENTRYPOINT [\"/usr/local/bin/wait\"]",
        );
        self.build(
            AMBASSADOR,
            &[("/usr/local/bin/ambassador", AMBASSADOR_SCRIPT)],
            "CMD [\"/usr/local/bin/ambassador\"]",
        );
        self.build(S3BACKUP, &[], "CMD [\"true\"]");
    }

    /// Remember a service name, so its containers go at the end.
    fn service(&self, name: &str) -> String {
        self.services.lock().expect("lock").push(name.to_string());
        name.to_string()
    }

    fn container_name(&self, service: &str) -> String {
        format!("dokku.{}.{service}", self.prefix)
    }

    fn status(&self, service: &str) -> String {
        self.engine
            .inspect_container(&self.container_name(service))
            .map(|c| c.status)
            .unwrap_or_else(|_| "missing".into())
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        for s in self.services.lock().map(|v| v.clone()).unwrap_or_default() {
            let name = self.container_name(&s);
            let _ = self
                .engine
                .remove_container(&format!("{name}.ambassador"), true);
            let _ = self.engine.remove_container(&name, true);
        }
        for t in self.tags.iter().rev() {
            let _ = self.engine.remove_image(t, true);
        }
        let _ = self.engine.remove_image(&self.base, true);
        if !self.sudoers_existed {
            let _ = std::fs::remove_file(&self.sudoers);
        }
    }
}

/// `dokku/wait`: `-c host:port`, exit 0 once the port answers. (The static
/// busybox cannot resolve names itself: hosts are looked up in /etc/hosts,
/// where docker links write them.)
const WAIT_SCRIPT: &str = r#"#!/bin/sh
[ "$1" = "-c" ] || exit 2
host="${2%:*}" port="${2##*:}"
addr="$(awk -v h="$host" '{ for (i = 2; i <= NF; i++) if ($i == h) { print $1; exit } }' /etc/hosts)"
[ -n "$addr" ] || exit 3
i=0
while [ "$i" -lt 100 ]; do
  wget -q -O /dev/null "http://$addr:$port/" && exit 0
  i=$((i + 1))
  sleep 0.2
done
exit 1
"#;

/// `dokku/ambassador`: forward each port of the linked container (docker
/// links describe them in `*_PORT_<n>_TCP_ADDR`) to the same port here.
const AMBASSADOR_SCRIPT: &str = r#"#!/bin/sh
env | sed -n 's/^[A-Z0-9_]*_PORT_\([0-9]*\)_TCP_ADDR=\(.*\)$/\1 \2/p' | sort -u > /tmp/targets
while read -r port addr; do
  nc -ll -p "$port" -e nc "$addr" "$port" &
done < /tmp/targets
wait
"#;

/// `bash` is only ever asked to run short POSIX scripts.
const BASH: &str = "#!/bin/sh\nexec sh \"$@\"\n";

const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\npostgres:x:999:999:postgres:/var/lib/postgresql:/bin/sh\nredis:x:998:998:redis:/data:/bin/sh\n";
const GROUP: &str = "root:x:0:\npostgres:x:999:\nredis:x:998:\n";

/// Postgres: the server keeps a listener on 5432; each database is a file
/// under `$PGDATA/db`, which `pg_restore` writes and `pg_dump` prints.
const PG_ENTRY: &str = r#"#!/bin/sh
set -e
if [ "$1" = postgres ]; then
  mkdir -p "$PGDATA/db"
  chmod 777 "$PGDATA/db"
  [ -f "$PGDATA/postgresql.conf" ] || printf '#ssl = off\n#ssl_ciphers = x\n' > "$PGDATA/postgresql.conf"
  exec httpd -f -p 5432 -h /srv
fi
exec "$@"
"#;
const PG_CREATEDB: &str = r#"#!/bin/sh
for a; do db="$a"; done
touch "/var/lib/postgresql/data/db/$db"
"#;
const PG_DUMP: &str = r#"#!/bin/sh
[ "$PGPASSWORD" = "$POSTGRES_PASSWORD" ] || { echo "bad password" >&2; exit 2; }
for a; do db="$a"; done
cat "$PGDATA/db/$db"
"#;
const PG_RESTORE: &str = r#"#!/bin/sh
[ "$PGPASSWORD" = "$POSTGRES_PASSWORD" ] || { echo "bad password" >&2; exit 2; }
while [ $# -gt 0 ]; do
  [ "$1" = -d ] && { db="$2"; shift; }
  shift
done
cat > "$PGDATA/db/$db"
"#;

/// Redis: the server keeps a listener on 6379 and loads `/data/dump.rdb`
/// into its store; `redis-cli` answers LASTSAVE (a counter) and BGSAVE
/// (store to dump.rdb), checking the password of `redis.conf`.
const REDIS_ENTRY: &str = r#"#!/bin/sh
set -e
if [ "$1" = redis-server ]; then
  grep -q "^requirepass " "$2"
  [ -f /data/dump.rdb ] && cp /data/dump.rdb /data/store
  exec httpd -f -p 6379 -h /srv
fi
exec "$@"
"#;
const REDIS_CLI: &str = r#"#!/bin/sh
[ "$1" = -a ] && grep -qx "requirepass $2" /usr/local/etc/redis/redis.conf || { echo "NOAUTH" >&2; exit 2; }
read -r cmd
case "$cmd" in
  LASTSAVE) cat /data/lastsave 2>/dev/null || echo 0 ;;
  BGSAVE)
    cp /data/store /data/dump.rdb 2>/dev/null || : > /data/dump.rdb
    echo $(( $(cat /data/lastsave 2>/dev/null || echo 0) + 1 )) > /data/lastsave
    echo "Background saving started" ;;
  *) echo "ERR unknown command" ; exit 1 ;;
esac
"#;

impl Fixture {
    fn datastore(&mut self, kind: &Kind) {
        let common = [
            ("/etc/passwd", PASSWD),
            ("/etc/group", GROUP),
            ("/bin/bash", BASH),
        ];
        if kind.prefix == "postgres" {
            let mut files = common.to_vec();
            files.extend([
                ("/usr/local/bin/docker-entrypoint.sh", PG_ENTRY),
                ("/usr/bin/createdb", PG_CREATEDB),
                ("/usr/local/bin/pg_dump", PG_DUMP),
                ("/usr/local/bin/pg_restore", PG_RESTORE),
            ]);
            self.build(
                kind.image,
                &files,
                "ENV PGDATA=/var/lib/postgresql/data\nEXPOSE 5432\nENTRYPOINT [\"/usr/local/bin/docker-entrypoint.sh\"]\nCMD [\"postgres\"]",
            );
        } else {
            let mut files = common.to_vec();
            files.extend([
                ("/usr/local/bin/docker-entrypoint.sh", REDIS_ENTRY),
                ("/usr/local/bin/redis-cli", REDIS_CLI),
            ]);
            self.build(
                kind.image,
                &files,
                "EXPOSE 6379\nENTRYPOINT [\"/usr/local/bin/docker-entrypoint.sh\"]\nCMD [\"redis-server\"]",
            );
        }
    }
}

/// Where the unchanged plugin folders are: `$DOKKU_COMMUNITY_PLUGINS`, or
/// the shared reference directory of this machine.
fn community_plugins() -> PathBuf {
    std::env::var_os("DOKKU_COMMUNITY_PLUGINS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../tests/vendor/community-plugins"
            ))
        })
}

/// A git repository holding an unchanged copy of the plugin.
fn plugin_repo(dir: &Path, folder: &str) -> PathBuf {
    let src = community_plugins().join(folder);
    assert!(
        src.join("plugin.toml").is_file(),
        "{} is not a plugin folder (set DOKKU_COMMUNITY_PLUGINS)",
        src.display()
    );
    let repo = dir.join(folder);
    let ok = Command::new("cp")
        .arg("-r")
        .arg(&src)
        .arg(&repo)
        .status()
        .expect("cp");
    assert!(ok.success());
    let ok = Command::new("chmod")
        .args(["-R", "u+w"])
        .arg(&repo)
        .status()
        .expect("chmod");
    assert!(ok.success());
    for args in [
        &["init", "-q"][..],
        &["add", "."],
        &["commit", "-qm", "upstream snapshot"],
    ] {
        crate::plugin::git(&repo, args);
    }
    repo
}

/// A Dokku installation whose `dokku` and `plugn` on PATH are the binary
/// under test, with the plugin installed.
struct Host {
    env: Env,
    bin: tempfile::TempDir,
}

impl Host {
    fn new() -> Host {
        let bin = tempfile::tempdir().expect("tempdir");
        for name in ["dokku", "plugn"] {
            std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_dokku"), bin.path().join(name))
                .expect("link");
        }
        Host {
            env: Env::new(),
            bin,
        }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        self.env.cmd_with_path(self.bin.path(), args)
    }

    fn run(&self, args: &[&str]) -> Run {
        self.cmd(args).output().expect("spawn dokku").into()
    }

    fn run_stdin(&self, args: &[&str], input: &[u8]) -> Run {
        let mut c = self.cmd(args);
        c.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().expect("spawn dokku");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input)
            .expect("write stdin");
        child.wait_with_output().expect("wait").into()
    }

    /// Success with nothing on stderr; stdout.
    #[track_caller]
    fn ok(&self, args: &[&str]) -> String {
        self.clean(args).stdout
    }

    /// Success with nothing on stderr; the whole run.
    #[track_caller]
    fn clean(&self, args: &[&str]) -> Run {
        let r = self.run(args);
        assert_eq!(
            (r.code, r.stderr.as_str()),
            (0, ""),
            "dokku {}\nstdout:\n{}",
            args.join(" "),
            r.stdout,
        );
        r
    }

    /// `dokku <from>` piped into `dokku <to>`: the exit codes and the
    /// second command's output.
    fn pipe(&self, from: &[&str], to: &[&str]) -> (i32, Run) {
        let mut first = self
            .cmd(from)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn dokku");
        let stdout = first.stdout.take().expect("stdout");
        let second = self
            .cmd(to)
            .stdin(Stdio::from(stdout))
            .output()
            .expect("spawn dokku");
        let code = first.wait().expect("wait").code().unwrap_or(-1);
        (code, second.into())
    }

    #[track_caller]
    fn expect(&self, args: &[&str], want: &str) {
        assert_eq!(self.ok(args), want, "dokku {}", args.join(" "));
    }

    /// Exit 1 with exactly `msg` as the one ` !     ` line on stderr.
    #[track_caller]
    fn fails(&self, args: &[&str], msg: &str) {
        let r = self.run(args);
        assert_eq!(
            (r.code, r.stderr.as_str()),
            (1, format!(" !     {msg}\n").as_str()),
            "dokku {}\nstdout:\n{}",
            args.join(" "),
            r.stdout
        );
    }

    fn config(&self, app: &str) -> BTreeMap<String, String> {
        let out = self.ok(&["config:export", "--format", "json", app]);
        serde_json::from_str(&out).expect("config json")
    }

    fn read(&self, path: &Path) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }
}

/// A free TCP port on the host.
fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// One HTTP/1.0 GET of `/` from `127.0.0.1:port`: the body, retried while
/// the forwarder starts.
fn http_get_local(port: u16) -> String {
    let mut last = String::new();
    for _ in 0..50 {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(mut s) => {
                s.set_read_timeout(Some(Duration::from_secs(5)))
                    .expect("timeout");
                let _ = s.write_all(b"GET / HTTP/1.0\r\n\r\n");
                let mut buf = String::new();
                let _ = s.read_to_string(&mut buf);
                if let Some((_, body)) = buf.split_once("\r\n\r\n") {
                    return body.to_string();
                }
                last = buf;
            }
            Err(e) => last = e.to_string(),
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("no answer on 127.0.0.1:{port}: {last}");
}

/// `docker container exec <container> <args>`: stdout.
fn docker_exec(container: &str, args: &[&str]) -> String {
    let o = Command::new("docker")
        .args(["container", "exec", container])
        .args(args)
        .output()
        .expect("docker exec");
    assert!(o.status.success(), "docker exec {args:?}: {o:?}");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The `info` page of a service, as the plugin lays it out.
fn info_page(h: &Host, kind: &Kind, svc: &str, links: &str, status: &str) -> String {
    let root = h.env.lib().join("services").join(kind.prefix).join(svc);
    let id = h.read(&root.join("ID"));
    let row = |k: &str, v: &str| format!("       {:<20} {:<25}\n", format!("{k}:"), v);
    let dsn = h.ok(&[&format!("{}:info", kind.prefix), svc, "--dsn"]);
    let ip = h.ok(&[&format!("{}:info", kind.prefix), svc, "--internal-ip"]);
    let mut out = format!("=====> {svc} {} service information\n", kind.prefix);
    out += &row(
        "Config dir",
        &root.join(kind.config_suffix).display().to_string(),
    );
    out += &row("Config options", "");
    out += &row("Data dir", &root.join("data").display().to_string());
    out += &row("Dsn", dsn.trim_end());
    out += &row("Exposed ports", "-");
    out += &row("Id", id.trim_end());
    out += &row("Internal ip", ip.trim_end());
    out += &row("Initial network", "");
    out += &row("Links", links);
    out += &row("Post create network", "");
    out += &row("Post start network", "");
    out += &row("Service root", &root.display().to_string());
    out += &row("Status", status);
    out += &row("Version", kind.image);
    out
}

/// The plugin's whole service lifecycle against one kind of datastore.
fn lifecycle(kind: &Kind) {
    let _one = SHARED_IMAGES.lock().unwrap_or_else(|e| e.into_inner());
    let mut fx = Fixture::new(kind);
    fx.helpers();
    fx.datastore(kind);

    let src = tempfile::tempdir().expect("tempdir");
    let repo = plugin_repo(src.path(), kind.folder);
    let h = Host::new();
    h.ok(&["plugin:install", "--core"]);
    let url = format!("file://{}", repo.display());
    let out = h.ok(&["plugin:install", &url]);
    assert!(
        out.ends_with(&format!("-----> Plugin {} enabled\n", kind.prefix)),
        "{out}"
    );
    assert_eq!(h.run(&["plugin:installed", kind.prefix]).code, 0);
    let p = kind.prefix;
    let cmd = |c: &str| format!("{p}:{c}");
    let data_root = h.env.lib().join("services").join(p);
    assert!(data_root.is_dir());
    assert!(h.env.lib().join("config").join(p).is_dir());

    // No services yet.
    let r = h.run(&[&cmd("list")]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            format!(" !     There are no {} services\n", kind.service).as_str()
        )
    );

    // create
    let svc = fx.service(&unique_name(p).replace('.', "-"));
    let r = h.clean(&[&cmd("create"), &svc]);
    assert_eq!(
        r.code, 0,
        "create\nstdout:\n{}\nstderr:\n{}",
        r.stdout, r.stderr
    );
    let root = data_root.join(&svc);
    let password = h.read(&root.join("PASSWORD")).trim_end().to_string();
    assert_eq!(password.len(), if p == "postgres" { 32 } else { 64 });
    let dbname = svc.replace(['.', '-'], "_");
    assert_eq!(h.read(&root.join("DATABASE_NAME")), format!("{dbname}\n"));
    assert_eq!(
        h.read(&root.join("IMAGE")),
        format!("{}\n", kind.image.split(':').next().expect("name"))
    );
    assert_eq!(h.read(&root.join("LINKS")), "");
    assert_eq!(fx.status(&svc), "running");
    let host = format!("dokku-{p}-{svc}");
    let dsn = if p == "postgres" {
        format!("postgres://postgres:{password}@{host}:5432/{dbname}")
    } else {
        format!("redis://:{password}@{host}:6379")
    };
    let info = info_page(&h, kind, &svc, "-", "running");
    let mut created = String::new();
    if p == "postgres" {
        created += "       Waiting for container to be ready\n       Creating container database\n       Securing connection to database\n";
    } else {
        created += "       Waiting for container to be ready\n";
    }
    created += &format!("=====> {} container created: {svc}\n", kind.service);
    assert_eq!(r.stdout, created + &info);
    if p == "postgres" {
        // The SSL step ran in the data directory.
        let conf = h.read(&root.join("data/data/postgresql.conf"));
        assert!(conf.starts_with("ssl = on\n"), "{conf}");
        assert!(root.join("data/data/server.key").is_file());
        assert!(!root.join("certs").exists());
    } else {
        assert_eq!(
            h.read(&root.join("config/redis.conf")),
            format!("requirepass {password}\n")
        );
    }
    h.fails(
        &[&cmd("create"), &svc],
        &format!("{} service {svc} already exists", kind.service),
    );

    // info, list, exists
    h.expect(&[&cmd("info"), &svc], &info);
    h.expect(&[&cmd("info"), &svc, "--dsn"], &format!("{dsn}\n"));
    h.expect(&[&cmd("info"), &svc, "--status"], "running\n");
    h.expect(
        &[&cmd("list")],
        &format!("=====> {} services\n{svc}\n", kind.service),
    );
    h.expect(
        &[&cmd("exists"), &svc],
        &format!("-----> Service {svc} exists\n"),
    );
    h.fails(
        &[&cmd("exists"), "nosuch"],
        &format!("{} service nosuch does not exist", kind.service),
    );
    h.fails(
        &[&cmd("info"), "nosuch"],
        &format!("{} service nosuch does not exist", kind.service),
    );

    // An app deployed before the link.
    let app = EngineApp::new(&format!("community-{p}"));
    let a = app.name.as_str();
    h.ok(&["apps:create", a]);
    h.ok(&["checks:set", "--global", "default-wait", "1"]);
    h.ok(&["checks:set", "--global", "wait-to-retire", "1"]);
    h.ok(&["ps:set", "--global", "stop-timeout-seconds", "1"]);
    app.build_httpd("app", "", "");
    h.ok(&["ps:rebuild", a]);
    let container = |h: &Host| h.read(&h.env.root().join(a).join("CONTAINER.web.1"));
    let before = container(&h);

    // link: the URL lands in the app's env, the app restarts with it and
    // reaches the service by the link's alias.
    let url_var = format!("{}_URL", kind.alias);
    let r = h.clean(&[&cmd("link"), &svc, a]);
    r.exits(
        0,
        Holds::OutStart(&format!(
            "-----> Setting config vars\n       {url_var}:  {dsn}\n-----> Restarting app {a}\n"
        )),
    );
    assert_eq!(h.config(a).get(&url_var), Some(&dsn));
    assert_eq!(h.read(&root.join("LINKS")), format!("{a}\n"));
    let link_opt = format!("--link dokku.{p}.{svc}:{host}");
    for phase in ["build", "deploy", "run"] {
        let opts = h.ok(&[
            "docker-options:report",
            a,
            &format!("--docker-options-{phase}"),
        ]);
        assert!(opts.contains(&link_opt), "{phase}: {opts}");
    }
    let after = container(&h);
    assert_ne!(after, before, "the app restarted");
    let env = fx.engine.inspect_container(&after).expect("inspect").env;
    assert!(env.contains(&format!("{url_var}={dsn}")), "{env:?}");
    let get = format!(
        "wget -q -O- http://$(awk '$2 == \"{host}\" {{ print $1; exit }}' /etc/hosts):{}/",
        kind.port
    );
    assert_eq!(docker_exec(&after, &["sh", "-c", &get]), "ok\n");
    h.fails(
        &[&cmd("link"), &svc, a],
        &format!("Already linked as {url_var}"),
    );

    // linked, links, app-links
    h.expect(
        &[&cmd("linked"), &svc, a],
        &format!("-----> Service {svc} is linked to {a}\n"),
    );
    h.expect(&[&cmd("links"), &svc], &format!("{a}\n"));
    h.expect(&[&cmd("app-links"), a], &format!("{svc}\n"));
    h.expect(&[&cmd("info"), &svc, "--links"], &format!("{a} \n"));

    // A second service linked to the same app gets the first spare alias;
    // promote makes it the default and keeps the first under another.
    let second = fx.service(&unique_name(p).replace('.', "-"));
    h.ok(&[&cmd("create"), &second]);
    let dsn2 = h
        .ok(&[&cmd("info"), &second, "--dsn"])
        .trim_end()
        .to_string();
    h.ok(&[&cmd("link"), &second, a, "--no-restart"]);
    let aqua = format!("{}_AQUA_URL", kind.alt_alias);
    let black = format!("{}_BLACK_URL", kind.alt_alias);
    let cfg = h.config(a);
    assert_eq!(cfg.get(&aqua), Some(&dsn2));
    assert_eq!(cfg.get(&url_var), Some(&dsn));
    h.fails(
        &[&cmd("promote"), &svc, a],
        &format!("Service {svc} already promoted as {url_var}"),
    );
    h.ok(&[&cmd("promote"), &second, a]);
    let cfg = h.config(a);
    assert_eq!(cfg.get(&url_var), Some(&dsn2));
    assert_eq!(cfg.get(&aqua), Some(&dsn2));
    assert_eq!(cfg.get(&black), Some(&dsn));
    let env = fx
        .engine
        .inspect_container(&container(&h))
        .expect("inspect")
        .env;
    assert!(env.contains(&format!("{url_var}={dsn2}")), "{env:?}");

    // unlink the second: every variable holding its URL goes.
    h.ok(&[&cmd("unlink"), &second, a, "--no-restart"]);
    let cfg = h.config(a);
    assert_eq!(cfg.get(&url_var), None);
    assert_eq!(cfg.get(&aqua), None);
    assert_eq!(cfg.get(&black), Some(&dsn));
    assert_eq!(h.read(&data_root.join(&second).join("LINKS")), "");
    h.fails(
        &[&cmd("unlink"), &second, a],
        &format!("Not linked to app {a}"),
    );
    h.fails(
        &[&cmd("linked"), &second, a],
        &format!("Service {second} is not linked to {a}"),
    );

    // A linked service cannot be destroyed.
    h.fails(
        &[&cmd("destroy"), &svc, "--force"],
        "Cannot delete linked service",
    );

    // The app's start brings a stopped linked service up (pre-start).
    let r = h.clean(&[&cmd("stop"), &svc]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(fx.status(&svc), "missing");
    h.expect(&[&cmd("info"), &svc, "--status"], "missing\n");
    h.ok(&["ps:stop", a]);
    let r = h.run(&["ps:start", a]);
    r.exits(
        0,
        Holds::Err(&format!(
            " !     {} service {svc} is not running, issuing service start\n",
            kind.service
        )),
    );
    assert_eq!(fx.status(&svc), "running");

    // stop, start, restart
    let r = h.clean(&[&cmd("stop"), &svc]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (
            0,
            "=====> Pausing container\n       Container paused\n       Removing container\n"
        ),
        "{}",
        r.stderr
    );
    let r = h.clean(&[&cmd("start"), &svc]);
    r.exits(0, Holds::OutStart("=====> Starting container\n"));
    assert_eq!(fx.status(&svc), "running");
    let r = h.run(&[&cmd("start"), &svc]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, "", " !     Service is already started\n")
    );
    h.expect(
        &[&cmd("restart"), &svc],
        "=====> Pausing container\n       Container paused\n=====> Starting container\n=====> Container started\n-----> Please call dokku ps:restart on all linked apps\n",
    );
    assert_eq!(fx.status(&svc), "running");

    // expose, unexpose: the ambassador forwards the host port.
    let port = free_port();
    h.expect(
        &[&cmd("expose"), &svc, &port.to_string()],
        &format!(
            "-----> Service {svc} exposed on port(s) [container->host]: {}->{port} \n",
            kind.port
        ),
    );
    assert_eq!(h.read(&root.join("PORT")), format!("{port}\n"));
    h.expect(
        &[&cmd("info"), &svc, "--exposed-ports"],
        &format!("{}->{port} \n", kind.port),
    );
    assert_eq!(http_get_local(port), "ok\n");
    h.fails(
        &[&cmd("expose"), &svc, "1234"],
        &format!("Service {svc} already exposed on port(s) {port}"),
    );
    h.expect(
        &[&cmd("unexpose"), &svc],
        &format!("-----> Service {svc} unexposed\n"),
    );
    assert!(!root.join("PORT").exists());
    assert!(fx
        .engine
        .inspect_container(&format!("dokku.{p}.{svc}.ambassador"))
        .is_err());

    // import, export, export piped to import of another service.
    let payload = format!("{p} data for {svc}\n\u{1}binary\u{0}tail");
    let r = h.run_stdin(&[&cmd("import"), &svc], payload.as_bytes());
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{r:?}");
    let r = h.cmd(&[&cmd("export"), &svc]).output().expect("export");
    assert!(r.status.success(), "{r:?}");
    assert_eq!(r.stdout, payload.as_bytes());
    let (code, r) = h.pipe(&[&cmd("export"), &svc], &[&cmd("import"), &second]);
    assert_eq!((code, r.code, r.stderr.as_str()), (0, 0, ""), "{r:?}");
    let r = h.cmd(&[&cmd("export"), &second]).output().expect("export");
    assert_eq!(r.stdout, payload.as_bytes());

    // clone
    let third = fx.service(&unique_name(p).replace('.', "-"));
    let r = h.clean(&[&cmd("clone"), &svc, &third]);
    r.exits(
        0,
        Holds::OutStart(&format!(
            "=====> Cloning {svc} to {third} @ {}\n",
            kind.image
        )),
    );
    assert!(
        r.stdout.ends_with(&format!(
            "-----> Copying data from {svc} to {third}\n=====> Done\n"
        )),
        "{}",
        r.stdout
    );
    let r = h.cmd(&[&cmd("export"), &third]).output().expect("export");
    assert_eq!(r.stdout, payload.as_bytes());
    h.fails(
        &[&cmd("clone"), &svc, &third],
        &format!("Invalid service name {third}. Verify the service name is not already in use."),
    );
    let mut all = [svc.clone(), second.clone(), third.clone()];
    all.sort();
    h.expect(
        &[&cmd("list")],
        &format!("=====> {} services\n{}\n", kind.service, all.join("\n")),
    );

    // Apps: a clone is linked too (post-app-clone-setup); a destroyed app
    // leaves the links file (pre-delete).
    let clone = format!("{a}-c");
    h.ok(&["apps:clone", "--skip-deploy", a, &clone]);
    h.expect(&[&cmd("links"), &svc], &format!("{a}\n{clone}\n"));
    h.ok(&["--force", "apps:destroy", &clone]);
    h.expect(&[&cmd("links"), &svc], &format!("{a}\n"));

    // unlink restarts the app without the URL.
    let r = h.clean(&[&cmd("unlink"), &svc, a]);
    r.exits(0, Holds::Out(&format!("-----> Restarting app {a}\n")));
    assert_eq!(h.config(a).get(&black), None);
    let env = fx
        .engine
        .inspect_container(&container(&h))
        .expect("inspect")
        .env;
    assert!(!env.iter().any(|e| e.contains(&password)), "{env:?}");
    assert!(!h
        .ok(&["docker-options:report", a, "--docker-options-deploy"])
        .contains(&link_opt));
    h.expect(&[&cmd("links"), &svc], "");
    h.expect(&[&cmd("app-links"), a], "");

    // destroy
    for s in [&svc, &second, &third] {
        let r = h.clean(&[&cmd("destroy"), s, "--force"]);
        assert_eq!(r.code, 0, "{r:?}");
        assert!(
            r.stdout
                .ends_with(&format!("=====> {} container deleted: {s}\n", kind.service)),
            "{}",
            r.stdout
        );
        assert!(!data_root.join(s).exists());
        assert_eq!(fx.status(s), "missing");
    }
    let r = h.run(&[&cmd("list")]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "",
            format!(" !     There are no {} services\n", kind.service).as_str()
        )
    );
    h.ok(&["--force", "apps:destroy", a]);
}

#[test]
fn postgres_plugin_lifecycle() {
    lifecycle(&POSTGRES);
}

#[test]
fn redis_plugin_lifecycle() {
    lifecycle(&REDIS);
}
