//! Docker options as shell words: splitting what the user typed into one
//! option per flag, the canonical stored form, and matching by words.
//!
//! Nothing here runs a shell: quoting only decides how a value is cut into
//! words, and the words are kept verbatim.

use dokku_core::{Error, Result};
use dokku_trigger::triggers::VolumeMount;

/// The words of a stored or typed option; `None` for unbalanced quotes.
pub fn words(text: &str) -> Option<Vec<String>> {
    shlex::split(text)
}

/// Whether a word starts a new option (`-v`, `--ulimit`, `--memory=1g`).
fn starts_option(word: &str) -> bool {
    word.len() > 1 && word.starts_with('-')
}

/// Cut a stream of words into options on flag boundaries: a flag word and
/// the non-flag words after it. Leading non-flag words form an option of
/// their own, so nothing typed is dropped.
pub fn group(words: &[String]) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = Vec::new();
    for w in words {
        match groups.last_mut() {
            Some(g) if !starts_option(w) => g.push(w.clone()),
            _ => groups.push(vec![w.clone()]),
        }
    }
    groups
}

/// One word as the shell reads it back: bare when it holds only characters
/// no shell treats specially, else in single quotes.
pub fn quote(w: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-.,:/@%+=".contains(c);
    if !w.is_empty() && w.chars().all(safe) {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

/// The stored form of one option: its words, each quoted only when the
/// shell would otherwise split or expand it.
pub fn canonical(words: &[String]) -> Result<String> {
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        if w.chars().any(|c| c.is_control()) {
            return Err(Error::fail(format!(
                "Invalid docker option: {w:?} contains a control character"
            )));
        }
        out.push(quote(w));
    }
    Ok(out.join(" "))
}

/// Split typed option text into canonical options.
pub fn parse_options(text: &str) -> Result<Vec<String>> {
    let w = words(text).ok_or_else(|| {
        Error::fail(format!(
            "Invalid docker option: unbalanced quotes in {text}"
        ))
    })?;
    group(&w).iter().map(|g| canonical(g)).collect()
}

/// Whether a stored option says the same words as `wanted`. Older
/// versions stored options as typed, without quoting the words that hold
/// spaces or shell characters (`-e A=b c` for `-e 'A=b c'`); such a line
/// matches when it is the words joined by spaces.
pub fn same_words(stored: &str, wanted: &[String]) -> bool {
    words(stored).as_deref() == Some(wanted) || stored == wanted.join(" ")
}

/// Parse the value of a `-v` flag (`source:target[:options]`).
pub fn parse_volume(value: &str) -> Option<VolumeMount> {
    let parts: Vec<&str> = value.split(':').collect();
    if parts.len() < 2 || parts.len() > 3 || parts[0].is_empty() || !parts[1].starts_with('/') {
        return None;
    }
    let mut m = VolumeMount {
        source: parts[0].to_string(),
        target: parts[1].to_string(),
        ..Default::default()
    };
    if let Some(opts) = parts.get(2) {
        let mut rest = Vec::new();
        for o in opts.split(',').filter(|o| !o.is_empty()) {
            if o == "ro" {
                m.readonly = true;
            } else {
                rest.push(o);
            }
        }
        m.options = rest.join(",");
    }
    Some(m)
}

/// The mount of a stored `-v`/`--volume` option, if it is one.
pub fn volume_of(option: &str) -> Option<VolumeMount> {
    let w = words(option)?;
    let value = match w.as_slice() {
        [flag, value] if flag == "-v" || flag == "--volume" => value.clone(),
        [one] => {
            let (flag, value) = one.split_once('=')?;
            if flag != "-v" && flag != "--volume" {
                return None;
            }
            value.to_string()
        }
        _ => return None,
    };
    parse_volume(&value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[&str]) {
        assert_eq!(parse_options(input).expect("parse"), expected, "{input}");
    }

    #[test]
    fn options_split_on_flag_boundaries() {
        check("--ulimit nofile=12", &["--ulimit nofile=12"]);
        check(
            "--ulimit nofile=12 --shm-size 256m",
            &["--ulimit nofile=12", "--shm-size 256m"],
        );
        check("-v /var/log/app:/app/logs", &["-v /var/log/app:/app/logs"]);
        check(
            "--memory=512m -p 8080:5000",
            &["--memory=512m", "-p 8080:5000"],
        );
        check(
            "--label \"traefik.http.routers.web.rule=Host(`a.example.com`) && PathPrefix(`/api`)\"",
            &["--label 'traefik.http.routers.web.rule=Host(`a.example.com`) && PathPrefix(`/api`)'"],
        );
        check("--group-add $(id)", &["--group-add '$(id)'"]);
        assert!(parse_options("--label 'unbalanced").is_err());
    }

    #[test]
    fn removal_matches_by_words() {
        let stored = &parse_options("--label 'com.example.owner=platform team'").expect("parse")[0];
        let typed = words("--label \"com.example.owner=platform team\"").expect("words");
        assert!(same_words(stored, &typed));
        assert!(!same_words(stored, &words("--label other").expect("words")));
    }

    #[test]
    fn volume_options_are_recognised() {
        let m = volume_of("-v /a:/b:ro,Z").expect("volume");
        assert_eq!(
            (
                m.source.as_str(),
                m.target.as_str(),
                m.readonly,
                m.options.as_str()
            ),
            ("/a", "/b", true, "Z")
        );
        assert_eq!(
            volume_of("--volume=cache:/cache")
                .expect("volume")
                .to_volume_arg(),
            "cache:/cache"
        );
        assert!(volume_of("--ulimit nofile=12").is_none());
        assert!(volume_of("-v relative").is_none());
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(s in ".*") {
            let _ = parse_options(&s);
            let _ = volume_of(&s);
        }
    }
}
