//! Install-time drain of the pre-0.38 `DOCKER_OPTIONS_<PHASE>` files of
//! each app (`$DOKKU_ROOT/<app>/DOCKER_OPTIONS_BUILD`, ...) into the
//! `_default_.<phase>` properties. A global sentinel keeps it to one run;
//! per-app `migrated-<phase>` markers record which files held options. The
//! old files are left where they are.

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::{apps, fsutil, Paths, Result};

use crate::store::{self, PLUGIN};
use crate::words;

/// Drain the legacy files of every app, once.
pub fn from_files(paths: &Paths) -> Result<()> {
    let props = Properties::new(paths, PLUGIN);
    if props.get_str(GLOBAL, "migrated-from-files") == "true" {
        return Ok(());
    }
    for app in apps::list(paths) {
        app_files(paths, &app)?;
    }
    props.write(GLOBAL, "migrated-from-files", "true")
}

/// Drain one app's legacy files.
pub fn app_files(paths: &Paths, app: &str) -> Result<()> {
    let props = Properties::new(paths, PLUGIN);
    let _lock = dokku_core::lock::StateLock::acquire(paths, app)?;
    for phase in store::PHASES {
        let marker = format!("migrated-{phase}");
        if props.exists(app, &marker) {
            continue;
        }
        let file = paths
            .app_dir(app)
            .join(format!("DOCKER_OPTIONS_{}", phase.to_uppercase()));
        let Some(text) = fsutil::read_optional(&file)? else {
            continue;
        };
        let mut list = store::get(paths, app, None, phase)?;
        let mut any = false;
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let options = words::parse_options(line).unwrap_or_else(|_| vec![line.to_string()]);
            for o in options {
                any = true;
                if !list.contains(&o) {
                    list.push(o);
                }
            }
        }
        if any {
            store::put(paths, app, None, phase, &list)?;
            props.write(app, &marker, "true")?;
        }
    }
    Ok(())
}
