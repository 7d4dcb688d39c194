//! Credentials for remote repositories: netrc entries (`git:auth`,
//! `git:auth-status`) used by `git:sync` against a local http git server
//! that demands basic auth, the deploy key and its public half, and
//! `git:allow-host` against the local sshd.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;

use crate::git::git;
use crate::harness::{base64, output_of, Env};

/// A repository on `main` whose one commit, `message`, adds a Procfile.
fn procfile_repo(message: &str) -> tempfile::TempDir {
    let src = tempfile::tempdir().expect("tempdir");
    git(src.path(), &["init", "-q", "-b", "main"]);
    std::fs::write(src.path().join("Procfile"), "web: true\n").expect("write");
    git(src.path(), &["add", "-A"]);
    git(
        src.path(),
        &["-c", "commit.gpgsign=false", "commit", "-q", "-m", message],
    );
    src
}

/// Serve `root` over git's dumb http protocol on 127.0.0.1, answering 401
/// unless the request carries `user:pass`. Returns the base URL.
fn serve(root: PathBuf, user: &str, pass: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let want = format!("Basic {}", base64(format!("{user}:{pass}").as_bytes()));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            let mut authorized = false;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                    break;
                }
                if let Some((k, v)) = h.split_once(':') {
                    if k.eq_ignore_ascii_case("authorization") && v.trim() == want {
                        authorized = true;
                    }
                }
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let path = path.split('?').next().unwrap_or("").to_string();
            let mut s = stream;
            if !authorized {
                let _ = s.write_all(b"HTTP/1.0 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"git\"\r\nContent-Length: 0\r\n\r\n");
                continue;
            }
            let file = root.join(path.trim_start_matches('/'));
            match (path.contains(".."), std::fs::read(&file)) {
                (false, Ok(body)) => {
                    let _ = s.write_all(
                        format!("HTTP/1.0 200 OK\r\nContent-Length: {}\r\n\r\n", body.len())
                            .as_bytes(),
                    );
                    let _ = s.write_all(&body);
                }
                _ => {
                    let _ = s.write_all(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n");
                }
            }
        }
    });
    format!("http://{addr}")
}

/// The subject of the last commit on `main` in an app's repository.
fn head_subject(e: &Env, app: &str) -> String {
    output_of(
        Command::new("git")
            .arg("--git-dir")
            .arg(e.root().join(app))
            .args(["log", "-1", "--format=%s", "main"]),
    )
}

#[test]
fn netrc_entries_are_set_checked_and_removed() {
    let e = Env::new();
    e.run(&["git:auth"]).fails_with("Please supply a git host");
    e.expect(
        &["git:auth", "git.example.com", "bot", "s3cret"],
        "-----> Setting netrc auth entry for host git.example.com\n",
    );
    let netrc = e.root().join(".netrc");
    assert_eq!(
        std::fs::read_to_string(&netrc).expect("netrc"),
        "machine git.example.com\n  login bot\n  password s3cret\n"
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&netrc)
            .expect("meta")
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
    // The password may come on stdin.
    let r = e.run_stdin(&["git:auth", "other.example.com", "bot"], b"piped-token\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read_to_string(&netrc)
        .expect("netrc")
        .contains("password piped-token"));
    e.run(&["git:auth", "third.example.com", "bot"])
        .fails_with("Missing password for netrc auth entry");

    assert_eq!(
        e.run(&["git:auth-status", "git.example.com", "bot", "s3cret"])
            .code,
        0
    );
    let r = e.run(&["git:auth-status", "git.example.com", "bot", "wrong"]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (1, "", ""));
    assert_eq!(e.run(&["git:auth-status", "git.example.com"]).code, 1);
    assert_eq!(e.run(&["git:auth-status", "none.example.com"]).code, 0);

    e.expect(
        &["git:auth", "git.example.com"],
        "-----> Removing netrc auth entry for host git.example.com\n",
    );
    assert_eq!(e.run(&["git:auth-status", "git.example.com"]).code, 0);
    assert!(!std::fs::read_to_string(&netrc)
        .expect("netrc")
        .contains("git.example.com"));
}

