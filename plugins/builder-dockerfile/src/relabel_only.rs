//! Dockerfiles that only label a base image, as `git:from-image` writes
//! them (`FROM <image>` and a `LABEL`): their build changes nothing but the
//! image's configuration, so the engine can make the image without a
//! build. Anything this reading is not sure of (continuations, variables,
//! single quotes, any other instruction) makes the file an ordinary one.

use std::collections::BTreeMap;

/// The base image and the labels of a Dockerfile made only of `FROM` and
/// `LABEL key=value ...` lines; `None` for any other file.
pub fn only_labels(dockerfile: &str) -> Option<(String, BTreeMap<String, String>)> {
    let mut base = None;
    let mut labels = BTreeMap::new();
    for line in dockerfile.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.ends_with('\\') || line.contains('$') || line.contains('\'') {
            return None;
        }
        let (instruction, rest) = line.split_once(char::is_whitespace)?;
        let rest = rest.trim();
        match (instruction.to_ascii_uppercase().as_str(), &base) {
            ("FROM", None) => {
                let mut words = rest.split_whitespace();
                let image = words.next()?;
                if words.next().is_some() || image.starts_with('-') {
                    return None;
                }
                base = Some(image.to_string());
            }
            ("LABEL", Some(_)) => {
                for word in words(rest)? {
                    let (k, v) = word.split_once('=')?;
                    if k.is_empty() {
                        return None;
                    }
                    labels.insert(k.to_string(), v.to_string());
                }
            }
            _ => return None,
        }
    }
    Some((base?, labels))
}

/// The words of a `LABEL` line with their quotes and escapes removed:
/// double quotes group, a backslash takes the next character as it is.
fn words(line: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quoted = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                word.push(chars.next()?);
                in_word = true;
            }
            '"' => {
                quoted = !quoted;
                in_word = true;
            }
            c if c.is_whitespace() && !quoted => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if quoted {
        return None;
    }
    if in_word {
        out.push(word);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_git_from_image_writes_is_read() {
        let file = "FROM registry.example/app:v1\nLABEL com.dokku.docker-image-labeler/alternate-tags=[\\\"registry.example/app:v1\\\"]\n";
        let (base, labels) = only_labels(file).expect("labels only");
        assert_eq!(base, "registry.example/app:v1");
        assert_eq!(
            labels,
            BTreeMap::from([(
                "com.dokku.docker-image-labeler/alternate-tags".to_string(),
                "[\"registry.example/app:v1\"]".to_string()
            )])
        );
    }

    #[test]
    fn quoted_and_several_labels() {
        let file = "# a comment\n\nfrom base\nLABEL a=1 \"b c\"=\"two words\" d=say\\ \\\"hi\\\"\nlabel e=\n";
        let (base, labels) = only_labels(file).expect("labels only");
        assert_eq!(base, "base");
        assert_eq!(
            labels,
            BTreeMap::from([
                ("a".to_string(), "1".to_string()),
                ("b c".to_string(), "two words".to_string()),
                ("d".to_string(), "say \"hi\"".to_string()),
                ("e".to_string(), String::new()),
            ])
        );
    }

    #[test]
    fn anything_else_is_an_ordinary_dockerfile() {
        for file in [
            "",
            "LABEL a=1\n",
            "FROM base\nRUN true\n",
            "FROM base AS stage\n",
            "FROM --platform=linux/amd64 base\n",
            "FROM base\nFROM other\n",
            "FROM base\nLABEL a=$HOME\n",
            "FROM base\nLABEL a='1'\n",
            "FROM base\nLABEL a=1 \\\n  b=2\n",
            "FROM base\nLABEL legacy value\n",
            "FROM base\nLABEL a=\"open\n",
            "ARG BASE=x\nFROM $BASE\n",
        ] {
            assert_eq!(only_labels(file), None, "{file:?}");
        }
    }
}
