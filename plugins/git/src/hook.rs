//! What runs over ssh for `git push` and `git fetch`: `git-receive-pack`,
//! `git-upload-pack`, and the `git-hook` the pre-receive hook calls.

use std::io::BufRead;
use std::process::Stdio;

use dokku_core::{apps, Error, Result};
use dokku_trigger::deploy::{GitPostPull, GitPrePull};
use dokku_trigger::helpers::ReceiveBranch;
use dokku_trigger::triggers::AppMaybeCreate;
use dokku_trigger::{Ctx, Trigger};

use crate::receive::{self, silent};
use crate::{git, names, props, repo};

const ZERO_SHA: &str = "0000000000000000000000000000000000000000";

fn exit_status(status: std::process::ExitStatus) -> Result<()> {
    if status.success() {
        return Ok(());
    }
    Err(Error::exit(status.code().unwrap_or(1)))
}

/// `git-receive-pack '<app>'`: create the app and its repository on first
/// push, then let git receive the push (its pre-receive hook deploys).
/// Nothing may be printed on stdout: it carries the git protocol.
pub fn receive_pack(ctx: &Ctx, raw_app: &str) -> Result<()> {
    let app = names::unquote_app(raw_app)?;
    if !repo::exists(&ctx.paths, &app) {
        if !apps::exists(&ctx.paths, &app) {
            // Output is suppressed as Dokku does; warnings still reach
            // the client on stderr.
            let (out, cap) = dokku_output::Output::captured(ctx.out.is_quiet());
            let mut quiet_ctx = silent(ctx);
            quiet_ctx.out = out;
            let created = ctx
                .bus
                .notify(&quiet_ctx, &AppMaybeCreate { app: app.clone() });
            ctx.out.write_err(&cap.stderr());
            created?;
            apps::verify(&ctx.paths, &app)?;
        }
        repo::initialize(&ctx.paths, &app)?;
    }
    serve(ctx, "receive-pack", &app)
}

/// `git-upload-pack '<app>'`: serve a fetch or clone of the app's repo.
pub fn upload_pack(ctx: &Ctx, raw_app: &str) -> Result<()> {
    let app = names::unquote_app(raw_app)?;
    apps::verify(&ctx.paths, &app)?;
    ctx.bus.notify(ctx, &GitPrePull { app: app.clone() })?;
    serve(ctx, "upload-pack", &app)?;
    ctx.bus.notify(ctx, &GitPostPull { app })
}

/// `git-upload-archive '<app>'`: serve `git archive --remote`.
pub fn upload_archive(ctx: &Ctx, raw_app: &str) -> Result<()> {
    let app = names::unquote_app(raw_app)?;
    apps::verify(&ctx.paths, &app)?;
    serve(ctx, "upload-archive", &app)
}

/// Run `git <service>` against the app's repository, talking to the
/// client on this process's standard streams; fails with its exit code.
fn serve(ctx: &Ctx, service: &str, app: &str) -> Result<()> {
    let status = git::command()
        .arg(service)
        .arg(repo::path(&ctx.paths, app))
        .status()
        .map_err(|e| Error::other(format!("run git {service}"), e))?;
    exit_status(status)
}

/// One line the pre-receive hook reads: `<old> <new> <ref>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedRef {
    /// The sha before the push (zeros for a new ref).
    pub old: String,
    /// The sha after the push (zeros for a deletion).
    pub new: String,
    /// The full ref name.
    pub refname: String,
}

/// Parse the hook's input; malformed lines are skipped.
pub fn parse_refs(input: &str) -> Vec<PushedRef> {
    input
        .lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            let (old, new, refname) = (it.next()?, it.next()?, it.next()?);
            Some(PushedRef {
                old: old.into(),
                new: new.into(),
                refname: refname.into(),
            })
        })
        .collect()
}

/// On an app's first push, when no deploy branch is configured, the
/// pushed branch becomes the deploy branch (the default branch wins when
/// it is among the pushed ones).
fn first_push_branch(ctx: &Ctx, app: &str, refs: &[PushedRef]) -> Result<()> {
    let configured = !props::SCHEMA
        .raw(&ctx.paths, app, "deploy-branch")
        .is_empty()
        || !props::SCHEMA
            .raw(&ctx.paths, dokku_core::property::GLOBAL, "deploy-branch")
            .is_empty();
    if configured || !repo::branches(&ctx.paths, app).is_empty() {
        return Ok(());
    }
    let pushed: Vec<&str> = refs
        .iter()
        .filter(|r| r.new != ZERO_SHA)
        .filter_map(|r| r.refname.strip_prefix("refs/heads/"))
        .filter(|b| names::is_valid_branch(b))
        .collect();
    let branch = match pushed
        .iter()
        .find(|b| **b == props::DEFAULT_BRANCH)
        .or_else(|| pushed.first())
    {
        Some(b) => b.to_string(),
        None => return Ok(()),
    };
    props::write(&ctx.paths, app, "deploy-branch", &branch)?;
    repo::set_head(&ctx.paths, app, &branch)
}

/// `git-hook <app>`: read the pushed refs from stdin and deploy when the
/// deploy branch is among them.
pub fn hook(ctx: &Ctx, app: &str, input: &mut dyn BufRead) -> Result<()> {
    apps::validate_name(app)?;
    let mut text = String::new();
    input
        .read_to_string(&mut text)
        .map_err(|e| Error::other("read pushed refs", e))?;
    let refs = parse_refs(&text);
    first_push_branch(ctx, app, &refs)?;
    let branch = props::deploy_branch(&ctx.paths, app);
    if !names::is_valid_branch(&branch) {
        ctx.out.warn(&format!(
            "Invalid branch name '{branch}' specified via deploy-branch setting."
        ));
        ctx.out
            .warn("For more details, please see the man page for 'git-check-ref-format.'");
        return Ok(());
    }
    let deploy_ref = format!("refs/heads/{branch}");
    for r in refs {
        if r.refname == deploy_ref {
            if r.new == ZERO_SHA {
                continue;
            }
            props::delete(&ctx.paths, app, "source-image")?;
            receive::receive(ctx, app, Some(&r.new), None)?;
        } else if ctx.bus.has_subscribers(ctx, ReceiveBranch::NAME) {
            // A plugin that handles other branches takes over the warning.
            ctx.bus.notify(
                ctx,
                &ReceiveBranch {
                    app: app.to_string(),
                    rev: r.new.clone(),
                    refname: r.refname.clone(),
                },
            )?;
        } else {
            let short = r.refname.strip_prefix("refs/heads/").unwrap_or(&r.refname);
            ctx.out.info1(&format!(
                "WARNING: deploy did not complete, you must push to {branch}."
            ));
            ctx.out.info1(&format!(
                "for example, try 'git push <dokku> {short}:{branch}'"
            ));
        }
    }
    Ok(())
}

/// Run a git command for the app's repository with inherited stdio
/// (`git:status`).
pub fn git_passthrough(ctx: &Ctx, app: &str, args: &[&str]) -> Result<()> {
    let status = git::in_dir(&repo::path(&ctx.paths, app))
        .args(args)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| Error::other("run git", e))?;
    exit_status(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hook_input_lines() {
        let refs = parse_refs(
            "0000000000000000000000000000000000000000 abc refs/heads/main\nbad\n1 2 refs/tags/v1\n",
        );
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[0].refname, "refs/heads/main");
        assert_eq!((refs[1].old.as_str(), refs[1].new.as_str()), ("1", "2"));
    }
}
