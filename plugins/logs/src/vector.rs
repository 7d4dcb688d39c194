//! The vector log shipper: its generated configuration
//! (`$DOKKU_LIB_ROOT/data/logs/vector.json`) and its container
//! (`vector-vector-1`, compose project `vector`): started from a compose
//! template (ours, or the file a plugin names through
//! `vector-template-source`), stopped and read through the container
//! engine.
//!
//! The configuration has one pipeline per app with a sink (or cron sink)
//! of its own and one for the global sinks. A pipeline reads the app's
//! containers (the global one every app container); with a cron sink its
//! events are routed by the `com.dokku.cron-id` label, cron events gaining
//! `dokku_app` and `dokku_cron_id`; with an app label alias the
//! `com.dokku.app-name` label is renamed on the way to the sinks.
//!
//! A cron sink moves an app's cron output (the events of containers
//! labelled with a cron id) rather than copying it: to the app's own cron
//! sink if it has one, else to the global cron sink, and then to no other
//! sink, as the docs' routing table says. Pipelines still read the same
//! containers; the ones whose cron events belong elsewhere drop them.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::{apps, fsutil, Error, Paths, Result};
use dokku_docker::compose::{self, ComposeError, Project};
use dokku_docker::{ContainerEngine, EngineError, LogOptions, LogStream};
use dokku_trigger::deploy::first_answer;
use dokku_trigger::helpers::VectorTemplateSource;
use dokku_trigger::Ctx;
use serde_json::{json, Map, Value};

use crate::sink;
use crate::store::{self, PLUGIN};

/// The container's name: service `vector` of compose project `vector`.
pub const CONTAINER: &str = "vector-vector-1";
/// The name the container had before Dokku started it with compose.
pub const OLD_CONTAINER: &str = "vector";
/// The compose project (and service) name.
pub const PROJECT: &str = "vector";
/// Where the configuration directory is mounted in the container.
pub const CONFIG_MOUNT: &str = "/etc/vector";
/// The docker socket vector reads container logs from.
pub const DOCKER_SOCKET: &str = "/var/run/docker.sock";
/// Where the file sink directory is mounted in the container.
pub const APPS_LOG_MOUNT: &str = "/var/log/dokku/apps";

const APP_LABEL: &str = "com.dokku.app-name";
const CRON_LABEL: &str = "com.dokku.cron-id";

/// `$DOKKU_LIB_ROOT/data/logs`, mounted at `/etc/vector`.
pub fn config_dir(paths: &Paths) -> PathBuf {
    paths.plugin_data_dir(PLUGIN)
}

/// `$DOKKU_LIB_ROOT/data/logs/vector.json`.
pub fn config_path(paths: &Paths) -> PathBuf {
    config_dir(paths).join("vector.json")
}

/// `$DOKKU_LOGS_DIR/apps`, the file sink target.
pub fn apps_log_dir(paths: &Paths) -> PathBuf {
    paths.logs_dir.join("apps")
}

/// The component ids of one pipeline.
struct Ids {
    source: String,
    route: String,
    cron: String,
    alias: String,
    sink: String,
    cron_sink: String,
}

impl Ids {
    fn app(app: &str) -> Ids {
        let a = app.replace('.', "-");
        Ids {
            source: format!("docker-source:{a}"),
            route: format!("docker-route:{a}"),
            cron: format!("docker-cron:{a}"),
            alias: format!("docker-alias:{a}"),
            sink: format!("docker-sink:{a}"),
            cron_sink: format!("docker-cron-sink:{a}"),
        }
    }

    fn global() -> Ids {
        Ids {
            source: "docker-global-source".into(),
            route: "docker-global-route".into(),
            cron: "docker-global-cron".into(),
            alias: "docker-global-alias".into(),
            sink: "docker-global-sink".into(),
            cron_sink: "docker-global-cron-sink".into(),
        }
    }
}

/// Whose cron events a pipeline leaves to another pipeline's cron sink.
/// A cron sink moves cron output rather than copying it: an app's cron
/// events go to the cron sink in effect for it (its own, else the global
/// one) and to no other sink.
enum CronElsewhere {
    /// None: every cron event read is this pipeline's.
    None,
    /// All of them: an app without a cron sink of its own, under a global
    /// cron sink.
    All,
    /// Those of these apps, which have a cron sink of their own (for the
    /// global pipeline).
    Apps(Vec<String>),
}

