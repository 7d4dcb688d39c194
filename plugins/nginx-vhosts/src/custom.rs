//! An app's own `nginx.conf.sigil`: taken from the source tree of each
//! deploy (at `nginx-conf-sigil-path`, relative to the source root) and
//! checked before the build starts, so a template that does not render or
//! does not pass `nginx -t` stops the deploy instead of the proxy.

use std::path::{Component, Path};

use dokku_core::{fsutil, Error, Result};
use dokku_trigger::Ctx;

use crate::build::{self, custom_template_path};
use crate::props::Props;
use crate::template;

/// The listener pre-validation uses for an app that runs no web process.
pub const PLACEHOLDER_LISTENER: &str = "127.0.0.1:5000";

/// The template path inside the source tree; never absolute, never above
/// the tree.
pub fn relative_path(value: &str) -> Option<&Path> {
    let p = Path::new(value.trim_start_matches('/'));
    let ok = !value.trim().is_empty()
        && p.components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    ok.then_some(p)
}

/// Check a template as a deploy would use it: render, then `nginx -t` in
/// the validation wrapper.
pub fn prevalidate(ctx: &Ctx, app: &str, text: &str) -> Result<()> {
    let srv = build::server(ctx);
    if !srv.bin.is_file() {
        return Ok(());
    }
    let mut inputs = build::gather(ctx, &srv, app, ("", ""))?;
    for key in ["DOKKU_APP_WEB_LISTENERS", "DOKKU_APP_LISTENERS"] {
        if inputs.vars.get(key).is_none_or(|v| v.is_empty()) {
            inputs
                .vars
                .insert(key.to_string(), PLACEHOLDER_LISTENER.to_string());
        }
    }
    let rendered = match template::render(text, &inputs.vars, &inputs.env) {
        Ok(r) => r,
        Err(e) => {
            ctx.out
                .warn("Failed to render custom nginx.conf.sigil. Contents below...");
            ctx.out.write_out(text);
            ctx.out.write_err(&format!("{e}\n"));
            return Err(Error::fail(
                "Custom nginx.conf.sigil failed to render via sigil",
            ));
        }
    };
    let check = build::validate_standalone(ctx, &srv, app, &rendered)?;
    if !check.ok {
        ctx.out
            .warn("Failed to validate custom nginx.conf.sigil. Rendered output below...");
        ctx.out.write_out(&rendered);
        for line in check.stderr.lines().filter(|l| !l.trim().is_empty()) {
            ctx.out.write_err(&format!("{line}\n"));
        }
        return Err(Error::fail(
            "Custom nginx.conf.sigil failed nginx -t validation",
        ));
    }
    Ok(())
}

/// Take the app's template from an extracted source tree (or forget the
/// previous one when the tree has none).
pub fn extract(ctx: &Ctx, app: &str, work_dir: &Path) -> Result<()> {
    let srv = build::server(ctx);
    let props = Props::new(&ctx.paths, &srv.log_root);
    let stored = custom_template_path(ctx, app);
    let (is_nginx, _) = build::nginx_enabled(ctx, app);
    if props.computed(app, "disable-custom-config") == "true" {
        return fsutil::remove_file(&stored);
    }
    let Some(rel) =
        relative_path(&props.computed(app, "nginx-conf-sigil-path")).map(Path::to_path_buf)
    else {
        return fsutil::remove_file(&stored);
    };
    let src = work_dir.join(rel);
    let text = match std::fs::read_to_string(&src) {
        Ok(t) if src.is_file() => t,
        _ => return fsutil::remove_file(&stored),
    };
    if is_nginx {
        prevalidate(ctx, app, &text)?;
    }
    fsutil::write_atomic(&stored, text.as_bytes(), 0o644)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_paths_stay_inside_the_tree() {
        assert_eq!(
            relative_path("nginx.conf.sigil"),
            Some(Path::new("nginx.conf.sigil"))
        );
        assert_eq!(
            relative_path(".dokku/nginx.conf.sigil"),
            Some(Path::new(".dokku/nginx.conf.sigil"))
        );
        assert_eq!(relative_path("/etc/passwd"), Some(Path::new("etc/passwd")));
        assert_eq!(relative_path("../x"), None);
        assert_eq!(relative_path("a/../../x"), None);
        assert_eq!(relative_path(""), None);
    }
}
