//! The trigger bus.
//!
//! A trigger is a struct with typed arguments and a typed result. Core
//! plugins register handlers with [`Bus::on`]; external plugins answer with
//! an executable of the trigger's name. Both are run in plugin-name order,
//! as plugn does, so an external plugin sorts among the core ones.

use std::any::Any;
use std::collections::HashMap;
use std::sync::OnceLock;

use dokku_core::{Error, Result};

use crate::context::Ctx;
use crate::external::{self, PluginDir, Stdin, Stdout};

/// How a trigger is dispatched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dispatch {
    /// Everyone is told; nothing comes back (`post-delete`).
    Notify,
    /// Everyone answers; the answers are gathered (`docker-args-deploy`).
    Collect,
    /// Only the configured plugin acts (`scheduler-deploy`). External
    /// plugins receive the selector as an argument and filter themselves.
    Select,
}

/// A trigger's result, and how an external plugin's stdout turns into it.
pub trait TriggerOutput: Sized + 'static {
    /// Whether an external plugin's stdout is captured (true) or passed
    /// through to the user (false).
    const CAPTURE: bool;
    /// Parse an external plugin's stdout.
    fn from_stdout(stdout: &str) -> Self;
    /// Render for callers that read stdout (`plugin:trigger`, bash plugins).
    fn to_stdout(&self) -> String;
}

impl TriggerOutput for () {
    const CAPTURE: bool = false;
    fn from_stdout(_: &str) -> Self {}
    fn to_stdout(&self) -> String {
        String::new()
    }
}

impl TriggerOutput for String {
    const CAPTURE: bool = true;
    fn from_stdout(stdout: &str) -> Self {
        stdout.trim_end_matches('\n').to_string()
    }
    fn to_stdout(&self) -> String {
        if self.is_empty() {
            String::new()
        } else {
            format!("{self}\n")
        }
    }
}

/// A yes/no answer; external plugins print `true` (anything else is no).
impl TriggerOutput for bool {
    const CAPTURE: bool = true;
    fn from_stdout(stdout: &str) -> Self {
        stdout.trim() == "true"
    }
    fn to_stdout(&self) -> String {
        format!("{self}\n")
    }
}

impl TriggerOutput for Vec<String> {
    const CAPTURE: bool = true;
    fn from_stdout(stdout: &str) -> Self {
        stdout
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }
    fn to_stdout(&self) -> String {
        self.iter().map(|l| format!("{l}\n")).collect()
    }
}

/// A typed trigger.
pub trait Trigger: Sized + 'static {
    /// Dokku's trigger name (the executable name for external plugins).
    const NAME: &'static str;
    /// Dispatch kind.
    const DISPATCH: Dispatch;
    /// What each handler returns.
    type Output: TriggerOutput;
    /// Arguments in Dokku's order, for external plugins.
    fn to_args(&self) -> Vec<String>;
    /// Rebuild from arguments (for `plugin:trigger` and `plugn trigger`).
    fn from_args(args: &[String]) -> Result<Self>;
    /// For [`Dispatch::Select`]: the plugin that should act.
    fn selector(&self) -> Option<&str> {
        None
    }
    /// Variables external plugins get in their environment besides the
    /// arguments (Dokku passes some options of `run` this way).
    fn env(&self) -> Vec<(String, String)> {
        Vec::new()
    }
    /// Ours only: never run for external plugins (nor listed to them), for
    /// triggers between core plugins that Dokku does not fire.
    const INTERNAL: bool = false;
    /// The payload an external plugin reads on stdin, for the triggers
    /// Dokku hands data that way (`storage-status`: the entry as JSON).
    /// `None`: no payload (see [`Bus::notify`] for what stdin is then).
    fn stdin(&self) -> Option<&[u8]> {
        None
    }
}

/// A trigger every subscriber is told of ([`Bus::notify`]).
pub trait NotifyTrigger: Trigger<Output = ()> {}
/// A trigger every subscriber answers ([`Bus::collect`]).
pub trait CollectTrigger: Trigger {}
/// A trigger only the selected plugin acts on ([`Bus::select`]).
pub trait SelectTrigger: Trigger {}