/// What a pipeline ships where.
struct Pipeline<'a> {
    ids: Ids,
    label: String,
    sink: &'a str,
    cron_sink: &'a str,
    cron_elsewhere: CronElsewhere,
    /// VRL renaming the app label, if any app of the pipeline has an alias.
    alias: Option<String>,
}

fn rename_to(alias: &str) -> String {
    format!(".label.\"{alias}\" = del(.label.\"{APP_LABEL}\")")
}

/// VRL: the event comes from a cron task's container.
fn is_cron() -> String {
    format!("exists(.label.\"{CRON_LABEL}\")")
}

/// VRL: the event's app is one of `apps`.
fn app_in(apps: &[String]) -> String {
    format!("includes({}, .label.\"{APP_LABEL}\")", json!(apps))
}

impl Pipeline<'_> {
    /// The conditions of the events reaching the sink and the cron sink;
    /// `None`: every event read.
    fn routes(&self) -> (Option<String>, Option<String>) {
        let cron = match &self.cron_elsewhere {
            CronElsewhere::None | CronElsewhere::All => is_cron(),
            CronElsewhere::Apps(apps) => format!("{} && !{}", is_cron(), app_in(apps)),
        };
        let app = if !self.cron_sink.is_empty() {
            Some(format!("!{}", is_cron()))
        } else {
            match &self.cron_elsewhere {
                CronElsewhere::None => None,
                CronElsewhere::All => Some(format!("!{}", is_cron())),
                CronElsewhere::Apps(apps) => Some(format!("!{} || !{}", is_cron(), app_in(apps))),
            }
        };
        (app, (!self.cron_sink.is_empty()).then_some(cron))
    }
}

#[derive(Default)]
struct Config {
    sources: Map<String, Value>,
    transforms: Map<String, Value>,
    sinks: Map<String, Value>,
}

impl Config {
    fn add(&mut self, p: Pipeline<'_>) -> Result<()> {
        self.sources.insert(
            p.ids.source.clone(),
            json!({"type": "docker_logs", "include_labels": [p.label]}),
        );
        let (app_route, cron_route) = p.routes();
        let mut app_branch = p.ids.source.clone();
        if app_route.is_some() || cron_route.is_some() {
            let mut route = Map::new();
            // No sink of its own: nothing reads the `app` output.
            if let Some(cond) = app_route.as_ref().filter(|_| !p.sink.is_empty()) {
                route.insert("app".into(), json!(cond));
                app_branch = format!("{}.app", p.ids.route);
            }
            if let Some(cond) = &cron_route {
                route.insert("cron".into(), json!(cond));
            }
            self.transforms.insert(
                p.ids.route.clone(),
                json!({"type": "route", "inputs": [p.ids.source], "route": route}),
            );
        }
        if cron_route.is_some() {
            let mut vrl = format!(
                ".dokku_app = .label.\"{APP_LABEL}\"\n.dokku_cron_id = .label.\"{CRON_LABEL}\""
            );
            if let Some(alias) = &p.alias {
                vrl = format!("{vrl}\n{alias}");
            }
            self.transforms.insert(
                p.ids.cron.clone(),
                json!({"type": "remap", "inputs": [format!("{}.cron", p.ids.route)], "source": vrl}),
            );
            self.sinks.insert(
                p.ids.cron_sink.clone(),
                sink::to_config(p.cron_sink, std::slice::from_ref(&p.ids.cron))?,
            );
        }
        if p.sink.is_empty() {
            return Ok(());
        }
        if let Some(alias) = &p.alias {
            self.transforms.insert(
                p.ids.alias.clone(),
                json!({"type": "remap", "inputs": [app_branch], "source": alias}),
            );
            app_branch = p.ids.alias.clone();
        }
        self.sinks
            .insert(p.ids.sink, sink::to_config(p.sink, &[app_branch])?);
        Ok(())
    }

    fn into_value(mut self) -> Value {
        if self.sources.is_empty() {
            // Vector refuses a configuration without components: read no
            // container and discard.
            self.sources.insert(
                "empty-source".into(),
                json!({"type": "docker_logs", "include_labels": ["com.dokku.vector-empty-source"]}),
            );
            self.sinks.insert(
                "empty-sink".into(),
                json!({"type": "blackhole", "inputs": ["empty-source"], "print_interval_secs": 1}),
            );
        }
        let mut top = Map::new();
        top.insert("sinks".into(), Value::Object(self.sinks));
        top.insert("sources".into(), Value::Object(self.sources));
        if !self.transforms.is_empty() {
            top.insert("transforms".into(), Value::Object(self.transforms));
        }
        Value::Object(top)
    }
}

