//! Git for git-backed plugins: running the `git` binary with argument
//! vectors (never a shell), and reading a clone's origin URL, commit and
//! branch straight from its `.git` directory for `plugin:list`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dokku_core::{Error, Result};

/// Git config key holding the committish a plugin is pinned to.
pub const PIN_KEY: &str = "dokku.committish";

/// A `git` invocation with hardening flags: the `ext::` transport (which
/// runs commands) is refused.
fn git() -> Command {
    let mut c = Command::new("git");
    c.args(["-c", "protocol.ext.allow=never"]);
    c
}

fn run(mut c: Command, what: &str) -> Result<()> {
    let status = c.status().map_err(|e| Error::other(what, e))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::exit(status.code().unwrap_or(1)))
    }
}

fn output(mut c: Command, what: &str) -> Result<Option<String>> {
    let o = c
        .stderr(Stdio::null())
        .output()
        .map_err(|e| Error::other(what, e))?;
    if o.status.success() {
        Ok(Some(String::from_utf8_lossy(&o.stdout).trim().to_string()))
    } else {
        Ok(None)
    }
}

/// `git clone <url> <dir_name>` run inside `parent`, so git reports the
/// plugin's own name. Git's progress goes to the user.
pub fn clone(url: &str, parent: &Path, dir_name: &str) -> Result<()> {
    let mut c = git();
    c.current_dir(parent).args(["clone", "--", url, dir_name]);
    run(c, "git clone")
}

/// Check out a branch, tag or commit in `dir`.
pub fn checkout(dir: &Path, committish: &str) -> Result<()> {
    let mut c = git();
    c.arg("-C")
        .arg(dir)
        .args(["checkout", "--quiet", "--end-of-options", committish, "--"]);
    run(c, "git checkout")
}

/// Fetch branches and tags from origin.
pub fn fetch(dir: &Path) -> Result<()> {
    let mut c = git();
    c.arg("-C")
        .arg(dir)
        .args(["fetch", "--quiet", "--tags", "origin"]);
    run(c, "git fetch")
}

/// Fast-forward the checked-out branch to `upstream`.
pub fn fast_forward(dir: &Path, upstream: &str) -> Result<()> {
    let mut c = git();
    c.arg("-C")
        .arg(dir)
        .args(["merge", "--ff-only", "--quiet", upstream]);
    run(c, "git merge")
}

/// Whether `origin/<name>` is a fetched branch.
pub fn is_remote_branch(dir: &Path, name: &str) -> Result<bool> {
    let mut c = git();
    c.arg("-C")
        .arg(dir)
        .args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
        .arg(format!("refs/remotes/origin/{name}"));
    Ok(output(c, "git rev-parse")?.is_some())
}

/// The upstream of the checked-out branch, if it has one.
pub fn upstream(dir: &Path) -> Result<Option<String>> {
    let mut c = git();
    c.arg("-C").arg(dir).args([
        "rev-parse",
        "--abbrev-ref",
        "--symbolic-full-name",
        "@{upstream}",
    ]);
    Ok(output(c, "git rev-parse")?.filter(|s| !s.is_empty()))
}

/// The committish the plugin is pinned to, if any.
pub fn pinned(dir: &Path) -> Option<String> {
    read_config(&git_dir(dir)?, "dokku", "committish").filter(|s| !s.is_empty())
}

/// Pin the plugin to a committish: later updates without one follow it.
pub fn pin(dir: &Path, committish: &str) -> Result<()> {
    let mut c = git();
    c.arg("-C")
        .arg(dir)
        .args(["config", "--local", PIN_KEY, committish]);
    run(c, "git config")
}

/// Whether a committish can be handed to git safely.
pub fn is_valid_committish(c: &str) -> bool {
    !c.is_empty()
        && !c.starts_with('-')
        && c.chars().all(|ch| !ch.is_whitespace() && !ch.is_control())
}

/// The git directory of a work tree: `.git`, or the directory a `.git`
/// file points to.
pub fn git_dir(work_tree: &Path) -> Option<PathBuf> {
    let dot = work_tree.join(".git");
    if dot.is_dir() {
        return Some(dot);
    }
    let text = fs::read_to_string(&dot).ok()?;
    let target = text.trim().strip_prefix("gitdir:")?.trim();
    let p = Path::new(target);
    Some(if p.is_absolute() {
        p.to_path_buf()
    } else {
        work_tree.join(p)
    })
}

/// Where a clone came from and where it stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// `remote.origin.url`.
    pub source_url: String,
    /// The checked-out commit.
    pub committish: String,
    /// The checked-out branch; empty when detached.
    pub branch: String,
}

