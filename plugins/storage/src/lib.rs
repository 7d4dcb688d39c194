//! The storage plugin: named storage entries (a host directory or docker
//! volume, registered once per host), their attachments to apps, and the
//! legacy `host:container` mounts, which resolve to entries too.
//!
//! Containers receive the mounts through the typed `docker-args-process-*`
//! triggers ([`mounts::volume_mounts`]); root-only work on storage
//! directories goes through [`helpers`].

pub mod attach;
pub mod attachment;
pub mod chown;
pub mod commands;
pub mod entries;
pub mod entry;
pub mod exec;
pub mod helpers;
pub mod listing;
pub mod migrate;
pub mod mounts;
pub mod name;
pub mod report;
pub mod spec;

use dokku_trigger::plugin::{Command, RunFn};
use dokku_trigger::triggers::{
    ContainerArgs, DockerArgsProcessBuild, DockerArgsProcessDeploy, DockerArgsProcessRun,
    PostDelete, StorageAppMounts, StorageList,
};
use dokku_trigger::{Bus, CorePlugin, Ctx};

use attachment::PLUGIN as NAME;
use commands as c;

const fn cmd(name: &'static str, takes_app: bool, run: RunFn) -> Command {
    Command {
        name,
        takes_app,
        run,
    }
}

/// The commands.
const COMMANDS: &[Command] = &[
    cmd(
        "storage:annotations:report",
        false,
        c::annotations_report::run,
    ),
    cmd("storage:annotations:set", false, c::annotations_set::run),
    cmd("storage:create", false, c::create::run),
    cmd("storage:destroy", false, c::destroy::run),
    cmd("storage:ensure-directory", false, c::ensure_directory::run),
    cmd("storage:exec", false, c::exec::run),
    cmd("storage:info", false, c::info::run),
    cmd("storage:labels:report", false, c::labels_report::run),
    cmd("storage:labels:set", false, c::labels_set::run),
    cmd("storage:list", true, c::list::run),
    cmd("storage:list-entries", false, c::list_entries::run),
    cmd("storage:mount", true, c::mount::run),
    cmd("storage:report", true, c::report::run),
    cmd("storage:set", false, c::set::run),
    cmd("storage:unmount", true, c::unmount::run),
    cmd("storage:wait", false, c::wait::run),
    cmd("storage:migrate", true, c::migrate::run),
];

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: NAME,
    description: "dokku core storage plugin",
    summary: "Manage mounted volumes",
    commands: COMMANDS,
    help: &[
        "storage:annotations:report [<name>] [<flag>], Displays annotations for one or more storage entries",
        "storage:annotations:set <name> <key> [<value>], Set or clear an annotation on a storage entry",
        "storage:create <name> [<path>] [flags], Register a named storage entry",
        "storage:destroy <name> [--force] [--destroy-host-dir], Remove a named storage entry (must be unmounted from every app first)",
        "storage:ensure-directory [--chown option] <directory>, [DEPRECATED] use storage:create instead",
        "storage:exec <name> [-- <cmd>...], Run a command (or shell) in a temporary container that mounts the entry",
        "storage:info <name> [--format text|json], Show details for one storage entry",
        "storage:labels:report [<name>] [<flag>], Displays labels for one or more storage entries",
        "storage:labels:set <name> <key> [<value>], Set or clear a label on a storage entry",
        "storage:list <app> [--format text|json], List bind mounts for app's container(s) (host:container)",
        "storage:list-entries [--scheduler s] [--format text|json], List registered storage entries",
        "storage:migrate [<app>|--all], Re-run the legacy -v to attachment migration for an app",
        "storage:mount <app> <host-dir:container-dir>, Create a new bind mount",
        "storage:report [<app>] [<flag>], Displays a storage report for one or more apps",
        "storage:set <name> <property> [<value>], Update a storage entry in place",
        "storage:unmount <app> <host-dir:container-dir>, Remove an existing bind mount",
        "storage:wait <name>, Wait for a storage entry's PVC to be bound (k3s)",
    ],
    register,
    ..CorePlugin::DEFAULTS
};