/// The configuration for the apps that exist (but `skip`, an app being
/// destroyed) and the global sinks.
pub fn config(paths: &Paths, skip: Option<&str>) -> Result<Value> {
    let props = Properties::new(paths, PLUGIN);
    let apps: Vec<String> = apps::list(paths)
        .into_iter()
        .filter(|a| Some(a.as_str()) != skip)
        .collect();
    let global_alias = props.get_str(GLOBAL, "app-label-alias");
    let global_alias = global_alias.trim();
    let default_alias = store::default("app-label-alias");
    // The alias of every app with one of its own, then the global one.
    let own_alias: BTreeMap<&str, String> = apps
        .iter()
        .filter_map(|a| {
            let v = props.get_str(a, "app-label-alias").trim().to_string();
            (!v.is_empty()).then_some((a.as_str(), v))
        })
        .collect();
    let effective = |app: &str| -> String {
        own_alias
            .get(app)
            .cloned()
            .filter(|v| !v.is_empty())
            .or_else(|| (!global_alias.is_empty()).then(|| global_alias.to_string()))
            .unwrap_or_else(|| default_alias.to_string())
    };

    let global_sink = props.get_str(GLOBAL, "vector-sink");
    let global_cron = props.get_str(GLOBAL, "vector-cron-sink");
    let (global_sink, global_cron) = (global_sink.trim(), global_cron.trim());
    let own_cron: Vec<String> = apps
        .iter()
        .filter(|a| !props.get_str(a, "vector-cron-sink").trim().is_empty())
        .cloned()
        .collect();

    let mut cfg = Config::default();
    for app in &apps {
        let sink_dsn = props.get_str(app, "vector-sink");
        let cron_dsn = props.get_str(app, "vector-cron-sink");
        let (sink_dsn, cron_dsn) = (sink_dsn.trim(), cron_dsn.trim());
        if sink_dsn.is_empty() && cron_dsn.is_empty() {
            continue;
        }
        let alias = effective(app);
        cfg.add(Pipeline {
            ids: Ids::app(app),
            label: format!("{APP_LABEL}={app}"),
            sink: sink_dsn,
            cron_sink: cron_dsn,
            cron_elsewhere: if cron_dsn.is_empty() && !global_cron.is_empty() {
                CronElsewhere::All
            } else {
                CronElsewhere::None
            },
            alias: (alias != default_alias).then(|| rename_to(&alias)),
        })?;
    }

    if !global_sink.is_empty() || !global_cron.is_empty() {
        // Apps with an alias of their own first, then everyone else.
        let fallback = if global_alias.is_empty() {
            default_alias
        } else {
            global_alias
        };
        let mut branches: Vec<String> = own_alias
            .iter()
            .filter(|(_, alias)| alias.as_str() != fallback)
            .map(|(app, alias)| {
                let body = if alias == default_alias {
                    "null".to_string()
                } else {
                    rename_to(alias)
                };
                format!("if .label.\"{APP_LABEL}\" == \"{app}\" {{\n  {body}\n}}")
            })
            .collect();
        let alias = if fallback != default_alias {
            branches.push(format!("{{\n  {}\n}}", rename_to(fallback)));
            Some(branches.join(" else "))
        } else if !branches.is_empty() {
            Some(branches.join(" else "))
        } else {
            None
        };
        cfg.add(Pipeline {
            ids: Ids::global(),
            label: APP_LABEL.to_string(),
            sink: global_sink,
            cron_sink: global_cron,
            cron_elsewhere: if own_cron.is_empty() {
                CronElsewhere::None
            } else {
                CronElsewhere::Apps(own_cron)
            },
            alias,
        })?;
    }
    Ok(cfg.into_value())
}

/// The configuration as written: indented by two spaces, with `<`, `>`
/// and `&` escaped in strings (as Go's encoder writes them).
pub fn render(value: &Value) -> Result<String> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| Error::other("encode vector config", e))?;
    Ok(text
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026"))
}