/// The commit a ref names, following symbolic refs a few levels deep.
fn resolve_ref(gitdir: &Path, name: &str, depth: u8) -> Option<String> {
    if !name.starts_with("refs/") || name.split('/').any(|seg| seg.is_empty() || seg == "..") {
        return None;
    }
    if let Ok(s) = fs::read_to_string(gitdir.join(name)) {
        let s = s.trim();
        if let Some(next) = s.strip_prefix("ref:") {
            return if depth < 5 {
                resolve_ref(gitdir, next.trim(), depth + 1)
            } else {
                None
            };
        }
        return Some(s.to_string());
    }
    let packed = fs::read_to_string(gitdir.join("packed-refs")).ok()?;
    packed.lines().find_map(|l| {
        let (sha, r) = l.split_once(' ')?;
        (r.trim() == name && !l.starts_with('#') && !l.starts_with('^')).then(|| sha.to_string())
    })
}

/// The last value of `key` in `[section "sub"]` (or `[section]` when `sub`
/// is `None`) of a git config file's text.
fn read_config_file(text: &str, section: &str, sub: Option<&str>, key: &str) -> Option<String> {
    let mut in_section = false;
    let mut found = None;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let head = rest.split(']').next().unwrap_or("");
            let (name, subname) = match head.split_once(char::is_whitespace) {
                Some((n, s)) => (n, Some(s.trim().trim_matches('"'))),
                None => match head.split_once('.') {
                    Some((n, s)) => (n, Some(s)),
                    None => (head, None),
                },
            };
            in_section = name.eq_ignore_ascii_case(section) && subname == sub;
            continue;
        }
        if !in_section {
            continue;
        }
        let (k, v) = match line.split_once('=') {
            Some((k, v)) => (k.trim(), v.trim()),
            None => (line, "true"),
        };
        if k.eq_ignore_ascii_case(key) {
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v);
            found = Some(v.to_string());
        }
    }
    found
}

/// A value of a plain `[section]` in a git directory's config.
fn read_config(gitdir: &Path, section: &str, key: &str) -> Option<String> {
    let text = fs::read_to_string(gitdir.join("config")).ok()?;
    read_config_file(&text, section, None, key)
}

/// Origin URL, commit and branch of a clone; `None` when `dir` is not one.
pub fn origin(dir: &Path) -> Option<Origin> {
    let gitdir = git_dir(dir)?;
    let head = fs::read_to_string(gitdir.join("HEAD")).ok()?;
    let head = head.trim();
    let (branch, committish) = match head.strip_prefix("ref:") {
        Some(r) => {
            let r = r.trim();
            (
                r.strip_prefix("refs/heads/").unwrap_or(r).to_string(),
                resolve_ref(&gitdir, r, 0).unwrap_or_default(),
            )
        }
        None => (String::new(), head.to_string()),
    };
    let config = fs::read_to_string(gitdir.join("config")).unwrap_or_default();
    let source_url = read_config_file(&config, "remote", Some("origin"), "url").unwrap_or_default();
    Some(Origin {
        source_url,
        committish,
        branch,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_values() {
        let text = "[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = /u\n[remote \"origin\"]\n\turl = https://github.com/dokku/dokku-postgres.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[dokku]\n\tcommittish = \"2.0.0\"\n";
        assert_eq!(
            read_config_file(text, "remote", Some("origin"), "url").as_deref(),
            Some("https://github.com/dokku/dokku-postgres.git")
        );
        assert_eq!(
            read_config_file(text, "dokku", None, "committish").as_deref(),
            Some("2.0.0")
        );
        assert_eq!(read_config_file(text, "remote", Some("nope"), "url"), None);
    }

    #[test]
    fn origin_of_a_clone_layout() {
        let d = tempfile::tempdir().expect("tempdir");
        let g = d.path().join(".git");
        fs::create_dir_all(g.join("refs/heads")).expect("mkdir");
        fs::write(
            g.join("config"),
            "[remote \"origin\"]\n\turl = file:///srv/hello.git\n",
        )
        .expect("write");
        fs::write(g.join("HEAD"), "ref: refs/heads/main\n").expect("write");
        fs::write(
            g.join("packed-refs"),
            "# pack-refs with: peeled\nabc123 refs/heads/main\n^def\n",
        )
        .expect("write");
        let o = origin(d.path()).expect("origin");
        assert_eq!(
            o,
            Origin {
                source_url: "file:///srv/hello.git".into(),
                committish: "abc123".into(),
                branch: "main".into()
            }
        );
        fs::write(g.join("refs/heads/main"), "fff000\n").expect("write");
        assert_eq!(origin(d.path()).expect("origin").committish, "fff000");
        fs::write(g.join("HEAD"), "ref: ../config\n").expect("write");
        assert_eq!(
            origin(d.path()).expect("origin").committish,
            "",
            "refs stay under refs/"
        );
        fs::write(g.join("HEAD"), "0123abcd\n").expect("write");
        let o = origin(d.path()).expect("origin");
        assert_eq!((o.branch.as_str(), o.committish.as_str()), ("", "0123abcd"));
        assert_eq!(origin(&d.path().join("nope")), None);
    }

    #[test]
    fn committish_rule() {
        assert!(is_valid_committish("v1.2.3"));
        assert!(is_valid_committish("feature/x"));
        for bad in ["", "-b", "--upload-pack=x", "a b", "a\nb"] {
            assert!(!is_valid_committish(bad), "{bad:?}");
        }
    }
}
