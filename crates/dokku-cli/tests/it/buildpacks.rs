//! The buildpacks list and stack: ordered edits, Dokku's refusals, the
//! report, and the stack answered to builders.

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
        std::fs::read_to_string(e.lib().join("config/buildpacks/bp/buildpacks")).expect("list"),
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
    e.run(&["buildpacks:clear", "bp"]).ok();
    e.expect(&["buildpacks:report", "bp", "--buildpacks-list"], "\n");
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

#[test]
fn stack_property_and_report() {
    let e = Env::new();
    e.create_app("bp");
    e.run(&[
        "buildpacks:set-property",
        "--global",
        "stack",
        "gliderlabs/herokuish:latest-24",
    ])
    .ok();
    e.run(&[
        "buildpacks:set-property",
        "bp",
        "stack",
        "gliderlabs/herokuish:v0.7.0-20",
    ])
    .ok();
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
    e.run(&["buildpacks:set-property", "bp", "stack"]).ok();
    e.expect(
        &["plugin:trigger", "buildpack-stack-name", "bp"],
        "gliderlabs/herokuish:latest-24\n",
    );
}
