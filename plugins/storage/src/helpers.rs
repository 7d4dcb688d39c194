//! The root-only operations on storage directories: chown (recursive),
//! chmod and recursive removal. Each acts only on a directory directly
//! below `$DOKKU_LIB_ROOT/data/storage`, named by one safe path segment,
//! never follows a symlink, and takes only a uid of 0..=65535 or a 3-4
//! digit octal mode. When this process is not root the same checked
//! operation is handed to the `dokku-storage-helper` binary through
//! `sudo -n`, the way Dokku's sudoers-listed helpers work; the helper
//! checks everything again and ignores the caller's environment.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use dokku_core::{Error, Paths, Result};
use nix::fcntl::{AtFlags, OFlag};
use nix::sys::stat::Mode;
use nix::unistd::{Gid, Uid};

/// One root-only operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootOp {
    /// `chown -R uid:uid` of a storage directory, symlinks not followed.
    Chown { name: String, uid: u32 },
    /// `chmod mode` of a storage directory itself.
    Chmod { name: String, mode: u32 },
    /// `rm -rf` of a storage directory.
    Remove { name: String },
}

/// Name of the helper binary.
pub const HELPER: &str = "dokku-storage-helper";

/// The sudo helpers at Dokku's paths,
/// `$PLUGIN_AVAILABLE_PATH/storage/bin/<name>`: links to [`HELPER`], which
/// acts as the one its program name says. Each takes the storage
/// directory (its path or its name) first.
pub const DOKKU_HELPERS: [&str; 3] = [
    "chown-storage-dir",
    "chmod-storage-dir",
    "destroy-storage-dir",
];

impl RootOp {
    /// The directory name acted on.
    pub fn name(&self) -> &str {
        match self {
            RootOp::Chown { name, .. } | RootOp::Chmod { name, .. } | RootOp::Remove { name } => {
                name
            }
        }
    }

    /// Check every argument.
    pub fn validate(&self) -> Result<()> {
        if !crate::name::is_directory_name(self.name())
            || !dokku_core::fsutil::is_single_segment(self.name())
        {
            return Err(Error::fail(format!(
                "refusing storage operation on {:?}: not a storage directory name",
                self.name()
            )));
        }
        match self {
            RootOp::Chown { uid, .. } if *uid > 65535 => {
                Err(Error::fail("Unsupported chown permissions"))
            }
            RootOp::Chmod { mode, .. } if *mode > 0o7777 => {
                Err(Error::fail(format!("Unsupported directory mode {mode:o}")))
            }
            _ => Ok(()),
        }
    }

    /// The helper's command line.
    pub fn to_args(&self) -> Vec<String> {
        match self {
            RootOp::Chown { name, uid } => vec!["chown".into(), name.clone(), uid.to_string()],
            RootOp::Chmod { name, mode } => {
                vec!["chmod".into(), name.clone(), format!("{mode:04o}")]
            }
            RootOp::Remove { name } => vec!["remove".into(), name.clone()],
        }
    }

    /// The Dokku helper (one of [`DOKKU_HELPERS`]) carrying out this
    /// operation, and its arguments for a storage root `root`.
    pub fn to_dokku_args(&self, root: &Path) -> (&'static str, Vec<String>) {
        let dir = root.join(self.name()).display().to_string();
        match self {
            RootOp::Chown { uid, .. } => (DOKKU_HELPERS[0], vec![dir, uid.to_string()]),
            RootOp::Chmod { mode, .. } => (DOKKU_HELPERS[1], vec![dir, format!("{mode:04o}")]),
            RootOp::Remove { .. } => (DOKKU_HELPERS[2], vec![dir]),
        }
    }

