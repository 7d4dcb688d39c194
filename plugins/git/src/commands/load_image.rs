//! `git:load-image [--build-dir DIR] <app> <image> [<user> <email>]`: the
//! image tarball comes on stdin.

use std::io::IsTerminal;

use dokku_core::Result;
use dokku_trigger::Ctx;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let req = super::from_image::request(argv)?;
    let stdin = std::io::stdin();
    let tty = stdin.is_terminal();
    let mut lock = stdin.lock();
    crate::image::load_image(ctx, &req, &mut lock, tty)
}
