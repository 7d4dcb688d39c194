//! What counts as a domain: a DNS name (optionally a `*.` wildcard or with
//! nginx's leading dot), nginx's catch-all `_`, or a literal IPv4 or IPv6
//! address.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The kind of a valid domain argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A DNS name, possibly a wildcard.
    Name,
    /// An IPv4 address.
    Ipv4,
    /// An IPv6 address.
    Ipv6,
}

fn valid_label(l: &str) -> bool {
    !l.is_empty()
        && l.len() <= 63
        && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !l.starts_with('-')
        && !l.ends_with('-')
}

/// The kind of `domain`, or `None` when it is not a valid domain.
pub fn kind(domain: &str) -> Option<Kind> {
    if domain.parse::<Ipv4Addr>().is_ok() {
        return Some(Kind::Ipv4);
    }
    if domain.contains(':') {
        let bare = domain
            .strip_prefix('[')
            .and_then(|d| d.strip_suffix(']'))
            .unwrap_or(domain);
        return bare.parse::<Ipv6Addr>().ok().map(|_| Kind::Ipv6);
    }
    // nginx's catch-all name.
    if domain == "_" {
        return Some(Kind::Name);
    }
    // `*.example.com` and nginx's `.example.com` (the name and every
    // subdomain) are names too.
    let name = domain
        .strip_prefix("*.")
        .or_else(|| domain.strip_prefix('.'))
        .unwrap_or(domain);
    if name.is_empty() || name.len() > 253 || !name.split('.').all(valid_label) {
        return None;
    }
    // All-numeric dotted names that are not addresses (`1.2.3`) are refused.
    if name
        .split('.')
        .all(|l| l.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    Some(Kind::Name)
}

/// Whether a domain is a literal address.
pub fn is_ip(domain: &str) -> bool {
    matches!(kind(domain), Some(Kind::Ipv4 | Kind::Ipv6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_wildcards_and_addresses() {
        for (d, k) in [
            ("dokku.me", Some(Kind::Name)),
            ("node-js-app.dokku.me", Some(Kind::Name)),
            ("*.dokku.me", Some(Kind::Name)),
            (".dokku.me", Some(Kind::Name)),
            ("_", Some(Kind::Name)),
            ("..dokku.me", None),
            ("._", None),
            (".", None),
            ("*..dokku.me", None),
            ("localhost", Some(Kind::Name)),
            ("xn--bcher-kva.example", Some(Kind::Name)),
            ("10.0.0.1", Some(Kind::Ipv4)),
            ("::1", Some(Kind::Ipv6)),
            ("[2001:db8::1]", Some(Kind::Ipv6)),
            ("", None),
            ("*", None),
            ("a..b", None),
            ("-a.com", None),
            ("a-.com", None),
            ("a_b.com", None),
            ("a.*.com", None),
            ("foo bar", None),
            ("a/b", None),
            ("1.2.3", None),
            ("300.1.1.1", None),
            ("ex\u{e4}mple.com", None),
        ] {
            assert_eq!(kind(d), k, "{d:?}");
        }
        assert_eq!(kind(&format!("{}.com", "a".repeat(64))), None);
        assert!(is_ip("10.0.0.1") && !is_ip("dokku.me"));
    }
}
