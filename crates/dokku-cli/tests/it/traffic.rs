//! The traffic plugins' commands without nginx or Docker: the state ports,
//! domains, proxy, certs and network keep, their reports and their
//! messages. (Nginx is not set up for these temporary roots, so no proxy
//! config is built; `nginx.rs` covers that against a real nginx.)

use std::os::unix::fs::PermissionsExt;

use crate::harness::Env;

/// Lines without the padding reports leave after empty values.
fn trimmed(s: &str) -> String {
    s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n")
}

fn err(r: &crate::harness::Run) -> (i32, String) {
    (r.code, r.stderr.clone())
}

#[test]
fn port_mappings_are_parsed_stored_and_reported() {
    let e = Env::new();
    e.create_app("app");
    assert_eq!(
        err(&e.run(&["ports:set", "app"])),
        (1, " !     No port mapping specified\n".into())
    );
    assert_eq!(
        err(&e.run(&["ports:add", "app", "http:80"])),
        (1, " !     Invalid port map http:80 [len=2]\n".into())
    );
    assert_eq!(
        err(&e.run(&["ports:add", "app", "http:80:x"])),
        (
            1,
            " !     Invalid port map http:80:x [err=strconv.Atoi: parsing \"x\": invalid syntax]\n"
                .into()
        )
    );
    assert_eq!(
        err(&e.run(&["ports:add", "app", "http:0:5000"])),
        (
            1,
            " !     Invalid port map http:0:5000 [hostPort=0]\n".into()
        )
    );
    assert_eq!(
        err(&e.run(&["ports:set", "app", "http:80:5000", "http:80:3000"])),
        (
            1,
            " !     The same scheme:host-port is being reused: http:80\n".into()
        )
    );
    insta::assert_snapshot!(e.run(&["ports:list", "app"]).ok(), @r"
    -----> Port mappings for app
    -----> scheme             host port                 container port
    http                      80                        5000
    ");
    e.run(&["ports:add", "app", "http:8080:5000", "grpc:50051:50051"])
        .ok();
    assert_eq!(
        e.lib_file("config/ports/app/map"),
        "http:80:5000\nhttp:8080:5000\ngrpc:50051:50051\n"
    );
    e.run(&["ports:remove", "app", "80", "grpc:50051"]).ok();
    insta::assert_snapshot!(e.run(&["ports:report", "app"]).ok(), @"
    =====> app ports information
           Ports map:                     http:8080:5000
           Ports map detected:            http:80:5000
    ");
    e.transcript(
        r#"
$ ports:report app --ports-map-json
[{"scheme":"http","host_port":8080,"container_port":5000}]
$ ports:report app --ports-map
http:8080:5000
$ ports:clear app
...
"#,
    );
    assert!(!e.lib().join("config/ports/app/map").exists());
    e.transcript(
        r#"
$ plugin:trigger ports-get app ''
http:80:5000
$ proxy:set app proxy-port 8000
...
$ ports:report app --ports-map-detected
http:8000:5000
"#,
    );
}

#[test]
fn domains_follow_the_global_domain_and_refuse_invalid_names() {
    let e = Env::new();
    e.create_app("before");
    assert!(!e.root().join("before/VHOST").exists());
    e.expect(
        &["domains:set-global", "dokku.me"],
        "-----> Set dokku.me as global domains\n",
    );
    assert_eq!(
        std::fs::read_to_string(e.root().join("VHOST")).expect("global VHOST"),
        "dokku.me\n"
    );
    e.create_app("app");
    assert_eq!(
        std::fs::read_to_string(e.root().join("app/VHOST")).expect("app VHOST"),
        "app.dokku.me\n"
    );
    e.create_app("example.org");
    assert_eq!(
        std::fs::read_to_string(e.root().join("example.org/VHOST")).expect("fqdn VHOST"),
        "example.org\n"
    );
    e.expect(
        &["domains:report", "before", "--domains-app-vhosts"],
        "before.dokku.me\n",
    );

    assert_eq!(
        err(&e.run(&["domains:add", "app"])),
        (1, " !     Please specify a domain name. Usage: dokku domains:add app <domain> [<domain> ...]\n".into())
    );
    for bad in ["foo_bar.com", "-x.com", "a..b", "*"] {
        assert_eq!(
            err(&e.run(&["domains:add", "app", bad])),
            (1, format!(" !     {bad} is invalid. exiting...\n")),
            "{bad}"
        );
    }
    let r = e.run(&[
        "domains:add",
        "app",
        "www.example.com",
        "*.example.net",
        "10.0.0.1",
    ]);
    assert_eq!(
        r.ok(),
        "-----> Added www.example.com *.example.net 10.0.0.1 to app\n"
    );
    assert_eq!(
        r.stderr,
        " !     Detected IPv4 domain name with nginx proxy enabled.\n !     Ensure the default nginx site is removed before continuing.\n"
    );
    insta::assert_snapshot!(e.run(&["domains:report", "app"]).ok(), @"
    =====> app domains information
           Domains app enabled:           true
           Domains app vhosts:            app.dokku.me www.example.com *.example.net 10.0.0.1
           Domains global enabled:        true
           Domains global vhosts:         dokku.me
    ");
    e.transcript(
        r#"
$ domains:remove app 10.0.0.1 *.example.net
...
$ plugin:trigger domains-list app
app.dokku.me
www.example.com
$ domains:disable app
-----> Disabling domains for app
$ plugin:trigger domains-list app
$ domains:report app --domains-app-enabled
false
$ domains:enable app
-----> Enabling domains for app
$ domains:clear app
-----> Cleared domains in app
$ domains:report app --domains-app-vhosts

$ domains:reset app
-----> Reset domains for app
$ domains:report app --domains-app-vhosts
app.dokku.me
$ domains:add-global dokku.org
...
$ domains:report --global --domains-global-vhosts
dokku.me dokku.org
$ domains:clear-global
...
"#,
    );
    assert!(!e.root().join("VHOST").exists());
    e.expect(
        &["domains:report", "app", "--domains-global-enabled"],
        "false\n",
    );
}

#[test]
fn proxy_settings_and_types() {
    let e = Env::new();
    e.create_app("app");
    insta::assert_snapshot!(trimmed(e.run(&["proxy:report", "app"]).ok()), @r"
    =====> app proxy information
           Proxy computed disabled:       false
           Proxy computed proxy port:
           Proxy computed proxy ssl port:
           Proxy computed type:           nginx
           Proxy disabled:
           Proxy enabled:                 true
           Proxy global proxy port:
           Proxy global proxy ssl port:
           Proxy global type:
           Proxy proxy port:
           Proxy proxy ssl port:
           Proxy type:
    ");
    // Dokku performs no validation of the proxy implementation.
    e.transcript(
        r#"
$ proxy:set app type caddy
=====> Setting type to caddy
$ proxy:report app --proxy-computed-type
caddy
$ proxy:set app type
=====> Unsetting type
"#,
    );
    let r = e.run(&["proxy:set", "app", "type", "http:80:5000"]);
    assert_eq!(
        err(&r),
        (
            1,
            " !     Detected potential port mapping instead of proxy type\n !     Consider using ports:set command or specifying a valid proxy\n"
                .into()
        )
    );
    e.expect(
        &["proxy:set", "--global", "type", "nginx"],
        "=====> Setting type to nginx\n",
    );
    assert_eq!(
        err(&e.run(&["proxy:set", "app", "proxy-port", "http"])).0,
        1
    );
    e.expect(
        &["proxy:disable", "app"],
        "-----> Disabling proxy for app\n",
    );
    assert_eq!(e.lib_file("config/proxy/app/disabled"), "true");
    e.transcript(
        r#"
$ plugin:trigger proxy-is-enabled app
false
$ proxy:enable app
-----> Enabling proxy for app
$ proxy:report app --proxy-enabled
true
"#,
    );
    assert_eq!(
        err(&e.run(&["proxy:build-config"])),
        (
            1,
            " !     Please specify an app to run the command on\n".into()
        )
    );
    e.run(&["proxy:build-config", "--all"]).ok();
}

#[test]
fn certificates_from_files_and_tarballs() {
    let e = Env::new();
    e.create_app("app");
    assert_eq!(
        err(&e.run(&["certs:remove", "app"])),
        (
            1,
            " !     An app-specific SSL endpoint is not defined\n".into()
        )
    );
    assert_eq!(
        err(&e.run(&["certs:show", "app", "pem"])),
        (1, " !     specify either 'key' or 'crt'\n".into())
    );
    assert_eq!(
        err(&e.run(&["certs:show", "app", "crt"])),
        (
            1,
            " !     app doesn't have an SSL endpoint defined\n".into()
        )
    );
    assert_eq!(
        err(&e.run(&["certs:add", "app", "/nonexistent.crt", "/nonexistent.key"])),
        (
            1,
            " !     CRT file specified not found, please check file paths\n".into()
        )
    );
    assert_eq!(
        err(&e.run_stdin(&["certs:add", "app"], b"")),
        (1, " !     Tar archive is missing .crt file\n".into())
    );

    let work = tempfile::tempdir().expect("tempdir");
    crate::harness::self_signed(
        work.path(),
        "app.example.com",
        &["app.example.com", "www.example.com"],
    );
    let mut tar = tar::Builder::new(Vec::new());
    tar.append_path_with_name(work.path().join("site.crt"), "certs/site.crt")
        .expect("tar crt");
    tar.append_path_with_name(work.path().join("site.key"), "certs/site.key")
        .expect("tar key");
    let data = tar.into_inner().expect("tar");
    e.run_stdin(&["certs:add", "app"], &data).ok();
    let tls = e.root().join("app/tls");
    assert_eq!(
        std::fs::read(tls.join("server.crt")).expect("crt"),
        std::fs::read(work.path().join("site.crt")).expect("crt")
    );
    assert_eq!(
        std::fs::metadata(&tls).expect("tls").permissions().mode() & 0o777,
        0o750
    );
    let report = e.run(&["certs:report", "app"]);
    let text = e.filter(report.ok());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "=====> app ssl information");
    assert_eq!(
        lines[1],
        "       Ssl dir:                       $DOKKU_ROOT/app/tls"
    );
    assert_eq!(lines[2], "       Ssl enabled:                   true");
    assert!(lines[3].starts_with("       Ssl expires at:                "));
    assert_eq!(
        lines[4],
        "       Ssl hostnames:                 app.example.com www.example.com"
    );
    assert_eq!(
        lines[5],
        "       Ssl issuer:                    CN=app.example.com"
    );
    assert_eq!(
        lines[8],
        "       Ssl verified:                  self signed."
    );
    e.expect(&["plugin:trigger", "certs-exists", "app"], "true\n");
    e.expect(
        &["certs:show", "app", "key"],
        std::fs::read_to_string(work.path().join("site.key")).expect("key"),
    );

    let crt = work.path().join("site.crt").display().to_string();
    let key = work.path().join("site.key").display().to_string();
    e.run(&["certs:update", "app", &crt, &key]).ok();
    e.run(&["certs:remove", "app"]).ok();
    assert!(!tls.exists());
    e.expect(&["certs:report", "app", "--ssl-enabled"], "false\n");
}

#[test]
fn network_listeners_come_from_the_scheduler_records() {
    let e = Env::new();
    e.create_app("app");
    for (i, ip) in [(1, "172.17.0.2"), (2, "172.17.0.3")] {
        std::fs::write(e.root().join(format!("app/CONTAINER.web.{i}")), "abc").expect("container");
        std::fs::write(e.root().join(format!("app/IP.web.{i}")), ip).expect("ip");
        std::fs::write(e.root().join(format!("app/PORT.web.{i}")), "5000").expect("port");
    }
    e.transcript(
        r#"
$ plugin:trigger network-get-listeners app web
172.17.0.2:5000
172.17.0.3:5000
$ network:report app --network-web-listeners
172.17.0.2:5000 172.17.0.3:5000
$ network:set app static-web-listener 10.0.0.5:8080
...
$ plugin:trigger network-get-listeners app web
10.0.0.5:8080
"#,
    );
    assert_eq!(
        err(&e.run(&["network:set", "--global", "static-web-listener", "x:1"])),
        (1, " !     Property cannot be specified globally\n".into())
    );
    e.expect(
        &[
            "network:report",
            "app",
            "--network-computed-bind-all-interfaces",
        ],
        "false\n",
    );
}

#[test]
fn nginx_settings_and_help() {
    let e = Env::new();
    e.create_app("app");
    insta::assert_snapshot!(e.run(&["nginx:help"]).ok(), @r"
    Usage: dokku nginx[:COMMAND]

    Manage the nginx proxy

    Additional commands:
        nginx:access-logs <app> [-t]              Show the nginx access logs for an application (-t follows)
        nginx:error-logs <app> [-t]               Show the nginx error logs for an application (-t follows)
        nginx:reload                              Reloads the nginx server config
        nginx:report [<app>] [<flag>]             Displays an nginx report for one or more apps
        nginx:set <app> <property> (<value>)      Set or clear an nginx property for an app
        nginx:show-config <app>                   Display app nginx config
        nginx:start                               Starts the nginx server
        nginx:stop                                Stops the nginx server
        nginx:validate-config [<app>] [--clean]   Validates and optionally cleans up invalid nginx configurations
    ");
    assert_eq!(
        err(&e.run(&["nginx:set", "app"])),
        (1, " !     No key specified\n".into())
    );
    assert_eq!(
        err(&e.run(&["nginx:set", "app", "proxy-keepalive", "many"])),
        (
            1,
            " !     Invalid value for proxy-keepalive: must be an integer\n".into()
        )
    );
    e.transcript(
        r#"
$ nginx:set app client-max-body-size 20m
=====> Setting client-max-body-size to 20m
$ nginx:report app --nginx-computed-client-max-body-size
20m
$ nginx:report app --nginx-computed-x-forwarded-proto-value
$scheme
"#,
    );
    let json = e.json(&["nginx:report", "app", "--format", "json"]);
    assert_eq!(json["computed-hsts-max-age"], "15724800");
    assert_eq!(json["client-max-body-size"], "20m");
    assert_eq!(
        err(&e.run(&["nginx:show-config", "app"])),
        (1, " !     No nginx.conf exists for app\n".into())
    );
    assert_eq!(err(&e.run(&["nginx:access-logs", "app"])).0, 1);
    e.run(&["nginx:set", "app", "error-log-path", "off"]).ok();
    assert_eq!(
        err(&e.run(&["nginx:error-logs", "app"])),
        (1, " !     error logs are disabled for this app\n".into())
    );

    // The app's scheduler shows the log (scheduler-proxy-logs): docker-local
    // prints the last ten lines of the file at the computed path.
    let log = e.dir.path().join("app-access.log");
    let lines: String = (1..=12).map(|i| format!("line {i}\n")).collect();
    std::fs::write(&log, &lines).expect("log");
    e.run(&[
        "nginx:set",
        "app",
        "access-log-path",
        &log.display().to_string(),
    ])
    .ok();
    let calls = e.call_log_hook("proxy-logs-spy", "scheduler-proxy-logs");
    let want: String = (3..=12).map(|i| format!("line {i}\n")).collect();
    e.expect(&["nginx:access-logs", "app"], want);
    // Another scheduler shows nothing here.
    e.transcript(
        r#"
$ scheduler:set app selected null
...
$ nginx:access-logs app
"#,
    );
    assert_eq!(
        std::fs::read_to_string(&calls).expect("calls"),
        "docker-local app nginx access false 0\nnull app nginx access false 0\n"
    );
}

#[test]
fn ports_add_refuses_a_scheme_and_host_port_already_mapped() {
    let e = Env::new();
    e.create_app("app");
    e.run(&["ports:set", "app", "http:80:5000"]).ok();
    let state = e.state();
    for again in ["http:80:5000", "http:80:3000"] {
        assert_eq!(
            err(&e.run(&["ports:add", "app", "https:443:5000", again])),
            (
                1,
                " !     The same scheme:host-port is being reused: http:80\n".into()
            ),
            "{again}"
        );
    }
    assert_eq!(state, e.state(), "a refused add changes nothing");
    // Another scheme on the same host port is a different mapping.
    e.transcript(
        r#"
$ ports:add app https:80:5000
...
$ ports:report app --ports-map
http:80:5000 https:80:5000
"#,
    );
}

#[test]
fn catch_all_and_leading_dot_domains_are_valid() {
    let e = Env::new();
    e.create_app("app");
    e.transcript(
        r#"
$ domains:add app _ .example.com
...
$ domains:report app --domains-app-vhosts
_ .example.com
$ domains:add-global .example.org
...
$ domains:report --global --domains-global-vhosts
.example.org
"#,
    );
    for bad in ["..example.com", ".", "._"] {
        assert_eq!(
            err(&e.run(&["domains:add", "app", bad])),
            (1, format!(" !     {bad} is invalid. exiting...\n")),
            "{bad}"
        );
    }
}

#[test]
fn certificate_hostnames_are_sorted_and_unique() {
    let e = Env::new();
    e.create_app("app");
    let work = tempfile::tempdir().expect("tempdir");
    let (crt, key) = crate::harness::self_signed(
        work.path(),
        "www.example.com",
        &["www.example.com", "api.example.com", "api.example.com"],
    );
    e.run(&["certs:add", "app", &crt, &key]).ok();
    e.expect(
        &["certs:report", "app", "--ssl-hostnames"],
        "api.example.com www.example.com\n",
    );
}
