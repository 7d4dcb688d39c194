//! The whole-server half of `make bench`: a scratch installation with its
//! own nginx instance and N apps deployed from a local image (checks
//! disabled), and the operations a server runs on all of them at once:
//! a deploy from an image, `proxy:build-config --all`, `ps:report` for
//! every app, `ps:restart --all --parallel -1`, the boot-time restore
//! (every app container stopped behind dokku's back, then `ps:restore`),
//! and nginx's own `-t` and reload over the N vhosts as the floor of a
//! proxy rebuild.
//!
//! After each operation that replaces containers or configs, every app is
//! asked for `/` through nginx (Host `<app>.bench.test` on 127.0.0.1) and
//! must answer with its own page: a fast operation that leaves an app
//! down does not count.
//!
//! Everything the run makes carries its prefix (`fleet-<pid>-<n>-`):
//! containers and images are removed, and nginx stopped, when the
//! [`Fleet`] guard drops, also on failure.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::deploy::{busybox_image, get_page, installation_env, median, run_dokku};
use dokku_docker::{ContainerEngine, ContainerFilter, ContainerSpec, DockerEngine, ImageFilter};

/// Deploys measured, per size, for the deploy-from-image row (the rest of
/// the apps are deployed the same way, unmeasured).
const DEPLOYS_MEASURED: usize = 10;
/// Runs of the cheap operations (median reported).
const CHEAP_RUNS: usize = 5;
/// The global domain: apps answer as `<app>.bench.test`.
const DOMAIN: &str = "bench.test";
/// The label on the base image the run builds.
const BENCH_LABEL: &str = "com.dokku.bench";
/// The label dokku puts on every app container and image.
const APP_LABEL: &str = "com.dokku.app-name";
/// The page every app serves, followed by its name.
const PAGE: &str = "fleet bench app";

/// Medians in seconds for one fleet size.
pub struct Row {
    pub apps: usize,
    pub deploy: Duration,
    pub build_config: Duration,
    pub ps_report: Duration,
    pub restart: Duration,
    pub restore: Duration,
    pub nginx_t: Duration,
    pub nginx_reload: Duration,
    /// Engine alone: create and start one app container (median).
    pub start_floor: Duration,
    /// Engine alone: what a restart of every app asks of it (create and
    /// start a container, stop one), CPU-count containers at a time.
    pub restart_floor: Duration,
    /// The machine's busy CPU time while the engine alone did that,
    /// divided by the CPU count: what no scheduling of that work can beat.
    pub restart_floor_cpu: Duration,
    /// The same for dokku's `ps:restart --all --parallel -1`.
    pub restart_cpu: Duration,
}

/// Busy CPU time of the whole machine so far (every CPU, from
/// `/proc/stat`), divided by the CPU count.
fn busy_per_cpu() -> Result<Duration, String> {
    let stat = std::fs::read_to_string("/proc/stat").map_err(|e| format!("/proc/stat: {e}"))?;
    let cpus = stat
        .lines()
        .filter(|l| l.starts_with("cpu") && !l.starts_with("cpu "))
        .count()
        .max(1);
    let total = stat.lines().next().unwrap_or_default();
    // user nice system idle iowait irq softirq steal: all but idle and
    // iowait are busy.
    let ticks: Vec<u64> = total
        .split_whitespace()
        .skip(1)
        .take(8)
        .filter_map(|t| t.parse().ok())
        .collect();
    if ticks.len() < 8 {
        return Err(format!("/proc/stat: unexpected first line {total:?}"));
    }
    let busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7];
    // USER_HZ is 100 on Linux.
    Ok(Duration::from_millis(busy * 10 / cpus as u64))
}

/// Run `work`, and the machine's busy CPU time per CPU meanwhile.
fn with_cpu<T>(work: impl FnOnce() -> Result<T, String>) -> Result<(T, Duration), String> {
    let before = busy_per_cpu()?;
    let out = work()?;
    Ok((out, busy_per_cpu()?.saturating_sub(before)))
}

/// A scratch installation, its nginx instance and its apps.
struct Fleet {
    engine: DockerEngine,
    bin: PathBuf,
    dir: tempfile::TempDir,
    prefix: String,
    base: String,
    apps: Vec<String>,
    http: u16,
}

fn nginx_bin() -> String {
    if Path::new("/usr/sbin/nginx").is_file() {
        "/usr/sbin/nginx".into()
    } else {
        "nginx".into()
    }
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("free port: {e}"))
}

