//! Free-form `docker run` options (what `docker-options:add` stores) applied
//! to a [`ContainerSpec`]: the options Dokku users put in the deploy and run
//! phases, translated to the engine's container config instead of handed to
//! the docker CLI.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::spec::{ContainerSpec, Mount, MountSource, PortBinding, Protocol, RestartPolicy};
use crate::EngineError;

/// What applying options left out: options this translation does not know
/// or that the caller controls itself (`--name`, `--rm`, `-d`...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ignored {
    /// Options not understood, as typed.
    pub unknown: Vec<String>,
}

fn invalid(message: String) -> EngineError {
    EngineError::InvalidSpec {
        what: "docker option",
        message,
    }
}

/// Bytes from docker's size notation: `512m`, `1g`, `1024`, `2kb` (powers
/// of 1024); `-1` stays `-1`.
pub fn parse_bytes(s: &str) -> Result<i64, EngineError> {
    let t = s.trim().to_ascii_lowercase();
    if t == "-1" {
        return Ok(-1);
    }
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| invalid(format!("invalid size: {s:?}")))?;
    let mult: f64 = match unit.trim_end_matches('b').trim_end_matches('i') {
        "" => 1.0,
        "k" => 1024.0,
        "m" => 1024.0 * 1024.0,
        "g" => 1024.0 * 1024.0 * 1024.0,
        "t" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => return Err(invalid(format!("invalid size: {s:?}"))),
    };
    Ok((n * mult) as i64)
}

