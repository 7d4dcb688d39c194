//! The network plugin against the real engine: `network:create`,
//! `:destroy`, `:exists`, `:info`, `:list`, the checks of `network:set`,
//! and two deployed apps reaching each other by their `<app>.<proc>`
//! aliases on a network. Every network a test creates is named for the
//! test and removed, after the apps' containers, even when it fails.

use std::process::Command;

use dokku_docker::testing::{unique_name, Cleanup, TEST_LABEL};
use dokku_docker::{ContainerEngine, DockerEngine};

use crate::harness::tar_of;
use crate::harness::{assert_has_all, EngineApp, Env};

/// Networks removed on drop (declare before the apps, so the apps'
/// containers go first).
struct Networks {
    engine: DockerEngine,
    names: Vec<String>,
}

impl Networks {
    fn new() -> Networks {
        Networks {
            engine: DockerEngine::connect().expect("docker engine"),
            names: Vec::new(),
        }
    }

    /// A fresh name for this test, removed on drop.
    fn name(&mut self, what: &str) -> String {
        let n = unique_name(&format!("net-{what}"));
        self.names.push(n.clone());
        n
    }

    fn exists(&self, name: &str) -> bool {
        self.engine.inspect_network(name).is_ok()
    }
}

impl Drop for Networks {
    fn drop(&mut self) {
        for n in &self.names {
            let _ = self.engine.remove_network(n);
        }
    }
}

