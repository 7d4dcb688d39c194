//! `git:from-archive [--archive-type tar|tar.gz|zip] <app> <url|--> [<user> <email>]`.

use dokku_core::{apps, args, Error, Result};
use dokku_trigger::helpers::GitFromArchive;
use dokku_trigger::Ctx;

use crate::archive::ArchiveType;
use crate::directory::{DEFAULT_USER_EMAIL, DEFAULT_USER_NAME};
use crate::fromarchive::ArchiveRequest;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    // A bare `--` is the url meaning stdin, not the end of the flags.
    const STDIN: &str = "\u{0}stdin";
    let argv: Vec<String> = argv
        .iter()
        .map(|a| {
            if a == "--" {
                STDIN.to_string()
            } else {
                a.clone()
            }
        })
        .collect();
    let p = args::parse(&argv, args::Spec::new(&[], &["--archive-type"]))?;
    let kind = ArchiveType::parse(p.value("--archive-type").unwrap_or("tar"))?;
    let app = p
        .arg(0)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| Error::fail(apps::MISSING_APP))?;
    let url = match p.arg(1) {
        Some(STDIN) => "--".to_string(),
        Some(u) => u.to_string(),
        None => String::new(),
    };
    let text = |i: usize, default: &str| {
        p.arg(i)
            .filter(|s| !s.is_empty())
            .unwrap_or(default)
            .to_string()
    };
    let archive_type = p.value("--archive-type").unwrap_or("tar").to_string();
    let req = ArchiveRequest {
        app: app.to_string(),
        url,
        kind,
        user: text(2, DEFAULT_USER_NAME),
        email: text(3, DEFAULT_USER_EMAIL),
    };
    let stdin = std::io::stdin();
    let mut lock = stdin.lock();
    crate::fromarchive::from_archive(ctx, &req, &mut lock)?;
    // The git plugin's own part of `git-from-archive` is done; the other
    // plugins hear of it after, as they would after it under plugn.
    ctx.bus.notify(
        ctx,
        &GitFromArchive {
            app: req.app,
            archive_url: req.url,
            archive_type,
            user_name: req.user,
            user_email: req.email,
        },
    )
}