/// One `-v source:target[:options]`.
pub fn parse_volume(v: &str) -> Result<Mount, EngineError> {
    let parts: Vec<&str> = v.splitn(3, ':').collect();
    if parts.len() < 2 || parts[0].is_empty() || parts[1].is_empty() {
        return Err(invalid(format!("invalid volume: {v:?}")));
    }
    let source = if parts[0].starts_with('/') {
        MountSource::Bind(parts[0].into())
    } else {
        MountSource::Volume(parts[0].to_string())
    };
    let mut options: Vec<String> = parts
        .get(2)
        .map(|o| o.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    let read_only = options.iter().any(|o| o == "ro");
    options.retain(|o| o != "ro" && o != "rw" && !o.is_empty());
    Ok(Mount {
        source,
        target: parts[1].to_string(),
        read_only,
        options,
    })
}

/// One `-p [ip:][host_port:]container_port[/protocol]`.
pub fn parse_publish(p: &str) -> Result<PortBinding, EngineError> {
    let bad = || invalid(format!("invalid port mapping: {p:?}"));
    let (rest, protocol) = Protocol::split_spec(p).ok_or_else(bad)?;
    let parts: Vec<&str> = rest.rsplitn(3, ':').collect();
    let container_port: u16 = parts[0].parse().map_err(|_| bad())?;
    let host_port = match parts.get(1) {
        Some(h) if !h.is_empty() => Some(h.parse::<u16>().map_err(|_| bad())?),
        _ => None,
    };
    let host_ip = parts
        .get(2)
        .map(|s| s.trim_matches(['[', ']']).to_string())
        .filter(|s| !s.is_empty());
    Ok(PortBinding {
        container_port,
        protocol,
        host_ip,
        host_port,
    })
}

const SWITCHES: &[&str] = &[
    "--init",
    "--privileged",
    "--read-only",
    "-P",
    "--publish-all",
    "--oom-kill-disable",
    "--rm",
    "-d",
    "--detach",
    "-i",
    "--interactive",
    "-t",
    "--tty",
    "-it",
    "-ti",
];

fn push_list(raw: &mut Map<String, Value>, key: &str, v: Value) {
    let entry = raw
        .entry(key.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(a) = entry {
        a.push(v);
    }
}

fn put_map(raw: &mut Map<String, Value>, key: &str, k: &str, v: Value) {
    let entry = raw
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(m) = entry {
        m.insert(k.to_string(), v);
    }
}

fn int(flag: &str, v: &str) -> Result<i64, EngineError> {
    v.trim()
        .parse()
        .map_err(|_| invalid(format!("invalid value for {flag}: {v:?}")))
}

fn key_value(flag: &str, v: &str) -> Result<(String, String), EngineError> {
    v.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| invalid(format!("{flag} expects key=value, got {v:?}")))
}

/// Split option groups (`--ulimit nofile=12`, `-v /a:/b`) into words, the
/// way a shell would read them.
pub fn split_words(groups: &[String]) -> Vec<String> {
    let mut words = Vec::new();
    for g in groups {
        match shlex::split(g) {
            Some(w) => words.extend(w),
            None => words.extend(g.split_whitespace().map(str::to_string)),
        }
    }
    words
}

/// Apply docker option groups to `spec`. Options the engine cannot take
/// from here are returned in [`Ignored`]; malformed values are errors.
pub fn apply_docker_options(
    spec: &mut ContainerSpec,
    groups: &[String],
) -> Result<Ignored, EngineError> {
    let words = split_words(groups);
    let mut ignored = Ignored::default();
    let mut host = std::mem::take(&mut spec.raw_host_config);
    let mut config = std::mem::take(&mut spec.raw_config);
    let mut i = 0;
    while i < words.len() {
        let word = words[i].clone();
        i += 1;
        if !word.starts_with('-') || word == "-" {
            ignored.unknown.push(word);
            continue;
        }
        let (flag, inline) = match word.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (word.clone(), None),
        };
        if SWITCHES.contains(&flag.as_str()) {
            let on = inline.as_deref().map(|v| v != "false").unwrap_or(true);
            match flag.as_str() {
                "--init" => spec.init = on,
                "--privileged" => {
                    host.insert("Privileged".into(), json!(on));
                }
                "--read-only" => {
                    host.insert("ReadonlyRootfs".into(), json!(on));
                }
                "-P" | "--publish-all" => spec.publish_all_ports = on,
                "--oom-kill-disable" => {
                    host.insert("OomKillDisable".into(), json!(on));
                }
                _ => {}
            }
            continue;
        }
        let value = match inline {
            Some(v) => v,
            None => match words.get(i) {
                Some(v) => {
                    i += 1;
                    v.clone()
                }
                None => return Err(invalid(format!("flag needs an argument: {flag}"))),
            },
        };
        match flag.as_str() {
            "--restart" => {
                spec.restart_policy = Some(value.parse::<RestartPolicy>()?);
            }
            "-e" | "--env" => {
                if value.contains('=') {
                    spec.env.push(value);
                } else if let Ok(v) = std::env::var(&value) {
                    spec.env.push(format!("{value}={v}"));
                }
            }
            "-l" | "--label" => {
                let (k, v) = value
                    .split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .unwrap_or((value, String::new()));
                spec.labels.insert(k, v);
            }
            "-v" | "--volume" => spec.mounts.push(parse_volume(&value)?),
            "-p" | "--publish" => spec.ports.push(parse_publish(&value)?),
            "--network" | "--net" => spec.network = Some(value),
            "-h" | "--hostname" => spec.hostname = Some(value),
            "-u" | "--user" => spec.user = Some(value),
            "-w" | "--workdir" => spec.working_dir = Some(value),
            "--add-host" => spec.extra_hosts.push(value),
            "--entrypoint" => {
                spec.entrypoint = Some(if value.is_empty() {
                    Vec::new()
                } else {
                    vec![value]
                })
            }
            "-m" | "--memory" => {
                host.insert("Memory".into(), json!(parse_bytes(&value)?));
            }
            "--memory-swap" => {
                host.insert("MemorySwap".into(), json!(parse_bytes(&value)?));
            }
            "--memory-reservation" => {
                host.insert("MemoryReservation".into(), json!(parse_bytes(&value)?));
            }
            "--shm-size" => {
                host.insert("ShmSize".into(), json!(parse_bytes(&value)?));
            }
            "--cpus" => {
                let n: f64 = value
                    .parse()
                    .map_err(|_| invalid(format!("invalid value for --cpus: {value:?}")))?;
                host.insert("NanoCpus".into(), json!((n * 1e9) as i64));
            }
            "-c" | "--cpu-shares" => {
                host.insert("CpuShares".into(), json!(int(&flag, &value)?));
            }
            "--gpus" => {
                // `all`, a count, or `device=<ids>` (docker's short forms).
                let request = match value.as_str() {
                    "all" => json!({"Driver": "", "Count": -1, "Capabilities": [["gpu"]]}),
                    v => match v.strip_prefix("device=") {
                        Some(ids) => json!({
                            "Driver": "",
                            "DeviceIDs": ids.split(',').collect::<Vec<_>>(),
                            "Capabilities": [["gpu"]]
                        }),
                        None => {
                            json!({"Driver": "", "Count": int(&flag, v)?, "Capabilities": [["gpu"]]})
                        }
                    },
                };
                push_list(&mut host, "DeviceRequests", request);
            }
            "--cpuset-cpus" => {
                host.insert("CpusetCpus".into(), json!(value));
            }
            "--pids-limit" => {
                host.insert("PidsLimit".into(), json!(int(&flag, &value)?));
            }
            "--ulimit" => {
                let (name, limits) = key_value(&flag, &value)?;
                let (soft, hard) = match limits.split_once(':') {
                    Some((s, h)) => (int(&flag, s)?, int(&flag, h)?),
                    None => {
                        let n = int(&flag, &limits)?;
                        (n, n)
                    }
                };
                push_list(
                    &mut host,
                    "Ulimits",
                    json!({"Name": name, "Soft": soft, "Hard": hard}),
                );
            }
            "--cap-add" => push_list(&mut host, "CapAdd", json!(value)),
            "--cap-drop" => push_list(&mut host, "CapDrop", json!(value)),
            "--dns" => push_list(&mut host, "Dns", json!(value)),
            "--dns-search" => push_list(&mut host, "DnsSearch", json!(value)),
            "--dns-option" | "--dns-opt" => push_list(&mut host, "DnsOptions", json!(value)),
            "--security-opt" => push_list(&mut host, "SecurityOpt", json!(value)),
            "--group-add" => push_list(&mut host, "GroupAdd", json!(value)),
            "--link" => {
                let link = if value.contains(':') {
                    value
                } else {
                    format!("{value}:{value}")
                };
                push_list(&mut host, "Links", json!(link));
            }
            "--device" => {
                let parts: Vec<&str> = value.splitn(3, ':').collect();
                let on_host = parts[0];
                let in_container = parts.get(1).copied().unwrap_or(on_host);
                let perms = parts.get(2).copied().unwrap_or("rwm");
                push_list(
                    &mut host,
                    "Devices",
                    json!({"PathOnHost": on_host, "PathInContainer": in_container, "CgroupPermissions": perms}),
                );
            }
            "--sysctl" => {
                let (k, v) = key_value(&flag, &value)?;
                put_map(&mut host, "Sysctls", &k, json!(v));
            }
            "--tmpfs" => {
                let (path, opts) = value
                    .split_once(':')
                    .map(|(p, o)| (p.to_string(), o.to_string()))
                    .unwrap_or((value, String::new()));
                put_map(&mut host, "Tmpfs", &path, json!(opts));
            }
            "--log-driver" => {
                let lc = host
                    .entry("LogConfig".to_string())
                    .or_insert_with(|| json!({"Type": "", "Config": {}}));
                lc["Type"] = json!(value);
            }
            "--log-opt" => {
                let (k, v) = key_value(&flag, &value)?;
                let lc = host
                    .entry("LogConfig".to_string())
                    .or_insert_with(|| json!({"Type": "", "Config": {}}));
                if !lc["Config"].is_object() {
                    lc["Config"] = json!({});
                }
                lc["Config"][k] = json!(v);
            }
            "--pid" => {
                host.insert("PidMode".into(), json!(value));
            }
            "--ipc" => {
                host.insert("IpcMode".into(), json!(value));
            }
            "--stop-signal" => {
                config.insert("StopSignal".into(), json!(value));
            }
            "--stop-timeout" => {
                config.insert("StopTimeout".into(), json!(int(&flag, &value)?));
            }
            "--name" | "--platform" | "--pull" | "--cidfile" => {}
            _ => ignored.unknown.push(format!("{flag} {value}")),
        }
    }
    spec.raw_host_config = host;
    spec.raw_config = config;
    Ok(ignored)
}