#[test]
fn network_commands_and_their_refusals() {
    let mut nets = Networks::new();
    let env = Env::new();
    let net = nets.name("cmds");
    let absent = nets.name("absent");

    env.expect(
        &["network:create", &net],
        format!("-----> Creating network {net}\n"),
    );
    assert!(nets.exists(&net));
    let info = nets.engine.inspect_network(&net).expect("inspect");
    assert!(info.attachable, "{info:?}");
    assert_eq!(info.driver, "bridge");
    assert_eq!(
        info.labels.get("com.dokku.network-name"),
        Some(&net),
        "{info:?}"
    );
    let again = env.run(&["network:create", &net]);
    assert_eq!(again.code, 1, "{again:?}");
    env.run(&["network:create"])
        .fails_with("No network name specified");
    let bad = env.run(&["network:create", "bad/name"]);
    assert_eq!(bad.code, 1, "{bad:?}");
    assert!(!nets.exists("bad/name"));

    env.expect(&["network:exists", &net], "");
    env.run(&["network:exists", &absent])
        .fails_with("Network does not exist");
    env.run(&["network:exists"])
        .fails_with("No network name specified");

    let short = &info.id[..12];
    env.expect(
        &["network:info", &net],
        format!(
            "=====> {net} network information\n       ID:             {short}\n       Name:           {net}\n       Driver:         bridge\n       Scope:          local\n       Dokku managed:  true\n"
        ),
    );
    env.expect(
        &["network:info", &net, "--format", "json"],
        format!(
            "{{\"CreatedAt\":\"{}\",\"DokkuManaged\":true,\"Driver\":\"bridge\",\"ID\":\"{short}\",\"Internal\":false,\"IPv6\":false,\"Labels\":{{\"com.dokku.network-name\":\"{net}\"}},\"Name\":\"{net}\",\"Scope\":\"local\"}}\n",
            info.created
        ),
    );
    let bridge = env.run(&["network:info", "bridge", "--format", "json"]);
    assert!(bridge.ok().contains("\"DokkuManaged\":false"), "{bridge:?}");
    env.run(&["network:info", &net, "--format", "yaml"])
        .fails_with("Invalid format specified, use either text or json");
    env.run(&["network:info", &absent])
        .fails_with(&format!("Network {absent} does not exist"));

    let list = env.run(&["network:list"]);
    let text = list.ok();
    assert!(text.starts_with("=====> Networks\n"), "{text}");
    for name in ["bridge", "host", "none", net.as_str()] {
        assert!(text.lines().any(|l| l == name), "{name} in {text}");
    }
    let quiet = env.run(&["--quiet", "network:list"]);
    assert!(!quiet.ok().contains("=====>"), "{quiet:?}");
    let managed = env.run(&["network:list", "--dokku-managed", "--format", "json"]);
    let json = managed.ok();
    assert!(
        json.starts_with("[\n    {") && json.ends_with("}\n]\n"),
        "{json}"
    );
    assert!(json.contains(&format!("\"Name\":\"{net}\"")), "{json}");
    assert!(!json.contains("\"Name\":\"bridge\""), "{json}");
    env.run(&["network:list", "--format", "xml"])
        .fails_with("Invalid format specified, use either text or json");

    // network:set refuses unknown and invalid networks and writes nothing.
    env.create_app("netapp");
    let before = env.state();
    env.run(&["network:set", "netapp", "attach-post-create", &absent])
        .fails_with(&format!("Network {absent} does not exist"));
    env.run(&[
        "network:set",
        "netapp",
        "attach-post-deploy",
        &net,
        "bad/name",
    ])
    .fails_with("Invalid network name specified for attach: bad/name");
    env.run(&["network:set", "--global", "initial-network", &absent])
        .fails_with(&format!("Network {absent} does not exist"));
    assert_eq!(env.state(), before, "a refused set changed nothing");
    env.expect(
        &["network:set", "netapp", "attach-post-create", &net],
        format!("=====> Setting attach-post-create to {net}\n"),
    );
    env.expect(
        &[
            "network:report",
            "netapp",
            "--network-computed-attach-post-create",
        ],
        format!("{net}\n"),
    );

    // destroy asks for the name; a wrong answer changes nothing.
    let wrong = env.run_stdin(&["network:destroy", &net], b"nope\n");
    assert_eq!(wrong.code, 1, "{wrong:?}");
    assert_eq!(
        wrong.stderr,
        format!(
            " !     WARNING: Potentially Destructive Action\n !     This command will destroy network {net}.\n !     To proceed, type \"{net}\"\n !     Confirmation did not match {net}. Aborted.\n"
        )
    );
    assert!(nets.exists(&net));
    let typed = env.run_stdin(&["network:destroy", &net], format!("{net}\n").as_bytes());
    assert_eq!(typed.ok(), format!("-----> Destroying network {net}\n"));
    assert!(!nets.exists(&net));
    env.run(&["--force", "network:destroy", &net])
        .fails_with("Network does not exist");
    env.run(&["network:destroy"])
        .fails_with("No network name specified");
}

/// Build and deploy one app's busybox httpd, answering `<body>`.
fn deploy(env: &Env, app: &EngineApp, body: &str) {
    app.build_httpd(body, "", "");
    env.run(&["ps:rebuild", &app.name]).ok();
}

/// Run a command inside a container; its stdout, or the failure.
fn exec(container: &str, cmd: &[&str]) -> Result<String, String> {
    let out = Command::new("docker")
        .args(["exec", container])
        .args(cmd)
        .output()
        .expect("docker exec");
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("{cmd:?}: {out:?}"))
    }
}

/// `GET http://<host>:5000/` from inside `container`. The test image's
/// static busybox cannot resolve names through libc, so the name is looked
/// up with busybox's own resolver (docker's embedded DNS, where the
/// network aliases live) and fetched by address.
fn get_by_name(container: &str, host: &str) -> Result<String, String> {
    let answer = exec(container, &["nslookup", host])?;
    let ip = answer
        .split("Name:")
        .nth(1)
        .and_then(|rest| rest.lines().find_map(|l| l.trim().strip_prefix("Address:")))
        .map(|a| a.trim().to_string())
        .ok_or_else(|| format!("{host} does not resolve: {answer}"))?;
    exec(
        container,
        &["wget", "-q", "-O-", &format!("http://{ip}:5000/")],
    )
    .map(|body| body.trim().to_string())
}

