//! The proxy against real nginx and the real Docker engine: every test
//! runs its own nginx instance (own config, pid and logs in the test's
//! temporary directory, listening on 127.0.0.1 and ::1 high ports, with
//! a catch-all default site as Dokku installs one) and deploys a busybox
//! `httpd` app through `ps:rebuild`. Requests go to 127.0.0.1 with the
//! app's name in the Host header or through curl's `--resolve`. Nginx,
//! containers and images are removed even when a test fails.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::harness::Holds;
use crate::harness::{assert_has_all, EngineApp, Env, Poller, Run};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// A test's own nginx instance: main config, pid, logs and temporary
/// files in a directory the caller owns, listening on 127.0.0.1 and ::1
/// high ports, with a catch-all default site as Dokku installs one. The
/// binary drives it through the `DOKKU_NGINX_*` variables of [`Nginx::env`];
/// it is stopped when dropped.
pub(crate) struct Nginx {
    dir: PathBuf,
    pub(crate) http: u16,
    pub(crate) https: u16,
}

impl Nginx {
    /// Route the apps of an installation through this instance: the global
    /// domain `dokku.me`, loopback binds and this instance's ports, each
    /// setting made with `run`.
    pub(crate) fn route_globally(&self, run: impl Fn(&[&str])) {
        let (http, https) = (self.http.to_string(), self.https.to_string());
        for args in [
            vec!["domains:set-global", "dokku.me"],
            vec!["nginx:set", "--global", "bind-address-ipv4", "127.0.0.1"],
            vec!["nginx:set", "--global", "bind-address-ipv6", "::1"],
            vec!["proxy:set", "--global", "proxy-port", &http],
            vec!["proxy:set", "--global", "proxy-ssl-port", &https],
        ] {
            run(&args);
        }
    }

    /// Write the instance's configuration in `dir`. `as_root`: the master
    /// will be started by root, and its workers run as root too.
    pub(crate) fn new(dir: PathBuf, as_root: bool) -> Nginx {
        let nginx = Nginx {
            dir,
            http: free_port(),
            https: free_port(),
        };
        let n = &nginx.dir;
        for d in ["conf.d", "logs", "tmp"] {
            std::fs::create_dir_all(n.join(d)).expect("nginx dirs");
        }
        let user = if as_root { "user root;\n" } else { "" };
        let main = format!(
            "{user}daemon on;\npid {n}/nginx.pid;\nerror_log {n}/error.log notice;\nevents {{ worker_connections 256; }}\nhttp {{\n  access_log off;\n  client_body_temp_path {n}/tmp/body;\n  proxy_temp_path {n}/tmp/proxy;\n  fastcgi_temp_path {n}/tmp/fastcgi;\n  uwsgi_temp_path {n}/tmp/uwsgi;\n  scgi_temp_path {n}/tmp/scgi;\n  include {n}/conf.d/*.conf;\n}}\n",
            n = n.display()
        );
        std::fs::write(n.join("nginx.conf"), main).expect("nginx.conf");
        let default_site = format!(
            "server {{\n  listen 127.0.0.1:{h} default_server;\n  listen [::1]:{h} default_server;\n  listen 127.0.0.1:{s} ssl default_server;\n  listen [::1]:{s} ssl default_server;\n  server_name _;\n  access_log off;\n  ssl_reject_handshake on;\n  return 444;\n}}\n",
            h = nginx.http,
            s = nginx.https
        );
        std::fs::write(n.join("conf.d/00-default-vhost.conf"), default_site).expect("default site");
        nginx
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The variables that point the binary at this instance.
    pub(crate) fn env(&self) -> Vec<(String, String)> {
        let n = &self.dir;
        [
            ("DOKKU_NGINX_BIN", PathBuf::from(nginx_bin())),
            ("DOKKU_NGINX_CONF", n.join("nginx.conf")),
            ("DOKKU_NGINX_CONF_DIR", n.join("conf.d")),
            ("DOKKU_NGINX_PID_FILE", n.join("nginx.pid")),
            ("DOKKU_NGINX_LOG_ROOT", n.join("logs")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.display().to_string()))
        .collect()
    }

    pub(crate) fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let conf = self.dir.join("nginx.conf");
        let _ = Command::new(nginx_bin())
            .args(["-c", &conf.display().to_string(), "-s", "stop"])
            .output();
        if let Ok(pid) = std::fs::read_to_string(self.dir.join("nginx.pid")) {
            if let Ok(pid) = pid.trim().parse::<i32>() {
                let _ = Command::new("kill").args(["-9", &pid.to_string()]).output();
            }
        }
    }
}