/// Whether a core plugin is the one a selector names: the plugin itself
/// (`docker-local`) or the plugin of that kind, named `<kind>-<selector>`
/// as Dokku names them (`scheduler-docker-local`, `builder-dockerfile`).
pub fn selects(plugin: &str, selector: &str) -> bool {
    !selector.is_empty()
        && (plugin == selector
            || plugin
                .strip_suffix(selector)
                .is_some_and(|head| head.ends_with('-') && !head[..head.len() - 1].contains('-')))
}

type Typed<T> = Box<dyn Fn(&Ctx, &T) -> Result<<T as Trigger>::Output> + Send + Sync>;
type Raw = Box<dyn Fn(&Ctx, &[String]) -> Result<String> + Send + Sync>;

struct Entry {
    plugin: &'static str,
    /// The trigger is internal-only ([`Trigger::INTERNAL`]).
    internal: bool,
    typed: Box<dyn Any + Send + Sync>,
    raw: Raw,
}

/// Registered handlers plus the external plugins found on disk.
#[derive(Default)]
pub struct Bus {
    handlers: HashMap<&'static str, Vec<Entry>>,
    /// Name and `plugin.toml` description of every core plugin added.
    core: Vec<(&'static str, &'static str)>,
    community: OnceLock<Vec<PluginDir>>,
}

impl std::fmt::Debug for Bus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bus")
            .field("triggers", &self.handlers.keys().collect::<Vec<_>>())
            .finish()
    }
}

enum Step<'a> {
    Internal(&'a Entry),
    External(std::path::PathBuf),
}

impl Bus {
    /// An empty bus.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a core plugin: remember it and let it subscribe its handlers.
    pub fn add_core(&mut self, plugin: &crate::CorePlugin) {
        self.core.push((plugin.name, plugin.description));
        (plugin.register)(self);
    }

    /// Name and description of every core plugin on this bus, in the order
    /// they were added.
    pub fn core_plugins(&self) -> &[(&'static str, &'static str)] {
        &self.core
    }

    /// Subscribe `plugin` to trigger `T`.
    pub fn on<T, F>(&mut self, plugin: &'static str, f: F)
    where
        T: Trigger,
        F: Fn(&Ctx, &T) -> Result<T::Output> + Send + Sync + Clone + 'static,
    {
        let typed: Typed<T> = Box::new(f.clone());
        let raw: Raw = Box::new(move |ctx, args| {
            let t = T::from_args(args)?;
            if T::DISPATCH == Dispatch::Select {
                if let Some(sel) = t.selector() {
                    if !selects(plugin, sel) {
                        return Ok(String::new());
                    }
                }
            }
            Ok(f(ctx, &t)?.to_stdout())
        });
        self.handlers.entry(T::NAME).or_default().push(Entry {
            plugin,
            internal: T::INTERNAL,
            typed: Box::new(typed),
            raw,
        });
    }

    /// Subscribe `plugin`'s install step `f` to `install`.
    pub fn on_install(&mut self, plugin: &'static str, f: fn(&Ctx) -> Result<()>) {
        self.on::<crate::triggers::Install, _>(plugin, move |ctx, _| f(ctx));
    }

    /// Names of every trigger a core plugin subscribes to.
    pub fn trigger_names(&self) -> Vec<&'static str> {
        let mut v: Vec<_> = self.handlers.keys().copied().collect();
        v.sort();
        v
    }

    fn community(&self, ctx: &Ctx) -> &[PluginDir] {
        self.community
            .get_or_init(|| external::enabled_community(&ctx.paths))
    }

    /// Whether trigger `name` is internal-only: declared so by the trigger
    /// its core handlers subscribed to.
    pub fn is_internal(&self, name: &str) -> bool {
        self.handlers
            .get(name)
            .is_some_and(|entries| entries.iter().any(|e| e.internal))
    }