#[test]
fn apps_on_a_network_reach_each_other_by_their_aliases() {
    let mut nets = Networks::new();
    let shared = nets.name("shared");
    let late = nets.name("late");
    let env = Env::new();
    env.quick_deploys(Some("1"), "1");
    let a = EngineApp::new("net-a");
    let b = EngineApp::new("net-b");
    for n in [&shared, &late] {
        env.run(&["network:create", n]).ok();
    }
    env.create_app(&a.name);
    env.create_app(&b.name);
    // a starts on the network, with a TLD; b joins it after create, and
    // the second network after its checks, published on every interface.
    env.run(&["network:set", &a.name, "initial-network", &shared])
        .ok();
    env.run(&["network:set", &a.name, "tld", "svc.test"]).ok();
    env.run(&["network:set", &b.name, "attach-post-create", &shared])
        .ok();
    env.run(&["network:set", &b.name, "attach-post-deploy", &late])
        .ok();
    env.run(&["network:set", &b.name, "bind-all-interfaces", "true"])
        .ok();
    deploy(&env, &a, "from-a");
    deploy(&env, &b, "from-b");

    let (wa, wb) = (format!("{}.web.1", a.name), format!("{}.web.1", b.name));
    let alias_a = format!("{}.web", a.name);
    let alias_b = format!("{}.web", b.name);
    assert_eq!(get_by_name(&wb, &alias_a), Ok("from-a".into()));
    assert_eq!(
        get_by_name(&wb, &format!("{alias_a}.svc.test")),
        Ok("from-a".into())
    );
    assert_eq!(get_by_name(&wa, &alias_b), Ok("from-b".into()));

    let ia = a.engine.inspect_container(&wa).expect("inspect a");
    assert_eq!(
        ia.networks.keys().cloned().collect::<Vec<_>>(),
        vec![shared.clone()]
    );
    let on_shared = &ia.networks[&shared].aliases;
    assert!(
        on_shared.contains(&alias_a) && on_shared.contains(&format!("{alias_a}.svc.test")),
        "{on_shared:?}"
    );
    // The address the proxy uses is a's address on its network.
    let ip_a = std::fs::read_to_string(env.root().join(&a.name).join("IP.web.1")).expect("IP");
    assert_eq!(Some(ip_a.as_str()), ia.ip_address(&shared));

    let ib = b.engine.inspect_container(&wb).expect("inspect b");
    let mut joined: Vec<String> = ib.networks.keys().cloned().collect();
    joined.sort();
    let mut want = vec!["bridge".to_string(), shared.clone(), late.clone()];
    want.sort();
    assert_eq!(joined, want);
    for n in [&shared, &late] {
        assert!(
            ib.networks[n].aliases.contains(&alias_b),
            "{:?}",
            ib.networks[n]
        );
    }
    assert!(
        ib.ports
            .iter()
            .any(|p| p.container_port == 5000 && p.host_port.is_some()),
        "bind-all-interfaces publishes the web port: {:?}",
        ib.ports
    );

    // A network in use is not destroyed.
    let busy = env.run(&["--force", "network:destroy", &shared]);
    assert_eq!(busy.code, 1, "{busy:?}");
    assert!(nets.exists(&shared));

    // rebuild rewrites the address records from the engine.
    let ip_file = env.root().join(&a.name).join("IP.web.1");
    std::fs::write(&ip_file, "10.9.9.9").expect("write");
    env.expect(
        &["network:rebuild", &a.name],
        format!(
            "-----> Ensuring network configuration is in sync for {}\n",
            a.name
        ),
    );
    assert_eq!(std::fs::read_to_string(&ip_file).expect("IP"), ip_a);
    env.run(&["network:rebuildall"]).ok();
    env.run(&["network:rebuild", "no-such-app"])
        .fails_with("App no-such-app does not exist");
}

