//! The swarm scheduler on a real multi-node Docker Swarm (see
//! `swarm_harness.rs`): nodes in their own network and mount namespaces,
//! each with its own engine and sshd, a registry on the lab bridge.

use std::process::Command;

use crate::swarm_harness::Lab;

/// The lab itself: nodes answer over ssh with their own engine, reach the
/// registry, and form a swarm whose overlay spans them.
#[test]
fn swarm_lab_nodes_have_their_own_engines_reachable_over_ssh() {
    let lab = Lab::new(2);
    let ids: Vec<String> = lab
        .nodes
        .iter()
        .map(|n| n.docker(&["info", "--format", "{{.ID}}"]).trim().to_string())
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
    assert_eq!(nodes.lines().filter(|l| *l == "Ready").count(), 2, "{nodes}");
}
