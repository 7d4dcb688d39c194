//! Who runs a command. Started by root, Dokku runs commands as its system
//! user, except the few that need root (`plugin:*` but `plugin:list` and
//! `plugin:help`, `ssh-keys:add` and `ssh-keys:remove`); those refuse to run
//! for anyone but root.

use std::ffi::CString;

use dokku_core::{Error, Result};
use nix::unistd::{Gid, Uid, User};

/// Whether the command must run as root.
pub fn needs_root(command: &str) -> bool {
    (command.starts_with("plugin:") && command != "plugin:list" && command != "plugin:help")
        || command == "ssh-keys:add"
        || command == "ssh-keys:remove"
}

/// Settle the user a command runs as: root drops to the system user for
/// ordinary commands; root-only commands fail for everyone else.
pub fn settle(command: &str, system_user: &str) -> Result<()> {
    let euid = Uid::effective();
    if needs_root(command) {
        if !euid.is_root() {
            return Err(Error::fail("This command must be run as root"));
        }
        return Ok(());
    }
    if !euid.is_root() || system_user == "root" {
        return Ok(());
    }
    let Some(user) = User::from_name(system_user).ok().flatten() else {
        return Ok(());
    };
    if user.uid.is_root() {
        return Ok(());
    }
    if std::env::var_os("SSH_USER").is_none() {
        std::env::set_var("SSH_USER", "root");
    }
    drop_to(&user)
}

fn drop_to(user: &User) -> Result<()> {
    let name = CString::new(user.name.clone()).map_err(|e| Error::other("switch user", e))?;
    nix::unistd::initgroups(&name, user.gid).map_err(|e| Error::other("initgroups", e))?;
    nix::unistd::setgid(Gid::from_raw(user.gid.as_raw())).map_err(|e| Error::other("setgid", e))?;
    nix::unistd::setuid(user.uid).map_err(|e| Error::other("setuid", e))?;
    std::env::set_var("HOME", &user.dir);
    std::env::set_var("USER", &user.name);
    std::env::set_var("LOGNAME", &user.name);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_only_commands() {
        for (command, root) in [
            ("plugin:install", true),
            ("plugin:trigger", true),
            ("plugin:list", false),
            ("plugin:help", false),
            ("ssh-keys:add", true),
            ("ssh-keys:list", false),
            ("apps:list", false),
        ] {
            assert_eq!(needs_root(command), root, "{command}");
        }
    }
}