impl Drop for Fleet {
    fn drop(&mut self) {
        let conf = self.nginx_dir().join("nginx.conf");
        let _ = Command::new(nginx_bin())
            .args(["-c", &conf.display().to_string(), "-s", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if let Ok(list) = self
            .engine
            .list_containers(&ContainerFilter::label(APP_LABEL))
        {
            for c in list {
                if c.labels
                    .get(APP_LABEL)
                    .is_some_and(|a| a.starts_with(&self.prefix))
                {
                    let _ = self.engine.remove_container(&c.id, true);
                }
            }
        }
        let mut filters = vec![ImageFilter::label(format!("{BENCH_LABEL}={}", self.prefix))];
        filters.extend(self.apps.iter().map(|a| ImageFilter {
            reference: Some(format!("dokku/{a}")),
            ..ImageFilter::default()
        }));
        for f in filters {
            if let Ok(list) = self.engine.list_images(&f) {
                for i in list {
                    let _ = self.engine.remove_image(&i.id, true);
                }
            }
        }
        let _ = self.engine.remove_image(&self.base, true);
    }
}

impl Fleet {
    fn new(bin: &Path, size: usize) -> Result<Fleet, String> {
        let engine = DockerEngine::connect().map_err(|e| format!("docker engine: {e}"))?;
        let prefix = format!("fleet-{}-{size}-", std::process::id());
        let f = Fleet {
            engine,
            bin: bin.to_path_buf(),
            dir: tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?,
            base: format!("{prefix}base:latest"),
            prefix,
            apps: Vec::new(),
            http: free_port()?,
        };
        for d in [
            "home",
            "logs",
            "lib/plugins/available",
            "lib/plugins/enabled",
            "lib/core-plugins/available",
            "lib/core-plugins/enabled",
            "nginx/conf.d",
            "nginx/logs",
            "nginx/tmp",
        ] {
            std::fs::create_dir_all(f.dir.path().join(d)).map_err(|e| format!("mkdir {d}: {e}"))?;
        }
        f.write_nginx()?;
        f.base_image()?;
        f.dokku(&["plugin:trigger", "install"])?;
        f.dokku(&["nginx:start"])?;
        let http = f.http.to_string();
        for args in [
            vec!["domains:set-global", DOMAIN],
            vec!["nginx:set", "--global", "bind-address-ipv4", "127.0.0.1"],
            vec!["proxy:set", "--global", "proxy-port", &http],
            vec!["checks:set", "--global", "wait-to-retire", "1"],
            vec!["ps:set", "--global", "stop-timeout-seconds", "1"],
        ] {
            f.dokku(&args)?;
        }
        Ok(f)
    }

    fn nginx_dir(&self) -> PathBuf {
        self.dir.path().join("nginx")
    }

    /// The instance's main config (own pid, logs, temp paths; 127.0.0.1
    /// only) and a catch-all default site, as Dokku installs one.
    fn write_nginx(&self) -> Result<(), String> {
        let n = self.nginx_dir();
        let user = if is_root() { "user root;\n" } else { "" };
        let main = format!(
            "{user}daemon on;\nworker_processes auto;\npid {n}/nginx.pid;\nerror_log {n}/error.log;\nevents {{ worker_connections 4096; }}\nhttp {{\n  access_log off;\n  client_body_temp_path {n}/tmp/body;\n  proxy_temp_path {n}/tmp/proxy;\n  fastcgi_temp_path {n}/tmp/fastcgi;\n  uwsgi_temp_path {n}/tmp/uwsgi;\n  scgi_temp_path {n}/tmp/scgi;\n  include {n}/conf.d/*.conf;\n}}\n",
            n = n.display()
        );
        std::fs::write(n.join("nginx.conf"), main).map_err(|e| format!("nginx.conf: {e}"))?;
        let default_site = format!(
            "server {{\n  listen 127.0.0.1:{h} default_server;\n  server_name _;\n  access_log off;\n  return 444;\n}}\n",
            h = self.http
        );
        std::fs::write(n.join("conf.d/00-default-vhost.conf"), default_site)
            .map_err(|e| format!("default site: {e}"))
    }

    fn env(&self, c: &mut Command) {
        let n = self.nginx_dir();
        installation_env(c, self.dir.path())
            .env("DOKKU_NGINX_BIN", nginx_bin())
            .env("DOKKU_NGINX_CONF", n.join("nginx.conf"))
            .env("DOKKU_NGINX_CONF_DIR", n.join("conf.d"))
            .env("DOKKU_NGINX_PID_FILE", n.join("nginx.pid"))
            .env("DOKKU_NGINX_LOG_ROOT", n.join("logs"));
    }

    /// Run `dokku args` to completion; its stdout, or an error with its output.
    fn dokku(&self, args: &[&str]) -> Result<String, String> {
        run_dokku(&self.bin, args, |c| self.env(c))
    }

    /// Wall time of `dokku args`.
    fn timed(&self, args: &[&str]) -> Result<Duration, String> {
        let start = Instant::now();
        self.dokku(args)?;
        Ok(start.elapsed())
    }

    /// Wall time of the nginx binary on the instance's config.
    fn timed_nginx(&self, extra: &[&str]) -> Result<Duration, String> {
        let conf = self.nginx_dir().join("nginx.conf");
        let start = Instant::now();
        let o = Command::new(nginx_bin())
            .arg("-c")
            .arg(&conf)
            .args(extra)
            .output()
            .map_err(|e| format!("nginx: {e}"))?;
        let took = start.elapsed();
        if !o.status.success() {
            return Err(format!(
                "nginx {} failed: {}",
                extra.join(" "),
                String::from_utf8_lossy(&o.stderr)
            ));
        }
        Ok(took)
    }

    /// The image every app is deployed from: the host's static busybox
    /// serving a page on port 5000 (FROM scratch, nothing pulled). Each
    /// app's page is its name, written by the start command from `$APP`.
    fn base_image(&self) -> Result<(), String> {
        busybox_image(
            &self.engine,
            &self.dir.path().join("base"),
            &self.base,
            &self.prefix,
            &format!("CMD [\"/bin/sh\", \"-c\", \"mkdir -p /www && echo \\\"{PAGE} $APP\\\" > /www/index.html && exec httpd -f -p 5000 -h /www\"]\n"),
        )
    }

    /// Create one more app (checks disabled, `APP` in its env) and deploy
    /// it from the base image; the wall time of the deploy.
    fn add_app(&mut self) -> Result<Duration, String> {
        let app = format!("{}{}", self.prefix, self.apps.len());
        self.dokku(&["apps:create", &app])?;
        self.apps.push(app.clone());
        self.dokku(&["checks:disable", &app])?;
        self.dokku(&["config:set", "--no-restart", &app, &format!("APP={app}")])?;
        self.timed(&["git:from-image", &app, &self.base])
    }

    /// Every app answers `/` through nginx with its own page.
    fn all_answer(&self, after: &str) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        for app in &self.apps {
            let want = format!("{PAGE} {app}");
            loop {
                match get_via_nginx(self.http, &format!("{app}.{DOMAIN}")) {
                    Ok(body) if body.contains(&want) => break,
                    other if Instant::now() > deadline => {
                        return Err(format!(
                            "after {after}: {app} does not answer through nginx: {other:?}"
                        ))
                    }
                    _ => std::thread::sleep(Duration::from_millis(100)),
                }
            }
        }
        Ok(())
    }

    /// Running containers of the fleet's apps.
    fn containers(&self) -> Result<Vec<String>, String> {
        let filter = ContainerFilter {
            labels: vec![APP_LABEL.to_string()],
            ..ContainerFilter::default()
        };
        Ok(self
            .engine
            .list_containers(&filter)
            .map_err(|e| format!("list containers: {e}"))?
            .into_iter()
            .filter(|c| {
                c.labels
                    .get(APP_LABEL)
                    .is_some_and(|a| a.starts_with(&self.prefix))
            })
            .map(|c| c.id)
            .collect())
    }

    /// Wait until old containers are retired: one running per app.
    fn settle(&self) -> Result<(), String> {
        let until = Instant::now() + Duration::from_secs(120);
        loop {
            let n = self.containers()?.len();
            if n <= self.apps.len() {
                return Ok(());
            }
            if Instant::now() > until {
                eprintln!(
                    "dokku-bench: {n} containers for {} apps after 120 s",
                    self.apps.len()
                );
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// Create and start a container of `app`'s image as its deploy does
    /// (init, the app's `APP`), straight through the engine; its id.
    fn floor_container(&self, app: &str) -> Result<String, String> {
        let mut spec = ContainerSpec::new(format!("dokku/{app}:latest"));
        spec.name = Some(format!("{app}-floor"));
        spec.env = vec![format!("APP={app}")];
        spec.labels = BTreeMap::from([(BENCH_LABEL.to_string(), self.prefix.clone())]);
        spec.init = true;
        let id = self
            .engine
            .create_container(&spec)
            .map_err(|e| format!("floor container of {app}: {e}"))?;
        self.engine
            .start_container(&id)
            .map_err(|e| format!("start floor container of {app}: {e}"))?;
        Ok(id)
    }

    fn remove_floor(&self, ids: &[String]) {
        for id in ids {
            let _ = self.engine.remove_container(id, true);
        }
    }

    /// The engine's part of a deploy: create and start one container of
    /// an app's image (median of [`CHEAP_RUNS`], one at a time).
    fn start_floor(&self) -> Result<Duration, String> {
        let app = self.apps.first().ok_or("no apps")?;
        median_of(CHEAP_RUNS, || {
            let start = Instant::now();
            let id = self.floor_container(app)?;
            let took = start.elapsed();
            self.remove_floor(&[id]);
            Ok(took)
        })
    }

    /// The engine's part of restarting every app, as many at a time as
    /// `--parallel -1` runs: for each app a container of its image is
    /// created and started, then stopped (as the restart stops the old
    /// one). The fleet's own containers are left alone.
    fn restart_floor(&self) -> Result<Duration, String> {
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        let queue = std::sync::Mutex::new(self.apps.iter());
        let made = std::sync::Mutex::new(Vec::new());
        let start = Instant::now();
        let failed: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    s.spawn(|| -> Result<(), String> {
                        loop {
                            let next = queue.lock().map_err(|e| e.to_string())?.next();
                            let Some(app) = next else { return Ok(()) };
                            let id = self.floor_container(app)?;
                            made.lock().map_err(|e| e.to_string())?.push(id.clone());
                            self.engine
                                .stop_container(&id, Some(Duration::from_secs(1)))
                                .map_err(|e| format!("stop floor container: {e}"))?;
                        }
                    })
                })
                .collect();
            handles
                .into_iter()
                .filter_map(|h| h.join().ok().and_then(Result::err))
                .collect()
        });
        let took = start.elapsed();
        self.remove_floor(&made.into_inner().unwrap_or_default());
        match failed.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(took),
        }
    }

    /// A reboot as the engine sees it: every app container stopped
    /// behind dokku's back, a few at a time.
    fn stop_all_behind_dokku(&self) -> Result<(), String> {
        let ids = self.containers()?;
        std::thread::scope(|s| {
            for chunk in ids.chunks(ids.len().div_ceil(8).max(1)) {
                s.spawn(move || {
                    for id in chunk {
                        let _ = self.engine.stop_container(id, Some(Duration::from_secs(1)));
                    }
                });
            }
        });
        let left = self.containers()?.len();
        if left > 0 {
            return Err(format!("{left} containers still running after the stop"));
        }
        Ok(())
    }
}

