//! The `plugin:*` commands, one module each; each turns its arguments into a
//! call of the operation that does the work.

pub mod disable;
pub mod enable;
pub mod install;
pub mod install_dependencies;
pub mod installed;
pub mod list;
pub mod trigger;
pub mod uninstall;
pub mod update;

use dokku_trigger::Command;

/// Every command, in help order.
pub static COMMANDS: &[Command] = &[
    disable::COMMAND,
    enable::COMMAND,
    install::COMMAND,
    installed::COMMAND,
    install_dependencies::COMMAND,
    list::COMMAND,
    trigger::COMMAND,
    uninstall::COMMAND,
    update::COMMAND,
];
