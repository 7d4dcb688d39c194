//! The logs properties: where they are stored, their defaults, the
//! computed values and the report rows.

use dokku_core::property::{Properties, GLOBAL};
use dokku_core::schema::{Keys, Prop, Schema};
use dokku_core::Paths;
use dokku_trigger::ReportDef;

use crate::commands::set::validate;

/// The plugin's name and property namespace.
pub const PLUGIN: &str = "logs";

/// The vector image used when none is set.
pub const DEFAULT_VECTOR_IMAGE: &str = "timberio/vector:0.49.0-debian";

/// The default of a property.
pub fn default(key: &str) -> &'static str {
    match key {
        "app-label-alias" => "com.dokku.app-name",
        "max-size" => "10m",
        "vector-image" => DEFAULT_VECTOR_IMAGE,
        _ => "",
    }
}

/// Properties settable only with `--global`.
pub const GLOBAL_ONLY: &[&str] = &["vector-image", "vector-networks"];

/// The app's value, else the global one, else the default. Global-only
/// properties ignore the app.
pub fn computed(paths: &Paths, app: &str, key: &str) -> String {
    let p = Properties::new(paths, PLUGIN);
    if !app.is_empty() && app != GLOBAL && !GLOBAL_ONLY.contains(&key) {
        let v = p.get_str(app, key);
        if !v.trim().is_empty() {
            return v;
        }
    }
    let v = p.get_str(GLOBAL, key);
    if !v.trim().is_empty() {
        return v;
    }
    default(key).to_string()
}

/// Host-wide properties: reported as global and computed values only.
const HOST: Keys = Keys::ALL.without(Keys::RAW);

/// The properties.
pub static SCHEMA: Schema = Schema::named(
    PLUGIN,
    &[
        Prop::both("app-label-alias", "com.dokku.app-name").check(validate),
        Prop::both("max-size", "10m").check(validate),
        Prop::both("vector-cron-sink", "").check(validate),
        Prop::global("vector-image", DEFAULT_VECTOR_IMAGE).keys(HOST),
        Prop::global("vector-networks", "")
            .keys(HOST)
            .check(validate),
        Prop::both("vector-sink", "").check(validate),
    ],
)
.legacy_json();

/// The report: sink DSNs show only their type in the text report.
pub static REPORT: ReportDef = ReportDef::new(&SCHEMA).redact(redact);

/// A report row as the text report shows it: sinks redacted.
pub fn redact(flag: &str, value: &str) -> String {
    if flag.ends_with("-vector-sink") || flag.ends_with("-vector-cron-sink") {
        crate::sink::redacted(value)
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computed_values_and_report() {
        let (_d, paths) = dokku_core::Paths::temp();
        let p = Properties::new(&paths, PLUGIN);
        assert_eq!(computed(&paths, "app", "max-size"), "10m");
        p.write(GLOBAL, "max-size", "20m").expect("write");
        assert_eq!(computed(&paths, "app", "max-size"), "20m");
        p.write("app", "max-size", "unlimited").expect("write");
        assert_eq!(computed(&paths, "app", "max-size"), "unlimited");
        p.write("app", "vector-sink", "console://?encoding[codec]=json")
            .expect("write");
        insta::assert_snapshot!(REPORT.text(&paths, "app").expect("report"), @r#"
        =====> app logs information
               Logs app label alias:           
               Logs computed app label alias:  com.dokku.app-name
               Logs computed max size:         unlimited
               Logs computed vector cron sink: 
               Logs computed vector image:     timberio/vector:0.49.0-debian
               Logs computed vector networks:  
               Logs computed vector sink:      console://?encoding[codec]=json
               Logs global app label alias:    
               Logs global max size:           20m
               Logs global vector cron sink:   
               Logs global vector image:       
               Logs global vector networks:    
               Logs global vector sink:        
               Logs max size:                  unlimited
               Logs vector cron sink:          
               Logs vector sink:               console://?encoding[codec]=json
        "#);
    }
}