fn args_for(ctx: &Ctx, app: &str, phase: &str, process: &str) -> dokku_core::Result<ContainerArgs> {
    Ok(ContainerArgs {
        mounts: mounts::volume_mounts(&ctx.paths, &ctx.out, app, phase, process)?,
        options: Vec::new(),
    })
}

fn register(bus: &mut Bus) {
    bus.on::<DockerArgsProcessBuild, _>(NAME, |ctx, t: &DockerArgsProcessBuild| {
        args_for(ctx, &t.app, "build", "")
    });
    bus.on::<DockerArgsProcessDeploy, _>(NAME, |ctx, t: &DockerArgsProcessDeploy| {
        args_for(ctx, &t.app, "deploy", &t.proc_type)
    });
    bus.on::<DockerArgsProcessRun, _>(NAME, |ctx, t: &DockerArgsProcessRun| {
        args_for(ctx, &t.app, "run", "")
    });
    bus.on::<StorageAppMounts, _>(NAME, |ctx, t: &StorageAppMounts| {
        mounts::app_mounts_json(&ctx.paths, &ctx.out, &t.app, &t.phase)
    });
    bus.on::<StorageList, _>(NAME, |ctx, t: &StorageList| {
        ctx.out.warn(
            "Deprecated: please use the 'storage-app-mounts' plugn trigger or the storage Go package directly instead of 'storage-list'",
        );
        let items = mounts::list_items(&ctx.paths, &ctx.out, &t.app, Some(&t.phase))?;
        if t.format == "json" {
            return serde_json::to_string(&items).map_err(|e| dokku_core::Error::other("encode storage list", e));
        }
        Ok(items.iter().map(|i| format!("{}:{}", i.host_path, i.container_path)).collect::<Vec<_>>().join("\n"))
    });
    bus.on_install(NAME, migrate::on_install);
    bus.on::<dokku_trigger::helpers::StorageEntryGet, _>(
        NAME,
        |ctx, t: &dokku_trigger::helpers::StorageEntryGet| exec::entry_json(ctx, &t.entry_name),
    );
    bus.on::<PostDelete, _>(NAME, |ctx, t: &PostDelete| {
        match migrate::flag_file(&ctx.paths, &t.app) {
            Ok(f) => dokku_core::fsutil::remove_file(&f),
            Err(_) => Ok(()),
        }
    });
    report::REPORT.register(bus, NAME);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_lists_the_commands() {
        insta::assert_snapshot!(PLUGIN.help_text(), @r"
        Usage: dokku storage[:COMMAND]

        Manage mounted volumes

        Additional commands:
            storage:annotations:report [<name>] [<flag>]               Displays annotations for one or more storage entries
            storage:annotations:set <name> <key> [<value>]             Set or clear an annotation on a storage entry
            storage:create <name> [<path>] [flags]                     Register a named storage entry
            storage:destroy <name> [--force] [--destroy-host-dir]      Remove a named storage entry (must be unmounted from every app first)
            storage:ensure-directory [--chown option] <directory>      [DEPRECATED] use storage:create instead
            storage:exec <name> [-- <cmd>...]                          Run a command (or shell) in a temporary container that mounts the entry
            storage:info <name> [--format text|json]                   Show details for one storage entry
            storage:labels:report [<name>] [<flag>]                    Displays labels for one or more storage entries
            storage:labels:set <name> <key> [<value>]                  Set or clear a label on a storage entry
            storage:list <app> [--format text|json]                    List bind mounts for app's container(s) (host:container)
            storage:list-entries [--scheduler s] [--format text|json]  List registered storage entries
            storage:migrate [<app>|--all]                              Re-run the legacy -v to attachment migration for an app
            storage:mount <app> <host-dir:container-dir>               Create a new bind mount
            storage:report [<app>] [<flag>]                            Displays a storage report for one or more apps
            storage:set <name> <property> [<value>]                    Update a storage entry in place
            storage:unmount <app> <host-dir:container-dir>             Remove an existing bind mount
            storage:wait <name>                                        Wait for a storage entry's PVC to be bound (k3s)
        ");
    }
}
