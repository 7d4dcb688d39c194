//! The buildpacks list and stack: ordered edits, Dokku's refusals, the
//! report, and the stack answered to builders.

use crate::harness::build_from_files;
use crate::harness::write_script;
use crate::harness::Env;

const NODE: &str = "https://github.com/heroku/heroku-buildpack-nodejs.git";
const RUBY: &str = "https://github.com/heroku/heroku-buildpack-ruby.git";
const GO: &str = "https://github.com/heroku/heroku-buildpack-golang.git";

#[test]
fn the_list_is_edited_in_order() {
    let e = Env::new();
    e.create_app("bp");
    e.expect(&["buildpacks:list", "bp"], "-----> bp buildpack urls\n");
    e.run(&["buildpacks:add", "bp", RUBY]).ok();
    e.run(&["buildpacks:add", "bp", "heroku/nodejs"]).ok();
    e.run(&["buildpacks:add", "--index", "2", "bp", GO]).ok();
    e.expect(
        &["buildpacks:list", "bp"],
        format!("-----> bp buildpack urls\n       {RUBY}\n       {GO}\n       {NODE}\n"),
    );
    assert_eq!(
        e.lib_file("config/buildpacks/bp/buildpacks"),
        format!("{RUBY}\n{GO}\n{NODE}\n")
    );
    e.run(&["buildpacks:set", "bp", NODE]).ok();
    e.run(&["buildpacks:set", "--index", "99", "bp", RUBY]).ok();
    e.expect(
        &["buildpacks:report", "bp", "--buildpacks-list"],
        format!("{NODE},{GO},{NODE},{RUBY}\n"),
    );
    e.run(&["buildpacks:remove", "bp", "--index", "1"]).ok();
    e.run(&["buildpacks:remove", "bp", GO]).ok();
    e.expect(
        &["buildpacks:report", "bp", "--buildpacks-list"],
        format!("{NODE},{RUBY}\n"),
    );
    e.run(&["buildpacks:set", "--replace", "bp", "heroku/ruby", GO])
        .ok();
    e.expect(
        &["buildpacks:report", "bp", "--buildpacks-list"],
        format!("{RUBY},{GO}\n"),
    );
    e.transcript(
        r#"
$ buildpacks:clear bp
...
$ buildpacks:report bp --buildpacks-list

"#,
    );
}

#[test]
fn refusals_change_nothing() {
    let e = Env::new();
    e.create_app("bp");
    e.run(&["buildpacks:add", "bp", RUBY]).ok();
    let before = e.state();
    e.run(&["buildpacks:add", "bp", "not a url"])
        .fails_with("Invalid buildpack specified: not a url");
    e.run(&["buildpacks:add", "bp"])
        .fails_with("Must specify a buildpack to add");
    e.run(&["buildpacks:set", "--replace", "bp", GO, "nonsense"])
        .fails_with("Invalid buildpack specified: nonsense");
    e.run(&["buildpacks:remove", "bp"])
        .fails_with("Must specify a buildpack to remove, either by address or list index");
    e.run(&["buildpacks:remove", "bp", NODE])
        .fails_with(&format!("Unable to remove {NODE} from buildpacks list"));
    e.run(&["buildpacks:add", "missing", RUBY])
        .fails_with("App missing does not exist");
    assert_eq!(e.state(), before);
    e.run(&["buildpacks:clear", "bp"]).ok();
    e.run(&["buildpacks:remove", "bp", RUBY]).fails_with(
        "No buildpacks were found, next release on this app will use autodetected buildpack",
    );
}

/// `buildpacks:set-property <scope> stack <value>`, asserting success.
fn set_stack(e: &Env, scope: &str, value: &str) {
    e.run(&["buildpacks:set-property", scope, "stack", value])
        .ok();
}

