//! `plugin:list` and `plugn list`: every plugin found in
//! `PLUGIN_AVAILABLE_PATH`, enabled or not, sorted by name, as plugn's
//! aligned text or as JSON.

use std::fs;

use dokku_core::report::Format;
use dokku_core::{Error, Paths, Result};
use dokku_trigger::external;
use dokku_trigger::Ctx;
use serde::Serialize;

use crate::{git, manage, name};

/// The first line of `plugin:list`: plugn's version line as Dokku ships it.
pub const PLUGN_VERSION_LINE: &str = "plugn: dev";

/// One installed plugin, with the fields of `plugin:list --format json` in
/// Dokku's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PluginInfo {
    /// Directory name.
    pub name: String,
    /// `plugin.toml` version.
    pub version: String,
    /// Whether it is enabled.
    pub enabled: bool,
    /// Whether it is a core plugin.
    pub core: bool,
    /// `plugin.toml` description.
    pub description: String,
    /// Origin URL of a git-backed plugin.
    pub source_url: String,
    /// Checked-out commit of a git-backed plugin.
    pub committish: String,
    /// Followed branch of a git-backed plugin; empty when pinned.
    pub branch: String,
}

/// Every plugin in `PLUGIN_AVAILABLE_PATH`, sorted by name.
pub fn collect(paths: &Paths) -> Vec<PluginInfo> {
    let mut names: Vec<String> = match fs::read_dir(&paths.plugin_available) {
        Ok(rd) => rd
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| name::is_valid(n))
            .filter(|n| manage::available(paths, n).is_dir())
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let dir = manage::available(paths, &n);
            let meta = external::read_meta(&dir);
            let core = manage::is_core(paths, &n);
            let origin = if core { None } else { git::origin(&dir) }.unwrap_or_default();
            PluginInfo {
                enabled: manage::is_enabled(paths, &n),
                core,
                version: meta.version,
                description: meta.description,
                source_url: origin.source_url,
                committish: origin.committish,
                branch: origin.branch,
                name: n,
            }
        })
        .collect()
}

/// One plugn list line: two spaces, the name padded to 20, the version, the
/// state padded to 10, the description.
pub fn text_line(p: &PluginInfo) -> String {
    let state = if p.enabled { "enabled" } else { "disabled" };
    format!(
        "  {:<20} {} {:<10} {}",
        p.name, p.version, state, p.description
    )
}

/// The list as plugn prints it, one line per plugin.
pub fn render_text(plugins: &[PluginInfo]) -> String {
    plugins.iter().map(|p| text_line(p) + "\n").collect()
}

/// The list as a JSON array, indented as Dokku prints it.
pub fn render_json(plugins: &[PluginInfo]) -> Result<String> {
    serde_json::to_string_pretty(plugins).map_err(|e| Error::other("render plugin list", e))
}

/// Parse `plugin:list`'s `--format`; absent means stdout.
pub fn parse_format(v: Option<&str>) -> Result<Format> {
    Format::named(v).ok_or_else(|| {
        Error::fail("Invalid output format specified, supported formats: json, stdout")
    })
}

/// `plugin:list [--format stdout|json]`.
pub fn list(ctx: &Ctx, format: Format) -> Result<()> {
    let plugins = collect(&ctx.paths);
    match format {
        Format::Stdout => {
            ctx.out.line(PLUGN_VERSION_LINE);
            ctx.out.write_out(&render_text(&plugins));
        }
        Format::Json => ctx.out.line(&render_json(&plugins)?),
    }
    Ok(())
}

/// `plugn list`: the plugin lines without the version line.
pub fn print_plugn_list(ctx: &Ctx) -> Result<()> {
    ctx.out.write_out(&render_text(&collect(&ctx.paths)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(name: &str, version: &str, enabled: bool, description: &str) -> PluginInfo {
        PluginInfo {
            name: name.into(),
            version: version.into(),
            enabled,
            description: description.into(),
            ..Default::default()
        }
    }

    #[test]
    fn text_layout_matches_plugn() {
        let s = render_text(&[
            info(
                "00_dokku-standard",
                "0.38.27",
                true,
                "dokku core standard plugin",
            ),
            info(
                "scheduler-docker-local",
                "0.38.27",
                true,
                "dokku core scheduler-docker-local plugin",
            ),
            info("hello", "0.1.0", false, "dokku hello plugin"),
        ]);
        insta::assert_snapshot!(s, @r"
          00_dokku-standard    0.38.27 enabled    dokku core standard plugin
          scheduler-docker-local 0.38.27 enabled    dokku core scheduler-docker-local plugin
          hello                0.1.0 disabled   dokku hello plugin
        ");
    }

    #[test]
    fn json_fields_in_dokku_order() {
        let mut p = info("apps", "0.38.27", true, "dokku core apps plugin");
        p.core = true;
        insta::assert_snapshot!(render_json(&[p]).expect("json"), @r#"
        [
          {
            "name": "apps",
            "version": "0.38.27",
            "enabled": true,
            "core": true,
            "description": "dokku core apps plugin",
            "source_url": "",
            "committish": "",
            "branch": ""
          }
        ]
        "#);
        assert_eq!(render_json(&[]).expect("json"), "[]");
    }

    #[test]
    fn formats() {
        assert_eq!(parse_format(None).expect("none"), Format::Stdout);
        assert_eq!(parse_format(Some("json")).expect("json"), Format::Json);
        assert_eq!(
            parse_format(Some("yaml")).expect_err("yaml").to_string(),
            "Invalid output format specified, supported formats: json, stdout"
        );
    }
}
