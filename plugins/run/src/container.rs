//! Names of one-off containers (`<app>.run.<N>`) and the
//! `<app|--container CONTAINER>` argument of `run:logs` and `run:stop`.

use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

/// The app and container a `run:logs` / `run:stop` call is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// The app.
    pub app: String,
    /// The container name, empty for every one-off container of the app.
    pub container: String,
}

/// Split `<app>.<type>.<n>` into the app and the type.
pub fn split_name(name: &str) -> Option<(&str, &str)> {
    let (head, n) = name.rsplit_once('.')?;
    let (app, kind) = head.rsplit_once('.')?;
    if app.is_empty() || kind.is_empty() || n.is_empty() || !n.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((app, kind))
}

/// Check an app argument and a `--container` value against each other,
/// with Dokku's failures, and verify the app exists.
pub fn select(ctx: &Ctx, app: Option<&str>, container: Option<&str>) -> Result<Selection> {
    let app = app.filter(|a| !a.is_empty());
    let container = container.filter(|c| !c.is_empty());
    let Some(name) = container else {
        let Some(app) = app else {
            return Err(Error::fail("No container or app specified"));
        };
        apps::verify(&ctx.paths, app)?;
        return Ok(Selection {
            app: app.to_string(),
            container: String::new(),
        });
    };
    let Some((owner, kind)) = split_name(name) else {
        return Err(Error::fail(format!(
            "Invalid container name specified: {name}"
        )));
    };
    if app.is_some_and(|a| a != owner) {
        return Err(Error::fail("Specified app does not app in container name"));
    }
    if kind != "run" {
        return Err(Error::fail("Specified container must be a run container"));
    }
    apps::verify(&ctx.paths, owner)?;
    Ok(Selection {
        app: owner.to_string(),
        container: name.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_names() {
        assert_eq!(
            split_name("node-js-app.run.2313"),
            Some(("node-js-app", "run"))
        );
        assert_eq!(split_name("a.b.web.1"), Some(("a.b", "web")));
        assert_eq!(split_name("app.run"), None);
        assert_eq!(split_name("app.run.x1"), None);
        assert_eq!(split_name(".run.1"), None);
    }
}