/// Write `vector.json` (0600, owned by the system user); `skip` is an app
/// being destroyed.
pub fn write_config(paths: &Paths, skip: Option<&str>) -> Result<()> {
    let text = render(&config(paths, skip)?)?;
    fsutil::write_atomic(&config_path(paths), text.as_bytes(), 0o600)
}

/// Rewrite `vector.json` as an app comes, goes or changes name: when it
/// exists, or when there is something to ship (a host without sinks and
/// without vector gets no file).
pub fn refresh_config(paths: &Paths, skip: Option<&str>) -> Result<()> {
    let value = config(paths, skip)?;
    let path = config_path(paths);
    if !path.exists() && value["sinks"].get("empty-sink").is_some() {
        return Ok(());
    }
    let text = render(&value)?;
    if fsutil::read_optional(&path)?.as_deref() == Some(text.as_str()) {
        return Ok(());
    }
    fsutil::write_atomic(&path, text.as_bytes(), 0o600)
}

/// Write `vector.json` after a sink change, saying so.
pub fn write_config_noisy(ctx: &Ctx) -> Result<()> {
    ctx.out.verbose_quiet(&format!(
        "Writing updated vector config to {}",
        config_path(&ctx.paths).display()
    ));
    write_config(&ctx.paths, None)
}

fn engine_err(what: &'static str) -> impl Fn(EngineError) -> Error {
    move |e| Error::other(what, e)
}

