//! A plugin's properties, declared once.
//!
//! Each property is one [`Prop`] in the plugin's [`Schema`]: its key, where
//! it may be set, its built-in default, how a value is checked and which
//! report keys show it. From that table come `<plugin>:set` (see
//! [`crate::set`]), the declared rows of `<plugin>:report` for an app and for
//! `--global` (see [`crate::report`]), and the computed value every caller
//! reads (app value, else global value, else default).

use crate::error::Result;
use crate::paths::Paths;
use crate::property::{Properties, GLOBAL};
use crate::report::{ReportSpec, Rows};
use crate::set::Wording;

/// Where a property may be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Per app only.
    App,
    /// Per app or `--global`.
    Both,
    /// `--global` only.
    Global,
}

/// Which report keys show a property (a small bit set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keys(u8);

impl Keys {
    /// No report key: settable, but not reported.
    pub const NONE: Keys = Keys(0);
    /// `--<kind>-<key>` in app reports: the raw app value.
    pub const RAW: Keys = Keys(1);
    /// `--<kind>-global-<key>` in app reports: the raw global value.
    pub const GLOBAL: Keys = Keys(2);
    /// `--<kind>-computed-<key>` in app reports: app, global, default.
    pub const COMPUTED: Keys = Keys(4);
    /// `--<kind>-global-<key>` in the `--global` report.
    pub const GLOBAL_REPORT: Keys = Keys(8);
    /// `--<kind>-computed-<key>` in the `--global` report: global, default.
    pub const COMPUTED_REPORT: Keys = Keys(16);
    /// Every key of an app-and-global property.
    pub const ALL: Keys = Keys(31);

    /// Both sets.
    pub const fn with(self, other: Keys) -> Keys {
        Keys(self.0 | other.0)
    }

    /// This set less `other`.
    pub const fn without(self, other: Keys) -> Keys {
        Keys(self.0 & !other.0)
    }

    /// Whether every key of `other` is in this set.
    pub const fn has(self, other: Keys) -> bool {
        self.0 & other.0 == other.0
    }
}

/// Checks a value before it is stored: `(key, value)`.
pub type Validate = fn(&str, &str) -> Result<()>;

/// One property of a plugin.
#[derive(Debug, Clone, Copy)]
pub struct Prop {
    /// Name as typed by the user and stored on disk.
    pub key: &'static str,
    /// Where it may be set.
    pub scope: Scope,
    /// The built-in default, used when neither app nor global has a value.
    pub default: &'static str,
    /// Which report keys show it.
    pub keys: Keys,
    /// Checks a non-empty value before it is written.
    pub validate: Option<Validate>,
    /// A default read at run time (from the environment), in place of
    /// `default`.
    pub default_fn: Option<fn() -> String>,
}

impl Prop {
    /// A per-app property, reported as its raw value.
    pub const fn app(key: &'static str) -> Prop {
        Prop {
            key,
            scope: Scope::App,
            default: "",
            keys: Keys::RAW,
            validate: None,
            default_fn: None,
        }
    }

    /// A per-app property with a computed fallback to the global value and
    /// then `default`, reported raw, global and computed.
    pub const fn both(key: &'static str, default: &'static str) -> Prop {
        Prop {
            key,
            scope: Scope::Both,
            default,
            keys: Keys::ALL,
            validate: None,
            default_fn: None,
        }
    }

    /// A host-wide property, reported as its global value.
    pub const fn global(key: &'static str, default: &'static str) -> Prop {
        Prop {
            key,
            scope: Scope::Global,
            default,
            keys: Keys::GLOBAL.with(Keys::GLOBAL_REPORT),
            validate: None,
            default_fn: None,
        }
    }

    /// The same property with other report keys.
    pub const fn keys(mut self, keys: Keys) -> Prop {
        self.keys = keys;
        self
    }

    /// The same property, settable but not reported.
    pub const fn hidden(self) -> Prop {
        self.keys(Keys::NONE)
    }

    /// The same property with a default computed at run time.
    pub const fn default_with(mut self, f: fn() -> String) -> Prop {
        self.default_fn = Some(f);
        self
    }

