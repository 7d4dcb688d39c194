//! `enter` for every scheduler: choosing the container of an app to run a
//! command in, from the arguments after the app (a process type, a dyno
//! `web.2`, or `--container-id <prefix>`), with Dokku's warnings and
//! failures.

use dokku_core::{Error, Result};

use crate::Ctx;

/// The shell entered when no command is given.
pub const DEFAULT_SHELL: &str = "/bin/bash";

/// Which container and what to run in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The container id.
    pub container_id: String,
    /// The command after the selector, possibly empty.
    pub cmd: Vec<String>,
}

/// The process types with a recorded container, sorted.
fn types(records: &[(String, String)]) -> Vec<String> {
    let mut v: Vec<String> = records
        .iter()
        .map(|(d, _)| d.rsplit_once('.').map(|(p, _)| p).unwrap_or(d).to_string())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Choose the container from the arguments after the app, with Dokku's
/// warnings and failures. `records` are `(dyno, container id)` pairs.
pub fn select(
    ctx: &Ctx,
    app: &str,
    records: &[(String, String)],
    args: &[String],
) -> Result<Target> {
    if records.is_empty() {
        return Err(Error::fail("No containers found for app"));
    }
    let available = types(records);
    let kind = match args.first() {
        Some(k) if !k.is_empty() => k.clone(),
        _ if available.len() == 1 => available[0].clone(),
        _ => {
            ctx.out.warn("No container type specified.");
            return Err(Error::fail(format!(
                "Available types for app ({app}): {}",
                available.join(" ")
            )));
        }
    };
    if kind == "--container-id" {
        let ids: Vec<&str> = records.iter().map(|(_, id)| id.as_str()).collect();
        let wanted = args.get(1).map(String::as_str).unwrap_or("");
        let found = ids
            .iter()
            .find(|id| !wanted.is_empty() && id.starts_with(wanted));
        let Some(id) = found else {
            ctx.out
                .warn(&format!("Invalid container id for app: {wanted}"));
            return Err(Error::fail(format!(
                "Available ids for app ({app}): {}",
                ids.join(" ")
            )));
        };
        return Ok(Target {
            container_id: id.to_string(),
            cmd: args.get(2..).unwrap_or_default().to_vec(),
        });
    }
    let mut matching: Vec<(u32, &str)> = records
        .iter()
        .filter_map(|(dyno, id)| {
            let (p, i) = dyno.rsplit_once('.')?;
            let index = i.parse::<u32>().ok()?;
            (p == kind || *dyno == kind).then_some((index, id.as_str()))
        })
        .collect();
    matching.sort();
    let Some((_, id)) = matching.first() else {
        ctx.out
            .warn(&format!("No containers found for type '{kind}'"));
        return Err(Error::fail(format!(
            "Available types for app ({app}): {}",
            available.join(" ")
        )));
    };
    Ok(Target {
        container_id: id.to_string(),
        cmd: args.get(1..).unwrap_or_default().to_vec(),
    })
}

/// The command to run in a container of `image`: the one given or the
/// default shell, through herokuish's `/exec` (which sets up the app's
/// environment) when the image was built by herokuish.
pub fn command_for(ctx: &Ctx, image: &str, mut cmd: Vec<String>) -> Vec<String> {
    if cmd.is_empty() {
        cmd.push(DEFAULT_SHELL.to_string());
    }
    let builder = ctx
        .engine()
        .ok()
        .and_then(|e| e.image_inspect(image).ok())
        .and_then(|i| i.labels.get(crate::release::BUILDER_LABEL).cloned());
    if builder.as_deref() == Some("herokuish") {
        cmd.insert(0, "/exec".to_string());
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;
    use dokku_output::Output;
    use std::sync::Arc;

    fn check(records: &[(&str, &str)], args: &[&str], expected: &str) {
        let d = tempfile::tempdir().expect("tempdir");
        let paths = dokku_core::Paths::for_roots(&d.path().join("h"), &d.path().join("l"));
        let (out, cap) = Output::captured(false);
        let ctx = Ctx::new(paths, out, Default::default(), Arc::new(crate::Bus::new()));
        let records: Vec<(String, String)> = records
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let got = match select(&ctx, "app", &records, &args) {
            Ok(t) => format!("{} {:?}", t.container_id, t.cmd),
            Err(e) => format!("{}error: {e}", cap.stderr()),
        };
        assert_eq!(got, expected);
    }

    #[test]
    fn selection_follows_dokku() {
        let two = [("web.1", "aaa"), ("web.2", "bbb"), ("worker.1", "ccc")];
        check(&two, &["web"], "aaa []");
        check(&two, &["web.2", "ls", "-l"], "bbb [\"ls\", \"-l\"]");
        check(&two, &["worker", "echo"], "ccc [\"echo\"]");
        check(&[("web.1", "aaa")], &[], "aaa []");
        check(&two, &["--container-id", "bb", "id"], "bbb [\"id\"]");
        check(
            &two,
            &[],
            " !     No container type specified.\nerror: Available types for app (app): web worker",
        );
        check(
            &two,
            &["echo", "hi"],
            " !     No containers found for type 'echo'\nerror: Available types for app (app): web worker",
        );
        check(
            &two,
            &["--container-id", "zz"],
            " !     Invalid container id for app: zz\nerror: Available ids for app (app): aaa bbb ccc",
        );
        check(&[], &["web"], "error: No containers found for app");
    }
}