fn is_root() -> bool {
    nix::unistd::Uid::effective().is_root()
}

/// One HTTP/1.0 GET of `/` through nginx on 127.0.0.1 with `host` as the
/// Host header; the body of a 200.
fn get_via_nginx(port: u16, host: &str) -> Result<String, String> {
    get_page(std::net::SocketAddr::from(([127, 0, 0, 1], port)), host)
}

fn median_of(
    runs: usize,
    mut f: impl FnMut() -> Result<Duration, String>,
) -> Result<Duration, String> {
    let mut v = Vec::with_capacity(runs);
    for _ in 0..runs {
        v.push(f()?);
    }
    Ok(median(v))
}

/// Measure one fleet size.
fn measure(bin: &Path, size: usize) -> Result<Row, String> {
    let mut f = Fleet::new(bin, size)?;
    let mut deploys = Vec::new();
    for i in 0..size {
        let took = f.add_app()?;
        if i + DEPLOYS_MEASURED >= size {
            deploys.push(took);
        }
        if (i + 1) % 50 == 0 {
            eprintln!("fleet {size}: {} apps deployed", i + 1);
        }
    }
    f.settle()?;
    f.all_answer("the deploys")?;
    let nginx_t = median_of(CHEAP_RUNS, || f.timed_nginx(&["-t", "-q"]))?;
    let nginx_reload = median_of(CHEAP_RUNS, || f.timed_nginx(&["-s", "reload"]))?;
    let build_config = median_of(CHEAP_RUNS, || f.timed(&["proxy:build-config", "--all"]))?;
    f.all_answer("proxy:build-config --all")?;
    let ps_report = median_of(CHEAP_RUNS, || f.timed(&["ps:report"]))?;
    let start_floor = f.start_floor()?;
    let (restart_floor, restart_floor_cpu) = with_cpu(|| f.restart_floor())?;
    let (restart, restart_cpu) =
        with_cpu(|| f.timed(&["ps:restart", "--all", "--parallel", "-1"]))?;
    f.all_answer("ps:restart --all --parallel -1")?;
    f.settle()?;
    f.stop_all_behind_dokku()?;
    let restore = f.timed(&["ps:restore"])?;
    f.all_answer("ps:restore")?;
    let row = Row {
        apps: size,
        deploy: median(deploys),
        build_config,
        ps_report,
        restart,
        restore,
        nginx_t,
        nginx_reload,
        start_floor,
        restart_floor,
        restart_floor_cpu,
        restart_cpu,
    };
    eprintln!(
        "fleet {size}: deploy {:.2} s, build-config {:.2} s, ps:report {:.2} s, restart {:.2} s (engine floor {:.2} s), restore {:.2} s, start floor {:.2} s, nginx -t {:.3} s, reload {:.3} s",
        row.deploy.as_secs_f64(),
        row.build_config.as_secs_f64(),
        row.ps_report.as_secs_f64(),
        row.restart.as_secs_f64(),
        row.restart_floor.as_secs_f64(),
        row.restore.as_secs_f64(),
        row.start_floor.as_secs_f64(),
        row.nginx_t.as_secs_f64(),
        row.nginx_reload.as_secs_f64()
    );
    Ok(row)
}