/// A test's nginx instance and app. Fields drop in order: the instance
/// (inside the installation's directory), then the installation.
/// The app's engine resources (`fx`) go first.
pub(crate) struct Site {
    pub(crate) fx: EngineApp,
    nginx: Nginx,
    pub(crate) env: Env,
    pub(crate) app: String,
    http: u16,
    https: u16,
}

fn nginx_bin() -> String {
    if std::path::Path::new("/usr/sbin/nginx").is_file() {
        "/usr/sbin/nginx".into()
    } else {
        "nginx".into()
    }
}

impl Site {
    /// A running nginx instance serving a fresh installation, the global
    /// domain `dokku.me`, fast checks, and one created app.
    pub(crate) fn new(test: &str) -> Site {
        let fx = EngineApp::new(test);
        let app = fx.name.clone();
        let env = Env::new();
        let nginx = Nginx::new(
            env.dir.path().join("nginx"),
            nix::unistd::Uid::effective().is_root(),
        );
        let site = Site {
            fx,
            http: nginx.http,
            https: nginx.https,
            nginx,
            env,
            app,
        };
        let n = site.nginx_dir();
        site.run(&["plugin:trigger", "install"]).ok();
        let dokku_conf = std::fs::read_to_string(n.join("conf.d/dokku.conf"))
            .expect("dokku.conf written by install");
        assert!(
            dokku_conf.contains(&format!(
                "include {}/*/nginx.conf;",
                site.env.root().display()
            )),
            "{dokku_conf}"
        );
        assert_eq!(site.run(&["nginx:start"]).ok(), "-----> Starting nginx\n");
        site.nginx.route_globally(|args| {
            site.run(args).ok();
        });
        site.env.quick_deploys(Some("1"), "2");
        site.env.create_app(&site.app);
        site
    }

    fn nginx_dir(&self) -> PathBuf {
        self.nginx.dir().to_path_buf()
    }

    pub(crate) fn run(&self, args: &[&str]) -> Run {
        self.env
            .cmd(args)
            .envs(self.nginx.env())
            .output()
            .expect("spawn dokku")
            .into()
    }

    /// Run with an nginx binary that records each of its invocations (one
    /// line of arguments each) in the returned log.
    fn run_counting_nginx(&self, args: &[&str]) -> (Run, Vec<String>) {
        let dir = self.env.dir.path();
        let log = dir.join("nginx-calls.log");
        let _ = std::fs::remove_file(&log);
        let wrapper = dir.join("nginx-counting");
        std::fs::write(
            &wrapper,
            format!(
                "#!/bin/sh\necho \"$*\" >> {}\nexec {} \"$@\"\n",
                log.display(),
                nginx_bin()
            ),
        )
        .expect("wrapper");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let logged = self.error_log().len();
        let r: Run = self
            .env
            .cmd(args)
            .envs(self.nginx.env())
            .env("DOKKU_NGINX_BIN", &wrapper)
            .output()
            .expect("spawn dokku")
            .into();
        let mut calls: Vec<String> = std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect();
        // A reload may also be the signal `nginx -s reload` sends, sent
        // straight to the master: its log (notice level) tells.
        let signalled = self
            .error_log()
            .get(logged..)
            .unwrap_or_default()
            .matches("(SIGHUP) received")
            .count();
        calls.extend((0..signalled).map(|_| "SIGHUP".to_string()));
        (r, calls)
    }

    /// Build `dokku/<app>:latest` serving `body` at `/` on `$PORT`.
    fn build(&self, body: &str) {
        self.fx.build_httpd(body, "", "");
    }

    pub(crate) fn deploy(&self, body: &str) -> Run {
        self.build(body);
        let r = self.run(&["ps:rebuild", &self.app]);
        r.ok();
        r
    }

    fn host(&self) -> String {
        format!("{}.dokku.me", self.app)
    }

