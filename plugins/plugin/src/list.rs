//! `plugin:list` and `plugn list`.

use dokku_core::Result;
use dokku_trigger::Ctx;

/// Print the plugn-style plugin list.
pub fn print_plugn_list(_ctx: &Ctx) -> Result<()> {
    Ok(())
}
