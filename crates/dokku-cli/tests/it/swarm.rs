//! The swarm scheduler on a real multi-node Docker Swarm (see
//! `swarm_harness.rs`): nodes in their own network and mount namespaces,
//! each with its own engine and sshd, a registry on the lab bridge.

use std::process::Command;

use crate::harness::{assert_has_all, Env, Run};
use crate::swarm_harness::Lab;

/// The lab itself: nodes answer over ssh with their own engine, reach the
/// registry, and form a swarm whose overlay spans them.
#[test]
fn swarm_lab_nodes_have_their_own_engines_reachable_over_ssh() {
    let lab = Lab::new(2);
    let ids: Vec<String> = lab
        .nodes
        .iter()
        .map(|n| {
            n.docker(&["info", "--format", "{{.ID}}"])
                .trim()
                .to_string()
        })
        .collect();
    assert_ne!(ids[0], ids[1]);
    // Over ssh, `docker` is the node's engine.
    let node = &lab.nodes[1];
    let out = Command::new("ssh")
        .args(["-i", &lab.ssh_key.display().to_string()])
        .args(["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no"])
        .args(["-o", "UserKnownHostsFile=/dev/null"])
        .arg(format!("root@{}", node.ip))
        .args(["docker", "info", "--format", "'{{.ID}}'"])
        .output()
        .expect("ssh");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), ids[1]);
    // Swarm across the nodes.
    lab.nodes[0].docker(&["swarm", "init", "--advertise-addr", &lab.nodes[0].ip]);
    let token = lab.nodes[0].docker(&["swarm", "join-token", "-q", "worker"]);
    lab.nodes[1].docker(&[
        "swarm",
        "join",
        "--token",
        token.trim(),
        &format!("{}:2377", lab.nodes[0].ip),
    ]);
    let nodes = lab.nodes[0].docker(&["node", "ls", "--format", "{{.Status}}"]);
    assert_eq!(
        nodes.lines().filter(|l| *l == "Ready").count(),
        2,
        "{nodes}"
    );
}

fn dokku(env: &Env, lab: &Lab, args: &[&str]) -> Run {
    env.cmd(args)
        .env("DOCKER_HOST", lab.nodes[0].docker_host())
        .output()
        .expect("spawn dokku")
        .into()
}

fn swarm_state(node: &crate::swarm_harness::Node) -> String {
    node.docker(&["info", "--format", "{{.Swarm.LocalNodeState}}"])
        .trim()
        .to_string()
}

/// The cluster commands on a three-node lab: node0's engine is the Dokku
/// host's; node1 and node2 join over ssh, are listed, one is removed
/// (drained first), and uninstall takes everything apart.
#[test]
fn swarm_cluster_initialize_add_list_remove_uninstall() {
    let lab = Lab::new(3);
    let env = Env::new();
    lab.install_ssh_identity(&env.root(), false);
    let (n0, n1, n2) = (&lab.nodes[0], &lab.nodes[1], &lab.nodes[2]);

    dokku(&env, &lab, &["scheduler-swarm:cluster:list"])
        .fails_with("Swarm cluster not initialized, run scheduler-swarm:initialize first");
    dokku(
        &env,
        &lab,
        &["scheduler-swarm:initialize", "--server-ip", "nope"],
    )
    .fails_with("Invalid server ip: nope");
    let out = dokku(
        &env,
        &lab,
        &["scheduler-swarm:initialize", "--server-ip", &n0.ip],
    );
    assert_has_all(
        out.ok(),
        &[
            "-----> Initializing swarm cluster\n",
            "is the first manager",
        ],
    );
    assert_eq!(swarm_state(n0), "active");
    let again = dokku(&env, &lab, &["scheduler-swarm:initialize"]);
    assert!(again
        .ok()
        .starts_with("-----> Swarm cluster already initialized (node "));

    // Addresses are checked before anything runs.
    for bad in [
        "root@x",
        "ssh://root@host;id",
        "ssh://root@-oProxyCommand=id",
    ] {
        dokku(&env, &lab, &["scheduler-swarm:cluster:add", bad])
            .fails_with(&format!("Invalid server url: {bad}"));
    }
    dokku(
        &env,
        &lab,
        &[
            "scheduler-swarm:cluster:add",
            "--role",
            "boss",
            &n1.ssh_url(),
        ],
    )
    .fails_with("Invalid role: boss (expected manager or worker)");
    // An unknown host key is refused without the flag.
    let refused = dokku(&env, &lab, &["scheduler-swarm:cluster:add", &n1.ssh_url()]);
    assert_eq!(refused.code, 1, "{refused:?}");
    assert!(
        refused.stderr.starts_with(&format!(
            " !     Unable to reach the docker engine on {}: ",
            n1.ssh_url()
        )),
        "{refused:?}"
    );
    assert_eq!(swarm_state(n1), "inactive");

    let out = dokku(
        &env,
        &lab,
        &[
            "scheduler-swarm:cluster:add",
            "--insecure-allow-unknown-hosts",
            &n1.ssh_url(),
        ],
    );
    assert_has_all(
        out.ok(),
        &[&format!(
            "-----> Joining {} to the swarm cluster as a worker\n",
            n1.ssh_url()
        )],
    );
    // The host key is now known: no flag needed for the next node's peer.
    let known = std::fs::read_to_string(env.root().join(".ssh/known_hosts")).expect("known_hosts");
    let host_key = n1.known_hosts_line();
    let host_key = host_key.split_whitespace().nth(2).expect("key");
    assert!(known.contains(host_key), "{known}");
    dokku(
        &env,
        &lab,
        &[
            "scheduler-swarm:cluster:add",
            "--role",
            "manager",
            "--insecure-allow-unknown-hosts",
            &n2.ssh_url(),
        ],
    )
    .ok();
    // A node already in the swarm is refused.
    dokku(&env, &lab, &["scheduler-swarm:cluster:add", &n1.ssh_url()]).fails_with(&format!(
        "The docker engine on {} is already part of a swarm",
        n1.ssh_url()
    ));

    let json = dokku(
        &env,
        &lab,
        &["scheduler-swarm:cluster:list", "--format", "json"],
    );
    let nodes: serde_json::Value = serde_json::from_str(json.ok()).expect("json");
    let nodes = nodes.as_array().expect("array");
    assert_eq!(nodes.len(), 3, "{nodes:?}");
    let by_addr = |ip: &str| {
        nodes
            .iter()
            .find(|n| n["address"] == ip)
            .unwrap_or_else(|| panic!("{ip} in {nodes:?}"))
            .clone()
    };
    assert_eq!(by_addr(&n0.ip)["role"], "manager");
    assert_eq!(by_addr(&n0.ip)["leader"], true);
    assert_eq!(by_addr(&n1.ip)["role"], "worker");
    assert_eq!(by_addr(&n1.ip)["ssh_url"], n1.ssh_url());
    assert_eq!(by_addr(&n2.ip)["role"], "manager");
    for n in nodes {
        assert_eq!(
            (n["state"].as_str(), n["availability"].as_str()),
            (Some("ready"), Some("active"))
        );
    }
    let text = dokku(&env, &lab, &["scheduler-swarm:cluster:list"]);
    let lines: Vec<&str> = text.ok().lines().collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(lines[0].starts_with("id "), "{lines:?}");
    assert!(lines
        .iter()
        .any(|l| l.contains(&n1.ip) && l.contains("worker")));
    dokku(
        &env,
        &lab,
        &["scheduler-swarm:cluster:list", "--format", "yaml"],
    )
    .fails_with("Invalid format specified: yaml");

    // Removing: unknown node, this host, then node2 by address.
    dokku(
        &env,
        &lab,
        &["scheduler-swarm:cluster:remove", "nosuchnode"],
    )
    .fails_with("Node nosuchnode not found in the swarm cluster");
    dokku(&env, &lab, &["scheduler-swarm:cluster:remove", &n0.ip])
        .fails_with("Refusing to remove this host's own node, use scheduler-swarm:uninstall");
    let id2 = by_addr(&n2.ip)["id"].as_str().expect("id").to_string();
    let out = dokku(&env, &lab, &["scheduler-swarm:cluster:remove", &n2.ip]);
    assert_has_all(
        out.ok(),
        &[
            &format!("-----> Draining node {id2}\n"),
            "Demoting the node to a worker",
            &format!("Node {id2} removed"),
        ],
    );
    assert_eq!(swarm_state(n2), "inactive");
    let ids = n0.docker(&["node", "ls", "--format", "{{.ID}}"]);
    assert_eq!(ids.lines().count(), 2, "{ids}");
    assert!(!ids.contains(&id2));

    let out = dokku(&env, &lab, &["scheduler-swarm:uninstall"]);
    assert_has_all(out.ok(), &["-----> Removing the swarm cluster\n"]);
    assert_eq!(
        (swarm_state(n0), swarm_state(n1)),
        ("inactive".to_string(), "inactive".to_string())
    );
}