fn inspect(
    engine: &dyn ContainerEngine,
    name: &str,
) -> Result<Option<dokku_docker::ContainerInfo>> {
    match engine.inspect_container(name) {
        Ok(i) => Ok(Some(i)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(engine_err("inspect container")(e)),
    }
}

/// The networks of the global `vector-networks` property.
pub fn networks(paths: &Paths) -> Vec<String> {
    store::computed(paths, GLOBAL, "vector-networks")
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

/// Fail unless every network exists.
pub fn check_networks(engine: &dyn ContainerEngine, names: &[String]) -> Result<()> {
    for name in names {
        match engine.inspect_network(name) {
            Ok(_) => {}
            Err(e) if e.is_not_found() => {
                return Err(Error::fail(format!("Network {name:?} does not exist")))
            }
            Err(e) => return Err(engine_err("inspect network")(e)),
        }
    }
    Ok(())
}

/// The built-in compose template of the vector container.
pub const COMPOSE_TEMPLATE: &str = include_str!("../templates/vector-compose.yml.tmpl");

/// The compose template: the file the first plugin answering
/// `vector-template-source` names, else ours. The reference only says the
/// trigger retrieves an alternative template; as with the other
/// `*-template-source` triggers the answer is taken as a path, and an
/// answer that is no file is ignored.
fn compose_template(ctx: &Ctx) -> Result<String> {
    let custom = first_answer(ctx.bus.collect(ctx, &VectorTemplateSource {})?)
        .filter(|p| std::path::Path::new(p).is_file());
    match custom {
        Some(p) => std::fs::read_to_string(&p).map_err(|e| Error::io("read", &p, e)),
        None => Ok(COMPOSE_TEMPLATE.to_string()),
    }
}

/// Render a compose template for `image` on `networks` and read it as
/// project `vector`. The variable names are ours (the reference names
/// none); bind mounts name host paths, where the host sees Dokku's
/// directories when Dokku itself runs in a container.
pub fn compose_project(
    paths: &Paths,
    template: &str,
    image: &str,
    networks: &[String],
) -> Result<Project> {
    let vars = BTreeMap::from([
        ("VectorImage".to_string(), image.to_string()),
        (
            "DokkuLibRoot".to_string(),
            paths.lib_host_root.display().to_string(),
        ),
        (
            "DokkuLogsDir".to_string(),
            paths.logs_host_dir.display().to_string(),
        ),
        ("VectorNetworks".to_string(), networks.join(",")),
    ]);
    let text = dokku_template::render_raw(template, &vars, &BTreeMap::new())
        .map_err(|e| Error::other("render vector compose template", e))?;
    compose::parse(PROJECT, "vector compose template", &text)
        .map_err(|e| Error::other("read vector compose template", e))
}

/// Whether `image` is a plain image reference, safe to place in the
/// compose file (a quote or line break would change its meaning).
fn plain_image(image: &str) -> bool {
    !image.is_empty()
        && image
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-:/@".contains(c))
}

/// How long a started container must keep running to count as started.
const SETTLE: Duration = Duration::from_secs(2);

/// `logs:vector-start [--vector-image image]`.
pub fn start(ctx: &Ctx, image: Option<&str>) -> Result<()> {
    ctx.out.info1_quiet("Starting vector container");
    ctx.out
        .verbose_quiet("Ensuring vector configuration exists");
    write_config(&ctx.paths, None)?;
    let engine = ctx.engine()?;
    if inspect(engine, OLD_CONTAINER)?.is_some() {
        return Err(Error::fail(format!(
            "Vector container {OLD_CONTAINER} already exists in old format, run 'dokku logs:vector-stop' once to remove it"
        )));
    }
    let image = image
        .filter(|i| !i.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| store::computed(&ctx.paths, GLOBAL, "vector-image"));
    if !plain_image(&image) {
        // Guessed wording: Dokku hands the value to docker compose, whose
        // refusal it prints.
        return Err(Error::fail(format!("Invalid vector image {image:?}")));
    }
    let nets = networks(&ctx.paths);
    check_networks(engine, &nets)?;
    fsutil::ensure_dir(&config_dir(&ctx.paths))?;
    let log_dir = apps_log_dir(&ctx.paths);
    fsutil::ensure_dir(&log_dir)?;
    fsutil::set_permissions(&log_dir, 0o755)?;
    dokku_core::system::chown_to_system(&log_dir);

    ctx.out.verbose_quiet("Starting vector container");
    match inspect(engine, CONTAINER)? {
        Some(info) if info.running => {}
        Some(_) => engine
            .start_container(CONTAINER)
            .map_err(engine_err("start vector container"))?,
        None => {
            let project = compose_project(&ctx.paths, &compose_template(ctx)?, &image, &nets)?;
            if let Err(e) = compose::up_project(engine, &project) {
                // Nothing half made is left behind.
                for s in &project.services {
                    if let Some(name) = &s.spec.name {
                        let _ = engine.remove_container(name, true);
                    }
                }
                return Err(match e {
                    ComposeError::Engine(e) if e.is_not_found() => {
                        let wanted = project
                            .services
                            .first()
                            .map_or(image.as_str(), |s| s.spec.image.as_str());
                        Error::fail(format!("Unable to find image '{wanted}' locally"))
                    }
                    e => Error::other("start vector container", e),
                });
            }
        }
    }

    // Running, and not restarted by its policy meanwhile, up to a check
    // begun a full settling time after the first look (a slow engine
    // answering one inspect in seconds must not end the wait early).
    let restarts = inspect(engine, CONTAINER)?.map_or(0, |i| i.restart_count);
    let begun = Instant::now();
    loop {
        let settled = begun.elapsed() >= SETTLE;
        let running = inspect(engine, CONTAINER)?
            .is_some_and(|i| i.running && i.status != "restarting" && i.restart_count == restarts);
        if !running {
            return Err(Error::fail(
                "Vector container did not start properly, run logs:vector-logs for more details",
            ));
        }
        if settled {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    ctx.out.verbose_quiet("Vector container is running");
    Ok(())
}

/// `logs:vector-stop`: stop and remove the container (and one left in the
/// old format); nothing to do when there is none.
pub fn stop(ctx: &Ctx) -> Result<()> {
    ctx.out
        .info1_quiet("Stopping and removing vector container");
    let engine = ctx.engine()?;
    for name in [OLD_CONTAINER, CONTAINER] {
        if inspect(engine, name)?.is_none() {
            continue;
        }
        engine
            .stop_container(name, None)
            .or_else(|e| if e.is_not_found() { Ok(()) } else { Err(e) })
            .map_err(engine_err("stop vector container"))?;
        match engine.remove_container(name, true) {
            Ok(()) => {}
            Err(e) if e.is_not_found() || e.is_conflict() => {}
            Err(e) => return Err(engine_err("remove vector container")(e)),
        }
    }
    Ok(())
}

/// `logs:vector-logs [--num N] [--tail]`: the container's output, the
/// last `num` lines (all with 0), following with `tail`.
pub fn logs(ctx: &Ctx, num: u64, tail: bool) -> Result<()> {
    let engine = ctx.engine()?;
    let Some(info) = inspect(engine, CONTAINER)? else {
        return Err(Error::fail("Vector container does not exist"));
    };
    if !info.running {
        ctx.out.warn("Vector container is not running");
    }
    let options = LogOptions {
        tail: (num > 0).then_some(num),
        follow: tail,
        ..LogOptions::default()
    };
    engine
        .container_logs(CONTAINER, &options, &mut |stream, line| match stream {
            LogStream::Stderr => ctx.out.write_err(&format!("{line}\n")),
            _ => ctx.out.line(line),
        })
        .map_err(engine_err("vector container logs"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths() -> (tempfile::TempDir, Paths) {
        let (d, p) = dokku_core::Paths::temp();
        (d, p)
    }

    fn app(paths: &Paths, name: &str) {
        std::fs::create_dir_all(paths.app_dir(name)).expect("app");
    }

    fn set(paths: &Paths, app: &str, key: &str, value: &str) {
        Properties::new(paths, PLUGIN)
            .write(app, key, value)
            .expect("write");
    }

    #[test]
    fn without_sinks_vector_reads_nothing() {
        let (_d, p) = paths();
        app(&p, "a");
        insta::assert_snapshot!(render(&config(&p, None).expect("config")).expect("render"), @r#"
        {
          "sinks": {
            "empty-sink": {
              "inputs": [
                "empty-source"
              ],
              "print_interval_secs": 1,
              "type": "blackhole"
            }
          },
          "sources": {
            "empty-source": {
              "include_labels": [
                "com.dokku.vector-empty-source"
              ],
              "type": "docker_logs"
            }
          }
        }
        "#);
    }

    #[test]
    fn lifecycle_refresh_writes_only_where_there_is_something() {
        let (_d, p) = paths();
        app(&p, "a");
        refresh_config(&p, None).expect("refresh");
        assert!(!config_path(&p).exists());
        set(&p, "a", "vector-sink", "console://");
        refresh_config(&p, None).expect("refresh");
        assert!(std::fs::read_to_string(config_path(&p))
            .expect("written")
            .contains("docker-sink:a"));
        refresh_config(&p, Some("a")).expect("refresh");
        assert!(std::fs::read_to_string(config_path(&p))
            .expect("kept")
            .contains("empty-sink"));
    }

    #[test]
    fn app_and_global_sinks() {
        let (_d, p) = paths();
        app(&p, "a");
        app(&p, "b.c");
        app(&p, "gone");
        set(&p, "a", "vector-sink", "console://?encoding[codec]=json");
        set(
            &p,
            "b.c",
            "vector-sink",
            "http://?uri=https%3A//x.test/%3Fa%3D1%26b%3D2",
        );
        set(&p, "gone", "vector-sink", "blackhole://");
        set(
            &p,
            GLOBAL,
            "vector-sink",
            "datadog_logs://?default_api_key=k&site=datadoghq.eu",
        );
        insta::assert_snapshot!(render(&config(&p, Some("gone")).expect("config")).expect("render"), @r#"
        {
          "sinks": {
            "docker-global-sink": {
              "default_api_key": "k",
              "inputs": [
                "docker-global-source"
              ],
              "site": "datadoghq.eu",
              "type": "datadog_logs"
            },
            "docker-sink:a": {
              "encoding": {
                "codec": "json"
              },
              "inputs": [
                "docker-source:a"
              ],
              "type": "console"
            },
            "docker-sink:b-c": {
              "inputs": [
                "docker-source:b-c"
              ],
              "type": "http",
              "uri": "https://x.test/?a=1\u0026b=2"
            }
          },
          "sources": {
            "docker-global-source": {
              "include_labels": [
                "com.dokku.app-name"
              ],
              "type": "docker_logs"
            },
            "docker-source:a": {
              "include_labels": [
                "com.dokku.app-name=a"
              ],
              "type": "docker_logs"
            },
            "docker-source:b-c": {
              "include_labels": [
                "com.dokku.app-name=b.c"
              ],
              "type": "docker_logs"
            }
          }
        }
        "#);
    }

    #[test]
    fn cron_sinks_route_and_aliases_rename() {
        let (_d, p) = paths();
        app(&p, "a");
        app(&p, "b");
        set(
            &p,
            "a",
            "vector-cron-sink",
            "console://?encoding[codec]=text",
        );
        set(&p, "a", "app-label-alias", "app_name");
        set(&p, "b", "app-label-alias", "svc");
        set(&p, GLOBAL, "vector-sink", "console://");
        let v = config(&p, None).expect("config");
        let t = &v["transforms"];
        assert_eq!(
            t["docker-route:a"]["route"]["cron"],
            "exists(.label.\"com.dokku.cron-id\")"
        );
        assert_eq!(
            t["docker-cron:a"]["source"],
            ".dokku_app = .label.\"com.dokku.app-name\"\n.dokku_cron_id = .label.\"com.dokku.cron-id\"\n.label.\"app_name\" = del(.label.\"com.dokku.app-name\")"
        );
        assert_eq!(
            v["sinks"]["docker-cron-sink:a"]["inputs"],
            json!(["docker-cron:a"])
        );
        // a cron sink alone ships nothing else of the app
        assert!(v["sinks"].get("docker-sink:a").is_none());
        assert_eq!(
            t["docker-global-alias"]["source"],
            "if .label.\"com.dokku.app-name\" == \"a\" {\n  .label.\"app_name\" = del(.label.\"com.dokku.app-name\")\n} else if .label.\"com.dokku.app-name\" == \"b\" {\n  .label.\"svc\" = del(.label.\"com.dokku.app-name\")\n}"
        );
        assert_eq!(
            v["sinks"]["docker-global-sink"]["inputs"],
            json!(["docker-global-alias"])
        );
    }

    #[test]
    fn the_container_mounts_the_config_dir_and_the_socket() {
        use dokku_docker::{Mount, RestartPolicy};
        let (_d, p) = paths();
        let project = compose_project(&p, COMPOSE_TEMPLATE, "img:1", &["n1".into(), "n2".into()])
            .expect("project");
        assert!(project.networks.is_empty(), "external networks only");
        let s = &project.services[0];
        let spec = &s.spec;
        assert_eq!(spec.name.as_deref(), Some("vector-vector-1"));
        assert_eq!(spec.image, "img:1");
        assert_eq!(s.networks, vec!["n1".to_string(), "n2".to_string()]);
        assert_eq!(spec.network.as_deref(), Some("n1"));
        assert_eq!(spec.restart_policy, Some(RestartPolicy::UnlessStopped));
        assert_eq!(
            spec.cmd,
            Some(vec![
                "--config".to_string(),
                "/etc/vector/vector.json".to_string(),
                "--watch-config".to_string()
            ])
        );
        let vols: Vec<String> = spec.mounts.iter().map(Mount::to_volume_arg).collect();
        assert_eq!(
            vols,
            vec![
                format!("{}:/etc/vector", p.lib_root.join("data/logs").display()),
                "/var/run/docker.sock:/var/run/docker.sock".to_string(),
                format!("{}:/var/log/dokku/apps", p.logs_dir.join("apps").display()),
            ]
        );
        for (k, v) in [
            ("com.docker.compose.project", "vector"),
            ("com.docker.compose.service", "vector"),
            ("com.docker.compose.oneoff", "False"),
            ("org.label-schema.vendor", "dokku"),
            ("dokku", ""),
        ] {
            assert_eq!(spec.labels.get(k).map(String::as_str), Some(v), "{k}");
        }
        let alone = compose_project(&p, COMPOSE_TEMPLATE, "img:1", &[]).expect("project");
        assert_eq!(alone.services[0].spec.network.as_deref(), Some("bridge"));
        assert!(alone.services[0].spec.network_aliases.is_empty());
        assert!(alone.networks.is_empty(), "no project network");
        let vars = std::collections::HashMap::from([
            ("DOKKU_LIB_ROOT".to_string(), "/var/lib/dokku".to_string()),
            ("DOKKU_LIB_HOST_ROOT".to_string(), "/srv/dokku".to_string()),
            ("DOKKU_LOGS_HOST_DIR".to_string(), "/srv/logs".to_string()),
        ]);
        let hosted = compose_project(&Paths::from_map(&vars), COMPOSE_TEMPLATE, "img:1", &[])
            .expect("project");
        let vols: Vec<String> = hosted.services[0]
            .spec
            .mounts
            .iter()
            .map(Mount::to_volume_arg)
            .collect();
        assert_eq!(vols[0], "/srv/dokku/data/logs:/etc/vector");
        assert_eq!(vols[2], "/srv/logs/apps:/var/log/dokku/apps");
        assert!(!plain_image("x\"\n    privileged: true"));
        assert!(plain_image(
            "registry:5000/timberio/vector:0.1-debian@sha256:ab"
        ));
    }
}