#[test]
fn git_sync_uses_the_netrc_entry() {
    let e = Env::new();
    e.create_app("synced");
    let served = tempfile::tempdir().expect("tempdir");
    let src = procfile_repo("one");
    let bare = served.path().join("repo.git");
    git(
        served.path(),
        &[
            "clone",
            "-q",
            "--bare",
            &src.path().display().to_string(),
            "repo.git",
        ],
    );
    git(&bare, &["update-server-info"]);
    let base = serve(served.path().to_path_buf(), "bot", "tok3n");
    let url = format!("{base}/repo.git");
    let host = base
        .trim_start_matches("http://")
        .split(':')
        .next()
        .unwrap_or("")
        .to_string();

    // Without credentials the server refuses, and nothing is fetched.
    let r = e.run(&["git:sync", "synced", &url, "main"]);
    assert_ne!(r.code, 0, "{}", r.stdout);
    e.run(&["git:auth", &host, "bot", "tok3n"]).ok();
    let r = e.run(&["git:sync", "synced", &url, "main"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(head_subject(&e, "synced"), "one");
}

#[test]
fn deploy_key_is_generated_once_and_shown() {
    let e = Env::new();
    e.transcript(
        r#"
$ git:public-key
 !     There is no deploy key associated with the root user.
 !     Generate an ssh key with the following command:
 !       dokku git:generate-deploy-key
"#,
    );
    let r = e.run(&["git:generate-deploy-key"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let key = e.root().join(".ssh/id_ed25519");
    let public = std::fs::read_to_string(key.with_extension("pub")).expect("public key");
    assert!(public.starts_with("ssh-ed25519 "), "{public}");
    // ssh-keygen's own report, as the docs show it.
    assert!(
        r.stdout.starts_with(&format!(
            "Generating public/private ed25519 key pair.\nYour identification has been saved in {}\nYour public key has been saved in {}.pub\nThe key fingerprint is:\nSHA256:",
            key.display(),
            key.display()
        )),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(" root@"), "{}", r.stdout);
    e.expect(&["git:public-key"], public.clone());
    let private = std::fs::read(&key).expect("key");
    e.run(&["git:generate-deploy-key"]).ok();
    assert_eq!(
        std::fs::read(&key).expect("key"),
        private,
        "the key is kept"
    );
}

/// A throwaway sshd on 127.0.0.1 accepting `authorized` as root's keys;
/// killed when dropped.
struct Sshd {
    child: std::process::Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Sshd {
    fn start(authorized: &str) -> Sshd {
        let dir = tempfile::tempdir().expect("tempdir");
        let hk = dir.path().join("host_key");
        let o = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-f"])
            .arg(&hk)
            .output()
            .expect("ssh-keygen");
        assert!(o.status.success());
        let keys = dir.path().join("authorized_keys");
        std::fs::write(&keys, authorized).expect("keys");
        std::fs::create_dir_all("/run/sshd").expect("privsep dir");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new("/usr/sbin/sshd")
            .arg("-D")
            .arg("-p")
            .arg(port.to_string())
            .arg("-h")
            .arg(&hk)
            .args(["-o", "ListenAddress=127.0.0.1", "-o", "PidFile=none"])
            .args([
                "-o",
                "PermitRootLogin=prohibit-password",
                "-o",
                "StrictModes=no",
            ])
            .arg("-o")
            .arg(format!("AuthorizedKeysFile={}", keys.display()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("sshd");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(std::time::Instant::now() < deadline, "sshd did not listen");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Sshd {
            child,
            port,
            _dir: dir,
        }
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn git_sync_over_ssh_with_the_deploy_key() {
    let e = Env::new();
    e.create_app("keyed");
    e.run(&["git:generate-deploy-key"]).ok();
    let public = e.run(&["git:public-key"]).ok().to_string();
    let sshd = Sshd::start(&public);
    let host = format!("127.0.0.1:{}", sshd.port);
    e.expect(
        &["git:allow-host", &host],
        format!("-----> {host} added to known hosts\n"),
    );
    let known = std::fs::read_to_string(e.root().join(".ssh/known_hosts")).expect("known_hosts");
    assert!(
        known
            .lines()
            .any(|l| l.starts_with(&format!("[127.0.0.1]:{} ssh-", sshd.port))),
        "{known}"
    );

    let src = procfile_repo("over ssh");
    let url = format!("ssh://root@127.0.0.1:{}{}", sshd.port, src.path().display());
    let r = e.run(&["git:sync", "keyed", &url, "main"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(head_subject(&e, "keyed"), "over ssh");

    e.run(&["git:allow-host", "-oProxyCommand=x"])
        .fails_with("Invalid git host specified: -oProxyCommand=x");
}
