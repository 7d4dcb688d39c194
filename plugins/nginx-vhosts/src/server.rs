//! The nginx server Dokku drives: where its binary and configuration are,
//! and how it is tested, reloaded, started and stopped.
//!
//! By default this is the distribution's nginx: `/usr/sbin/nginx` (or
//! `nginx` on `PATH`), the global Dokku config in `/etc/nginx/conf.d`, the
//! service reloaded through systemd when it runs, else with `nginx -s`.
//! Commands that need root run through `sudo -n` when Dokku runs as its
//! system user (the sudoers rule `make install` writes allows exactly
//! them). Every place can be moved by environment variables, so a test
//! runs its own nginx instance:
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `DOKKU_NGINX_BIN` | `nginx` on `PATH`, else `/usr/sbin/nginx` | the binary |
//! | `DOKKU_NGINX_CONF` | nginx's own | main config, passed as `-c`; set, it makes an instance Dokku controls with signals, without sudo or systemd |
//! | `DOKKU_NGINX_PREFIX` | nginx's own | prefix, passed as `-p` |
//! | `DOKKU_NGINX_CONF_DIR` | `/etc/nginx/conf.d` | where `dokku.conf` is written |
//! | `DOKKU_NGINX_PID_FILE` | `/run/nginx.pid` | whether nginx runs, for reloads |
//! | `DOKKU_NGINX_LOG_ROOT` | `/var/log/nginx` | where app logs go by default |
//!
//! The `nginx-service-command` property (global), when set, is run with
//! `start`, `stop` or `reload` instead of the service manager.
//!
//! Nginx serves this Dokku installation only when `dokku.conf` in the
//! config directory includes this `DOKKU_ROOT`; otherwise the proxy is
//! not set up here (another root's nginx, or none) and app configs are
//! neither built nor reloaded. The `install` trigger writes `dokku.conf`
//! only for the system user's own root or an explicitly named config
//! directory, so scratch installations never take over the host's nginx.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dokku_core::{Error, Paths, Result};

/// Where nginx is and how it is driven.
#[derive(Debug, Clone)]
pub struct Server {
    /// The nginx binary.
    pub bin: PathBuf,
    /// Main config (`-c`) of a Dokku-controlled instance.
    pub conf: Option<PathBuf>,
    /// Prefix (`-p`).
    pub prefix: Option<PathBuf>,
    /// Directory of `dokku.conf`.
    pub conf_dir: PathBuf,
    /// The master's pid file.
    pub pid_file: PathBuf,
    /// Default log directory of apps.
    pub log_root: PathBuf,
    /// `nginx-service-command`, when set.
    pub service_command: Option<String>,
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn find_bin() -> PathBuf {
    if let Some(p) = env_path("DOKKU_NGINX_BIN") {
        return p;
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let c = dir.join("nginx");
            if c.is_file() {
                return c;
            }
        }
    }
    PathBuf::from("/usr/sbin/nginx")
}

/// The output of one nginx run.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Whether it exited 0.
    pub ok: bool,
    /// What it printed on stderr (nginx reports there).
    pub stderr: String,
}

/// A version of nginx, `(major, minor, patch)`.
pub type Version = (u32, u32, u32);

/// Parse `nginx version: nginx/1.22.1` (as `nginx -v` prints it).
pub fn parse_version(s: &str) -> Option<Version> {
    let v = s.split('/').nth(1)?.split_whitespace().next()?;
    let mut it = v.split('.').map(|p| p.trim().parse::<u32>().ok());
    Some((it.next()??, it.next()??, it.next().flatten().unwrap_or(0)))
}

impl Server {
    /// The server as the environment and the global service command say.
    pub fn from_env(service_command: Option<String>) -> Self {
        Server {
            bin: find_bin(),
            conf: env_path("DOKKU_NGINX_CONF"),
            prefix: env_path("DOKKU_NGINX_PREFIX"),
            conf_dir: env_path("DOKKU_NGINX_CONF_DIR")
                .unwrap_or_else(|| "/etc/nginx/conf.d".into()),
            pid_file: env_path("DOKKU_NGINX_PID_FILE").unwrap_or_else(|| "/run/nginx.pid".into()),
            log_root: env_path("DOKKU_NGINX_LOG_ROOT").unwrap_or_else(|| "/var/log/nginx".into()),
            service_command: service_command.filter(|c| !c.trim().is_empty()),
        }
    }

    /// `dokku.conf` in the config directory.
    pub fn dokku_conf(&self) -> PathBuf {
        self.conf_dir.join("dokku.conf")
    }

    /// The include line of `dokku.conf` for a Dokku root.
    pub fn include_line(paths: &Paths) -> String {
        format!("include {}/*/nginx.conf;", paths.dokku_root.display())
    }