/// A busybox httpd container on `network`, named `name`, removed on drop
/// (with the networks, after the apps' containers).
fn peer(engine: &DockerEngine, base: &str, name: &str, network: &str) -> String {
    let mut spec = dokku_docker::ContainerSpec::new(base);
    spec.name = Some(name.to_string());
    spec.network = Some(network.to_string());
    spec.cmd = Some(vec![
        "httpd".into(),
        "-f".into(),
        "-p".into(),
        "8080".into(),
    ]);
    spec.labels = [(TEST_LABEL.to_string(), name.to_string())].into();
    engine.create_container(&spec).expect("create peer");
    engine.start_container(name).expect("start peer");
    engine
        .inspect_container(name)
        .expect("inspect peer")
        .ip_address(network)
        .expect("peer address")
        .to_string()
}

#[test]
fn initial_and_post_create_networks_reach_build_and_run_containers() {
    let mut nets = Networks::new();
    let initial = nets.name("initial");
    let post = nets.name("post");
    let app = EngineApp::new("net-build-run");
    let a = app.name.clone();
    let (peer_initial, peer_post) = (format!("{a}-peer-i"), format!("{a}-peer-p"));
    let mut guard = Cleanup::new(&app.engine);
    guard.container(peer_initial.clone());
    guard.container(peer_post.clone());
    let env = Env::new();
    env.quick_deploys(None, "1");
    for n in [&initial, &post] {
        env.run(&["network:create", n]).ok();
    }
    let ip_initial = peer(&app.engine, &app.base, &peer_initial, &initial);
    let ip_post = peer(&app.engine, &app.base, &peer_post, &post);
    env.create_app(&a);
    env.run(&["network:set", &a, "initial-network", &initial])
        .ok();

    // The build's RUN steps resolve a name only the initial network knows.
    let dockerfile = format!(
        "FROM {base}\nRUN nslookup {peer_initial} && echo build-reached-initial-network\nCMD [\"sh\", \"-c\", \"exec httpd -f -p $PORT -h /\"]\n",
        base = app.base
    );
    let r = env.run_stdin(
        &["git:from-archive", &a, "--"],
        &tar_of(&[("Dockerfile", &dockerfile, 0o644)]),
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_has_all(&r.stdout, &["build-reached-initial-network", &ip_initial]);

    // One-off containers start on the initial network; the post-create
    // network is joined before they start, attached or detached.
    let r = env.run(&["run", &a, "nslookup", &peer_initial]);
    assert_has_all(r.ok(), &[&ip_initial]);
    let r = env.run(&["run", &a, "nslookup", &peer_post]);
    assert_ne!(r.code, 0, "not on the post-create network yet: {r:?}");
    env.run(&["network:set", &a, "attach-post-create", &post])
        .ok();
    let r = env.run(&["run", &a, "nslookup", &peer_post]);
    assert_has_all(r.ok(), &[&ip_post]);
    let r = env.run(&["run:detached", &a, "sleep", "60"]);
    let name = r.ok().trim().to_string();
    let joined = app
        .engine
        .inspect_container(&name)
        .expect("detached run")
        .networks;
    let mut joined: Vec<String> = joined.into_keys().collect();
    joined.sort();
    let mut want = vec![initial.clone(), post.clone()];
    want.sort();
    assert_eq!(joined, want);
    app.engine
        .remove_container(&name, true)
        .expect("remove run");

    // A post-create network that went away fails the run before it starts.
    let gone = nets.name("gone");
    env.run(&["network:create", &gone]).ok();
    env.run(&["network:set", &a, "attach-post-create", &gone])
        .ok();
    app.engine.remove_network(&gone).expect("remove network");
    let r = env.run(&["run", &a, "echo", "never"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(!r.stdout.contains("never"), "{r:?}");
    let left = app
        .engine
        .list_containers(&dokku_docker::ContainerFilter::label(
            "com.dokku.container-type=run",
        ))
        .expect("list");
    assert!(
        !left.iter().any(|c| c.names.iter().any(|n| n.contains(&a))),
        "{left:?}"
    );
}