    /// Who runs for trigger `name`, in plugin order: the core handlers and,
    /// unless the trigger is `internal`-only, the executables of `plugins`.
    fn steps_among<'a>(
        &'a self,
        plugins: &[PluginDir],
        name: &str,
        internal: bool,
    ) -> Vec<(String, Step<'a>)> {
        let mut steps: Vec<(String, Step<'a>)> = Vec::new();
        if let Some(entries) = self.handlers.get(name) {
            for e in entries {
                steps.push((e.plugin.to_string(), Step::Internal(e)));
            }
        }
        if !internal {
            for p in plugins {
                let exe = p.path.join(name);
                if external::is_executable(&exe) {
                    steps.push((p.name.clone(), Step::External(exe)));
                }
            }
        }
        steps.sort_by(|a, b| a.0.cmp(&b.0));
        steps
    }

    fn steps<'a>(&'a self, ctx: &Ctx, name: &str) -> Vec<Step<'a>> {
        self.steps_among(self.community(ctx), name, self.is_internal(name))
            .into_iter()
            .map(|(_, s)| s)
            .collect()
    }

    /// [`Bus::steps`] of a typed trigger, whose declaration says whether it
    /// is internal-only even when no core plugin subscribed.
    fn typed_steps<'a, T: Trigger>(&'a self, ctx: &Ctx) -> Vec<Step<'a>> {
        let internal = T::INTERNAL || self.is_internal(T::NAME);
        self.steps_among(self.community(ctx), T::NAME, internal)
            .into_iter()
            .map(|(_, s)| s)
            .collect()
    }

    /// Run one external trigger executable. A trigger with a payload
    /// ([`Trigger::stdin`]) hands each executable its own copy of it on
    /// stdin (under plugn only the first reader would get it). Otherwise
    /// callers that read an answer (collect and select) give it an empty
    /// stdin, as Dokku's `: | plugn trigger ...` does, so a plugin reading
    /// stdin never waits on the user's terminal; notify triggers share ours.
    /// An external plugin may change any image: what the command learned
    /// about images is forgotten once it ran.
    fn run_external(
        ctx: &Ctx,
        exe: &std::path::Path,
        args: &[String],
        env: &[(String, String)],
        capture: bool,
        payload: Option<&[u8]>,
    ) -> Result<String> {
        let mode = if capture {
            Stdout::Capture
        } else {
            Stdout::Inherit
        };
        let stdin = match payload {
            Some(data) => Stdin::Bytes(data),
            None if capture => Stdin::Null,
            None => Stdin::Inherit,
        };
        let ran = external::run(exe, args, env, mode, stdin);
        ctx.images().forget_all();
        let (code, out) = ran?;
        if code != 0 {
            return Err(Error::exit(code));
        }
        Ok(out)
    }

    fn call<T: Trigger>(ctx: &Ctx, e: &Entry, t: &T) -> Result<T::Output> {
        match e.typed.downcast_ref::<Typed<T>>() {
            Some(h) => h(ctx, t),
            None => Err(Error::other(
                "trigger",
                format!("handler type mismatch for {}", T::NAME),
            )),
        }
    }

    /// Record a call in the event log, as Dokku's events plugin logs the
    /// triggers it knows: an internal-only trigger is none of Dokku's, so
    /// it only shows under `--trace`.
    fn record(&self, ctx: &Ctx, name: &str, internal: bool, args: &[String]) {
        if internal || self.is_internal(name) {
            tracing::debug!("+ internal trigger {name} {}", args.join(" "));
        } else {
            crate::events::record(ctx, name, args);
        }
    }

    /// Whether anyone answers trigger `name`: a core handler or an enabled
    /// community plugin's executable (Dokku's `plugn-trigger-exists`, which
    /// callers ask before firing the optional and deprecated triggers).
    pub fn has_subscribers(&self, ctx: &Ctx, name: &str) -> bool {
        !self.steps(ctx, name).is_empty()
    }

    /// Tell every subscriber; stop at the first failure.
    pub fn notify<T: NotifyTrigger>(&self, ctx: &Ctx, t: &T) -> Result<()> {
        let args = t.to_args();
        self.record(ctx, T::NAME, T::INTERNAL, &args);
        let env = t.env();
        for step in self.typed_steps::<T>(ctx) {
            match step {
                Step::Internal(e) => Self::call(ctx, e, t)?,
                Step::External(exe) => {
                    Self::run_external(ctx, &exe, &args, &env, false, t.stdin())?;
                }
            }
        }
        Ok(())
    }

    /// Tell every subscriber, reading the enabled plugins from disk anew
    /// (for callers that just changed them); a failing subscriber does not
    /// stop the others. Returns the failures with the plugin that failed,
    /// in plugin order.
    pub fn notify_each<T: NotifyTrigger>(&self, ctx: &Ctx, t: &T) -> Vec<(String, Error)> {
        let args = t.to_args();
        self.record(ctx, T::NAME, T::INTERNAL, &args);
        let env = t.env();
        let steps = self.steps_among(
            &external::enabled_community(&ctx.paths),
            T::NAME,
            T::INTERNAL || self.is_internal(T::NAME),
        );
        let mut failures = Vec::new();
        for (plugin, step) in steps {
            let ran = match step {
                Step::Internal(e) => Self::call(ctx, e, t),
                Step::External(exe) => {
                    Self::run_external(ctx, &exe, &args, &env, false, t.stdin()).map(drop)
                }
            };
            if let Err(e) = ran {
                failures.push((plugin, e));
            }
        }
        failures
    }

    /// Ask every subscriber; gather the answers in plugin order.
    pub fn collect<T: CollectTrigger>(&self, ctx: &Ctx, t: &T) -> Result<Vec<T::Output>> {
        let args = t.to_args();
        self.record(ctx, T::NAME, T::INTERNAL, &args);
        let env = t.env();
        let mut out = Vec::new();
        for step in self.typed_steps::<T>(ctx) {
            match step {
                Step::Internal(e) => out.push(Self::call(ctx, e, t)?),
                Step::External(exe) => {
                    let s =
                        Self::run_external(ctx, &exe, &args, &env, T::Output::CAPTURE, t.stdin())?;
                    out.push(T::Output::from_stdout(&s));
                }
            }
        }
        Ok(out)
    }

    /// Let the selected plugin act. In process only the plugin named by the
    /// trigger's selector runs; external plugins all receive the call and
    /// filter on the selector argument themselves, as with Dokku. Returns the
    /// selected core plugin's answer, else the first external answer.
    pub fn select<T: SelectTrigger>(&self, ctx: &Ctx, t: &T) -> Result<Option<T::Output>> {
        let sel = t.selector().unwrap_or("");
        let args = t.to_args();
        self.record(ctx, T::NAME, T::INTERNAL, &args);
        let env = t.env();
        let mut answer = None;
        for step in self.typed_steps::<T>(ctx) {
            match step {
                Step::Internal(e) if selects(e.plugin, sel) => {
                    answer = Some(Self::call(ctx, e, t)?);
                }
                Step::Internal(_) => {}
                Step::External(exe) => {
                    let s =
                        Self::run_external(ctx, &exe, &args, &env, T::Output::CAPTURE, t.stdin())?;
                    if answer.is_none() && (!T::Output::CAPTURE || !s.trim().is_empty()) {
                        answer = Some(T::Output::from_stdout(&s));
                    }
                }
            }
        }
        Ok(answer)
    }

    /// Run a trigger by name with string arguments, printing what handlers
    /// answer: `plugin:trigger` and `plugn trigger`.
    pub fn run_raw(&self, ctx: &Ctx, name: &str, args: &[String]) -> Result<()> {
        self.record(ctx, name, false, args);
        let steps = self.steps(ctx, name);
        // Dokku's `docker-args-*` handlers pass on what the caller piped in
        // before their own flags; the first subscriber reads it all, so it
        // comes out once, ahead of every answer. An external first
        // subscriber reads it itself.
        if name.starts_with("docker-args-") && matches!(steps.first(), Some(Step::Internal(_))) {
            ctx.out.write_out_bytes(&read_piped_stdin());
        }
        for step in steps {
            match step {
                Step::Internal(e) => {
                    let s = (e.raw)(ctx, args)?;
                    ctx.out.write_out(&s);
                }
                Step::External(exe) => {
                    Self::run_external(ctx, &exe, args, &[], false, None)?;
                }
            }
        }
        Ok(())
    }
}

