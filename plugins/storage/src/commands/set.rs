//! `storage:set <name> <property> [<value>]`, and the deprecated flag form
//! `storage:set <name> --mode 0770 ...`.

use dokku_core::{args, Error, Result};
use dokku_trigger::Ctx;

use crate::entries;

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let p = args::parse(argv, args::Spec::new(&[], super::create::OPTIONS))?;
    let name = p.arg(0).unwrap_or_default().to_string();
    let flags: Vec<(String, String)> = super::create::OPTIONS
        .iter()
        .filter(|f| **f != "--annotation" && **f != "--label")
        .filter_map(|f| {
            p.value(f)
                .map(|v| (f.trim_start_matches("--").to_string(), v.to_string()))
        })
        .collect();
    let meta = !p.values("--annotation").is_empty() || !p.values("--label").is_empty();
    let property = p.arg(1);
    if property.is_some() && (!flags.is_empty() || meta) {
        return Err(Error::fail(
            "storage:set accepts either a property and a value or flags, not both",
        ));
    }
    if let Some(key) = property {
        let value = p
            .positional
            .get(2..)
            .map(|v| v.join(" "))
            .unwrap_or_default();
        if !entries::SETTABLE.contains(&key) {
            return Err(Error::fail(format!(
                "Invalid property specified, valid properties include: {}",
                entries::SETTABLE.join(", ")
            )));
        }
        entries::set(ctx, &name, &[(key.to_string(), value)], None, None)?;
        return entries::announce(ctx, &name);
    }
    if flags.is_empty() && !meta {
        crate::name::check_entry_name(&name)?;
        return Err(Error::fail("No property specified"));
    }
    if flags.iter().any(|(k, _)| k == "scheduler") {
        return Err(Error::fail(
            "Invalid property specified, valid properties include: ".to_string()
                + &entries::SETTABLE.join(", "),
        ));
    }
    if !flags.is_empty() {
        ctx.out.warn(
            "Deprecated: please use 'storage:set <name> <property> [<value>]' instead of flags",
        );
    }
    let (mut annotations, mut labels) = (None, None);
    if meta {
        ctx.out.warn("Deprecated: please use 'storage:annotations:set' and 'storage:labels:set' instead of --annotation and --label");
        if !p.values("--annotation").is_empty() {
            annotations = Some(entries::parse_pairs(p.values("--annotation"))?);
        }
        if !p.values("--label").is_empty() {
            labels = Some(entries::parse_pairs(p.values("--label"))?);
        }
    }
    entries::set(ctx, &name, &flags, annotations, labels)?;
    // Plugins hear of a change as of a new entry.
    entries::announce(ctx, &name)
}
