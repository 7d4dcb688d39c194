//! The certs plugin: an app's TLS certificate and key, kept where Dokku
//! keeps them (`$DOKKU_ROOT/<app>/tls/server.crt` and `server.key`),
//! imported from files or a tarball on stdin, or generated self-signed.
//!
//! Certificates are read and generated with the `openssl` command, run
//! with argument vectors; its output formats are the ones Dokku's reports
//! show.

pub mod archive;
pub mod commands;
pub mod openssl;
pub mod ops;
pub mod store;

use dokku_trigger::helpers::CertsGet;
use dokku_trigger::plugin::HelpStyle;
use dokku_trigger::proxy::{CertsExists, CertsRemove, CertsSet};
use dokku_trigger::triggers::PostAppCloneSetup;
use dokku_trigger::{Bus, Command, CorePlugin};

use commands as c;

/// The plugin descriptor.
pub static PLUGIN: CorePlugin = CorePlugin {
    name: store::PLUGIN,
    description: "dokku core certificate management plugin",
    summary: "Manage SSL (TLS) certs",
    commands: &[
        Command {
            name: "certs:add",
            takes_app: true,
            run: c::add::run,
        },
        Command {
            name: "certs:generate",
            takes_app: true,
            run: c::generate::run,
        },
        Command {
            name: "certs:remove",
            takes_app: true,
            run: c::remove::run,
        },
        Command {
            name: "certs:report",
            takes_app: true,
            run: c::report::run,
        },
        Command {
            name: "certs:show",
            takes_app: true,
            run: c::show::run,
        },
        Command {
            name: "certs:update",
            takes_app: true,
            run: c::add::run,
        },
    ],
    help_style: HelpStyle::Bash,
    help: &[
        "certs:add <app> CRT KEY, Add an ssl endpoint to an app. Can also import from a tarball on stdin",
        "certs:chain CRT [CRT ...], [NOT IMPLEMENTED] Print the ordered and complete chain for the given certificate",
        "certs:generate <app> DOMAIN, Generate a key and certificate signing request (and self-signed certificate)",
        "certs:key <app> CRT KEY [KEY ...], [NOT IMPLEMENTED] Print the correct key for the given certificate",
        "certs:remove <app>, Remove an SSL Endpoint from an app",
        "certs:report [<app>] [<flag>], Displays an ssl report for one or more apps",
        "certs:rollback <app>, [NOT IMPLEMENTED] Rollback an SSL Endpoint for an app",
        "certs:show <app> <crt|key>, Show the server.crt or server.key on stdout",
        "certs:update <app> CRT KEY, Update an SSL Endpoint on an app. Can also import from a tarball on stdin",
    ],
    register,
    ..CorePlugin::DEFAULTS
};

fn register(bus: &mut Bus) {
    let p = store::PLUGIN;
    bus.on::<CertsExists, _>(p, |ctx, t: &CertsExists| {
        Ok(store::exists(&ctx.paths, &t.app))
    });
    bus.on::<CertsSet, _>(p, |ctx, t: &CertsSet| {
        ops::set_from_files(ctx, &t.app, &t.crt_file, &t.key_file)
    });
    bus.on::<CertsRemove, _>(p, |ctx, t: &CertsRemove| ops::remove_endpoint(ctx, &t.app));
    bus.on::<CertsGet, _>(p, |ctx, t: &CertsGet| {
        if !store::exists(&ctx.paths, &t.app) {
            return Ok(String::new());
        }
        Ok(match t.key_type.as_str() {
            "crt" => store::crt(&ctx.paths, &t.app).display().to_string(),
            "key" => store::key(&ctx.paths, &t.app).display().to_string(),
            _ => String::new(),
        })
    });
    bus.on::<PostAppCloneSetup, _>(p, |ctx, t: &PostAppCloneSetup| {
        store::remove(&ctx.paths, &t.new_app)
    });
    commands::report::REPORT.register(bus, p);
}
