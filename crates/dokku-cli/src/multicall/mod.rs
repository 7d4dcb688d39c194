//! The helper programs bash plugins call by path or name, answered by this
//! same binary under another name (a symlink), as `plugn` is: the
//! `common/prop` property store, `common/common` checks,
//! `config/config_sub`, `nginx-vhosts/nginx-property`, `sigil` and
//! `docker-container-healthchecker`.

pub mod common;
pub mod healthchecker;
pub mod nginx_property;
pub mod prop;
pub mod sigil;

use dokku_core::{Error, Result};
use dokku_trigger::Ctx;

/// A helper program the binary answers as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Helper {
    /// `common/prop`.
    Prop,
    /// `common/common`.
    Common,
    /// `config/config_sub`.
    ConfigSub,
    /// `nginx-vhosts/nginx-property`.
    NginxProperty,
    /// `sigil`.
    Sigil,
    /// `docker-container-healthchecker`.
    Healthchecker,
}

impl Helper {
    /// The helper a program name (argv[0]'s file name) stands for.
    pub fn from_prog(prog: &str) -> Option<Helper> {
        Some(match prog {
            "prop" => Helper::Prop,
            "common" => Helper::Common,
            "config_sub" => Helper::ConfigSub,
            "nginx-property" => Helper::NginxProperty,
            "sigil" => Helper::Sigil,
            "docker-container-healthchecker" => Helper::Healthchecker,
            _ => return None,
        })
    }
}

/// The subcommands `config_sub` accepts, each the `config:<name>` command.
const CONFIG_SUBCOMMANDS: &[&str] = &[
    "bundle", "clear", "export", "get", "keys", "show", "set", "unset",
];

/// Run `helper` with `args` (argv without the program name).
pub fn run(ctx: &Ctx, helper: Helper, args: &[String]) -> Result<()> {
    match helper {
        Helper::Prop => prop::run(ctx, args),
        Helper::Common => common::run(ctx, args),
        Helper::NginxProperty => nginx_property::run(ctx, args),
        Helper::Sigil => sigil::run(&ctx.out, args),
        Helper::Healthchecker => healthchecker::run(ctx, args),
        Helper::ConfigSub => {
            let name = args.first().map(String::as_str).unwrap_or("");
            if !CONFIG_SUBCOMMANDS.contains(&name) {
                return Err(Error::fail(format!("Invalid config subcommand: {name}")));
            }
            let mut command = vec![format!("config:{name}")];
            command.extend(args[1..].iter().cloned());
            crate::dispatch::execute(ctx, &command)
        }
    }
}