    /// Whether nginx serves this installation (see the module docs).
    pub fn serves(&self, paths: &Paths) -> bool {
        let line = Self::include_line(paths);
        std::fs::read_to_string(self.dokku_conf())
            .map(|t| t.lines().any(|l| l.trim() == line))
            .unwrap_or(false)
    }

    /// Fail with Dokku's message when the binary is missing.
    pub fn require_bin(&self) -> Result<()> {
        if self.bin.is_file() {
            return Ok(());
        }
        Err(Error::fail(format!(
            "Could not find nginx binary in $PATH or at '{}'.",
            self.bin.display()
        )))
    }

    /// Whether this is a Dokku-controlled instance (`DOKKU_NGINX_CONF`).
    pub fn is_instance(&self) -> bool {
        self.conf.is_some()
    }

    fn base_args(&self) -> Vec<String> {
        let mut v = Vec::new();
        if let Some(p) = &self.prefix {
            v.push("-p".to_string());
            v.push(p.display().to_string());
        }
        if let Some(c) = &self.conf {
            v.push("-c".to_string());
            v.push(c.display().to_string());
        }
        v
    }

    /// A command running `program args`, through `sudo -n` when the system
    /// nginx is driven by a user other than root.
    fn command(&self, program: &Path, args: &[String]) -> Command {
        if !self.is_instance() && !dokku_core::system::is_root() {
            let mut c = Command::new("sudo");
            c.arg("-n").arg(program).args(args);
            c
        } else {
            let mut c = Command::new(program);
            c.args(args);
            c
        }
    }

    fn run(mut cmd: Command) -> Result<Outcome> {
        let out = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| Error::other("run nginx", e))?;
        let mut stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        stderr.push_str(&String::from_utf8_lossy(&out.stdout));
        Ok(Outcome {
            ok: out.status.success(),
            stderr,
        })
    }

    /// The version of the binary, asked once per binary for the whole
    /// command (a proxy rebuild of every app asks for each app).
    pub fn version(&self) -> Option<Version> {
        static KNOWN: std::sync::Mutex<Vec<(PathBuf, Option<Version>)>> =
            std::sync::Mutex::new(Vec::new());
        let mut known = KNOWN
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, v)) = known.iter().find(|(bin, _)| *bin == self.bin) {
            return *v;
        }
        let v = self.ask_version();
        known.push((self.bin.clone(), v));
        v
    }

    fn ask_version(&self) -> Option<Version> {
        let out = Command::new(&self.bin)
            .arg("-v")
            .stdin(Stdio::null())
            .output()
            .ok()?;
        parse_version(&String::from_utf8_lossy(&out.stderr))
            .or_else(|| parse_version(&String::from_utf8_lossy(&out.stdout)))
    }

    /// `nginx -t` of the server's whole configuration.
    pub fn test(&self) -> Result<Outcome> {
        self.require_bin()?;
        let mut args = self.base_args();
        args.push("-t".into());
        Self::run(self.command(&self.bin, &args))
    }

    /// `nginx -t -c <file>`: a standalone config (the validation wrapper).
    pub fn test_file(&self, conf: &Path) -> Result<Outcome> {
        self.require_bin()?;
        let mut args = Vec::new();
        if let Some(p) = &self.prefix {
            args.push("-p".to_string());
            args.push(p.display().to_string());
        }
        args.extend([
            "-t".to_string(),
            "-c".to_string(),
            conf.display().to_string(),
        ]);
        // `nginx -t` opens the pid file, by default the system's, which
        // only root may. An instance driven by another user (no sudo) gets
        // one next to the file under test.
        if self.is_instance() && !dokku_core::system::is_root() {
            if let Some(dir) = conf.parent() {
                args.push("-g".to_string());
                args.push(format!("pid {}/nginx.pid;", dir.display()));
            }
        }
        Self::run(self.command(&self.bin, &args))
    }

    /// The pid of the running nginx master (its pid file names a live
    /// process).
    pub fn master_pid(&self) -> Option<i32> {
        let text = std::fs::read_to_string(&self.pid_file).ok()?;
        let pid = text.trim().parse::<i32>().ok().filter(|p| *p > 0)?;
        match nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None) {
            Ok(()) => Some(pid),
            Err(nix::errno::Errno::EPERM) => Some(pid),
            Err(_) => None,
        }
    }

    /// Whether the nginx master runs.
    pub fn is_running(&self) -> bool {
        self.master_pid().is_some()
    }

    /// Reload, then wait (bounded) until the master has started workers
    /// with the new configuration and the old ones stopped taking new
    /// connections, so the next request is served by the new config.
    /// `Ok(false)` when no new worker appeared in time: the master kept the
    /// old configuration (its error log says why).
    pub fn reload_and_wait(&self, timeout: Duration) -> Result<(Outcome, bool)> {
        let master = self.master_pid();
        let before = master.map(children).unwrap_or_default();
        let outcome = self.reload()?;
        let Some(master) = master.filter(|_| outcome.ok) else {
            return Ok((outcome, true));
        };
        let until = Instant::now() + timeout;
        while Instant::now() < until {
            let now = children(master);
            let fresh = now.iter().any(|p| !before.contains(p));
            let old_retired = before
                .iter()
                .all(|p| !now.contains(p) || is_shutting_down(*p));
            if fresh && old_retired {
                return Ok((outcome, true));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        Ok((outcome, false))
    }

    fn service(&self, action: &str) -> Result<Outcome> {
        if let Some(cmd) = &self.service_command {
            let mut c = Command::new(cmd.trim());
            c.arg(action);
            return Self::run(c);
        }
        self.require_bin()?;
        let mut args = self.base_args();
        let systemd = !self.is_instance() && Path::new("/run/systemd/system").is_dir();
        if systemd {
            return Self::run(self.command(
                Path::new("systemctl"),
                &[action.to_string(), "nginx".to_string()],
            ));
        }
        match action {
            "reload" => args.extend(["-s".to_string(), "reload".to_string()]),
            "stop" => args.extend(["-s".to_string(), "quit".to_string()]),
            _ => {}
        }
        Self::run(self.command(&self.bin, &args))
    }

    /// Reload a running nginx (a new configuration, no restart). An
    /// instance whose master this process may signal gets the signal
    /// `nginx -s reload` would send, without a second nginx parsing every
    /// vhost only to find the pid file.
    pub fn reload(&self) -> Result<Outcome> {
        if self.is_instance() && self.service_command.is_none() {
            if let Some(pid) = self.master_pid() {
                let hup = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid),
                    nix::sys::signal::Signal::SIGHUP,
                );
                if hup.is_ok() {
                    return Ok(Outcome {
                        ok: true,
                        stderr: String::new(),
                    });
                }
            }
        }
        self.service("reload")
    }

    /// Start nginx.
    pub fn start(&self) -> Result<Outcome> {
        self.service("start")
    }

    /// Stop nginx, letting workers finish their requests.
    pub fn stop(&self) -> Result<Outcome> {
        self.service("stop")
    }
}

