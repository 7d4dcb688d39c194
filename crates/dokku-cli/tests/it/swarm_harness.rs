//! A multi-node Docker Swarm lab for the swarm scheduler's tests.
//!
//! A [`Lab`] is a Linux bridge on this host with one network namespace per
//! node behind it. Each node also has its own mount namespace, where the
//! node's directory is bind-mounted over `/run`, and runs there its own
//! `dockerd` (own data root, exec root, pid file and `/run/docker.sock`, so
//! that `docker` run over ssh reaches the node's engine) and its own `sshd`
//! (root login with the lab's key only), and its own `/etc/docker`.
//! A Debian `docker-registry` listens
//! on the bridge's host address; every node's engine trusts it as an
//! insecure registry, since nodes cannot reach any other registry.
//!
//! Addresses come from 198.18.0.0/15 (reserved for network testing):
//! `198.18.<n>.1` is the host side of bridge `dksw<n>`, `198.18.<n>.<10+i>`
//! node `i`. Nothing is routed beyond the bridge: the namespaces have no
//! default route.
//!
//! Everything a lab creates is recorded under `/tmp/dokku-swarm-lab/<n>/`
//! as it is created, and torn down from that record on drop (graceful
//! engine stop, then every process left in the node's namespaces, the
//! namespaces, the bridge, the forward rules, the directory). A lab whose
//! owning test process died without dropping it is torn down by the next
//! lab that starts.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dokku_docker::DockerEngine;

/// Where labs keep their state, one directory per bridge number.
const LAB_ROOT: &str = "/tmp/dokku-swarm-lab";

