//! One module per `cron` command (`:report` and `:set` come from the
//! report framework).

pub mod list;
pub mod run;
pub mod suspend;

use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

/// Positional words and `--flag value` / `--flag=value` options of a
/// command whose flags may come anywhere.
pub(crate) struct Words {
    pub positional: Vec<String>,
    pub flags: Vec<(String, Option<String>)>,
}

/// Split argv; `valued` flags take the next word as their value.
pub(crate) fn split(argv: &[String], valued: &[&str]) -> Words {
    let mut w = Words {
        positional: Vec::new(),
        flags: Vec::new(),
    };
    let mut i = 0;
    while i < argv.len() {
        let a = &argv[i];
        if a.starts_with("--") && a.len() > 2 && a != "--global" {
            if let Some((k, v)) = a.split_once('=') {
                w.flags.push((k.to_string(), Some(v.to_string())));
            } else if valued.contains(&a.as_str()) {
                w.flags.push((a.clone(), argv.get(i + 1).cloned()));
                i += 1;
            } else {
                w.flags.push((a.clone(), None));
            }
        } else {
            w.positional.push(a.clone());
        }
        i += 1;
    }
    w
}

impl Words {
    /// The value of a flag, if given.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_deref().unwrap_or_default())
    }

    /// Whether a flag was given.
    pub fn has(&self, name: &str) -> bool {
        self.flags.iter().any(|(k, _)| k == name)
    }
}

/// The app (which must exist) and the cron id of `<app> <cron_id>`.
pub(crate) fn app_and_id(ctx: &Ctx, words: &Words) -> Result<(String, String)> {
    let app = words.positional.first().cloned().unwrap_or_default();
    if app.is_empty() {
        return Err(Error::fail("Please specify an app to run the command on"));
    }
    apps::verify(&ctx.paths, &app)?;
    let id = words.positional.get(1).cloned().unwrap_or_default();
    if id.is_empty() {
        return Err(Error::fail("Please specify a Cron ID"));
    }
    Ok((app, id))
}
