//! Splits image references into the repository and tag the engine API wants.

/// Splits `repo[:tag]` into repository and tag, `latest` when omitted. The
/// tag is what follows the last `:` after the last `/`, so a registry port
/// (`localhost:5000/app`) is not taken for a tag. A digest (`@sha256:...`)
/// is left in the repository with an empty tag.
pub fn split_reference(reference: &str) -> (&str, &str) {
    if reference.contains('@') {
        return (reference, "");
    }
    let name_start = reference.rfind('/').map_or(0, |i| i + 1);
    match reference[name_start..].rfind(':') {
        Some(i) => {
            let colon = name_start + i;
            (&reference[..colon], &reference[colon + 1..])
        }
        None => (reference, "latest"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: (&str, &str)) {
        assert_eq!(split_reference(input), expected, "splitting {input:?}");
    }

    #[test]
    fn references() {
        check("dokku/app", ("dokku/app", "latest"));
        check("dokku/app:1", ("dokku/app", "1"));
        check("app:latest", ("app", "latest"));
        check("localhost:5000/app", ("localhost:5000/app", "latest"));
        check("localhost:5000/app:v2", ("localhost:5000/app", "v2"));
        check("app@sha256:abc", ("app@sha256:abc", ""));
    }
}