/// Everything on stdin, unless it is a terminal (nothing was piped in).
fn read_piped_stdin() -> Vec<u8> {
    use std::io::{IsTerminal, Read};
    let stdin = std::io::stdin();
    let mut data = Vec::new();
    if !stdin.is_terminal() {
        // An unreadable stdin is an empty one.
        let _ = stdin.lock().read_to_end(&mut data);
    }
    data
}

#[cfg(test)]
mod select_tests {
    use super::selects;

    #[test]
    fn selectors_name_plugins_with_or_without_their_kind() {
        assert!(selects("docker-local", "docker-local"));
        assert!(selects("scheduler-docker-local", "docker-local"));
        assert!(selects("builder-dockerfile", "dockerfile"));
        assert!(!selects("scheduler-docker-local", "local"));
        assert!(!selects("scheduler-docker-local", ""));
        assert!(!selects("builder-pack", "dockerfile"));
    }
}

#[cfg(test)]
mod external_tests {
    use std::os::unix::fs::PermissionsExt;
    use std::sync::Arc;

    use dokku_core::{Paths, Result};

    use super::{Bus, Dispatch, Trigger};
    use crate::triggers::{arg, trigger};
    use crate::{Ctx, Flags};

    trigger!(
        /// Between core plugins only.
        Ours = "test-ours", Collect -> String { app }, internal = true
    );
    trigger!(
        /// With a payload on stdin.
        Fed = "test-fed", Collect -> String { app }, stdin = payload
    );
    trigger!(
        /// Told, with a payload on stdin.
        Told = "test-told", Notify -> () { app }, stdin = payload
    );