/// Labels as docker `--label` pairs sorted by key, for display.
pub fn labels_as_args(labels: &BTreeMap<String, String>) -> Vec<String> {
    labels
        .iter()
        .map(|(k, v)| format!("--label={k}={v}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(groups: &[&str]) -> (ContainerSpec, Ignored) {
        let mut spec = ContainerSpec::new("img");
        let groups: Vec<String> = groups.iter().map(|s| s.to_string()).collect();
        let ignored = apply_docker_options(&mut spec, &groups).expect("apply");
        (spec, ignored)
    }

    #[test]
    fn gpus_become_device_requests() {
        let (spec, ignored) = apply(&["--gpus=all", "--gpus 2", "--gpus device=0,1"]);
        assert!(ignored.unknown.is_empty());
        assert_eq!(
            spec.raw_host_config["DeviceRequests"],
            json!([
                {"Driver": "", "Count": -1, "Capabilities": [["gpu"]]},
                {"Driver": "", "Count": 2, "Capabilities": [["gpu"]]},
                {"Driver": "", "DeviceIDs": ["0", "1"], "Capabilities": [["gpu"]]}
            ])
        );
        let mut spec = ContainerSpec::new("img");
        assert!(apply_docker_options(&mut spec, &["--gpus some".to_string()]).is_err());
    }

    #[test]
    fn typed_fields() {
        let (spec, ignored) = apply(&[
            "--restart=always",
            "-e A=1",
            "--label x=y",
            "-v /h:/c:ro",
            "-p 8080:5000",
            "--network=mynet",
            "--init",
            "--rm",
            "--name foo",
        ]);
        assert_eq!(spec.restart_policy, Some(RestartPolicy::Always));
        assert_eq!(spec.env, vec!["A=1"]);
        assert_eq!(spec.labels.get("x").map(String::as_str), Some("y"));
        assert_eq!(spec.mounts[0].to_volume_arg(), "/h:/c:ro");
        assert_eq!(spec.ports[0].host_port, Some(8080));
        assert_eq!(spec.ports[0].container_port, 5000);
        assert_eq!(spec.network.as_deref(), Some("mynet"));
        assert!(spec.init);
        assert!(ignored.unknown.is_empty());
    }

    #[test]
    fn raw_host_config_fields() {
        let (spec, ignored) = apply(&[
            "--memory 512m",
            "--cpus 1.5",
            "--ulimit nofile=12:24",
            "--cap-add SYS_PTRACE",
            "--weird x",
        ]);
        let h = serde_json::Value::Object(spec.raw_host_config.clone());
        assert_eq!(h["Memory"], json!(536870912));
        assert_eq!(h["NanoCpus"], json!(1500000000));
        assert_eq!(
            h["Ulimits"][0],
            json!({"Name": "nofile", "Soft": 12, "Hard": 24})
        );
        assert_eq!(h["CapAdd"], json!(["SYS_PTRACE"]));
        assert_eq!(ignored.unknown, vec!["--weird x"]);
    }

    #[test]
    fn publish_forms() {
        let p = parse_publish("127.0.0.1:80:5000/udp").expect("parse");
        assert_eq!(
            (
                p.host_ip.as_deref(),
                p.host_port,
                p.container_port,
                p.protocol
            ),
            (Some("127.0.0.1"), Some(80), 5000, Protocol::Udp)
        );
        let p = parse_publish("5000").expect("parse");
        assert_eq!((p.host_port, p.container_port), (None, 5000));
        assert!(parse_publish("x:y").is_err());
        assert_eq!(parse_bytes("1g").expect("size"), 1 << 30);
        assert_eq!(parse_bytes("2kb").expect("size"), 2048);
    }
}
