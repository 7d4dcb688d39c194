//! `config:bundle`: an environment as a tar archive, one regular file per
//! variable, named after it and holding its value.

use dokku_core::{Error, Result};

use crate::envfile::Env;

/// The archive bytes: entries in key order, mode 0600, owned by 0:0,
/// modification time 0, ending with the two zero blocks.
pub fn tar(env: &Env) -> Result<Vec<u8>> {
    let mut b = tar::Builder::new(Vec::new());
    for (key, value) in env {
        let mut h = tar::Header::new_ustar();
        h.set_entry_type(tar::EntryType::Regular);
        h.set_size(value.len() as u64);
        h.set_mode(0o600);
        h.set_mtime(0);
        h.set_uid(0);
        h.set_gid(0);
        b.append_data(&mut h, key, value.as_bytes())
            .map_err(|e| Error::other(format!("bundle {key}"), e))?;
    }
    b.into_inner().map_err(|e| Error::other("bundle", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn one_file_per_key() {
        let env = crate::envfile::env_of(&[("A", "1"), ("MULTI", "x\ny\n"), ("EMPTY", "")]);
        let bytes = tar(&env).expect("tar");
        assert_eq!(bytes.len() % 512, 0);
        let mut ar = tar::Archive::new(bytes.as_slice());
        let mut got = Vec::new();
        for e in ar.entries().expect("entries") {
            let mut e = e.expect("entry");
            let mut s = String::new();
            e.read_to_string(&mut s).expect("read");
            let h = e.header();
            assert_eq!(h.mode().expect("mode"), 0o600);
            assert_eq!(h.entry_type(), tar::EntryType::Regular);
            got.push((e.path().expect("path").display().to_string(), s));
        }
        assert_eq!(
            got,
            vec![
                ("A".to_string(), "1".to_string()),
                ("EMPTY".into(), "".into()),
                ("MULTI".into(), "x\ny\n".into())
            ]
        );
        assert_eq!(tar(&Env::new()).expect("empty").len(), 1024);
    }
}