/// Measure every size in `sizes`.
pub fn run(bin: &Path, sizes: &[usize]) -> Result<Vec<Row>, String> {
    sizes.iter().map(|&n| measure(bin, n)).collect()
}

fn secs(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64())
}

/// The whole-server table of docs/benchmarks.md, with the targets at 100
/// apps.
pub fn markdown(rows: &[Row], machine: &str) -> String {
    type Cell = fn(&Row) -> Duration;
    let lines: [(&str, Cell, Option<f64>); 11] = [
        (
            "deploy from an image (`git:from-image`, checks disabled)",
            |r| r.deploy,
            Some(0.8),
        ),
        ("`proxy:build-config --all`", |r| r.build_config, Some(1.0)),
        ("`ps:report` (all apps)", |r| r.ps_report, Some(0.2)),
        (
            "`ps:restart --all --parallel -1`",
            |r| r.restart,
            Some(20.0),
        ),
        (
            "boot-time restore (`ps:restore`, every container stopped)",
            |r| r.restore,
            None,
        ),
        (
            "floor: create + start of one app container through the engine",
            |r| r.start_floor,
            None,
        ),
        (
            "floor: create + start + stop of a container per app through the engine, CPU-count at a time",
            |r| r.restart_floor,
            None,
        ),
        (
            "floor: the machine's busy CPU time during that engine work, per CPU",
            |r| r.restart_floor_cpu,
            None,
        ),
        (
            "the machine's busy CPU time during the restart, per CPU",
            |r| r.restart_cpu,
            None,
        ),
        ("floor: `nginx -t` over every vhost", |r| r.nginx_t, None),
        ("floor: `nginx -s reload`", |r| r.nginx_reload, None),
    ];
    let mut md = String::new();
    md.push_str("\n## Whole-server operations\n\n");
    md.push_str(&format!(
        "A scratch installation with its own nginx instance and N apps deployed from one local busybox image (checks disabled, `wait-to-retire` 1 s), seconds; deploys are the median of the last {DEPLOYS_MEASURED}, cheap operations the median of {CHEAP_RUNS} runs, restart and restore one run each. After every operation that replaces containers or configs, each app must answer through nginx with its own page.\n\n"
    ));
    md.push_str(&format!("Machine: {machine}.\n\n"));
    md.push_str("| operation |");
    for r in rows {
        md.push_str(&format!(" {} apps |", r.apps));
    }
    md.push_str(" target at 100 apps |\n|---|");
    for _ in rows {
        md.push_str("---:|");
    }
    md.push_str("---|\n");
    for (name, cell, target) in lines {
        md.push_str(&format!("| {name} |"));
        for r in rows {
            md.push_str(&format!(" {} |", secs(cell(r))));
        }
        match target {
            Some(t) => {
                let at100 = rows.iter().find(|r| r.apps == 100).map(cell);
                let verdict = match at100 {
                    Some(d) if d.as_secs_f64() < t => "met",
                    Some(_) => "not met",
                    None => "not measured",
                };
                md.push_str(&format!(" < {t} s ({verdict}) |\n"));
            }
            None => md.push_str(" |\n"),
        }
    }
    md
}