/// node0 initializes a swarm, the other nodes join it (with the docker
/// CLI: the engine-level tests do not go through Dokku).
fn form_swarm(lab: &Lab) {
    let n0 = &lab.nodes[0];
    n0.docker(&["swarm", "init", "--advertise-addr", &n0.ip]);
    let token = n0.docker(&["swarm", "join-token", "-q", "worker"]);
    for n in &lab.nodes[1..] {
        n.docker(&[
            "swarm",
            "join",
            "--token",
            token.trim(),
            &format!("{}:2377", n0.ip),
        ]);
    }
}

/// `GET /` from this host; the body, if the request was answered.
fn http_get(addr: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .ok()?;
    s.write_all(b"GET / HTTP/1.0\r\nHost: swarm\r\n\r\n").ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let (head, body) = out.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?;
    (status == "200").then(|| body.to_string())
}

/// Wait for `want` running tasks of a service; them.
fn running_tasks(
    swarm: &dyn dokku_docker::SwarmEngine,
    service: &str,
    want: usize,
) -> Vec<dokku_docker::SwarmTask> {
    let start = std::time::Instant::now();
    loop {
        let tasks: Vec<_> = swarm
            .list_tasks(&dokku_docker::TaskFilter {
                service: Some(service.to_string()),
                desired_running: true,
                ..Default::default()
            })
            .expect("tasks")
            .into_iter()
            .filter(|t| t.state == "running")
            .collect();
        if tasks.len() == want {
            return tasks;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(180),
            "{want} running tasks of {service}: {tasks:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
}

/// This host's node id and the two running tasks of a service, the one on
/// this host's node first, the one on another node second.
fn spread_tasks(
    swarm: &dyn dokku_docker::SwarmEngine,
    service: &str,
) -> (String, Vec<dokku_docker::SwarmTask>) {
    let mut tasks = running_tasks(swarm, service, 2);
    let here = swarm.swarm_state().expect("state").node_id;
    tasks.sort_by_key(|t| t.node_id != here);
    assert!(
        tasks[0].node_id == here && tasks[1].node_id != here,
        "a task here and one on another node: {tasks:?}"
    );
    (here, tasks)
}

/// The engine calls the scheduler builds on: an image pushed to the lab
/// registry runs as a replicated service whose tasks spread over the
/// nodes, each reachable from this host on its node's address and the
/// host-mode port the engine chose (no routing mesh: the kernel has no
/// IPVS); scaling and removal.
#[test]
fn swarm_engine_pushes_and_runs_a_service_across_nodes() {
    use dokku_docker::{BuildContext, BuildSpec, ContainerEngine, ServiceSpec};
    let lab = Lab::new(3);
    form_swarm(&lab);
    let engine = lab.nodes[0].engine();
    let swarm = engine.swarm().expect("swarm calls");
    dokku_docker::testing::busybox_image(&engine, "swarmlab-base:latest").expect("base");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM swarmlab-base:latest\nRUN mkdir /www && echo hello-swarm > /www/index.html\nCMD [\"httpd\", \"-f\", \"-p\", \"5000\", \"-h\", \"/www\"]\n",
    )
    .expect("dockerfile");
    let reference = format!("{}/swarmlab/web:1", lab.registry());
    let mut spec = BuildSpec::new(BuildContext::Directory(dir.path().to_path_buf()));
    spec.tags = vec![reference.clone()];
    engine.build_image(&spec, &mut |_| {}).expect("build");
    let digest = swarm
        .push_image(&reference, None, &mut |_| {})
        .expect("push");
    assert!(digest.starts_with("sha256:"), "{digest}");
    // A reference the registry does not have fails the push.
    engine
        .tag_image(&reference, &format!("{}/swarmlab/web:2", lab.registry()))
        .expect("tag");
    let missing = format!("{}:5999/nothing/here:1", lab.host_ip);
    engine.tag_image(&reference, &missing).expect("tag");
    assert!(swarm.push_image(&missing, None, &mut |_| {}).is_err());

    let service = ServiceSpec {
        name: "swarmlab-web".into(),
        image: reference.clone(),
        replicas: 3,
        host_ports: vec![5000],
        restart_condition: "any".into(),
        update_monitor: 2,
        ..ServiceSpec::default()
    };
    swarm.create_service(&service).expect("create service");
    let tasks = running_tasks(swarm, "swarmlab-web", 3);
    let nodes = swarm.list_nodes().expect("nodes");
    let addr_of = |id: &str| {
        nodes
            .iter()
            .find(|n| n.id == id)
            .map(|n| n.addr.clone())
            .expect("task node")
    };
    let mut used: Vec<String> = tasks.iter().map(|t| t.node_id.clone()).collect();
    used.sort();
    used.dedup();
    assert!(used.len() > 1, "tasks all on one node: {tasks:?}");
    for t in &tasks {
        let (target, published) = t.ports.first().copied().expect("a published port");
        assert_eq!(target, 5000);
        let addr = format!("{}:{published}", addr_of(&t.node_id));
        // The port is published once the task runs; give it a moment.
        let start = std::time::Instant::now();
        let body = loop {
            if let Some(b) = http_get(&addr) {
                break b;
            }
            if start.elapsed() > std::time::Duration::from_secs(30) {
                let node = lab
                    .nodes
                    .iter()
                    .find(|n| addr.starts_with(&format!("{}:", n.ip)))
                    .expect("node");
                let diag = |args: &[&str]| {
                    let o = std::process::Command::new("nsenter")
                        .arg(format!("--net=/run/netns/{}", node.netns))
                        .args(args)
                        .output()
                        .expect("diag");
                    format!(
                        "{}{}",
                        String::from_utf8_lossy(&o.stdout),
                        String::from_utf8_lossy(&o.stderr)
                    )
                };
                panic!(
                    "{addr}\n{}\n{}\n{}\n{}\n{}",
                    diag(&["iptables-save"]),
                    diag(&["ss", "-ltnp"]),
                    diag(&["ip", "-br", "a"]),
                    diag(&[
                        "sysctl",
                        "net.ipv4.ip_forward",
                        "net.bridge.bridge-nf-call-iptables"
                    ]),
                    diag(&["curl", "-sS", "-m", "3", &format!("http://{addr}/")]),
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        };
        assert_eq!(body, "hello-swarm\n");
    }
    let info = swarm.inspect_service("swarmlab-web").expect("inspect");
    assert_eq!(
        (info.replicas, info.image.as_str()),
        (3, reference.as_str())
    );

    swarm
        .update_service(
            "swarmlab-web",
            &ServiceSpec {
                replicas: 1,
                ..service.clone()
            },
        )
        .expect("scale");
    running_tasks(swarm, "swarmlab-web", 1);
    swarm.remove_service("swarmlab-web").expect("remove");
    assert!(swarm
        .inspect_service("swarmlab-web")
        .expect_err("gone")
        .is_not_found());
}

/// A three-node cluster formed through Dokku, with the lab's registry as
/// the registry plugin's global server.
fn dokku_cluster(lab: &Lab, env: &Env) {
    lab.install_ssh_identity(&env.root(), true);
    dokku(
        env,
        lab,
        &[
            "scheduler-swarm:initialize",
            "--server-ip",
            &lab.nodes[0].ip,
        ],
    )
    .ok();
    for n in &lab.nodes[1..] {
        dokku(env, lab, &["scheduler-swarm:cluster:add", &n.ssh_url()]).ok();
    }
    let dir = env.lib().join("config/registry/--global");
    std::fs::create_dir_all(&dir).expect("registry config");
    std::fs::write(dir.join("server"), lab.registry()).expect("server");
}

/// Build `dokku/<app>:latest` on node0's engine: busybox httpd answering
/// `body` on `$PORT`.
fn build_app_image(lab: &Lab, app: &str, body: &str) {
    use dokku_docker::{BuildContext, BuildSpec, ContainerEngine};
    let engine = lab.nodes[0].engine();
    let base = format!("{app}-base:latest");
    if !engine.image_exists(&base).expect("exists") {
        dokku_docker::testing::busybox_image(&engine, &base).expect("base");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("Dockerfile"),
        format!("FROM {base}\nLABEL com.dokku.app-name={app}\nRUN mkdir -p /www && echo {body} > /www/index.html\nCMD [\"sh\", \"-c\", \"echo booted $DOKKU_APP_TYPE; exec httpd -f -p $PORT -h /www\"]\n"),
    )
    .expect("dockerfile");
    let mut spec = BuildSpec::new(BuildContext::Directory(dir.path().to_path_buf()));
    spec.tags = vec![format!("dokku/{app}:latest")];
    engine.build_image(&spec, &mut |_| {}).expect("build");
}

fn read_record(env: &Env, app: &str, name: &str) -> Option<String> {
    std::fs::read_to_string(env.root().join(app).join(name))
        .ok()
        .map(|s| s.trim().to_string())
}

/// The web listeners Dokku recorded for an app.
fn listeners(env: &Env, app: &str) -> Vec<String> {
    (1..)
        .map_while(|i| {
            read_record(env, app, &format!("CONTAINER.web.{i}"))?;
            Some(format!(
                "{}:{}",
                read_record(env, app, &format!("IP.web.{i}"))?,
                read_record(env, app, &format!("PORT.web.{i}"))?
            ))
        })
        .collect()
}

/// An app on the swarm scheduler: deployed with web=3 its tasks spread
/// over the nodes, each recorded as a listener answering from its node;
/// scaled down, stopped, destroyed.
#[test]
fn swarm_deploy_scale_stop_destroy() {
    let lab = Lab::new(3);
    let env = Env::new();
    dokku_cluster(&lab, &env);
    let app = "swarmapp";
    env.create_app(app);
    dokku(&env, &lab, &["scheduler:set", app, "selected", "swarm"]).ok();
    dokku(&env, &lab, &["ps:scale", "--skip-deploy", app, "web=3"]).ok();
    build_app_image(&lab, app, "v1");
    let out = dokku(&env, &lab, &["ps:rebuild", app]);
    assert_has_all(
        out.ok(),
        &[
            "-----> Deploying swarmapp via the swarm scheduler...\n",
            &format!("       Pushing {}/dokku/swarmapp:latest\n", lab.registry()),
            "       Creating service swarmapp-web (3 replicas)\n",
            "=====> Application deployed:\n",
        ],
    );
    let swarm_engine = lab.nodes[0].engine();
    let swarm = dokku_docker::ContainerEngine::swarm(&swarm_engine).expect("swarm");
    let tasks = running_tasks(swarm, "swarmapp-web", 3);
    let mut nodes: Vec<&str> = tasks.iter().map(|t| t.node_id.as_str()).collect();
    nodes.sort();
    nodes.dedup();
    assert!(nodes.len() > 1, "{tasks:?}");
    let l = listeners(&env, app);
    assert_eq!(l.len(), 3, "{l:?}");
    for addr in &l {
        assert_eq!(http_get(addr).as_deref(), Some("v1\n"), "{addr}");
    }
    let status = dokku(
        &env,
        &lab,
        &["plugin:trigger", "scheduler-app-status", "swarm", app],
    );
    assert_eq!(
        status
            .ok()
            .lines()
            .filter(|l| l.starts_with("web.") && l.contains(" running "))
            .count(),
        3
    );

    dokku(&env, &lab, &["ps:scale", app, "web=1"]).ok();
    running_tasks(swarm, "swarmapp-web", 1);
    assert_eq!(listeners(&env, app).len(), 1);

    dokku(&env, &lab, &["ps:stop", app]).ok();
    running_tasks(swarm, "swarmapp-web", 0);
    assert!(listeners(&env, app).is_empty());

    dokku(&env, &lab, &["--force", "apps:destroy", app]).ok();
    assert!(swarm
        .inspect_service("swarmapp-web")
        .expect_err("gone")
        .is_not_found());
}

/// `GET /` through the test's nginx with the app's domain; the body of a
/// 200 answer.
fn via_nginx(port: u16, host: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .ok()?;
    s.write_all(format!("GET / HTTP/1.0\r\nHost: {host}\r\n\r\n").as_bytes())
        .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let (head, body) = out.split_once("\r\n\r\n")?;
    (head.split_whitespace().nth(1)? == "200").then(|| body.to_string())
}

/// The issue's scenario on a three-node lab: the sample app is pushed with
/// git (web=3); nginx on the Dokku host routes the app's domain to its tasks on several nodes; a redeploy under a
/// poller fails no request; a worker's engine stops and the app keeps
/// answering; the node is removed; everything is torn down.
#[test]
fn swarm_traffic_through_nginx_survives_redeploy_and_a_lost_node() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;
    let lab = Lab::new(3);
    let env = Env::new();
    let nginx = crate::nginx::Nginx::new(env.dir.path().join("nginx"), true);
    let run = |args: &[&str]| -> Run {
        env.cmd(args)
            .env("DOCKER_HOST", lab.nodes[0].docker_host())
            .envs(nginx.env())
            .output()
            .expect("spawn dokku")
            .into()
    };
    run(&["plugin:trigger", "install"]).ok();
    run(&["nginx:start"]).ok();
    for args in [
        vec!["domains:set-global", "dokku.me"],
        vec!["nginx:set", "--global", "bind-address-ipv4", "127.0.0.1"],
        vec!["nginx:set", "--global", "bind-address-ipv6", "::1"],
    ] {
        run(&args).ok();
    }
    run(&[
        "proxy:set",
        "--global",
        "proxy-port",
        &nginx.http.to_string(),
    ])
    .ok();
    dokku_cluster(&lab, &env);
    let app = "swarmweb";
    let host = "swarmweb.dokku.me";
    env.create_app(app);
    run(&["scheduler:set", app, "selected", "swarm"]).ok();
    run(&["ps:scale", "--skip-deploy", app, "web=3"]).ok();
    // The sample app, pushed with git through the ssh entry.
    let base = "swarmweb-base:latest";
    dokku_docker::testing::busybox_image(&lab.nodes[0].engine(), base).expect("base");
    let repo = tempfile::tempdir().expect("repo");
    crate::git::sample_repo(repo.path(), base);
    let version = |v: &str| {
        std::fs::write(
            repo.path().join("public/index.html"),
            format!("Hello from the dokku sample app {v}\n"),
        )
        .expect("index");
        crate::git::commit_all(repo.path(), v);
    };
    let wrapper = env.dir.path().join("ssh");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nfor last; do :; done\nexec env SSH_ORIGINAL_COMMAND=\"$last\" '{}'\n",
            env!("CARGO_BIN_EXE_dokku")
        ),
    )
    .expect("ssh wrapper");
    std::fs::set_permissions(
        &wrapper,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");
    let push = || -> Run {
        let base = env.cmd(&[]);
        let mut c = std::process::Command::new("git");
        c.env_clear();
        for (k, v) in base.get_envs() {
            if let Some(v) = v {
                c.env(k, v);
            }
        }
        c.env("DOCKER_HOST", lab.nodes[0].docker_host())
            .envs(nginx.env())
            .env("GIT_SSH_COMMAND", &wrapper)
            .current_dir(repo.path())
            .args(["push", &format!("dokku@dokku.test:{app}"), "master"])
            .stdin(std::process::Stdio::null());
        c.output().expect("git push").into()
    };
    version("v1");
    let first = push();
    assert_eq!(first.code, 0, "{first:?}");
    assert_has_all(
        &first.stderr,
        &[
            "remote: -----> Deploying swarmweb via the swarm scheduler...",
            "remote:        Creating service swarmweb-web (3 replicas)",
        ],
    );
    let engine = lab.nodes[0].engine();
    let swarm = dokku_docker::ContainerEngine::swarm(&engine).expect("swarm");
    let tasks = running_tasks(swarm, "swarmweb-web", 3);
    let mut nodes: Vec<&str> = tasks.iter().map(|t| t.node_id.as_str()).collect();
    nodes.sort();
    nodes.dedup();
    assert!(nodes.len() > 1, "{tasks:?}");
    assert_eq!(
        via_nginx(nginx.http, host).as_deref(),
        Some("Hello from the dokku sample app v1\n"),
        "{first:?}\n{}\n{:?}\n{:?}",
        nginx.error_log(),
        std::fs::read_to_string(env.root().join(app).join("nginx.conf")),
        listeners(&env, app)
    );
    let conf = std::fs::read_to_string(env.root().join(app).join("nginx.conf")).expect("conf");
    for addr in listeners(&env, app) {
        assert!(
            conf.contains(&format!("server {addr};")),
            "{addr} in\n{conf}"
        );
    }

    // Redeploy under a poller: bounded in time and count, stops itself.
    let stop = Arc::new(AtomicBool::new(false));
    let (ok, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let poller = {
        let (stop, ok, failed) = (stop.clone(), ok.clone(), failed.clone());
        let port = nginx.http;
        std::thread::spawn(move || {
            let start = std::time::Instant::now();
            let mut bodies = Vec::new();
            while !stop.load(Ordering::Relaxed)
                && start.elapsed() < std::time::Duration::from_secs(600)
                && ok.load(Ordering::Relaxed) + failed.load(Ordering::Relaxed) < 50_000
            {
                match via_nginx(port, "swarmweb.dokku.me") {
                    Some(b) => {
                        ok.fetch_add(1, Ordering::Relaxed);
                        bodies.push(b);
                    }
                    None => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            bodies
        })
    };
    version("v2");
    let second = push();
    stop.store(true, Ordering::Relaxed);
    let bodies = poller.join().expect("poller");
    assert_eq!(second.code, 0, "{second:?}");
    assert_has_all(
        &second.stderr,
        &["remote:        Updating service swarmweb-web (3 replicas)"],
    );
    assert_eq!(failed.load(Ordering::Relaxed), 0, "{}", nginx.error_log());
    assert!(ok.load(Ordering::Relaxed) > 10);
    assert_eq!(
        bodies.first().map(String::as_str),
        Some("Hello from the dokku sample app v1\n")
    );
    assert_eq!(
        bodies.last().map(String::as_str),
        Some("Hello from the dokku sample app v2\n")
    );
    running_tasks(swarm, "swarmweb-web", 3);

    // A worker goes away: the app keeps answering through nginx.
    let lost = &lab.nodes[2];
    lost.stop_dockerd();
    for _ in 0..30 {
        assert_eq!(
            via_nginx(nginx.http, host).as_deref(),
            Some("Hello from the dokku sample app v2\n"),
            "{}",
            nginx.error_log()
        );
    }
    let out = run(&["scheduler-swarm:cluster:remove", &lost.ip]);
    out.ok();
    let list = run(&["scheduler-swarm:cluster:list", "--format", "json"]);
    let nodes: serde_json::Value = serde_json::from_str(list.ok()).expect("json");
    assert_eq!(nodes.as_array().map(Vec::len), Some(2), "{nodes}");
    assert_eq!(
        via_nginx(nginx.http, host).as_deref(),
        Some("Hello from the dokku sample app v2\n")
    );

    run(&["--force", "apps:destroy", app]).ok();
    run(&["scheduler-swarm:uninstall"]).ok();
}

/// Put the app.json the last build would have kept.
fn keep_app_json(env: &Env, app: &str, text: &str) {
    let dir = env.lib().join("data/app-json").join(app);
    std::fs::create_dir_all(&dir).expect("app-json dir");
    std::fs::write(dir.join("app.json"), text).expect("app.json");
}

/// Ids of running tasks, sorted.
fn task_ids(tasks: &[dokku_docker::SwarmTask]) -> Vec<String> {
    let mut ids: Vec<String> = tasks.iter().map(|t| t.id.clone()).collect();
    ids.sort();
    ids
}

/// On a two-node swarm: docker options and resources become service
/// fields, the app.json healthcheck the tasks' healthcheck; `ps:scale`
/// adds a task and leaves the running ones alone; `ps:inspect` shows the
/// service with env values masked; `ps:restart <app> web` replaces tasks;
/// a release whose check fails is rolled back and the deploy fails while
/// the old tasks keep answering; a refused docker option fails a deploy.
/// The registry wants a login: `registry:login` credentials push the
/// image and let the worker node pull it.
#[test]
fn swarm_scale_only_checks_roll_back_and_options_translate() {
    let lab = Lab::with_registry_login(2, "lab", "lab-pass");
    let env = Env::new();
    dokku_cluster(&lab, &env);
    let app = "swarmchk";
    env.create_app(app);
    dokku(
        &env,
        &lab,
        &["registry:login", app, &lab.registry(), "lab", "lab-pass"],
    )
    .ok();
    dokku(&env, &lab, &["scheduler:set", app, "selected", "swarm"]).ok();
    dokku(&env, &lab, &["ps:scale", "--skip-deploy", app, "web=2"]).ok();
    // A lone `-v` is a typed mount; the one inside the first option is
    // found by the options' translation: each becomes one service mount.
    for option in [
        "--memory 64m --env FROM_OPTIONS=1 --pids-limit 64 -v swarmchk-mixed:/mixed",
        "-v swarmchk-lone:/lone",
    ] {
        dokku(&env, &lab, &["docker-options:add", app, "deploy", option]).ok();
    }
    dokku(&env, &lab, &["resource:reserve", "--cpu", "0.1", app]).ok();
    keep_app_json(
        &env,
        app,
        r#"{"healthchecks":{"web":[{"type":"startup","name":"ready","path":"/","content":"v1","attempts":2,"wait":1,"timeout":2}]}}"#,
    );
    build_app_image(&lab, app, "v1");
    dokku(&env, &lab, &["ps:rebuild", app]).ok();

    let swarm_engine = lab.nodes[0].engine();
    let swarm = dokku_docker::ContainerEngine::swarm(&swarm_engine).expect("swarm");
    let service = "swarmchk-web";
    let raw = swarm.inspect_service_raw(service).expect("inspect");
    let task = &raw["Spec"]["TaskTemplate"];
    assert_eq!(task["ContainerSpec"]["Healthcheck"]["Test"][0], "CMD-SHELL");
    assert_eq!(task["Resources"]["Limits"]["MemoryBytes"], 64 * 1024 * 1024);
    assert_eq!(task["Resources"]["Limits"]["Pids"], 64);
    assert_eq!(task["Resources"]["Reservations"]["NanoCPUs"], 100_000_000);
    assert!(task["ContainerSpec"]["Env"]
        .as_array()
        .expect("env")
        .contains(&serde_json::json!("FROM_OPTIONS=1")));
    let mut targets: Vec<&str> = task["ContainerSpec"]["Mounts"]
        .as_array()
        .expect("mounts")
        .iter()
        .filter_map(|m| m["Target"].as_str())
        .collect();
    targets.sort();
    assert_eq!(targets, vec!["/lone", "/mixed"], "{task}");
    let v1_image = swarm.inspect_service(service).expect("service").image;
    let first = running_tasks(swarm, service, 2);
    // Both nodes pulled the image from the registry that wants a login.
    let mut nodes: Vec<&str> = first.iter().map(|t| t.node_id.as_str()).collect();
    nodes.sort();
    nodes.dedup();
    assert_eq!(nodes.len(), 2, "{first:?}");
    let before = task_ids(&first);

    let out = dokku(&env, &lab, &["ps:scale", app, "web=3"]);
    assert_has_all(
        out.ok(),
        &["       Scaling service swarmchk-web to 3 replicas\n"],
    );
    let after = task_ids(&running_tasks(swarm, service, 3));
    for id in &before {
        assert!(after.contains(id), "task {id} replaced: {after:?}");
    }
    assert_eq!(listeners(&env, app).len(), 3);

    let inspect = dokku(&env, &lab, &["ps:inspect", app]);
    let parsed: serde_json::Value = serde_json::from_str(inspect.ok()).expect("json");
    assert_eq!(parsed[0]["Spec"]["Name"], service);
    assert!(parsed[0]["Spec"]["TaskTemplate"]["ContainerSpec"]["Env"]
        .as_array()
        .expect("env")
        .contains(&serde_json::json!("FROM_OPTIONS=XXXXXXXX")));

    dokku(&env, &lab, &["ps:restart", app, "web"]).ok();
    let restarted = task_ids(&running_tasks(swarm, service, 3));
    assert!(
        restarted.iter().all(|id| !after.contains(id)),
        "{after:?} -> {restarted:?}"
    );

    // v2 answers "v2": the check wants "v1", so the update rolls back.
    build_app_image(&lab, app, "v2");
    let failed = dokku(&env, &lab, &["ps:rebuild", app]);
    assert_ne!(failed.code, 0, "{}", failed.stdout);
    assert!(
        failed
            .stderr
            .contains("Deploy of swarmchk-web failed and was rolled back"),
        "{}",
        failed.stderr
    );
    assert_eq!(
        swarm.inspect_service(service).expect("service").image,
        v1_image
    );
    let tasks = running_tasks(swarm, service, 3);
    assert!(tasks.iter().all(|t| t.image == v1_image), "{tasks:?}");
    let l = listeners(&env, app);
    assert_eq!(l.len(), 3, "{l:?}");
    for addr in &l {
        assert_eq!(http_get(addr).as_deref(), Some("v1\n"), "{addr}");
    }

    dokku(
        &env,
        &lab,
        &["docker-options:add", app, "deploy", "--privileged"],
    )
    .ok();
    let refused = dokku(&env, &lab, &["ps:restart", app, "web"]);
    assert_ne!(refused.code, 0);
    assert!(
        refused
            .stderr
            .contains("Docker options of web cannot run on the swarm scheduler: --privileged"),
        "{}",
        refused.stderr
    );

    dokku(&env, &lab, &["--force", "apps:destroy", app]).ok();
    assert!(swarm
        .inspect_service(service)
        .expect_err("gone")
        .is_not_found());
}

/// What a swarm app offers besides serving: `logs`, `enter` (a task on
/// this host's node through the engine, one on another node over ssh),
/// `run` (its exit code ours, the service removed), detached runs listed
/// and stopped, overlay networks from `network:create` joined by the
/// tasks, routes refreshed by `ps:report` after tasks were replaced out of
/// band, a storage mount pinning the tasks to this host's node, and the
/// cluster rows of the global report.
#[test]
fn swarm_run_logs_enter_storage_networks_and_routes() {
    let lab = Lab::new(2);
    let env = Env::new();
    dokku_cluster(&lab, &env);
    let run = |args: &[&str]| dokku(&env, &lab, args);
    let app = "swarmrun";
    env.create_app(app);
    run(&["scheduler:set", app, "selected", "swarm"]).ok();
    run(&["ps:scale", "--skip-deploy", app, "web=2"]).ok();
    build_app_image(&lab, app, "v1");

    let report = run(&["scheduler-swarm:report", "--global", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(report.ok()).expect("json");
    assert_eq!(
        report["manager-address"].as_str(),
        Some(format!("{}:2377", lab.nodes[0].ip).as_str()),
        "{report}"
    );
    assert_eq!(report["node-count"].as_str(), Some("2"));

    // Networks made by network:create are attachable overlays.
    run(&["network:create", "swarmnet"]).ok();
    assert_eq!(
        lab.nodes[0]
            .docker(&[
                "network",
                "inspect",
                "-f",
                "{{.Driver}} {{.Scope}} {{.Attachable}}",
                "swarmnet"
            ])
            .trim(),
        "overlay swarm true"
    );
    run(&["network:set", app, "attach-post-deploy", "swarmnet"]).ok();
    run(&["ps:rebuild", app]).ok();
    let engine = lab.nodes[0].engine();
    let swarm = dokku_docker::ContainerEngine::swarm(&engine).expect("swarm");
    let (here, tasks) = spread_tasks(swarm, "swarmrun-web");
    let (local, remote) = (&tasks[0], &tasks[1]);
    let nets = lab.nodes[1].docker(&[
        "inspect",
        "-f",
        "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}",
        &remote.container_id,
    ]);
    assert!(nets.contains("swarmnet"), "{nets}");

    // logs: every task, prefixed; one dyno; quiet.
    let all = run(&["logs", app]);
    assert_eq!(all.ok().matches("booted web").count(), 2, "{all:?}");
    for slot in [local.slot, remote.slot] {
        assert!(all.stdout.contains(&format!("app[web.{slot}]:")), "{all:?}");
    }
    let one = run(&["logs", app, "-p", &format!("web.{}", remote.slot)]);
    assert_eq!(one.ok().lines().count(), 1, "{one:?}");
    let quiet = run(&["logs", app, "-q"]);
    assert_eq!(quiet.ok(), "booted web\nbooted web\n");

    // enter: here through the engine, on node1 over ssh; exit codes ours.
    for t in [local, remote] {
        let dyno = format!("web.{}", t.slot);
        let out = run(&["enter", app, &dyno, "cat", "/www/index.html"]);
        assert_eq!(out.ok(), "v1\n", "{dyno}");
        let out = run(&["enter", app, &dyno, "sh", "-c", "exit 3"]);
        assert_eq!(out.code, 3, "{dyno}: {out:?}");
    }

    // run: output and exit code, the service removed after.
    let out = run(&["run", app, "cat", "/www/index.html"]);
    assert_eq!(out.ok(), "v1\n");
    let out = run(&["run", app, "sh", "-c", "echo oops; exit 7"]);
    assert_eq!((out.code, out.stdout.as_str()), (7, "oops\n"), "{out:?}");
    let left = swarm
        .list_services("com.dokku.container-type=run")
        .expect("services");
    assert!(left.is_empty(), "{left:?}");
    // Detached: listed, logged, stopped.
    let name = run(&["run:detached", app, "sh", "-c", "echo waiting; sleep 300"])
        .ok()
        .trim()
        .to_string();
    assert!(name.starts_with("swarmrun-run-"), "{name}");
    let list = run(&["run:list", app, "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(list.ok()).expect("json");
    assert_eq!(list[0]["name"].as_str(), Some(name.as_str()), "{list}");
    assert_eq!(
        list[0]["command"].as_str(),
        Some("\"sh -c echo waiting; sleep 300\"")
    );
    running_tasks(swarm, &name, 1);
    let start = std::time::Instant::now();
    loop {
        let logs = run(&["run:logs", app, &name, "-q"]);
        if logs.ok() == "waiting\n" {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "{logs:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    assert_eq!(run(&["run:stop", app, &name]).ok(), format!("{name}\n"));
    assert!(swarm
        .inspect_service(&name)
        .expect_err("gone")
        .is_not_found());

    // Tasks replaced behind Dokku's back get new ports: ps:report points
    // the routes at them.
    let before = listeners(&env, app);
    lab.nodes[0].docker(&["service", "update", "--detach", "--force", "swarmrun-web"]);
    let start = std::time::Instant::now();
    loop {
        let now = running_tasks(swarm, "swarmrun-web", 2);
        let replaced = now.iter().all(|t| tasks.iter().all(|o| o.id != t.id));
        if replaced {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(120),
            "{now:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    assert_eq!(listeners(&env, app), before);
    run(&["ps:report", app]).ok();
    let after = listeners(&env, app);
    assert_eq!(after.len(), 2);
    assert_ne!(after, before);
    for addr in &after {
        assert_eq!(http_get(addr).as_deref(), Some("v1\n"), "{addr}");
    }

    // A host path pins the tasks to this host's node.
    let data = env.dir.path().join("swarm-data");
    std::fs::create_dir_all(&data).expect("data");
    std::fs::write(data.join("hello"), "from the host\n").expect("hello");
    run(&["storage:mount", app, &format!("{}:/data", data.display())]).ok();
    run(&["ps:rebuild", app]).ok();
    let pinned = running_tasks(swarm, "swarmrun-web", 2);
    assert!(pinned.iter().all(|t| t.node_id == here), "{pinned:?}");
    let shown = run(&["scheduler-swarm:show-service", app, "web"]);
    assert_has_all(shown.ok(), &[&format!("node.id=={here}"), "/data", "Spec:"]);
    assert_eq!(
        run(&["run", app, "cat", "/data/hello"]).ok(),
        "from the host\n"
    );

    run(&["--force", "apps:destroy", app]).ok();
    run(&["network:destroy", "--force", "swarmnet"]).ok();
    run(&["scheduler-swarm:uninstall"]).ok();
}

/// Make one node the only one new tasks go to, the others paused (every
/// node active again with an index out of range).
fn only_node(lab: &Lab, keep: usize) {
    let ids: Vec<String> = lab
        .nodes
        .iter()
        .map(|n| {
            n.docker(&["info", "--format", "{{.Swarm.NodeID}}"])
                .trim()
                .to_string()
        })
        .collect();
    for (i, id) in ids.iter().enumerate() {
        let active = keep >= ids.len() || i == keep;
        let availability = if active { "active" } else { "pause" };
        lab.nodes[0].docker(&["node", "update", "--availability", availability, id]);
    }
}

/// A lab of `nodes` nodes forming Dokku's cluster and a Dokku with the
/// app `app` on the swarm scheduler, its image (answering `v1`) built.
fn swarm_app(nodes: usize, app: &str) -> (Lab, Env) {
    let lab = Lab::new(nodes);
    let env = Env::new();
    dokku_cluster(&lab, &env);
    env.create_app(app);
    dokku(&env, &lab, &["scheduler:set", app, "selected", "swarm"]).ok();
    build_app_image(&lab, app, "v1");
    (lab, env)
}

/// `dokku run` whose output is read as it comes: the first line arrives
/// while the task still runs (the command has not exited), the rest and
/// the exit code after.
fn run_streams(env: &Env, lab: &Lab, app: &str) {
    use std::io::{BufRead, BufReader};
    let mut child = env
        .cmd(&[
            "run",
            app,
            "sh",
            "-c",
            "echo first; sleep 8; echo second; exit 5",
        ])
        .env("DOCKER_HOST", lab.nodes[0].docker_host())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn dokku run");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    out.read_line(&mut first).expect("first line");
    assert_eq!(first, "first\n");
    assert!(
        child.try_wait().expect("try_wait").is_none(),
        "the first line came only when the run ended"
    );
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).expect("rest");
    let status = child.wait().expect("wait");
    assert_eq!((rest.as_str(), status.code()), ("second\n", Some(5)));
}

/// A one-off run with `--force-tty` and commands on its standard input:
/// they reach the task's shell through its terminal, its output and exit
/// code come back.
fn run_with_tty(env: &Env, lab: &Lab, app: &str) {
    let out = run_fed(
        env,
        lab,
        &["run", "--force-tty", app, "sh"],
        b"echo marker-$((6*7)) $DYNO\nexit 4\n",
    );
    assert!(out.stdout.contains("marker-42 run."), "{out:?}");
    assert_eq!(out.code, 4, "{out:?}");
}

/// `dokku <args>` under a terminal (`script` gives it one); its output
/// and exit code.
fn under_terminal(env: &Env, lab: &Lab, args: &[&str]) -> (String, Option<i32>) {
    let c = env.cmd(args);
    let quote = |w: &std::ffi::OsStr| format!("'{}'", w.to_string_lossy().replace('\'', "'\\''"));
    let line: Vec<String> = std::iter::once(c.get_program())
        .chain(c.get_args())
        .map(quote)
        .collect();
    let mut script = Command::new("script");
    script
        .args(["-qec", &line.join(" "), "/dev/null"])
        .env_clear()
        .env("DOCKER_HOST", lab.nodes[0].docker_host());
    for (k, v) in c.get_envs() {
        if let Some(v) = v {
            script.env(k, v);
        }
    }
    let out = script.output().expect("script");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code(),
    )
}

/// `run` on the swarm: output streamed while the task runs and a terminal
/// attached with `--force-tty`, on this host's node (through the engine)
/// and on another (over ssh); run-phase docker options translated;
/// `<app>.<proc>` aliases on the app's overlay networks; storage mount
/// options carried into the service mounts.
#[test]
fn swarm_run_streams_attaches_options_aliases_and_mount_options() {
    let (lab, env) = swarm_app(2, "swarmtty");
    let run = |args: &[&str]| dokku(&env, &lab, args);
    let app = "swarmtty";
    run(&["network:create", "ttynet"]).ok();
    run(&["network:set", app, "attach-post-deploy", "ttynet"]).ok();
    run(&[
        "docker-options:add",
        app,
        "run",
        "--env FROM_OPTS=yes -w /www --shm-size 64m",
    ])
    .ok();
    run(&["ps:scale", "--skip-deploy", app, "web=2"]).ok();
    run(&["ps:rebuild", app]).ok();
    let engine = lab.nodes[0].engine();
    let swarm = dokku_docker::ContainerEngine::swarm(&engine).expect("swarm");
    let (_, tasks) = spread_tasks(swarm, "swarmtty-web");
    let (local, remote) = (&tasks[0], &tasks[1]);

    // enter under a terminal gets one, here and on node1.
    for t in [local, remote] {
        let dyno = format!("web.{}", t.slot);
        let (text, code) = under_terminal(&env, &lab, &["enter", app, &dyno, "tty"]);
        assert!(text.contains("/dev/pts/"), "{dyno}: {text:?}");
        assert_eq!(code, Some(0), "{dyno}: {text:?}");
        let plain = run(&["enter", app, &dyno, "tty"]);
        assert_eq!((plain.code, plain.stdout.as_str()), (1, "not a tty\n"));
    }

    // The web service answers to swarmtty.web on the overlay network.
    let aliases = lab.nodes[0].docker(&[
        "service",
        "inspect",
        "-f",
        "{{range .Spec.TaskTemplate.Networks}}{{.Aliases}}{{end}}",
        "swarmtty-web",
    ]);
    assert_eq!(aliases.trim(), "[swarmtty.web]");
    let fetched = run(&["run", app, "wget", "-qO-", "http://swarmtty.web:5000/"]);
    assert_eq!(fetched.ok(), "v1\n", "{fetched:?}");

    // Run-phase docker options: env and workdir translate, the rest warns.
    let out = run(&["run", app, "sh", "-c", "echo $FROM_OPTS; pwd"]);
    assert_eq!(out.ok(), "yes\n/www\n");
    assert!(
        out.stderr.contains(
            "Ignoring docker option for run with no swarm service equivalent: --shm-size"
        ),
        "{out:?}"
    );

    // Here, then on node1: streamed output, attached terminal, exit codes.
    for node in [0, 1] {
        only_node(&lab, node);
        run_streams(&env, &lab, app);
        run_with_tty(&env, &lab, app);
        let (text, code) = under_terminal(&env, &lab, &["run", app, "sh", "-c", "tty; exit 3"]);
        assert!(text.contains("/dev/pts/"), "node{node}: {text:?}");
        assert_eq!(code, Some(3), "node{node}: {text:?}");
        let out = run(&["run", app, "sh", "-c", "echo oops >&2; exit 7"]);
        assert_eq!(out.code, 7, "node{node}: {out:?}");
        assert!(out.stderr.ends_with("\noops\n"), "node{node}: {out:?}");
    }
    only_node(&lab, usize::MAX);
    let left = swarm
        .list_services("com.dokku.container-type=run")
        .expect("services");
    assert!(left.is_empty(), "{left:?}");

    // Mount options reach the service mounts: read-only and propagation
    // (rprivate: the lab's paths are not shared mounts, which rslave needs).
    let data = env.dir.path().join("tty-data");
    std::fs::create_dir_all(&data).expect("data");
    std::fs::write(data.join("hello"), "read only\n").expect("hello");
    run(&[
        "storage:mount",
        app,
        &format!("{}:/data:ro,rprivate", data.display()),
    ])
    .ok();
    run(&["ps:rebuild", app]).ok();
    let mounts = lab.nodes[0].docker(&[
        "service",
        "inspect",
        "-f",
        "{{range .Spec.TaskTemplate.ContainerSpec.Mounts}}{{.Target}} {{.ReadOnly}} {{.BindOptions.Propagation}}{{end}}",
        "swarmtty-web",
    ]);
    assert_eq!(mounts.trim(), "/data true rprivate");
    assert_eq!(run(&["run", app, "cat", "/data/hello"]).ok(), "read only\n");
    let out = run(&["run", app, "touch", "/data/new"]);
    assert_ne!(out.code, 0, "{out:?}");
    assert!(!data.join("new").exists());

    run(&["--force", "apps:destroy", app]).ok();
    run(&["network:destroy", "--force", "ttynet"]).ok();
    run(&["scheduler-swarm:uninstall"]).ok();
}

/// `dokku run` fed `input` on its standard input (no terminal); its
/// output.
fn run_fed(env: &Env, lab: &Lab, args: &[&str], input: &[u8]) -> Run {
    use std::io::Write;
    let mut child = env
        .cmd(args)
        .env("DOCKER_HOST", lab.nodes[0].docker_host())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn dokku run");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input).expect("write");
    drop(stdin);
    child.wait_with_output().expect("wait").into()
}

/// The app's one-off services.
fn one_offs(swarm: &dyn dokku_docker::SwarmEngine) -> Vec<String> {
    swarm
        .list_services("com.dokku.container-type=run")
        .expect("services")
        .into_iter()
        .map(|s| s.name)
        .collect()
}

/// A `dokku run` that would last ten minutes, sent `signal` once its task
/// runs: it ends with 128 + the signal and its service is gone.
fn run_interrupted(
    env: &Env,
    lab: &Lab,
    app: &str,
    signal: nix::sys::signal::Signal,
    swarm: &dyn dokku_docker::SwarmEngine,
) {
    let child = env
        .cmd(&["run", app, "sleep", "600"])
        .env("DOCKER_HOST", lab.nodes[0].docker_host())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn dokku run");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let running = one_offs(swarm).iter().any(|name| {
            swarm
                .list_tasks(&dokku_docker::TaskFilter {
                    service: Some(name.clone()),
                    ..Default::default()
                })
                .unwrap_or_default()
                .iter()
                .any(|t| t.state == "running")
        });
        if running {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the one-off task never ran"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).expect("pid"));
    nix::sys::signal::kill(pid, signal).expect("signal");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(128 + signal as i32), "{out:?}");
    assert_eq!(one_offs(swarm), Vec::<String>::new(), "{signal}");
}

/// `run` without a terminal on the swarm, here and on node1: standard
/// input reaches the command and ends (`cat` sees its end), output the
/// task wrote before we attached is shown (fast tasks that end before the
/// attach, with and without a terminal), the exit code is the task's; SIGINT/SIGTERM/SIGHUP of dokku during a run
/// remove its service.
#[test]
fn swarm_run_stdin_early_output_and_signals() {
    use nix::sys::signal::Signal;
    let (lab, env) = swarm_app(2, "swarmin");
    let run = |args: &[&str]| dokku(&env, &lab, args);
    let app = "swarmin";
    run(&["ps:rebuild", app]).ok();
    let engine = lab.nodes[0].engine();
    let swarm = dokku_docker::ContainerEngine::swarm(&engine).expect("swarm");

    let numbers: String = (1..=300).map(|n| format!("{n}\n")).collect();
    for (node, signal) in [(0, Signal::SIGINT), (1, Signal::SIGTERM)] {
        only_node(&lab, node);
        let out = run_fed(&env, &lab, &["run", app, "cat"], b"hello\nworld\n");
        assert_eq!(
            (out.code, out.stdout.as_str()),
            (0, "hello\nworld\n"),
            "node{node}: {out:?}"
        );
        // Output before and after reading, a line then the rest of the
        // input; stderr apart; the exit code ours.
        let out = run_fed(
            &env,
            &lab,
            &[
                "run",
                app,
                "sh",
                "-c",
                "echo early; echo warn >&2; read x; echo got-$x; cat; exit 6",
            ],
            b"one\ntwo\n",
        );
        assert_eq!(
            (out.code, out.stdout.as_str()),
            (6, "early\ngot-one\ntwo\n"),
            "node{node}: {out:?}"
        );
        assert!(out.stderr.ends_with("warn\n"), "node{node}: {out:?}");
        // A task done before we attach: its whole output.
        let out = run(&["run", app, "seq", "1", "300"]);
        assert_eq!(
            (out.code, out.stdout.as_str()),
            (0, numbers.as_str()),
            "node{node}"
        );
        let (text, code) =
            under_terminal(&env, &lab, &["run", app, "sh", "-c", "echo fast-$((6*7))"]);
        assert!(text.contains("fast-42"), "node{node}: {text:?}");
        assert_eq!(code, Some(0), "node{node}: {text:?}");
        run_interrupted(&env, &lab, app, signal, swarm);
    }
    only_node(&lab, 1);
    run_interrupted(&env, &lab, app, Signal::SIGHUP, swarm);
    only_node(&lab, usize::MAX);
    assert_eq!(one_offs(swarm), Vec::<String>::new());

    run(&["--force", "apps:destroy", app]).ok();
    run(&["scheduler-swarm:uninstall"]).ok();
}

/// Wait (up to `secs`) until the app's recorded web listeners are two,
/// pass `want`, and answer; them.
fn wait_for_listeners(
    env: &Env,
    app: &str,
    secs: u64,
    want: impl Fn(&[String]) -> bool,
) -> Vec<String> {
    let start = std::time::Instant::now();
    loop {
        let now = listeners(env, app);
        if now.len() == 2
            && want(&now)
            && now.iter().all(|a| http_get(a).as_deref() == Some("v1\n"))
        {
            return now;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(secs),
            "listeners of {app}: {now:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
}

/// `scheduler-swarm:watch` keeps the routes on the running web tasks with
/// nobody reading the app's status: tasks replaced behind Dokku's back,
/// then a worker's engine lost and its task rescheduled on this host's
/// node. A second watcher finds the first and exits at once.
#[test]
fn swarm_watch_follows_replaced_and_rescheduled_tasks() {
    let (lab, env) = swarm_app(2, "swarmwatch");
    let run = |args: &[&str]| dokku(&env, &lab, args);
    let app = "swarmwatch";
    run(&["ps:scale", "--skip-deploy", app, "web=2"]).ok();
    run(&["ps:rebuild", app]).ok();
    let engine = lab.nodes[0].engine();
    let swarm = dokku_docker::ContainerEngine::swarm(&engine).expect("swarm");
    spread_tasks(swarm, "swarmwatch-web");
    let before = listeners(&env, app);
    assert_eq!(before.len(), 2, "{before:?}");

    let mut watcher = env
        .cmd(&["scheduler-swarm:watch"])
        .env("DOCKER_HOST", lab.nodes[0].docker_host())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn the watcher");

    // Tasks replaced out of band: new ports, routed to without a read.
    // Each is stopped before its successor is placed, so the successor
    // lands where it was (the node with fewer tasks) and one stays on node1.
    lab.nodes[0].docker(&[
        "service",
        "update",
        "--detach",
        "--force",
        "--update-order",
        "stop-first",
        "swarmwatch-web",
    ]);
    let replaced = wait_for_listeners(&env, app, 120, |now| {
        now.iter().all(|a| !before.contains(a))
    });
    spread_tasks(swarm, "swarmwatch-web");

    // A second watcher returns at once (the first holds the lock).
    watcher_returns(&env, &lab, "a second watcher kept running");

    // node1's engine lost: its task runs again on node0, routed to.
    let here = lab.nodes[0].ip.clone();
    lab.nodes[1].stop_dockerd();
    let after = wait_for_listeners(&env, app, 240, |now| {
        now.iter().all(|a| a.starts_with(&format!("{here}:")))
    });
    assert_ne!(after, replaced);
    if let Some(status) = watcher.try_wait().expect("try_wait") {
        let out = watcher.wait_with_output().expect("wait");
        panic!(
            "the watcher stopped ({status:?}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    watcher.kill().expect("kill the watcher");
    let out = watcher.wait_with_output().expect("wait");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("Routes of swarmwatch updated"), "{said}");

    run(&["scheduler-swarm:cluster:remove", &lab.nodes[1].ip]).ok();
    run(&["--force", "apps:destroy", app]).ok();
    // With no app on the swarm there is nothing to watch: it returns.
    watcher_returns(&env, &lab, "a watcher without swarm apps kept running");
    run(&["scheduler-swarm:uninstall"]).ok();
}

/// Start `scheduler-swarm:watch` and expect it to return, successfully,
/// within 20 seconds (`why` otherwise).
fn watcher_returns(env: &Env, lab: &Lab, why: &str) {
    let mut watcher = env
        .cmd(&["scheduler-swarm:watch"])
        .env("DOCKER_HOST", lab.nodes[0].docker_host())
        .spawn()
        .expect("spawn a watcher");
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = watcher.try_wait().expect("try_wait") {
            break status;
        }
        if start.elapsed() > std::time::Duration::from_secs(20) {
            let _ = watcher.kill();
            panic!("{why}");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(status.success(), "{status:?}");
}

/// A storage entry mounted on a swarm app with a subpath and an owner:
/// the subdirectory (made here) is what the tasks mount, a global job
/// gives it its owner before the tasks start and is gone after, files
/// the app writes land there; a subpath through a link is refused.
#[test]
fn swarm_storage_entries_with_subpath_and_chown() {
    use std::os::unix::fs::MetadataExt;
    let (lab, env) = swarm_app(2, "swarmstore");
    let run = |args: &[&str]| dokku(&env, &lab, args);
    let app = "swarmstore";
    run(&["storage:create", "swarm-data"]).ok();
    run(&[
        "storage:mount",
        app,
        "swarm-data",
        "--container-dir",
        "/data",
        "--volume-subpath",
        "uploads/img",
        "--volume-chown",
        "heroku",
    ])
    .ok();
    let out = run(&["ps:rebuild", app]);
    out.ok();
    assert!(
        out.stdout.contains("Setting the owner of /data to 1000"),
        "{out:?}"
    );
    let dir = env.lib().join("data/storage/swarm-data/uploads/img");
    let meta = std::fs::metadata(&dir).expect("subdirectory");
    assert_eq!((meta.uid(), meta.gid()), (1000, 1000));
    let mounts = lab.nodes[0].docker(&[
        "service",
        "inspect",
        "-f",
        "{{range .Spec.TaskTemplate.ContainerSpec.Mounts}}{{.Source}} {{.Target}}{{end}}",
        "swarmstore-web",
    ]);
    assert_eq!(mounts.trim(), format!("{} /data", dir.display()));
    let services = lab.nodes[0].docker(&["service", "ls", "--format", "{{.Name}}"]);
    assert_eq!(services.trim(), "swarmstore-web");
    // The task sees the owner; what it writes lands in the subdirectory.
    let wrote = run(&[
        "run",
        app,
        "sh",
        "-c",
        "echo hello > /data/f && ls -nd /data",
    ]);
    let fields: Vec<&str> = wrote.ok().split_whitespace().collect();
    assert_eq!(fields.get(2..4), Some(&["1000", "1000"][..]), "{wrote:?}");
    assert_eq!(
        std::fs::read_to_string(dir.join("f")).expect("file"),
        "hello\n"
    );

    // A link in the subpath could lead anywhere: refused, nothing made.
    let outside = env.dir.path().join("outside");
    std::fs::create_dir_all(&outside).expect("outside");
    std::os::unix::fs::symlink(&outside, env.lib().join("data/storage/swarm-data/out"))
        .expect("link");
    run(&[
        "storage:mount",
        app,
        "swarm-data",
        "--container-dir",
        "/other",
        "--volume-subpath",
        "out/x",
    ])
    .ok();
    let out = run(&["ps:rebuild", app]);
    assert_ne!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("Subpath out/x of ")
            && out.stderr.contains("must be made of directories inside it"),
        "{out:?}"
    );
    assert!(!outside.join("x").exists());

    run(&["--force", "apps:destroy", app]).ok();
    run(&["scheduler-swarm:uninstall"]).ok();
}
