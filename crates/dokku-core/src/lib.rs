//! Framework shared by every core plugin: where state lives, how it is written
//! and locked, app names, argument helpers and the report/set frameworks.
//!
//! Nothing here knows about Docker, the trigger bus or the command line.

pub mod apps;
pub mod args;
pub mod deploy_lock;
pub mod error;
pub mod fsutil;
pub mod lock;
pub mod paths;
pub mod property;
pub mod report;
pub mod schema;
pub mod set;
pub mod syslog;
pub mod system;
pub mod tee;
pub mod time;

pub use error::{Error, Result};
pub use paths::Paths;
