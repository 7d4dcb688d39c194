//! The .deb and the contrib scripts: shellcheck over every script we ship,
//! and the package built from the binary under test, installed by the
//! bootstrap script into a clean Debian container (debootstrapped from
//! Debian's mirror and imported locally, cached by tag), then used,
//! upgraded, removed, reinstalled and purged (tests/deb/in-container.sh).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::harness::Run;

/// The base image; built once by tests/deb/base-image.sh, then reused.
const IMAGE: &str = "dokku-rs-test/debian:bookworm-minbase";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace")
}

fn sh(cmd: &mut Command) -> Run {
    cmd.stdin(Stdio::null()).output().expect("spawn").into()
}

/// Install a Debian package when its command is missing (tests run as root).
fn ensure_tool(command: &str, package: &str) {
    if sh(Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {command}")))
    .code
        == 0
    {
        return;
    }
    sh(Command::new("apt-get").args(["update", "-qq"])).ok();
    sh(Command::new("apt-get")
        .args(["install", "-y", "-qq", package])
        .env("DEBIAN_FRONTEND", "noninteractive"))
    .ok();
}

#[test]
fn shipped_scripts_pass_shellcheck() {
    ensure_tool("shellcheck", "shellcheck");
    let w = workspace();
    let bash = [
        "contrib/bootstrap.sh",
        "contrib/completion/dokku.bash",
        "contrib/dokku_client.sh",
        "debian/build-deb.sh",
        "tests/deb/base-image.sh",
        "tests/deb/in-container.sh",
        "tests/install-leftovers.sh",
    ];
    let r = sh(Command::new("shellcheck").args(bash).current_dir(&w));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // The shell library bash plugins source (installed by plugin:install
    // --core): sourced files, so bash is named and `desc` locals allowed.
    let mut lib: Vec<String> = Vec::new();
    for plugin in std::fs::read_dir(w.join("plugins/plugin/shell")).expect("shell dir") {
        let plugin = plugin.expect("entry").path();
        for f in std::fs::read_dir(&plugin).expect("plugin dir") {
            lib.push(f.expect("entry").path().display().to_string());
        }
    }
    lib.sort();
    assert!(lib.len() >= 17, "{lib:?}");
    let r = sh(Command::new("shellcheck")
        .args(["-s", "bash"])
        .args(&lib)
        .current_dir(&w));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = sh(Command::new("shellcheck")
        .args([
            "-s",
            "sh",
            "debian/postinst",
            "debian/prerm",
            "debian/postrm",
        ])
        .current_dir(&w));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

/// Removes the test container whatever happens.
struct Container(String);

impl Drop for Container {
    fn drop(&mut self) {
        let _ = Command::new("docker")
            .args(["rm", "-f", &self.0])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

#[test]
fn deb_installs_upgrades_removes_and_purges_in_a_clean_debian() {
    assert!(
        nix::unistd::Uid::effective().is_root(),
        "the package test runs as root (debootstrap, docker)"
    );
    let w = workspace();
    let r = sh(Command::new("bash")
        .arg(w.join("tests/deb/base-image.sh"))
        .arg(IMAGE));
    assert_eq!(r.code, 0, "base image: {}{}", r.stdout, r.stderr);

    let out = tempfile::tempdir().expect("tempdir");
    let r = sh(Command::new("bash")
        .arg(w.join("debian/build-deb.sh"))
        .arg(env!("CARGO_BIN_EXE_dokku"))
        .arg(out.path()));
    assert_eq!(r.code, 0, "build-deb: {}", r.stderr);
    let deb = PathBuf::from(r.stdout.trim());
    assert!(deb.is_file(), "{deb:?}");
    let info = sh(Command::new("dpkg-deb")
        .arg("-f")
        .arg(&deb)
        .arg("Package")
        .arg("Version")
        .arg("Depends"))
    .ok()
    .to_string();
    assert!(
        info.contains(&format!("Version: {}", env!("CARGO_PKG_VERSION"))),
        "{info}"
    );
    for dep in [
        "docker.io | docker-ce",
        "nginx",
        "openssh-server",
        "git",
        "sudo",
        "cron",
        "rsyslog",
        "bind9-dnsutils",
    ] {
        assert!(info.contains(dep), "missing dependency {dep}: {info}");
    }

    // The helpers are links to the one binary, at Dokku's paths; units
    // are not shipped (the install step writes them to /etc, as Dokku's).
    let listing = sh(Command::new("dpkg-deb").arg("-c").arg(&deb))
        .ok()
        .to_string();
    for link in ["plugn", "sigil", "docker-container-healthchecker"] {
        assert!(
            listing
                .lines()
                .any(|l| l.ends_with(&format!("./usr/bin/{link} -> dokku"))),
            "{link} link not shipped:\n{listing}"
        );
    }
    assert!(!listing.contains("./lib/systemd/"), "{listing}");

    // Downloaded packages are kept between runs, like the image.
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("deb-apt-archives");
    std::fs::create_dir_all(&cache).expect("cache dir");
    let name = Container(format!("dokku-deb-test-{}", std::process::id()));
    let mount = |host: &Path, inside: &str, ro: bool| {
        format!("{}:{inside}{}", host.display(), if ro { ":ro" } else { "" })
    };
    let r = sh(Command::new("timeout")
        .args([
            "--kill-after=10",
            "280",
            "docker",
            "run",
            "--rm",
            "--network",
            "host",
            "--name",
            &name.0,
        ])
        .args(["-v", &mount(out.path(), "/deb", true)])
        .args(["-v", &mount(&w.join("contrib"), "/contrib", true)])
        .args([
            "-v",
            &mount(
                &w.join("tests/deb/in-container.sh"),
                "/in-container.sh",
                true,
            ),
        ])
        .args(["-v", &mount(&cache, "/var/cache/apt/archives", false)])
        .args([IMAGE, "bash", "/in-container.sh"]));
    assert!(
        r.code == 0 && r.stdout.contains("PACKAGE-TEST-OK"),
        "package test failed ({}):\n{}\n{}",
        r.code,
        r.stdout,
        r.stderr
    );
}