    /// The same property with a value check.
    pub const fn check(mut self, validate: Validate) -> Prop {
        self.validate = Some(validate);
        self
    }
}

/// A plugin's property table and the names its report and set go by.
#[derive(Debug, Clone, Copy)]
pub struct Schema {
    /// Property namespace on disk: `config/<store>/<app|--global>/<key>`.
    pub store: &'static str,
    /// Command namespace (`nginx` for nginx-vhosts), for messages.
    pub command: &'static str,
    /// How the report is named and keyed.
    pub report: ReportSpec<'static>,
    /// How `:set` words its key errors.
    pub wording: Wording<'static>,
    /// The properties, in any order (reports sort by flag).
    pub props: &'static [Prop],
}

impl Schema {
    /// The usual table: store, command, report title and flag head all
    /// `name`, no legacy JSON keys, Go wording.
    pub const fn named(name: &'static str, props: &'static [Prop]) -> Schema {
        Schema {
            store: name,
            command: name,
            report: ReportSpec {
                title: name,
                prefix: name,
                legacy_json_keys: false,
            },
            wording: Wording::Go,
            props,
        }
    }

    /// With another property namespace on disk.
    pub const fn stored_as(mut self, store: &'static str) -> Schema {
        self.store = store;
        self
    }

    /// With another command namespace.
    pub const fn command(mut self, command: &'static str) -> Schema {
        self.command = command;
        self
    }

    /// With another report header title and flag head.
    pub const fn reported_as(mut self, title: &'static str, prefix: &'static str) -> Schema {
        self.report.title = title;
        self.report.prefix = prefix;
        self
    }

    /// Also emitting the legacy `<prefix>-` JSON keys.
    pub const fn legacy_json(mut self) -> Schema {
        self.report.legacy_json_keys = true;
        self
    }

    /// With other key-error wording.
    pub const fn worded(mut self, wording: Wording<'static>) -> Schema {
        self.wording = wording;
        self
    }

    /// The property store.
    pub fn store<'a>(&self, paths: &'a Paths) -> Properties<'a> {
        Properties::new(paths, self.store)
    }

    /// The declaration of `key`.
    pub fn prop(&self, key: &str) -> Option<&'static Prop> {
        self.props.iter().find(|p| p.key == key)
    }

    /// The raw value (empty when unset).
    pub fn raw(&self, paths: &Paths, app: &str, key: &str) -> String {
        self.store(paths).get_str(app, key)
    }

    /// The built-in default of `key` (empty for undeclared keys).
    pub fn default_of(&self, key: &str) -> String {
        match self.prop(key) {
            Some(Prop {
                default_fn: Some(f),
                ..
            }) => f(),
            Some(p) => p.default.to_string(),
            None => String::new(),
        }
    }

    /// The effective value: the app's, else the global one, else the
    /// default. For `--global` itself: the global value, else the default.
    pub fn computed(&self, paths: &Paths, app: &str, key: &str) -> String {
        let store = self.store(paths);
        let own = store.get_str(app, key);
        if !own.is_empty() {
            return own;
        }
        let global = if app == GLOBAL {
            String::new()
        } else {
            store.get_str(GLOBAL, key)
        };
        if !global.is_empty() {
            return global;
        }
        self.default_of(key)
    }

    /// Whether the computed value is `true`.
    pub fn enabled(&self, paths: &Paths, app: &str, key: &str) -> bool {
        self.computed(paths, app, key) == "true"
    }

    fn flag(&self, middle: &str, key: &str) -> String {
        format!("--{}-{middle}{key}", self.report.prefix)
    }

    /// The declared rows of one app's report.
    pub fn app_rows(&self, paths: &Paths, app: &str) -> Rows {
        self.rows(paths, app, [Keys::RAW, Keys::GLOBAL, Keys::COMPUTED])
    }

    /// The declared rows of the `--global` report.
    pub fn global_rows(&self, paths: &Paths) -> Rows {
        self.rows(
            paths,
            GLOBAL,
            [Keys::NONE, Keys::GLOBAL_REPORT, Keys::COMPUTED_REPORT],
        )
    }

    /// The rows of `app`'s report (`--global` too): per property, its own
    /// value, its global value and its computed value, each when its keys
    /// have the matching one of `[own, global, computed]` (`NONE`: never).
    fn rows(&self, paths: &Paths, app: &str, [own, global, computed]: [Keys; 3]) -> Rows {
        let mut rows = Rows::new();
        for p in self.props {
            if own != Keys::NONE && p.keys.has(own) {
                rows.push((self.flag("", p.key), self.raw(paths, app, p.key)));
            }
            if p.keys.has(global) {
                rows.push((self.flag("global-", p.key), self.raw(paths, GLOBAL, p.key)));
            }
            if p.keys.has(computed) {
                rows.push((
                    self.flag("computed-", p.key),
                    self.computed(paths, app, p.key),
                ));
            }
        }
        rows
    }
}

