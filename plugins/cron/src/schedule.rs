//! Checks a cron schedule the way the cron library Dokku uses reads one:
//! five fields (minute, hour, day of month, month, day of week) or an `@`
//! descriptor. The error texts are that library's.

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

struct Bounds {
    min: u32,
    max: u32,
    names: &'static [&'static str],
    names_from: u32,
}

const FIELDS: [Bounds; 5] = [
    Bounds {
        min: 0,
        max: 59,
        names: &[],
        names_from: 0,
    },
    Bounds {
        min: 0,
        max: 23,
        names: &[],
        names_from: 0,
    },
    Bounds {
        min: 1,
        max: 31,
        names: &[],
        names_from: 0,
    },
    Bounds {
        min: 1,
        max: 12,
        names: MONTHS,
        names_from: 1,
    },
    Bounds {
        min: 0,
        max: 6,
        names: DAYS,
        names_from: 0,
    },
];

const DESCRIPTORS: &[&str] = &[
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@hourly",
];

/// Check a schedule; the error says what is wrong with it.
pub fn check(spec: &str) -> Result<(), String> {
    let spec = spec.trim();
    if spec.is_empty() {
        return Err("empty spec string".to_string());
    }
    if spec.starts_with('@') {
        return descriptor(spec);
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        ));
    }
    for (field, bounds) in fields.iter().zip(FIELDS.iter()) {
        for part in field.split(',') {
            range(part, bounds)?;
        }
    }
    Ok(())
}

fn descriptor(spec: &str) -> Result<(), String> {
    if DESCRIPTORS.contains(&spec) {
        return Ok(());
    }
    if let Some(d) = spec.strip_prefix("@every ") {
        return duration(d.trim())
            .ok_or_else(|| format!("failed to parse duration {spec}: invalid duration {d:?}"));
    }
    Err(format!("unrecognized descriptor: {spec}"))
}

/// A Go duration such as `1h30m` or `90s`.
fn duration(d: &str) -> Option<()> {
    let mut rest = d;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num == 0 {
            return None;
        }
        rest = &rest[num..];
        let unit = ["ns", "us", "µs", "ms", "s", "m", "h"]
            .iter()
            .filter(|u| rest.starts_with(*u))
            .max_by_key(|u| u.len())?;
        rest = &rest[unit.len()..];
    }
    Some(())
}

fn number(s: &str, bounds: &Bounds) -> Result<u32, String> {
    let lower = s.to_ascii_lowercase();
    if let Some(i) = bounds.names.iter().position(|n| *n == lower) {
        return Ok(i as u32 + bounds.names_from);
    }
    match s.parse::<i64>() {
        Ok(n) if n < 0 => Err(format!("negative number ({n}) not allowed: {s}")),
        Ok(n) => u32::try_from(n).map_err(|_| out_of_range(s)),
        Err(e)
            if matches!(
                e.kind(),
                std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow
            ) =>
        {
            Err(out_of_range(s))
        }
        Err(_) => Err(format!(
            "failed to parse int from {s}: strconv.Atoi: parsing {s:?}: invalid syntax"
        )),
    }
}

fn out_of_range(s: &str) -> String {
    format!("failed to parse int from {s}: strconv.Atoi: parsing {s:?}: value out of range")
}

fn range(expr: &str, bounds: &Bounds) -> Result<(), String> {
    let slash: Vec<&str> = expr.split('/').collect();
    if slash.len() > 2 {
        return Err(format!("too many slashes: {expr}"));
    }
    let hyphen: Vec<&str> = slash[0].split('-').collect();
    let (start, end) = if hyphen[0] == "*" || hyphen[0] == "?" {
        if hyphen.len() > 1 {
            return Err(format!("too many hyphens: {expr}"));
        }
        (bounds.min, bounds.max)
    } else {
        let start = number(hyphen[0], bounds)?;
        let end = match hyphen.len() {
            1 => start,
            2 => number(hyphen[1], bounds)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
        (start, end)
    };
    if slash.len() == 2 {
        let step = number(slash[1], bounds)?;
        if step == 0 {
            return Err(format!("step of range should be a positive number: {expr}"));
        }
    }
    if start < bounds.min {
        return Err(format!(
            "beginning of range ({start}) below minimum ({}): {expr}",
            bounds.min
        ));
    }
    if end > bounds.max {
        return Err(format!(
            "end of range ({end}) above maximum ({}): {expr}",
            bounds.max
        ));
    }
    if start > end {
        return Err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn accepts_what_cron_accepts() {
        for ok in [
            "* * * * *",
            "*/5 0-23/2 1,15 jan-JUN mon-fri",
            "0 1 * * *",
            "@daily",
            "@every 1h30m",
            "5 4 * * sun",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn refuses_with_the_library_words() {
        let cases = [
            ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
            ("61 * * * *", "end of range (61) above maximum (59): 61"),
            ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
            (
                "x * * * *",
                "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax",
            ),
            ("@sometimes", "unrecognized descriptor: @sometimes"),
            (
                "5-2 * * * *",
                "beginning of range (5) beyond end of range (2): 5-2",
            ),
            (
                "*/0 * * * *",
                "step of range should be a positive number: */0",
            ),
            ("", "empty spec string"),
        ];
        for (spec, want) in cases {
            assert_eq!(check(spec), Err(want.to_string()), "{spec}");
        }
    }
}