#[test]
fn stack_property_and_report() {
    let e = Env::new();
    e.create_app("bp");
    set_stack(&e, "--global", "gliderlabs/herokuish:latest-24");
    set_stack(&e, "bp", "gliderlabs/herokuish:v0.7.0-20");
    e.run(&["buildpacks:add", "bp", NODE]).ok();
    e.expect(
        &["buildpacks:report", "bp"],
        format!(
            "=====> bp buildpacks information\n       Buildpacks computed stack:     gliderlabs/herokuish:v0.7.0-20\n       Buildpacks global stack:       gliderlabs/herokuish:latest-24\n       Buildpacks list:               {NODE}\n       Buildpacks stack:              gliderlabs/herokuish:v0.7.0-20\n"
        ),
    );
    e.expect(
        &["buildpacks:report", "--global"],
        "=====> --global buildpacks information\n       Buildpacks global stack:       gliderlabs/herokuish:latest-24\n",
    );
    let log = crate::trigger_spy::spy(&e);
    crate::trigger_spy::take(&log);
    e.run(&["buildpacks:set-property", "bp", "stack"]).ok();
    set_stack(&e, "--global", "example/stack:2");
    let fired: Vec<String> = crate::trigger_spy::take(&log)
        .into_iter()
        .filter(|l| l.starts_with("post-stack-set"))
        .collect();
    assert_eq!(
        fired,
        [
            "post-stack-set bp ",
            "post-stack-set --global example/stack:2"
        ]
    );
    set_stack(&e, "--global", "gliderlabs/herokuish:latest-24");
    std::fs::remove_dir_all(e.lib().join("plugins/enabled/spy")).expect("remove spy");
    e.expect(
        &["plugin:trigger", "buildpack-stack-name", "bp"],
        "gliderlabs/herokuish:latest-24\n",
    );
}

/// A stand-in for herokuish's `buildpack detect`, reading the source where
/// herokuish does and showing what reached it.
const HEROKUISH: &str = r#"#!/bin/sh
[ "$1 $2" = "buildpack detect" ] || { echo "unexpected: $*" >&2; exit 2; }
if [ -f "$APP_PATH/package.json" ]; then
  echo "-----> Node.js app detected"
else
  echo "-----> Unable to select a buildpack"
  exit 1
fi
echo "       buildpacks: $(cat "$APP_PATH/.buildpacks")"
echo "       greeting: $GREETING"
"#;

/// A stand-in for `pack detect`: its arguments and the source's files.
const PACK: &str = r#"#!/bin/sh
[ "$1" = "detect" ] || { echo "unexpected: $*" >&2; exit 2; }
shift
bps=
while [ $# -gt 0 ]; do
  case "$1" in
    --path) dir="$2"; shift 2 ;;
    --builder) builder="$2"; shift 2 ;;
    --buildpack) bps="$bps $2"; shift 2 ;;
    --env-file) env="$2"; shift 2 ;;
    *) shift ;;
  esac
done
echo "===> DETECTING with $builder"
[ -f "$dir/project.toml" ] && echo "heroku/nodejs 3.0.0"
echo "buildpacks:$bps"
grep '^GREETING=' "$env"
"#;

/// An app whose repository holds a node app on `master` (fetched into the
/// bare repository, so no deploy runs), and a stand-in herokuish stack.
struct Detect {
    fx: crate::harness::EngineApp,
    env: Env,
    stack: String,
    bin: std::path::PathBuf,
}

impl Drop for Detect {
    fn drop(&mut self) {
        use dokku_docker::ContainerEngine;
        let _ = self.fx.engine.remove_image(&self.stack, true);
    }
}