    /// `curl` of `url` with `host` resolved to 127.0.0.1: status, headers
    /// and body, or curl's exit code when no answer came.
    pub(crate) fn curl(
        &self,
        scheme: &str,
        host: &str,
        path: &str,
    ) -> Result<(u16, String, String), i32> {
        let port = if scheme == "https" {
            self.https
        } else {
            self.http
        };
        let out = Command::new("curl")
            .args([
                "-s",
                "-k",
                "--max-time",
                "5",
                "-D",
                "-",
                "--resolve",
                &format!("{host}:{port}:127.0.0.1"),
            ])
            .arg(format!("{scheme}://{host}:{port}{path}"))
            .output()
            .expect("run curl");
        if !out.status.success() {
            return Err(out.status.code().unwrap_or(-1));
        }
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Ok((status, head.to_lowercase(), body.trim().to_string()))
    }

    /// The body of a 200 answer for `host` over `scheme`.
    #[track_caller]
    pub(crate) fn body(&self, scheme: &str, host: &str) -> String {
        match self.curl(scheme, host, "/") {
            Ok((200, _, body)) => body,
            other => panic!(
                "{scheme}://{host}: {other:?}\nnginx error log:\n{}",
                self.error_log()
            ),
        }
    }

    pub(crate) fn error_log(&self) -> String {
        self.nginx.error_log()
    }

    fn conf(&self) -> String {
        std::fs::read_to_string(self.env.root().join(&self.app).join("nginx.conf"))
            .unwrap_or_default()
    }

    fn stable(&self, s: &str) -> String {
        self.env
            .filter(s)
            .replace(&self.app, "APP")
            .replace(&self.https.to_string(), "HTTPS")
            .replace(&self.http.to_string(), "HTTP")
    }
}

/// One HTTP/1.0 GET of `/` through nginx with `host` in the Host header.
pub(crate) fn get_via_nginx(port: u16, host: &str) -> Result<String, String> {
    let mut s = TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(2))
        .map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|e| e.to_string())?;
    s.write_all(format!("GET / HTTP/1.0\r\nHost: {host}\r\n\r\n").as_bytes())
        .map_err(|e| e.to_string())?;
    let mut raw = String::new();
    s.read_to_string(&mut raw).map_err(|e| e.to_string())?;
    if !raw.starts_with("HTTP/1.1 200 ") {
        return Err(format!("bad answer: {}", raw.lines().next().unwrap_or("")));
    }
    Ok(raw
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.trim().to_string())
        .unwrap_or_default())
}

