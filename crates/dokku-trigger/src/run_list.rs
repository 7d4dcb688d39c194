//! `run:list` for every scheduler: the app's one-off runs as docker's
//! `ps` table (`NAMES`, `COMMAND` quoted and cut to 20 characters,
//! `CREATED` as "... ago") or as Dokku's JSON (name, state, command,
//! created_at, in that order).

use dokku_core::time::{now_unix, Utc};

use crate::Ctx;

/// One one-off run as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunListItem {
    pub name: String,
    /// The engine's state word (`running`).
    pub state: String,
    pub command: String,
    /// Unix time of its creation.
    pub created: i64,
}

/// Print the list in `format` (`json`, or the table).
pub fn print(ctx: &Ctx, app: &str, format: &str, items: &[RunListItem]) {
    if format == "json" {
        ctx.out.line(&json(items));
        return;
    }
    ctx.out.info2_quiet(&format!("{app} run containers"));
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut rows = vec![vec![
        "NAMES".to_string(),
        "COMMAND".to_string(),
        "CREATED".to_string(),
    ]];
    let now = now_unix();
    for i in items {
        rows.push(vec![
            i.name.clone(),
            quote(&ellipsis(&i.command, 20)),
            format!("{} ago", human_duration(now - i.created)),
        ]);
    }
    ctx.out.write_out(&docker_table(&rows));
}

/// Dokku's keys in its order (name, state, command, created_at), which a
/// JSON map would sort.
fn json(items: &[RunListItem]) -> String {
    if items.is_empty() {
        return "[]".to_string();
    }
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let rows: Vec<String> = items
        .iter()
        .map(|i| {
            format!(
                "  {{\n    \"name\": {},\n    \"state\": {},\n    \"command\": {},\n    \"created_at\": {}\n  }}",
                quote(&i.name),
                quote(&i.state),
                quote(&quote(&i.command)),
                quote(&go_time_utc(i.created)),
            )
        })
        .collect();
    format!("[\n{}\n]", rows.join(",\n"))
}

/// docker's `HumanDuration`, as `docker ps` shows "created ... ago".
pub fn human_duration(seconds: i64) -> String {
    let s = seconds;
    if s < 1 {
        return "Less than a second".into();
    }
    if s == 1 {
        return "1 second".into();
    }
    if s < 60 {
        return format!("{s} seconds");
    }
    let minutes = s / 60;
    if minutes == 1 {
        return "About a minute".into();
    }
    if minutes < 60 {
        return format!("{minutes} minutes");
    }
    let hours = (s + 1800) / 3600;
    if hours == 1 {
        return "About an hour".into();
    }
    if hours < 48 {
        return format!("{hours} hours");
    }
    if hours < 24 * 7 * 2 {
        return format!("{} days", hours / 24);
    }
    if hours < 24 * 30 * 2 {
        return format!("{} weeks", hours / 24 / 7);
    }
    if hours < 24 * 365 * 2 {
        return format!("{} months", hours / 24 / 30);
    }
    format!("{} years", s / 3600 / 24 / 365)
}

/// A unix time as Go prints a `time.Time` in UTC:
/// `2022-08-03 05:47:44 +0000 UTC`.
pub fn go_time_utc(unix: i64) -> String {
    let t = Utc::from_unix(unix);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} +0000 UTC",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

/// docker's `Ellipsis`: at most `max` characters, the last one `…` when cut.
fn ellipsis(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max - 1).collect();
    t.push('…');
    t
}

/// Lay out rows as docker's `table` format does (a tabwriter with minimum
/// width 10 and padding 3; the last column unpadded).
pub fn docker_table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count() + 3)
                .max()
                .unwrap_or(0)
                .max(10)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            out.push_str(c);
            if i + 1 < r.len() {
                out.push_str(&" ".repeat(widths[i] - c.chars().count()));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_times_and_tables() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        for (s, want) in [
            (0, "Less than a second"),
            (1, "1 second"),
            (2, "2 seconds"),
            (61, "About a minute"),
            (600, "10 minutes"),
            (3600, "About an hour"),
            (3 * 3600, "3 hours"),
            (3 * 86400, "3 days"),
            (20 * 86400, "2 weeks"),
            (90 * 86400, "3 months"),
            (800 * 86400, "2 years"),
        ] {
            assert_eq!(human_duration(s), want, "{s}");
        }
        assert_eq!(go_time_utc(1_659_505_664), "2022-08-03 05:47:44 +0000 UTC");
        assert_eq!(go_time_utc(0), "1970-01-01 00:00:00 +0000 UTC");
        assert_eq!(
            ellipsis("/bin/sh -c 'sleep 300; echo done'", 20),
            "/bin/sh -c 'sleep 3…"
        );
        let rows = vec![
            v(&["NAMES", "COMMAND", "CREATED"]),
            v(&[
                "node-js-app.run.28689",
                "\"/exec sleep 15\"",
                "2 seconds ago",
            ]),
        ];
        assert_eq!(
            docker_table(&rows),
            "NAMES                   COMMAND            CREATED\nnode-js-app.run.28689   \"/exec sleep 15\"   2 seconds ago\n"
        );
    }

    #[test]
    fn json_keeps_dokkus_key_order() {
        assert_eq!(json(&[]), "[]");
        let item = RunListItem {
            name: "node-js-app.run.28689".into(),
            state: "running".into(),
            command: "/exec 'sleep 15'".into(),
            created: 1_659_505_664,
        };
        assert_eq!(
            json(&[item]),
            r#"[
  {
    "name": "node-js-app.run.28689",
    "state": "running",
    "command": "\"/exec 'sleep 15'\"",
    "created_at": "2022-08-03 05:47:44 +0000 UTC"
  }
]"#
        );
    }
}