    /// Parse and check the command line of a Dokku helper named `program`
    /// (`chown-storage-dir <dir> <id>`, `chmod-storage-dir <dir> <mode>`,
    /// `destroy-storage-dir <dir>`). `<dir>` is a directory directly below
    /// `root` (its full path) or just its name. `None` when `program` is
    /// not one of them.
    pub fn from_dokku_args(program: &str, root: &Path, args: &[String]) -> Option<Result<Self>> {
        let op = match program {
            "chown-storage-dir" => "chown",
            "chmod-storage-dir" => "chmod",
            "destroy-storage-dir" => "remove",
            _ => return None,
        };
        let Some(dir) = args.first() else {
            return Some(Err(Error::fail(format!(
                "usage: {program} <directory>{}",
                match op {
                    "chown" => " <id>",
                    "chmod" => " <mode>",
                    _ => "",
                }
            ))));
        };
        let name = match Path::new(dir).strip_prefix(root) {
            Ok(rel) => rel.display().to_string(),
            Err(_) if dir.starts_with('/') => {
                return Some(Err(Error::fail(format!(
                    "refusing storage operation on {dir:?}: not below {}",
                    root.display()
                ))))
            }
            Err(_) => dir.clone(),
        };
        let mut v = vec![op.to_string(), name];
        v.extend(args.iter().skip(1).cloned());
        Some(Self::from_args(&v))
    }

    /// Parse and check the helper's command line.
    pub fn from_args(args: &[String]) -> Result<Self> {
        let usage = || {
            Error::fail(format!(
                "usage: {HELPER} chown <name> <uid> | chmod <name> <mode> | remove <name>"
            ))
        };
        let op = match args {
            [op, name, uid] if op == "chown" => {
                let uid = crate::chown::chown_id(uid)?.ok_or_else(usage)?;
                RootOp::Chown {
                    name: name.clone(),
                    uid,
                }
            }
            [op, name, mode] if op == "chmod" => RootOp::Chmod {
                name: name.clone(),
                mode: crate::chown::parse_mode(mode)?,
            },
            [op, name] if op == "remove" => RootOp::Remove { name: name.clone() },
            _ => return Err(usage()),
        };
        op.validate()?;
        Ok(op)
    }
}

/// The checked directory of an operation: below `storage_root`, a real
/// directory, not a symlink. `None` when it does not exist.
fn target(storage_root: &Path, op: &RootOp) -> Result<Option<PathBuf>> {
    op.validate()?;
    let dir = storage_root.join(op.name());
    match fs::symlink_metadata(&dir) {
        Ok(m) if m.file_type().is_symlink() || !m.is_dir() => Err(Error::fail(format!(
            "refusing storage operation on {}: not a directory",
            dir.display()
        ))),
        Ok(_) => Ok(Some(dir)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io("stat", &dir, e)),
    }
}

fn lchown(path: &Path, uid: u32) -> Result<()> {
    nix::unistd::fchownat(
        None,
        path,
        Some(Uid::from_raw(uid)),
        Some(Gid::from_raw(uid)),
        AtFlags::AT_SYMLINK_NOFOLLOW,
    )
    .map_err(|e| Error::io("chown", path, std::io::Error::from(e)))
}

fn chown_tree(dir: &Path, uid: u32, root_dev: u64) -> Result<()> {
    lchown(dir, uid)?;
    let rd = fs::read_dir(dir).map_err(|e| Error::io("read directory", dir, e))?;
    for e in rd {
        let e = e.map_err(|err| Error::io("read directory", dir, err))?;
        let p = e.path();
        let m = fs::symlink_metadata(&p).map_err(|err| Error::io("stat", &p, err))?;
        if m.is_dir() && m.dev() == root_dev {
            chown_tree(&p, uid, root_dev)?;
        } else {
            lchown(&p, uid)?;
        }
    }
    Ok(())
}