/// Value checks many plugins share, worded as Dokku words them.
pub mod check {
    use crate::error::{Error, Result};

    /// `true` or `false`.
    pub fn true_or_false(key: &str, value: &str) -> Result<()> {
        match value {
            "true" | "false" => Ok(()),
            _ => Err(Error::fail(format!(
                "Invalid value for {key}, must be true or false"
            ))),
        }
    }

    /// A whole number, zero included.
    pub fn non_negative(key: &str, value: &str) -> Result<()> {
        match value.parse::<u64>() {
            Ok(_) => Ok(()),
            Err(_) => Err(Error::fail(format!(
                "Invalid value for {key}, must be a non-negative integer"
            ))),
        }
    }

    /// A whole number above zero.
    pub fn positive(key: &str, value: &str) -> Result<()> {
        match value.parse::<u64>() {
            Ok(n) if n > 0 => Ok(()),
            _ => Err(Error::fail(format!(
                "Invalid value for {key}, must be a positive integer"
            ))),
        }
    }

    /// A TCP port, 1 to 65535.
    pub fn port(key: &str, value: &str) -> Result<()> {
        match value.parse::<u16>() {
            Ok(p) if p > 0 => Ok(()),
            _ => Err(Error::fail(format!(
                "Invalid value for {key}, must be a port number"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(key: &str, value: &str) -> Result<()> {
        value.parse::<u32>().map(|_| ()).map_err(|_| {
            crate::Error::fail(format!(
                "Invalid value for {key}, must be a non-negative integer"
            ))
        })
    }

    const SCHEMA: Schema = Schema {
        store: "checks",
        command: "checks",
        report: ReportSpec {
            title: "checks",
            prefix: "checks",
            legacy_json_keys: false,
        },
        wording: Wording::GO,
        props: &[
            Prop::both("wait-to-retire", "60").check(numeric),
            Prop::app("skipped"),
            Prop::global("default-wait", "").hidden(),
        ],
    };

    #[test]
    fn computed_falls_back_app_global_default() {
        let (_d, paths) = crate::Paths::temp();
        assert_eq!(SCHEMA.computed(&paths, "web", "wait-to-retire"), "60");
        SCHEMA
            .store(&paths)
            .write(GLOBAL, "wait-to-retire", "30")
            .expect("write");
        assert_eq!(SCHEMA.computed(&paths, "web", "wait-to-retire"), "30");
        assert_eq!(SCHEMA.computed(&paths, GLOBAL, "wait-to-retire"), "30");
        SCHEMA
            .store(&paths)
            .write("web", "wait-to-retire", "5")
            .expect("write");
        assert_eq!(SCHEMA.computed(&paths, "web", "wait-to-retire"), "5");
        assert_eq!(SCHEMA.computed(&paths, "other", "wait-to-retire"), "30");
    }

    #[test]
    fn rows_follow_the_declared_keys() {
        let (_d, paths) = crate::Paths::temp();
        let keys: Vec<String> = SCHEMA
            .app_rows(&paths, "web")
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(
            keys,
            [
                "--checks-wait-to-retire",
                "--checks-global-wait-to-retire",
                "--checks-computed-wait-to-retire",
                "--checks-skipped"
            ]
        );
        assert_eq!(
            SCHEMA.global_rows(&paths),
            vec![
                ("--checks-global-wait-to-retire".to_string(), String::new()),
                ("--checks-computed-wait-to-retire".to_string(), "60".into()),
            ]
        );
    }
}
