//! Nginx for swarm apps. Dokku's app template routes each upstream to
//! `<listener ip>:<container port>`; a swarm task answers on its node's
//! address and the host-mode port the engine chose for it, so swarm apps
//! get the same template with each upstream server at the listener's own
//! address and port (answered through `nginx-app-template-source`).

use dokku_core::{fsutil, Result};
use dokku_trigger::deploy::scheduler_of;
use dokku_trigger::Ctx;

/// Dokku's built-in app template, the one nginx-vhosts renders.
const DOKKU_TEMPLATE: &str = include_str!("../../nginx-vhosts/templates/nginx.conf.sigil");

const PER_PORT: &str = "  server {{ $listener_ip }}:{{ $upstream_port }};";
const PER_LISTENER: &str = "  server {{ $listeners }};";

/// The swarm variant of the template.
pub fn template() -> String {
    DOKKU_TEMPLATE.replace(PER_PORT, PER_LISTENER)
}

/// The template path for a swarm app's `app-config`, written on demand;
/// empty for other apps and template types.
pub fn template_source(ctx: &Ctx, app: &str, template_type: &str) -> Result<String> {
    if template_type != "app-config" || scheduler_of(ctx, app)? != crate::SCHEDULER {
        return Ok(String::new());
    }
    let dir = ctx.paths.plugin_data_dir(crate::NAME);
    let path = dir.join("nginx.conf.sigil");
    let text = template();
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        fsutil::ensure_dir(&dir)?;
        fsutil::write_atomic(&path, text.as_bytes(), 0o644)?;
    }
    Ok(path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_servers_are_the_listeners_themselves() {
        assert!(DOKKU_TEMPLATE.contains(PER_PORT));
        let t = template();
        assert!(!t.contains(PER_PORT));
        assert!(t.contains(PER_LISTENER));
    }
}