/// Carry out an operation as root, below `storage_root`.
pub fn apply(storage_root: &Path, op: &RootOp) -> Result<()> {
    let Some(dir) = target(storage_root, op)? else {
        return match op {
            RootOp::Remove { .. } => Ok(()),
            _ => Err(Error::fail(format!(
                "storage directory {} does not exist",
                storage_root.join(op.name()).display()
            ))),
        };
    };
    match op {
        RootOp::Chown { uid, .. } => {
            let dev = fs::symlink_metadata(&dir)
                .map_err(|e| Error::io("stat", &dir, e))?
                .dev();
            chown_tree(&dir, *uid, dev)
        }
        RootOp::Chmod { mode, .. } => {
            let fd = nix::fcntl::open(
                &dir,
                OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW,
                Mode::empty(),
            )
            .map_err(|e| Error::io("open", &dir, std::io::Error::from(e)))?;
            let r = nix::sys::stat::fchmod(fd, Mode::from_bits_truncate(*mode));
            let _ = nix::unistd::close(fd);
            r.map_err(|e| Error::io("chmod", &dir, std::io::Error::from(e)))
        }
        RootOp::Remove { .. } => {
            fs::remove_dir_all(&dir).map_err(|e| Error::io("remove directory", &dir, e))
        }
    }
}

fn helper_path() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join(HELPER)))
        .filter(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("/usr/bin").join(HELPER))
}

