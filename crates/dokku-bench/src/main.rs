//! `make bench`: median latency of common commands against installations
//! of 1, 100 and 1000 apps, written as a Markdown table.
//!
//! Each command runs as a fresh process, as a user would run it, against
//! temporary DOKKU_ROOT and DOKKU_LIB_ROOT directories.
//!
//! A second table measures the deploy overhead of the bundled sample app
//! against the Docker engine (src/deploy.rs), a third the whole-server
//! operations on fleets of 10, 100 and 300 deployed apps behind a real
//! nginx (src/fleet.rs).
//!
//! Options: `--binary PATH` (default target/release/dokku), `--output
//! FILE`, `--sample DIR` (default tests/apps/dockerfile-sample),
//! `--no-deploy` (latency table only), `--deploy-only` (no latency table),
//! `--fleet N,N,...` (fleet sizes; `--fleet 0` leaves the fleet table
//! out), `--fleet-only`, `--verbose` (every measured push's output,
//! timestamped, on stderr).
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod deploy;
mod fleet;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SIZES: [usize; 3] = [1, 100, 1000];
const RUNS: usize = 41;

struct Bench {
    bin: PathBuf,
    root: PathBuf,
    lib: PathBuf,
}

impl Bench {
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(&self.bin);
        c.args(args)
            .env("DOKKU_ROOT", &self.root)
            .env("DOKKU_LIB_ROOT", &self.lib)
            .env("DOKKU_SYSTEM_USER", "root")
            .env("DOKKU_SYSTEM_GROUP", "root")
            .env("DOKKU_DEFAULT_FILE", "/nonexistent")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Result<Duration, String> {
        let start = Instant::now();
        let status = self.cmd(args).status().map_err(|e| format!("spawn: {e}"))?;
        let took = start.elapsed();
        if !status.success() {
            return Err(format!("`dokku {}` failed: {status}", args.join(" ")));
        }
        Ok(took)
    }

    fn median(&self, args: &[&str]) -> Result<Duration, String> {
        let mut v = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            v.push(self.run(args)?);
        }
        v.sort();
        Ok(v[RUNS / 2])
    }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown cpu".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kb| kb.parse::<u64>().ok())
        .map(|kb| format!("{} GiB", kb / 1024 / 1024))
        .unwrap_or_default();
    format!("{cores} cores ({cpu}), {mem} memory, Linux {kernel}")
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn main() {
    if let Err(e) = real_main() {
        eprintln!("dokku-bench: {e}");
        std::process::exit(1);
    }
}

fn real_main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut bin = PathBuf::from("target/release/dokku");
    let mut output: Option<PathBuf> = None;
    let mut with_deploy = true;
    let mut with_latency = true;
    let mut fleet_sizes: Vec<usize> = vec![10, 100, 300];
    let mut sample =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/apps/dockerfile-sample");
    while let Some(a) = args.next() {
        match a.as_str() {
            "--binary" => {
                bin = args
                    .next()
                    .map(PathBuf::from)
                    .ok_or("--binary needs a path")?
            }
            "--output" => output = args.next().map(PathBuf::from),
            "--no-deploy" => with_deploy = false,
            "--deploy-only" => with_latency = false,
            "--fleet" => {
                let list = args.next().ok_or("--fleet needs sizes, e.g. 10,100")?;
                fleet_sizes = list
                    .split(',')
                    .map(|n| n.trim().parse::<usize>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("--fleet {list}: {e}"))?;
                fleet_sizes.retain(|&n| n > 0);
            }
            "--fleet-only" => {
                with_latency = false;
                with_deploy = false;
            }
            "--verbose" => deploy::VERBOSE.store(true, std::sync::atomic::Ordering::Relaxed),
            "--sample" => {
                sample = args
                    .next()
                    .map(PathBuf::from)
                    .ok_or("--sample needs a path")?
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let bin = std::fs::canonicalize(&bin).map_err(|e| format!("{}: {e}", bin.display()))?;
    let machine = machine();
    let mut md = String::new();
    md.push_str("# Benchmarks\n\n");
    if with_latency {
        md.push_str(&latency(&bin, &machine)?);
    }
    if with_deploy {
        let report = deploy::run(&bin, &sample)?;
        md.push_str(&deploy::markdown(&report, &machine));
    }
    if !fleet_sizes.is_empty() {
        let rows = fleet::run(&bin, &fleet_sizes)?;
        md.push_str(&fleet::markdown(&rows, &machine));
    }
    print!("{md}");
    if let Some(path) = output {
        std::fs::write(&path, &md).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// The command latency table.
fn latency(bin: &Path, machine: &str) -> Result<String, String> {
    let commands: Vec<(&str, Vec<&str>)> = vec![
        ("apps:list", vec!["apps:list"]),
        ("apps:exists", vec!["apps:exists", "app-0"]),
        ("config:get", vec!["config:get", "app-0", "KEY"]),
        ("apps:report <app>", vec!["apps:report", "app-0"]),
        (
            "config:set --no-restart",
            vec!["config:set", "--no-restart", "app-0", "KEY=value"],
        ),
    ];
    let mut table: Vec<Vec<Duration>> = vec![Vec::new(); commands.len()];
    for &n in &SIZES {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let b = Bench {
            bin: bin.to_path_buf(),
            root: dir.path().join("home"),
            lib: dir.path().join("lib"),
        };
        populate(&b, n, dir.path())?;
        for (i, (_, argv)) in commands.iter().enumerate() {
            table[i].push(b.median(argv)?);
        }
        eprintln!("measured {n} apps");
    }
    let mut md = String::new();
    md.push_str("Median wall time of one `dokku` process per command (");
    md.push_str(&RUNS.to_string());
    md.push_str(" runs each), `make bench`.\n\n");
    md.push_str(&format!("Machine: {machine}.\n\n"));
    md.push_str("| command | 1 app (ms) | 100 apps (ms) | 1000 apps (ms) | 1000 / 1 |\n|---|---:|---:|---:|---:|\n");
    for (i, (name, _)) in commands.iter().enumerate() {
        let row = &table[i];
        let ratio = row[2].as_secs_f64() / row[0].as_secs_f64().max(1e-9);
        md.push_str(&format!(
            "| `{name}` | {} | {} | {} | {:.2}x |\n",
            ms(row[0]),
            ms(row[1]),
            ms(row[2]),
            ratio
        ));
    }
    md.push_str("\nTarget: every read under 5 ms median at 1000 apps, and no command growing faster than linearly with the number of apps.\n");
    Ok(md)
}

/// Create `n` apps, each with one env var, the way a user would.
fn populate(b: &Bench, n: usize, _dir: &Path) -> Result<(), String> {
    for i in 0..n {
        let app = format!("app-{i}");
        b.run(&["apps:create", &app])?;
        b.run(&["config:set", "--no-restart", &app, "KEY=value"])?;
    }
    Ok(())
}