    fn plugin(paths: &Paths, plugin: &str, trigger: &str, body: &str) {
        let dir = paths.plugin_enabled.join(plugin);
        std::fs::create_dir_all(&dir).expect("mkdir");
        let exe = dir.join(trigger);
        std::fs::write(&exe, format!("#!/bin/sh\n{body}\n")).expect("write");
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }

    #[test]
    fn internal_triggers_skip_external_plugins_and_payloads_reach_each() -> Result<()> {
        let (d, paths) = dokku_core::Paths::temp();
        let log = d.path().join("told.log");
        plugin(&paths, "spy", "test-ours", "echo external; exit 1");
        for p in ["a", "b"] {
            plugin(&paths, p, "test-fed", &format!("echo \"{p} $1 $(cat)\""));
            plugin(
                &paths,
                p,
                "test-told",
                &format!("echo \"{p} $1 $(cat)\" >> {}", log.display()),
            );
        }
        let mut bus = Bus::new();
        bus.on::<Ours, _>("core", |_, t: &Ours| Ok(format!("core {}", t.app)));
        assert!(bus.is_internal("test-ours"));
        assert!(!bus.is_internal("test-fed"));
        let (out, cap) = dokku_output::Output::captured(false);
        let ctx = Ctx::new(paths, out, Flags::default(), Arc::new(Bus::default()));
        let ours = Ours { app: "x".into() };
        assert_eq!(bus.collect(&ctx, &ours)?, vec!["core x".to_string()]);
        bus.run_raw(&ctx, "test-ours", &["y".to_string()])?;
        assert_eq!(cap.stdout(), "core y\n");
        // Declared internal, it skips external plugins even with no core
        // plugin subscribed.
        assert!(Bus::new().collect(&ctx, &ours)?.is_empty());

        let payload = "{\"name\":\"x\"}".to_string();
        let fed = Fed {
            app: "x".into(),
            payload: payload.clone(),
        };
        assert_eq!(fed.to_args(), vec!["x".to_string()]);
        assert_eq!(
            bus.collect(&ctx, &fed)?,
            vec![format!("a x {payload}"), format!("b x {payload}")]
        );
        bus.notify(
            &ctx,
            &Told {
                app: "x".into(),
                payload: payload.clone(),
            },
        )?;
        assert_eq!(
            std::fs::read_to_string(&log).expect("log"),
            format!("a x {payload}\nb x {payload}\n")
        );
        Ok(())
    }
}