/// Check and carry out an operation: directly when root, else through
/// sudo: Dokku's helper `$PLUGIN_AVAILABLE_PATH/storage/bin/<helper>
/// <dir> ...` (the command the sudoers file of the install lists) when it
/// is installed, else `dokku-storage-helper <op> <name> ...`.
pub fn run(paths: &Paths, op: &RootOp) -> Result<()> {
    op.validate()?;
    let root = crate::entry::storage_root(paths);
    if dokku_core::system::is_root() {
        return apply(&root, op);
    }
    let (name, dokku_args) = op.to_dokku_args(&root);
    let dokku_helper = paths.plugin_available.join("storage/bin").join(name);
    let (program, args) = if dokku_trigger::external::is_executable(&dokku_helper) {
        (dokku_helper, dokku_args)
    } else {
        (helper_path(), op.to_args())
    };
    let status = Command::new("sudo")
        .arg("-n")
        .arg(&program)
        .args(&args)
        .status()
        .map_err(|e| Error::io("run", &program, e))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::fail(format!(
            "{} {} failed",
            program.display(),
            args.join(" ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    use dokku_core::args::owned as v;

    #[test]
    fn arguments_are_checked() {
        let e = |a: &[&str]| RootOp::from_args(&v(a)).expect_err("refused").to_string();
        assert!(e(&["chown", "..", "0"]).contains("not a storage directory name"));
        assert!(e(&["chown", "a/b", "0"]).contains("not a storage directory name"));
        assert!(e(&["remove", "."]).contains("not a storage directory name"));
        assert!(e(&["remove", ""]).contains("not a storage directory name"));
        assert_eq!(e(&["chown", "a", "65536"]), "Unsupported chown permissions");
        assert_eq!(e(&["chown", "a", "-1"]), "Unsupported chown permissions");
        assert!(e(&["chmod", "a", "999"]).starts_with("Unsupported directory mode \"999\""));
        assert!(e(&["chmod", "a", "u+rwx"]).starts_with("Unsupported directory mode"));
        assert!(e(&["rm", "-rf", "/"]).starts_with("usage:"));
        assert_eq!(
            RootOp::from_args(&v(&["chown", "a", "herokuish"])).expect("ok"),
            RootOp::Chown {
                name: "a".into(),
                uid: 32767
            }
        );
        let op = RootOp::Chmod {
            name: "a".into(),
            mode: 0o770,
        };
        assert_eq!(RootOp::from_args(&op.to_args()).expect("round trip"), op);
    }

    #[test]
    fn dokku_helpers_take_the_directory_first() {
        let root = Path::new("/var/lib/dokku/data/storage");
        let p = |prog: &str, a: &[&str]| RootOp::from_dokku_args(prog, root, &v(a));
        assert_eq!(
            p(
                "chown-storage-dir",
                &["/var/lib/dokku/data/storage/db", "32767"]
            )
            .expect("known")
            .expect("ok"),
            RootOp::Chown {
                name: "db".into(),
                uid: 32767
            }
        );
        assert_eq!(
            p("chmod-storage-dir", &["db", "0750"])
                .expect("known")
                .expect("ok"),
            RootOp::Chmod {
                name: "db".into(),
                mode: 0o750
            }
        );
        assert_eq!(
            p("destroy-storage-dir", &["/var/lib/dokku/data/storage/db"])
                .expect("known")
                .expect("ok"),
            RootOp::Remove { name: "db".into() }
        );
        let e =
            |prog: &str, a: &[&str]| p(prog, a).expect("known").expect_err("refused").to_string();
        assert!(e("destroy-storage-dir", &["/etc"]).contains("not below"));
        assert!(
            e("destroy-storage-dir", &["/var/lib/dokku/data/storage/a/b"])
                .contains("not a storage directory name")
        );
        assert!(
            e("destroy-storage-dir", &["/var/lib/dokku/data/storage/../x"])
                .contains("not a storage directory name")
        );
        assert!(e("chown-storage-dir", &[]).starts_with("usage: chown-storage-dir"));
        assert!(p("rm", &["x"]).is_none());
        for op in [
            RootOp::Chown {
                name: "db".into(),
                uid: 5,
            },
            RootOp::Chmod {
                name: "db".into(),
                mode: 0o700,
            },
            RootOp::Remove { name: "db".into() },
        ] {
            let (prog, args) = op.to_dokku_args(root);
            assert!(DOKKU_HELPERS.contains(&prog));
            assert_eq!(
                RootOp::from_dokku_args(prog, root, &args)
                    .expect("known")
                    .expect("round trip"),
                op
            );
        }
    }

    #[test]
    fn operations_stay_below_the_root_and_skip_symlinks() {
        let d = tempfile::tempdir().expect("tempdir");
        let root = d.path().join("storage");
        let outside = d.path().join("outside");
        fs::create_dir_all(root.join("data/sub")).expect("mkdir");
        fs::create_dir_all(&outside).expect("mkdir");
        fs::write(root.join("data/sub/f"), "x").expect("write");
        std::os::unix::fs::symlink(&outside, root.join("data/link")).expect("symlink");
        std::os::unix::fs::symlink(&outside, root.join("evil")).expect("symlink");

        apply(
            &root,
            &RootOp::Chown {
                name: "data".into(),
                uid: 32767,
            },
        )
        .expect("chown");
        assert_eq!(
            fs::metadata(root.join("data/sub/f")).expect("meta").uid(),
            32767
        );
        assert_eq!(
            fs::symlink_metadata(root.join("data/link"))
                .expect("meta")
                .uid(),
            32767
        );
        assert_eq!(
            fs::metadata(&outside).expect("meta").uid(),
            0,
            "symlink target untouched"
        );

        apply(
            &root,
            &RootOp::Chmod {
                name: "data".into(),
                mode: 0o770,
            },
        )
        .expect("chmod");
        assert_eq!(
            fs::metadata(root.join("data"))
                .expect("meta")
                .permissions()
                .mode()
                & 0o7777,
            0o770
        );

        for op in [
            RootOp::Chown {
                name: "evil".into(),
                uid: 1,
            },
            RootOp::Chmod {
                name: "evil".into(),
                mode: 0o777,
            },
            RootOp::Remove {
                name: "evil".into(),
            },
        ] {
            assert!(apply(&root, &op)
                .expect_err("symlink refused")
                .to_string()
                .contains("not a directory"));
        }
        assert_eq!(fs::metadata(&outside).expect("meta").uid(), 0);

        apply(
            &root,
            &RootOp::Remove {
                name: "data".into(),
            },
        )
        .expect("remove");
        assert!(!root.join("data").exists());
        assert!(outside.exists());
        apply(
            &root,
            &RootOp::Remove {
                name: "data".into(),
            },
        )
        .expect("missing is fine");
    }
}