impl Detect {
    fn new(test: &str) -> Detect {
        let fx = crate::harness::EngineApp::new(test);
        let env = Env::new();
        let app = fx.name.clone();
        env.create_app(&app);
        env.run(&["git:initialize", &app]).ok();
        let stack = format!("{app}-stack:latest");
        let dockerfile = format!("FROM {}\nCOPY herokuish /bin/herokuish\n", fx.base);
        build_from_files(
            &fx.engine,
            &stack,
            &[
                ("Dockerfile", &dockerfile, 0o644),
                ("herokuish", HEROKUISH, 0o755),
            ],
        );
        let bin = env.dir.path().join("bin");
        std::fs::create_dir_all(&bin).expect("mkdir");
        write_script(&bin.join("pack"), PACK);

        let src = tempfile::tempdir().expect("tempdir");
        std::fs::write(src.path().join("package.json"), "{}\n").expect("write");
        std::fs::write(src.path().join("Dockerfile"), "FROM scratch\n").expect("write");
        crate::git::git(src.path(), &["init", "-q", "-b", "master"]);
        crate::git::commit_all(src.path(), "node app");
        let repo = env.root().join(&app);
        crate::git::git(
            src.path(),
            &[
                "--git-dir",
                &repo.display().to_string(),
                "fetch",
                "-q",
                &src.path().join(".git").display().to_string(),
                "master:master",
            ],
        );
        Detect {
            fx,
            env,
            stack,
            bin,
        }
    }

    fn run(&self, args: &[&str]) -> crate::harness::Run {
        self.env.run_with_path(&self.bin, args)
    }
}

#[test]
fn detect_runs_the_builders_detection_against_the_branch() {
    let d = Detect::new("bp-detect");
    let app = d.fx.name.as_str();
    d.run(&[
        "config:set",
        "--no-restart",
        app,
        &format!("DOKKU_IMAGE={}", d.stack),
        "GREETING=hi",
    ])
    .ok();
    d.run(&["buildpacks:add", app, "heroku/nodejs"]).ok();
    let before = d.env.state();
    // herokuish (the Dockerfile counts only when nothing else is detected,
    // and the app's list makes herokuish detected).
    let r = d.run(&["buildpacks:detect", app]);
    assert_eq!(
        r.ok(),
        format!("-----> Detecting buildpacks for {app} on branch master with herokuish\n-----> Node.js app detected\n       buildpacks: {NODE}\n       greeting: hi\n")
    );
    assert_eq!(d.env.state(), before, "detection changes nothing");

    // Another branch: the source there is what is detected.
    let repo = d.env.root().join(app).display().to_string();
    let src = tempfile::tempdir().expect("tempdir");
    std::fs::write(src.path().join("README"), "no app here\n").expect("write");
    crate::git::git(src.path(), &["init", "-q", "-b", "docs"]);
    crate::git::commit_all(src.path(), "docs");
    crate::git::git(
        src.path(),
        &[
            "--git-dir",
            &repo,
            "fetch",
            "-q",
            &src.path().join(".git").display().to_string(),
            "docs:docs",
        ],
    );
    let r = d.run(&["buildpacks:detect", app, "--branch", "docs"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stdout.ends_with("-----> Unable to select a buildpack\n"),
        "{r:?}"
    );

    // The deploy branch property decides the default branch.
    d.run(&["git:set", app, "deploy-branch", "docs"]).ok();
    assert_eq!(d.run(&["buildpacks:detect", app]).code, 1);
    d.run(&["git:set", app, "deploy-branch"]).ok();

    // pack, with its builder, the app's buildpacks and env.
    d.run(&["builder:set", app, "selected", "pack"]).ok();
    d.run(&["buildpacks:set-property", app, "stack", "example/builder:1"])
        .ok();
    let r = d.run(&["buildpacks:detect", app]);
    assert_eq!(
        r.ok(),
        format!("-----> Detecting buildpacks for {app} on branch master with pack\n===> DETECTING with example/builder:1\nbuildpacks: {NODE}\nGREETING=hi\n")
    );

    // Refusals.
    d.run(&["builder:set", app, "selected", "dockerfile"]).ok();
    let before = d.env.state();
    d.run(&["buildpacks:detect", app])
        .fails_with("Buildpack detection is not supported by the dockerfile builder");
    d.run(&["buildpacks:detect", app, "--branch", "nope"])
        .fails_with(&format!("No code found for app {app} on branch nope"));
    d.run(&["buildpacks:detect", app, "--branch", "a..b"])
        .fails_with("Invalid branch name: a..b");
    d.run(&["buildpacks:detect", "missing"])
        .fails_with("App missing does not exist");
    assert_eq!(d.env.state(), before);
}
