//! Base64 decoding for `config:set --encoded`, with the rules and error
//! offsets of Go's `base64.StdEncoding.DecodeString`, which Dokku uses: the
//! standard alphabet, `=` padding required, line feeds and carriage returns
//! ignored anywhere.

/// The input byte at which decoding failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("illegal base64 data at input byte {0}")]
pub struct CorruptInput(pub usize);

fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

fn skip_newlines(src: &[u8], mut si: usize) -> usize {
    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
        si += 1;
    }
    si
}

/// Decode `src` exactly as Go's standard decoder does.
pub fn decode(src: &[u8]) -> Result<Vec<u8>, CorruptInput> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    loop {
        let mut quad = [0u8; 4];
        let mut len = 4;
        let mut trailing = None;
        let mut j = 0;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(CorruptInput(si - j));
            }
            let c = src[si];
            si += 1;
            if let Some(v) = sextet(c) {
                quad[j] = v;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' || j < 2 {
                return Err(CorruptInput(si - 1));
            }
            if j == 2 {
                si = skip_newlines(src, si);
                if si == src.len() {
                    return Err(CorruptInput(src.len()));
                }
                if src[si] != b'=' {
                    return Err(CorruptInput(si - 1));
                }
                si += 1;
            }
            si = skip_newlines(src, si);
            if si < src.len() {
                trailing = Some(CorruptInput(si));
            }
            len = j;
            break;
        }
        let v = u32::from(quad[0]) << 18
            | u32::from(quad[1]) << 12
            | u32::from(quad[2]) << 6
            | u32::from(quad[3]);
        let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
        out.extend_from_slice(&bytes[..len - 1]);
        if let Some(e) = trailing {
            return Err(e);
        }
        if len < 4 {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, expected: Result<&[u8], usize>) {
        assert_eq!(
            decode(input.as_bytes()),
            expected.map(<[u8]>::to_vec).map_err(CorruptInput),
            "{input:?}"
        );
    }

    #[test]
    fn valid_inputs() {
        check("", Ok(b""));
        check("YQ==", Ok(b"a"));
        check("YWI=", Ok(b"ab"));
        check("YWJj", Ok(b"abc"));
        check("bXl2YWx1ZQ==", Ok(b"myvalue"));
        check("bXl2YWx1ZQo=", Ok(b"myvalue\n"));
        check("YW\nJj\r\n", Ok(b"abc"));
        check("YQ=\n=", Ok(b"a"));
        check("/+8=", Ok(&[0xff, 0xef]));
    }

    #[test]
    fn go_error_offsets() {
        check("YQ", Err(0));
        check("YWJ", Err(0));
        check("Y", Err(0));
        check("YWJjZ", Err(4));
        check("YQ=", Err(3));
        check("YQ=x", Err(2));
        check("=", Err(0));
        check("Y===", Err(1));
        check("YQ==YQ==", Err(4));
        check("ab!c", Err(2));
        check("not base64!", Err(3));
        check("YWJj\nYQ==\n\nx", Err(11));
    }

    #[test]
    fn message() {
        assert_eq!(
            CorruptInput(4).to_string(),
            "illegal base64 data at input byte 4"
        );
    }
}