/// The pids of the children of a process: from the kernel's per-thread
/// child lists where it keeps them, else by scanning `/proc`.
pub fn children(parent: i32) -> Vec<i32> {
    let tasks = std::fs::read_dir(format!("/proc/{parent}/task"));
    let mut listed = false;
    let mut pids = Vec::new();
    for task in tasks.into_iter().flatten().flatten() {
        if let Ok(text) = std::fs::read_to_string(task.path().join("children")) {
            listed = true;
            pids.extend(
                text.split_whitespace()
                    .filter_map(|p| p.parse::<i32>().ok()),
            );
        }
    }
    if listed {
        return pids;
    }
    scan_children(parent)
}

/// [`children`] by reading the parent of every process in `/proc`.
fn scan_children(parent: i32) -> Vec<i32> {
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    rd.flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()))
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            parent_of(&stat) == Some(parent)
        })
        .collect()
}

/// Whether an nginx worker stopped taking new connections (its title says
/// it is shutting down) or is gone.
fn is_shutting_down(pid: i32) -> bool {
    match std::fs::read(format!("/proc/{pid}/cmdline")) {
        Ok(c) => String::from_utf8_lossy(&c).contains("shutting down"),
        Err(_) => true,
    }
}

/// The parent pid in a `/proc/<pid>/stat` line (the field after the state,
/// which follows the parenthesised command name).
pub fn parent_of(stat: &str) -> Option<i32> {
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(
            parse_version("nginx version: nginx/1.22.1\n"),
            Some((1, 22, 1))
        );
        assert_eq!(
            parse_version("nginx version: nginx/1.25.1 (Ubuntu)"),
            Some((1, 25, 1))
        );
        assert_eq!(parse_version("nope"), None);
        assert_eq!(
            parent_of("123 (nginx: worker (x)) S 99 123 123 0"),
            Some(99)
        );
        // A child of this process is listed as one; it has none itself.
        // (Other tests of this binary start processes too: only the
        // child started here is asserted.)
        let mut child = Command::new("sleep").arg("30").spawn().expect("sleep");
        let pid = child.id() as i32;
        assert!(children(std::process::id() as i32).contains(&pid));
        assert!(children(pid).is_empty());
        assert!(scan_children(std::process::id() as i32).contains(&pid));
        assert!(scan_children(pid).is_empty());
        let _ = child.kill();
        let _ = child.wait();
    }
}
