//! `cron:list <app>|--global [--format json|stdout]`.

use dokku_core::property::GLOBAL;
use dokku_core::{apps, Error, Result};
use dokku_trigger::Ctx;

use crate::tasks::{self, Maintenance};

/// Run the command.
pub fn run(ctx: &Ctx, argv: &[String]) -> Result<()> {
    let words = super::split(argv, &["--format"]);
    let format = words.value("--format").unwrap_or("stdout");
    let format = if format.is_empty() { "stdout" } else { format };
    if format != "stdout" && format != "json" {
        return Err(Error::fail(
            "Invalid format specified, supported formats: json, stdout",
        ));
    }
    let app = if argv.iter().any(|a| a == GLOBAL) {
        GLOBAL.to_string()
    } else {
        words.positional.first().cloned().unwrap_or_default()
    };
    if app.is_empty() {
        return Err(Error::fail("Please specify an app to run the command on"));
    }
    if app != GLOBAL {
        apps::verify(&ctx.paths, &app)?;
    }
    let list = tasks::for_app(ctx, &app)?;
    if format == "json" {
        // Keys in Dokku's order, which a JSON map would sort.
        let q = |v: &str| serde_json::Value::String(v.to_string()).to_string();
        let items: Vec<String> = list
            .iter()
            .map(|t| {
                format!(
                    "{{\"id\":{},\"app\":{},\"command\":{},\"schedule\":{}}}",
                    q(&t.id),
                    q(&t.app),
                    q(&t.command),
                    q(&t.schedule)
                )
            })
            .collect();
        let text = format!("[{}]", items.join(","));
        ctx.out.write_out(&format!("{text}\n"));
        return Ok(());
    }
    let mut rows = vec![vec![
        "ID".to_string(),
        "Schedule".to_string(),
        "Maintenance".to_string(),
        "Command".to_string(),
    ]];
    for t in &list {
        let maintenance = match t.maintenance {
            Maintenance::Off => "false",
            Maintenance::App => "true",
            Maintenance::Task => "true (task)",
        };
        rows.push(vec![
            t.id.clone(),
            t.schedule.clone(),
            maintenance.to_string(),
            t.command.clone(),
        ]);
    }
    ctx.out.write_out(&dokku_output::columnize(&rows, "", "  "));
    Ok(())
}
