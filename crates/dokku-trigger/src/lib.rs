//! The typed trigger bus, the command context, and the descriptor every core
//! plugin hands to the CLI.
//!
//! Core plugins subscribe in process to typed triggers; external (bash)
//! plugins answer the same triggers as executables named after them in
//! `$PLUGIN_ENABLED_PATH/<plugin>/`, called with Dokku's argument order.
//! The dispatch kind is explicit per trigger: notify everyone, collect a
//! value from everyone, or select the one configured plugin.

pub mod appjson;
pub mod builds;
pub mod bus;
pub mod cleanup;
pub mod context;
pub mod credentials;
pub mod cron;
pub mod deploy;
pub mod enter;
pub mod events;
pub mod external;
pub mod helpers;
pub mod logs;
pub mod migrate;
pub mod pack;
pub mod plugin;
pub mod proxy;
pub mod release;
pub mod report;
pub mod run_list;
pub mod terminal;
pub mod triggers;

pub use bus::{
    Bus, CollectTrigger, Dispatch, NotifyTrigger, SelectTrigger, Trigger, TriggerOutput,
};
pub use context::{Ctx, Flags};
pub use plugin::{Bare, Command, CorePlugin, HelpStyle};
pub use report::ReportDef;