/// A port free on every address of this host, for the lab's registry: a
/// fixed one (5000, say) may already be taken on all addresses by the
/// host's nginx serving an app, which would then answer in its place.
fn free_port() -> u16 {
    std::net::TcpListener::bind("0.0.0.0:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Whether `addr` answers `GET /v2/` as a registry does (its API version
/// header), not merely accepts connections.
fn answers_as_registry(addr: &str) -> bool {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect(addr) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(format!("GET /v2/ HTTP/1.0\r\nHost: {addr}\r\n\r\n").as_bytes())
        .is_err()
    {
        return false;
    }
    let mut head = String::new();
    let _ = s.read_to_string(&mut head);
    head.to_ascii_lowercase()
        .contains("docker-distribution-api-version: registry/2.0")
}

fn run_quiet(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Spawn `cmd` with no input and its output written to a new file `log`;
/// `expect` is the panic message when it cannot start.
fn spawn_logged(cmd: &mut Command, log: &Path, expect: &str) -> Child {
    let file = std::fs::File::create(log).expect("log file");
    cmd.stdin(Stdio::null())
        .stdout(file.try_clone().expect("log"))
        .stderr(file)
        .spawn()
        .expect(expect)
}

/// Poll `ready` until it holds; `(limit, interval)`: after `limit`, fail
/// saying `what` did not start, with its `log`.
#[track_caller]
fn wait_started(
    what: &str,
    log: &Path,
    (limit, interval): (Duration, Duration),
    ready: impl Fn() -> bool,
) {
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < limit,
            "{what} did not start:\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        std::thread::sleep(interval);
    }
}

/// Make a passphrase-less ed25519 key pair at `path` (and `path.pub`).
fn ed25519_key(path: &Path) {
    let path = path.display().to_string();
    must(
        "ssh-keygen",
        &["-q", "-t", "ed25519", "-N", "", "-f", &path],
    );
}

#[track_caller]
fn must(program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("spawn {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn pid_alive(pid: i32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

fn read_pid(path: &Path) -> Option<i32> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

fn kill(pid: i32, sig: &str) {
    if pid > 1 {
        run_quiet("kill", &[sig, &pid.to_string()]);
    }
}

/// Wait until `pid` is gone, up to `limit`; whether it is.
fn wait_gone(pid: i32, limit: Duration) -> bool {
    let start = Instant::now();
    while pid_alive(pid) {
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    true
}

/// One node of a lab.
#[derive(Debug)]
pub struct Node {
    /// `node<i>`.
    pub name: String,
    /// The network namespace (`dksw<n>n<i>`).
    pub netns: String,
    /// The node's address on the lab bridge.
    pub ip: String,
    /// The node's directory: `run/` (its `/run`), `data/`, `exec/`, logs.
    pub dir: PathBuf,
    /// The process holding the node's mount namespace.
    holder: i32,
    /// The processes started for the node (holder, dockerd, sshd), reaped
    /// when the lab is dropped.
    children: std::sync::Mutex<Vec<Child>>,
}

impl Node {
    /// The node engine's socket, as seen from the host.
    pub fn socket(&self) -> PathBuf {
        self.dir.join("run/docker.sock")
    }

    /// `unix://` address of the node's engine, for `DOCKER_HOST`.
    pub fn docker_host(&self) -> String {
        format!("unix://{}", self.socket().display())
    }

    /// A client of the node's engine.
    pub fn engine(&self) -> DockerEngine {
        DockerEngine::connect_to(&self.docker_host()).expect("connect to node engine")
    }

    /// `ssh://root@<ip>` for `scheduler-swarm:cluster:add`.
    pub fn ssh_url(&self) -> String {
        format!("ssh://root@{}", self.ip)
    }

    fn keep(&self, child: Child) {
        if let Ok(mut children) = self.children.lock() {
            children.push(child);
        }
    }

    fn nsenter(&self) -> Command {
        let mut c = Command::new("nsenter");
        c.args(["-t", &self.holder.to_string(), "-m", "-n", "--"]);
        c
    }

    /// Run `docker` against this node's engine; its output (asserting
    /// success).
    #[track_caller]
    pub fn docker(&self, args: &[&str]) -> String {
        let out = Command::new("docker")
            .arg("-H")
            .arg(self.docker_host())
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("docker");
        assert!(
            out.status.success(),
            "docker {} on {}: {}",
            args.join(" "),
            self.name,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn start_dockerd(&self, registry: &str) {
        let d = |s: &str| self.dir.join(s).display().to_string();
        let log = self.dir.join("dockerd.log");
        let mut dockerd = self.nsenter();
        dockerd
            .arg("dockerd")
            .args(["--data-root", &d("data")])
            .args(["--exec-root", &d("exec")])
            .args(["--pidfile", &d("dockerd.pid")])
            .args(["-H", "unix:///run/docker.sock"])
            .args(["--insecure-registry", registry])
            .args(["--cgroup-parent", &format!("/{}", self.netns)]);
        self.keep(spawn_logged(&mut dockerd, &log, "spawn dockerd"));
        wait_started(
            &format!("dockerd of {}", self.name),
            &log,
            (Duration::from_secs(60), Duration::from_millis(200)),
            || run_quiet("docker", &["-H", &self.docker_host(), "version"]),
        );
    }

    /// Stop the node's engine (as a crashed or powered-off node would
    /// look to the cluster: its tasks go away with it).
    pub fn stop_dockerd(&self) {
        stop_dockerd_at(&self.dir);
    }

    fn start_sshd(&self, authorized: &Path) {
        let d = |s: &str| self.dir.join(s).display().to_string();
        let key = self.dir.join("ssh_host_ed25519_key");
        ed25519_key(&key);
        std::fs::create_dir_all(self.dir.join("run/sshd")).expect("privsep dir");
        let log = self.dir.join("sshd.log");
        let mut sshd = self.nsenter();
        sshd.args(["/usr/sbin/sshd", "-D", "-e", "-f", "/dev/null"])
            .args(["-o", &format!("HostKey={}", key.display())])
            .args(["-o", &format!("ListenAddress={}:22", self.ip)])
            .args(["-o", &format!("PidFile={}", d("sshd.pid"))])
            .args([
                "-o",
                &format!("AuthorizedKeysFile={}", authorized.display()),
            ])
            .args(["-o", "PermitRootLogin=prohibit-password"])
            .args(["-o", "PasswordAuthentication=no"])
            .args(["-o", "KbdInteractiveAuthentication=no"])
            .args(["-o", "StrictModes=no"])
            .args(["-o", "UsePAM=no"]);
        self.keep(spawn_logged(&mut sshd, &log, "spawn sshd"));
        wait_started(
            &format!("sshd of {}", self.name),
            &log,
            (Duration::from_secs(20), Duration::from_millis(100)),
            || self.dir.join("sshd.pid").exists(),
        );
    }

    /// The line to put in a `known_hosts` file for this node.
    pub fn known_hosts_line(&self) -> String {
        let public =
            std::fs::read_to_string(self.dir.join("ssh_host_ed25519_key.pub")).expect("host key");
        let mut parts = public.split_whitespace();
        let kind = parts.next().expect("key type");
        let key = parts.next().expect("key");
        format!("{} {kind} {key}\n", self.ip)
    }
}

fn stop_dockerd_at(dir: &Path) {
    if let Some(pid) = read_pid(&dir.join("dockerd.pid")) {
        kill(pid, "-TERM");
        if !wait_gone(pid, Duration::from_secs(30)) {
            kill(pid, "-KILL");
            wait_gone(pid, Duration::from_secs(5));
        }
    }
}

/// A lab: bridge, nodes, registry. Dropping it tears everything down.
pub struct Lab {
    /// The bridge number `n`.
    pub n: u8,
    /// `/tmp/dokku-swarm-lab/<n>`.
    pub dir: PathBuf,
    /// The host's address on the bridge (the registry's).
    pub host_ip: String,
    /// The nodes, `node0` first.
    pub nodes: Vec<Node>,
    /// The private key the nodes' sshd accept (for root).
    pub ssh_key: PathBuf,
    registry: Option<Child>,
    registry_port: u16,
    /// User and password the registry wants (basic auth), if any.
    registry_login: Option<(String, String)>,
}

fn bridge_name(n: u8) -> String {
    format!("dksw{n}")
}

fn netns_name(n: u8, i: usize) -> String {
    format!("dksw{n}n{i}")
}

impl Lab {
    /// A lab with `count` nodes, each running dockerd and sshd, and the
    /// registry. No node is in a swarm yet.
    pub fn new(count: usize) -> Lab {
        Lab::build(count, None)
    }

    /// [`Lab::new`] with a registry that wants `user` and `password`
    /// (htpasswd basic auth).
    pub fn with_registry_login(count: usize, user: &str, password: &str) -> Lab {
        Lab::build(count, Some((user.to_string(), password.to_string())))
    }

    fn build(count: usize, registry_login: Option<(String, String)>) -> Lab {
        sweep_stale();
        std::fs::create_dir_all(LAB_ROOT).expect("lab root");
        // Claim a bridge number: creating the bridge is the atomic claim.
        let seed = (std::process::id() % 200) as usize;
        let n = (0..200)
            .map(|k| ((seed + k) % 200 + 20) as u8)
            .find(|n| {
                !Path::new(LAB_ROOT).join(n.to_string()).exists()
                    && run_quiet("ip", &["link", "add", &bridge_name(*n), "type", "bridge"])
            })
            .expect("a free lab bridge number");
        let dir = Path::new(LAB_ROOT).join(n.to_string());
        std::fs::create_dir_all(&dir).expect("lab dir");
        std::fs::write(dir.join("owner"), std::process::id().to_string()).expect("owner");
        std::fs::write(dir.join("nodes"), count.to_string()).expect("nodes");
        let mut lab = Lab {
            n,
            host_ip: format!("198.18.{n}.1"),
            ssh_key: dir.join("id_ed25519"),
            dir,
            nodes: Vec::new(),
            registry: None,
            registry_port: free_port(),
            registry_login,
        };
        let br = bridge_name(n);
        must(
            "ip",
            &["addr", "add", &format!("{}/24", lab.host_ip), "dev", &br],
        );
        must("ip", &["link", "set", &br, "up"]);
        // Docker's FORWARD policy is DROP, and bridged frames pass it.
        for dirflag in ["-i", "-o"] {
            must("iptables", &["-I", "FORWARD", dirflag, &br, "-j", "ACCEPT"]);
        }
        ed25519_key(&lab.ssh_key);
        let authorized = lab.dir.join("authorized_keys");
        std::fs::copy(lab.dir.join("id_ed25519.pub"), &authorized).expect("authorized_keys");
        lab.start_registry();
        for i in 0..count {
            let node = lab.add_node(i);
            lab.nodes.push(node);
        }
        let registry = lab.registry();
        for node in &lab.nodes {
            node.start_dockerd(&registry);
            node.start_sshd(&authorized);
        }
        lab
    }

    /// `<host ip>:<port>` of the lab's registry.
    pub fn registry(&self) -> String {
        format!("{}:{}", self.host_ip, self.registry_port)
    }

    fn start_registry(&mut self) {
        let storage = self.dir.join("registry");
        std::fs::create_dir_all(&storage).expect("registry dir");
        let config = self.dir.join("registry.yml");
        let mut text = format!(
            "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: {}\n",
            storage.display(),
            self.registry()
        );
        if let Some((user, password)) = &self.registry_login {
            let out = Command::new("htpasswd")
                .args(["-Bbn", user, password])
                .output()
                .expect("htpasswd (apache2-utils)");
            assert!(out.status.success(), "htpasswd failed");
            let file = self.dir.join("htpasswd");
            std::fs::write(&file, &out.stdout).expect("htpasswd file");
            text.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: dokku-swarm-lab\n    path: {}\n",
                file.display()
            ));
        }
        std::fs::write(&config, text).expect("registry config");
        let log = self.dir.join("registry.log");
        let child = spawn_logged(
            Command::new("docker-registry").arg("serve").arg(&config),
            &log,
            "spawn docker-registry (tests/setup-host.sh installs it)",
        );
        std::fs::write(self.dir.join("registry.pid"), child.id().to_string()).expect("pid");
        self.registry = Some(child);
        wait_started(
            "registry",
            &log,
            (Duration::from_secs(20), Duration::from_millis(100)),
            || answers_as_registry(&self.registry()),
        );
    }

    fn add_node(&self, i: usize) -> Node {
        let netns = netns_name(self.n, i);
        let ip = format!("198.18.{}.{}", self.n, 10 + i);
        let dir = self.dir.join(format!("node{i}"));
        for d in ["run", "data", "exec", "etc-docker"] {
            std::fs::create_dir_all(dir.join(d)).expect("node dirs");
        }
        must("ip", &["netns", "add", &netns]);
        let veth = format!("{netns}v");
        must(
            "ip",
            &[
                "link", "add", &veth, "type", "veth", "peer", "name", "eth0", "netns", &netns,
            ],
        );
        must(
            "ip",
            &["link", "set", &veth, "master", &bridge_name(self.n), "up"],
        );
        must(
            "ip",
            &[
                "-n",
                &netns,
                "addr",
                "add",
                &format!("{ip}/24"),
                "dev",
                "eth0",
            ],
        );
        must("ip", &["-n", &netns, "link", "set", "eth0", "up"]);
        must("ip", &["-n", &netns, "link", "set", "lo", "up"]);
        // The holder keeps a mount namespace of the node's own; `/run` in
        // it is the node's directory (its docker.sock, containerd, sshd).
        let holder = Command::new("nsenter")
            .arg(format!("--net=/run/netns/{netns}"))
            .args([
                "unshare",
                "-m",
                "--propagation",
                "private",
                "sleep",
                "infinity",
            ])
            .stdin(Stdio::null())
            .spawn()
            .expect("spawn namespace holder");
        let holder_child = holder;
        let holder = holder_child.id() as i32;
        std::fs::write(dir.join("holder.pid"), holder.to_string()).expect("holder pid");
        // Wait until the holder is inside its own mount namespace.
        let own = std::fs::read_link("/proc/self/ns/mnt").expect("own mnt ns");
        let start = Instant::now();
        while std::fs::read_link(format!("/proc/{holder}/ns/mnt")).ok() == Some(own.clone())
            || std::fs::read_to_string(format!("/proc/{holder}/comm"))
                .map(|c| c.trim() != "sleep")
                .unwrap_or(true)
        {
            assert!(start.elapsed() < Duration::from_secs(10), "holder");
            std::thread::sleep(Duration::from_millis(20));
        }
        // In it, the node's own /run and /etc/docker (the engine's
        // identity key lives there).
        let holder_pid = holder.to_string();
        for (sub, target) in [("run", "/run"), ("etc-docker", "/etc/docker")] {
            let source = dir.join(sub).display().to_string();
            let args = ["-t", &holder_pid, "-m", "mount", "--bind", &source, target];
            must("nsenter", &args);
        }
        Node {
            name: format!("node{i}"),
            netns,
            ip,
            dir,
            holder,
            children: std::sync::Mutex::new(vec![holder_child]),
        }
    }

    /// Write the lab's key as the Dokku user's ssh identity and, when
    /// `known` is set, the nodes' host keys into its known_hosts.
    pub fn install_ssh_identity(&self, dokku_root: &Path, known: bool) {
        let ssh = dokku_root.join(".ssh");
        std::fs::create_dir_all(&ssh).expect("ssh dir");
        std::fs::copy(&self.ssh_key, ssh.join("id_ed25519")).expect("key");
        if known {
            let lines: String = self.nodes.iter().map(Node::known_hosts_line).collect();
            std::fs::write(ssh.join("known_hosts"), lines).expect("known_hosts");
        }
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        if let Some(mut child) = self.registry.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        teardown(self.n);
        for node in &self.nodes {
            if let Ok(mut children) = node.children.lock() {
                for mut child in children.drain(..) {
                    let _ = child.kill();
                    let _ = child.wait();
                }
            }
        }
    }
}

/// Tear down lab `n` from its record: engines first (gracefully), then
/// every process still in a node's namespaces or engine cgroup, the
/// namespaces, the bridge and its rules, the directory.
fn teardown(n: u8) {
    let dir = Path::new(LAB_ROOT).join(n.to_string());
    let count: usize = std::fs::read_to_string(dir.join("nodes"))
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    if let Some(pid) = read_pid(&dir.join("registry.pid")) {
        if std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .map(|c| c.trim() == "docker-registry")
            .unwrap_or(false)
        {
            kill(pid, "-KILL");
        }
    }
    // Stop the engines in parallel: each stops its containers.
    std::thread::scope(|s| {
        for i in 0..count {
            let node_dir = dir.join(format!("node{i}"));
            s.spawn(move || stop_dockerd_at(&node_dir));
        }
    });
    for i in 0..count {
        let netns = netns_name(n, i);
        let node_dir = dir.join(format!("node{i}"));
        // Containers the engine did not stop (it was killed).
        for subsystem in ["pids", "memory", "cpu,cpuacct", "devices", "freezer"] {
            let cg = Path::new("/sys/fs/cgroup").join(subsystem).join(&netns);
            kill_cgroup_tree(&cg);
        }
        // containerd, shims, sshd, anything else left in the node's
        // network namespace, then the holder.
        if let Ok(out) = Command::new("ip").args(["netns", "pids", &netns]).output() {
            for pid in String::from_utf8_lossy(&out.stdout).split_whitespace() {
                if let Ok(pid) = pid.parse::<i32>() {
                    kill(pid, "-KILL");
                }
            }
        }
        if let Some(holder) = read_pid(&node_dir.join("holder.pid")) {
            if std::fs::read_to_string(format!("/proc/{holder}/comm"))
                .map(|c| c.trim() == "sleep")
                .unwrap_or(false)
            {
                kill(holder, "-KILL");
            }
        }
        run_quiet("ip", &["netns", "del", &netns]);
        for subsystem in [
            "pids",
            "memory",
            "cpu,cpuacct",
            "devices",
            "freezer",
            "cpuset",
            "blkio",
            "net_cls,net_prio",
            "perf_event",
            "hugetlb",
            "systemd",
        ] {
            remove_cgroup_tree(&Path::new("/sys/fs/cgroup").join(subsystem).join(&netns));
        }
    }
    let br = bridge_name(n);
    for dirflag in ["-i", "-o"] {
        while run_quiet("iptables", &["-D", "FORWARD", dirflag, &br, "-j", "ACCEPT"]) {}
    }
    run_quiet("ip", &["link", "del", &br]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Call `visit` on each cgroup below `cg`, deepest first, then on `cg`.
fn walk_cgroup_tree(cg: &Path, visit: &dyn Fn(&Path)) {
    let Ok(rd) = std::fs::read_dir(cg) else {
        return;
    };
    for e in rd.flatten() {
        if e.path().is_dir() {
            walk_cgroup_tree(&e.path(), visit);
        }
    }
    visit(cg);
}

fn kill_cgroup_tree(cg: &Path) {
    walk_cgroup_tree(cg, &|c| {
        let procs = std::fs::read_to_string(c.join("cgroup.procs")).unwrap_or_default();
        for pid in procs
            .split_whitespace()
            .filter_map(|p| p.parse::<i32>().ok())
        {
            kill(pid, "-KILL");
        }
    });
}

fn remove_cgroup_tree(cg: &Path) {
    walk_cgroup_tree(cg, &|c| {
        let _ = std::fs::remove_dir(c);
    });
}

/// Tear down the labs whose owning process is gone.
fn sweep_stale() {
    let Ok(rd) = std::fs::read_dir(LAB_ROOT) else {
        return;
    };
    for e in rd.flatten() {
        let Ok(n) = e.file_name().to_string_lossy().parse::<u8>() else {
            continue;
        };
        match read_pid(&e.path().join("owner")) {
            Some(owner) if pid_alive(owner) => {}
            Some(_) => teardown(n),
            // Being set up right now, unless long abandoned.
            None => {
                let old = e
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > Duration::from_secs(300));
                if old {
                    teardown(n);
                }
            }
        }
    }
}