#[test]
fn app_answers_by_name_on_added_domains_and_over_tls() {
    let site = Site::new("nginx-serve");
    // Before the first deploy the app's name answers with a 502 page.
    let r = site.run(&["proxy:build-config", &site.app]);
    insta::assert_snapshot!(site.stable(r.ok()), @r"
    -----> Configuring APP.dokku.me...(using built-in template)
    -----> Creating http nginx.conf
           Reloading nginx
    ");
    assert!(
        matches!(site.curl("http", &site.host(), "/"), Ok((502, _, _))),
        "{:?}",
        site.curl("http", &site.host(), "/")
    );

    let r = site.deploy("v1");
    assert!(
        site.stable(&r.stdout).contains(
            "-----> Running post-deploy\n-----> Configuring APP.dokku.me...(using built-in template)\n-----> Creating http nginx.conf\n       Reloading nginx\n-----> Renaming containers\n"
        ),
        "{}",
        r.stdout
    );
    assert!(
        site.stable(&r.stdout)
            .ends_with("=====> Application deployed:\n       http://APP.dokku.me:HTTP\n"),
        "{}",
        r.stdout
    );
    assert_eq!(site.body("http", &site.host()), "v1");
    let ip = std::fs::read_to_string(site.env.root().join(&site.app).join("IP.web.1"))
        .expect("IP.web.1");
    assert!(
        site.conf().contains(&format!("  server {ip}:5000;")),
        "{}",
        site.conf()
    );
    assert_eq!(
        site.run(&["plugin:trigger", "network-get-listeners", &site.app, "web"])
            .ok(),
        format!("{ip}:5000\n")
    );

    // An added domain answers; once removed it falls to the catch-all.
    let r = site.run(&["domains:add", &site.app, "www.example.test"]);
    insta::assert_snapshot!(site.stable(r.ok()), @r"
    -----> Added www.example.test to APP
    -----> Configuring APP.dokku.me...(using built-in template)
    -----> Configuring www.example.test...(using built-in template)
    -----> Creating http nginx.conf
           Reloading nginx
    ");
    assert_eq!(site.body("http", "www.example.test"), "v1");
    site.run(&["domains:remove", &site.app, "www.example.test"])
        .ok();
    assert_eq!(
        site.curl("http", "www.example.test", "/"),
        Err(52),
        "the catch-all closes the connection"
    );
    assert_eq!(site.body("http", &site.host()), "v1");

    // A generated certificate: https answers, http redirects, HSTS is sent.
    let host = site.host();
    let r = site.run(&["certs:generate", &site.app, &host]);
    assert!(
        site.stable(r.ok())
            .contains("-----> Creating https nginx.conf\n"),
        "{}",
        r.stdout
    );
    assert_eq!(site.body("https", &host), "v1");
    let (status, head, _) = site.curl("https", &host, "/").expect("https");
    assert_eq!(status, 200);
    assert!(
        head.contains("strict-transport-security: max-age=15724800; includesubdomains"),
        "{head}"
    );
    let (status, head, _) = site.curl("http", &host, "/some/path?x=1").expect("http");
    assert_eq!(status, 301, "{head}");
    assert!(
        head.contains(&format!(
            "location: https://{host}:{}/some/path?x=1",
            site.https
        )),
        "{head}"
    );
    assert_eq!(
        site.run(&["ports:report", &site.app, "--ports-map-detected"])
            .ok(),
        format!("http:{}:5000\n", site.http)
    );
    let listed = site.run(&["ports:list", &site.app]);
    insta::assert_snapshot!(site.stable(listed.ok()), @r"
    -----> Port mappings for APP
    -----> scheme             host port                 container port
    http                      HTTP                     5000
    https                     HTTPS                     5000
    ");
    let report = site.run(&["certs:report", &site.app, "--ssl-hostnames"]);
    assert_eq!(report.ok(), format!("{host}\n"));
    let crt = site.run(&["certs:show", &site.app, "crt"]);
    assert!(
        crt.ok().starts_with("-----BEGIN CERTIFICATE-----"),
        "{}",
        crt.stdout
    );

    // HSTS follows nginx:set after a rebuild.
    site.run(&["nginx:set", &site.app, "hsts", "false"]).ok();
    site.run(&["proxy:build-config", &site.app]).ok();
    let (_, head, _) = site.curl("https", &host, "/").expect("https");
    assert!(!head.contains("strict-transport-security"), "{head}");

    // Without the certificate, plain http serves again.
    site.run(&["certs:remove", &site.app]).ok();
    assert_eq!(site.body("http", &host), "v1");
    assert_eq!(
        site.curl("https", &host, "/").map(|r| r.0),
        Err(35),
        "the catch-all refuses the handshake"
    );

    // A disabled proxy stops answering; enabling it brings it back.
    let r = site.run(&["proxy:disable", &site.app]);
    assert_eq!(
        r.ok().lines().next(),
        Some("-----> Disabling proxy for app")
    );
    assert!(!site.env.root().join(&site.app).join("nginx.conf").exists());
    assert_eq!(site.curl("http", &host, "/"), Err(52));
    site.run(&["proxy:enable", &site.app]).ok();
    assert_eq!(site.body("http", &host), "v1");
    let show = site.run(&["nginx:show-config", &site.app]);
    assert_eq!(show.ok(), site.conf());
    site.run(&["nginx:validate-config", &site.app]).ok();
    let logs = site.run(&["nginx:access-logs", &site.app]);
    assert!(
        logs.ok().contains("\"GET / HTTP/1.1\" 200"),
        "{}",
        logs.stdout
    );
}

const GOOD_TEMPLATE_HEAD: &str = "add_header X-Custom-Template yes;\n";

#[test]
fn broken_templates_and_settings_are_refused_while_the_old_config_serves() {
    let site = Site::new("nginx-templates");
    site.deploy("v1");
    let host = site.host();
    let src = tempfile::tempdir().expect("source dir");
    let built_in = dokku_nginx_vhosts::template::NGINX_CONF;
    let anchor = "  underscores_in_headers {{ $.UNDERSCORE_IN_HEADERS }};\n";
    let custom = built_in.replacen(anchor, &format!("{anchor}  {GOOD_TEMPLATE_HEAD}"), 1);
    std::fs::write(src.path().join("nginx.conf.sigil"), &custom).expect("template");
    let dir = src.path().display().to_string();
    site.run(&["plugin:trigger", "core-post-extract", &site.app, &dir])
        .ok();
    let r = site.run(&["proxy:build-config", &site.app]);
    insta::assert_snapshot!(site.stable(r.ok()), @r"
    -----> Overriding default nginx.conf with detected nginx.conf.sigil
    -----> Configuring APP.dokku.me...(using app-supplied template)
    -----> Creating http nginx.conf
           Reloading nginx
    ");
    let (status, head, _) = site.curl("http", &host, "/").expect("http");
    assert_eq!(status, 200);
    assert!(head.contains("x-custom-template: yes"), "{head}");
    let good = site.conf();

    // A template nginx refuses stops the deploy before it starts.
    let broken = custom.replace(GOOD_TEMPLATE_HEAD, "no_such_directive on;\n");
    std::fs::write(src.path().join("nginx.conf.sigil"), broken).expect("template");
    let r = site.run(&["plugin:trigger", "core-post-extract", &site.app, &dir]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_has_all(
        &r.stderr,
        &[
            " !     Failed to validate custom nginx.conf.sigil. Rendered output below...\n",
            "unknown directive \"no_such_directive\"",
        ],
    );
    assert!(
        r.stderr
            .ends_with(" !     Custom nginx.conf.sigil failed nginx -t validation\n"),
        "{}",
        r.stderr
    );

    // A template that does not render either.
    std::fs::write(
        src.path().join("nginx.conf.sigil"),
        "{{ if .APP }}\nserver {}\n",
    )
    .expect("template");
    let r = site.run(&["plugin:trigger", "core-post-extract", &site.app, &dir]);
    r.exits(
        1,
        Holds::ErrStart(" !     Failed to render custom nginx.conf.sigil. Contents below...\n"),
    );
    assert!(
        r.stderr
            .ends_with(" !     Custom nginx.conf.sigil failed to render via sigil\n"),
        "{}",
        r.stderr
    );

    // The accepted template still applies and still serves.
    site.run(&["proxy:build-config", &site.app]).ok();
    assert_eq!(site.conf(), good);
    assert_eq!(site.body("http", &host), "v1");

    // A setting nginx refuses leaves the working config in place.
    site.run(&["nginx:set", &site.app, "client-max-body-size", "lots"])
        .ok();
    let r = site.run(&["proxy:build-config", &site.app]);
    r.exits(
        1,
        Holds::Err(" !     Failed to validate custom nginx.conf.sigil. Rendered output below...\n"),
    );
    assert_eq!(site.conf(), good);
    assert_eq!(site.body("http", &host), "v1");
    site.run(&["nginx:set", &site.app, "client-max-body-size"])
        .ok();
    site.run(&["nginx:set", &site.app, "disable-custom-config", "true"])
        .ok();
    site.run(&["nginx:set", &site.app, "proxy-read-timeout", "1x"])
        .ok();
    let r = site.run(&["proxy:build-config", &site.app]);
    r.exits(
        1,
        Holds::ErrEnd(&format!(
            " !     Failed to validate nginx config for {}\n",
            site.app
        )),
    );
    assert_eq!(site.conf(), good);
    assert_eq!(site.body("http", &host), "v1");
}

#[test]
fn no_request_fails_across_a_redeploy_and_scaling() {
    let site = Site::new("nginx-switch");
    site.deploy("v1");
    let host = site.host();
    assert_eq!(site.body("http", &host), "v1");

    let poller = {
        let (host, port) = (host.clone(), site.http);
        Poller::start(180, move || get_via_nginx(port, &host))
    };

    site.deploy("v2");
    assert_eq!(site.body("http", &host), "v2");
    site.run(&["ps:scale", &site.app, "web=3"]).ok();
    let conf = site.conf();
    assert_eq!(conf.matches(":5000;").count(), 3, "{conf}");
    site.run(&["ps:scale", &site.app, "web=1"]).ok();
    assert_eq!(site.conf().matches(":5000;").count(), 1, "{}", site.conf());
    // Let the retired containers go while requests keep flowing.
    std::thread::sleep(Duration::from_secs(4));
    // While nginx reloads, old and new workers briefly both answer; in
    // the end only the new release does.
    let seen = poller.finish(50).seen;
    assert_eq!(
        (
            seen.first().map(String::as_str),
            seen.last().map(String::as_str)
        ),
        (Some("v1"), Some("v2")),
        "{seen:?}"
    );
    assert_eq!(site.body("http", &host), "v2");
}

#[test]
fn a_new_app_answers_502_until_it_is_deployed() {
    let site = Site::new("nginx-new-502");
    let app = format!("{}-new", site.app);
    assert_eq!(
        site.run(&["apps:create", &app]).ok(),
        format!("Creating {app}... done\n")
    );
    let conf = site.env.root().join(&app).join("nginx.conf");
    assert!(conf.is_file(), "placeholder nginx.conf written at creation");
    let host = format!("{app}.dokku.me");
    match site.curl("http", &host, "/") {
        Ok((status, _, _)) => assert_eq!(status, 502, "{}", site.error_log()),
        Err(code) => panic!("curl failed with {code}: {}", site.error_log()),
    }
    site.run(&["apps:destroy", &app, "--force"]).ok();
    assert!(!conf.exists());
}

#[test]
fn long_app_names_with_domains_and_certificates_pass_nginx_t() {
    let site = Site::new("nginx-long-name");
    // 63 characters: server names past nginx's default hash bucket size.
    let app = format!("{}-{}", site.app, "x".repeat(62 - site.app.len()));
    assert_eq!(app.len(), 63);
    site.run(&["apps:create", &app]).ok();
    let bucket = site
        .nginx_dir()
        .join("conf.d/server_names_hash_bucket_size.conf");
    assert_eq!(
        std::fs::read_to_string(&bucket).expect("bucket size include"),
        "server_names_hash_bucket_size 512;\n"
    );
    // A certificate's common name is at most 64 characters.
    let extra = "long-name.example.test".to_string();
    site.run(&["domains:add", &app, &extra]).ok();
    site.run(&["certs:generate", &app, &extra]).ok();
    site.run(&["proxy:build-config", &app]).ok();
    let conf =
        std::fs::read_to_string(site.env.root().join(&app).join("nginx.conf")).expect("nginx.conf");
    assert!(
        conf.contains(&extra) && conf.contains("ssl_certificate"),
        "{conf}"
    );
    match site.curl("https", &extra, "/") {
        Ok((status, _, _)) => assert_eq!(status, 502, "{}", site.error_log()),
        Err(code) => panic!("curl failed with {code}: {}", site.error_log()),
    }
    site.run(&["apps:destroy", &app, "--force"]).ok();
}

/// Whether a call [`Site::run_counting_nginx`] saw reloads nginx.
fn is_reload(call: &str) -> bool {
    call == "SIGHUP" || call.ends_with("-s reload")
}

#[test]
fn rebuilding_every_app_checks_and_reloads_once() {
    let site = Site::new("nginx-batch");
    site.deploy("v1");
    let others: Vec<String> = (1..=3).map(|i| format!("{}-b{i}", site.app)).collect();
    for app in &others {
        site.run(&["apps:create", app]).ok();
    }
    let conf = |app: &str| {
        std::fs::read_to_string(site.env.root().join(app).join("nginx.conf")).unwrap_or_default()
    };
    let checks = |calls: &[String]| {
        calls
            .iter()
            .filter(|c| c.split(' ').any(|w| w == "-t"))
            .count()
    };
    let reloads = |calls: &[String]| calls.iter().filter(|c| is_reload(c)).count();

    // All good: one check of the whole set, one reload.
    let (r, calls) = site.run_counting_nginx(&["proxy:build-config", "--all"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout.matches("Reloading nginx").count(),
        1,
        "{}{}",
        r.stdout,
        r.stderr
    );
    assert_eq!((checks(&calls), reloads(&calls)), (1, 1), "{calls:?}");
    assert_eq!(site.body("http", &site.host()), "v1");

    // One app with a setting nginx refuses: it is reported and keeps its
    // working config; the others are applied.
    let bad = &site.app;
    let before = conf(bad);
    site.run(&["nginx:set", bad, "proxy-read-timeout", "1x"])
        .ok();
    site.run(&["nginx:set", &others[0], "client-max-body-size", "5m"])
        .ok();
    let (r, calls) = site.run_counting_nginx(&["proxy:build-config", "--all"]);
    r.exits(
        1,
        Holds::Err(&format!(
            " !     Failed to validate nginx config for {bad}. Contents below...\n"
        )),
    );
    assert!(
        r.stderr.ends_with(&format!(
            " !     Failed to validate nginx config for {bad}\n"
        )),
        "{}",
        r.stderr
    );
    assert_eq!(reloads(&calls), 1, "{calls:?}");
    assert_eq!(conf(bad), before);
    assert!(
        conf(&others[0]).contains("client_max_body_size 5m;"),
        "{}",
        conf(&others[0])
    );
    assert_eq!(site.body("http", &site.host()), "v1");
    for app in &others {
        site.run(&["apps:destroy", app, "--force"]).ok();
    }
}

/// `ps:restart --all` is a batch: every app gets new containers, nginx is
/// checked and reloaded once at the end, the old containers serve until
/// then (their retirement waits for the reload), and no request through
/// nginx fails on the way.
#[test]
fn restarting_every_app_reloads_once_and_serves_throughout() {
    let site = Site::new("nginx-restart-all");
    site.deploy("v0");
    let others: Vec<EngineApp> = (1..=2)
        .map(|i| EngineApp::new(&format!("nginx-restart-all{i}")))
        .collect();
    for (i, fx) in others.iter().enumerate() {
        site.run(&["apps:create", &fx.name]).ok();
        fx.build_httpd(&format!("v{}", i + 1), "", "");
        site.run(&["ps:rebuild", &fx.name]).ok();
    }
    let apps: Vec<String> = std::iter::once(site.app.clone())
        .chain(others.iter().map(|fx| fx.name.clone()))
        .collect();
    let container = |app: &str| {
        std::fs::read_to_string(site.env.root().join(app).join("CONTAINER.web.1"))
            .unwrap_or_default()
    };
    let before: Vec<String> = apps.iter().map(|a| container(a)).collect();
    for (i, app) in apps.iter().enumerate() {
        assert_eq!(
            site.body("http", &format!("{app}.dokku.me")),
            format!("v{i}")
        );
    }

    let poller = {
        let port = site.http;
        let hosts: Vec<(String, String)> = apps
            .iter()
            .enumerate()
            .map(|(i, a)| (format!("{a}.dokku.me"), format!("v{i}")))
            .collect();
        // Each app in turn, each answering its own release.
        let mut turn = 0;
        Poller::start(180, move || {
            let (host, want) = &hosts[turn % hosts.len()];
            turn += 1;
            match get_via_nginx(port, host) {
                Ok(body) if &body == want => Ok(body),
                other => Err(format!("{host}: {other:?}")),
            }
        })
    };
    let (r, calls) = site.run_counting_nginx(&["ps:restart", "--all", "--parallel", "-1"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // The old containers retire 2 s after the reload; keep asking past that.
    std::thread::sleep(Duration::from_secs(5));
    poller.finish(30);
    let reloads = calls.iter().filter(|c| is_reload(c)).count();
    let checks = calls
        .iter()
        .filter(|c| c.split(' ').any(|w| w == "-t"))
        .count();
    assert_eq!((checks, reloads), (1, 1), "{calls:?}");
    for (app, old) in apps.iter().zip(&before) {
        assert_ne!(&container(app), old, "{app} got a new container");
    }
    for (i, app) in apps.iter().enumerate() {
        assert_eq!(
            site.body("http", &format!("{app}.dokku.me")),
            format!("v{i}")
        );
    }
    for fx in &others {
        site.run(&["apps:destroy", &fx.name, "--force"]).ok();
    }
}
