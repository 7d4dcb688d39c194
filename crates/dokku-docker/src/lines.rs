//! Splits chunks of engine output into the lines handed to callers.

/// Buffers bytes until a `\n` completes a line; hands out each line without
/// its `\n` (or `\r\n`), invalid UTF-8 replaced.
#[derive(Debug, Default)]
pub(crate) struct LineBuffer {
    pending: Vec<u8>,
}

impl LineBuffer {
    /// Adds a chunk and emits every line it completes.
    pub(crate) fn push(&mut self, chunk: &[u8], emit: &mut dyn FnMut(&str)) {
        let mut rest = chunk;
        while let Some(pos) = rest.iter().position(|b| *b == b'\n') {
            let (line, tail) = rest.split_at(pos);
            rest = &tail[1..];
            if self.pending.is_empty() {
                emit_line(line, emit);
            } else {
                self.pending.extend_from_slice(line);
                let line = std::mem::take(&mut self.pending);
                emit_line(&line, emit);
            }
        }
        self.pending.extend_from_slice(rest);
    }

    /// Emits what is left as a last line, if anything.
    pub(crate) fn finish(&mut self, emit: &mut dyn FnMut(&str)) {
        if !self.pending.is_empty() {
            let line = std::mem::take(&mut self.pending);
            emit_line(&line, emit);
        }
    }
}

fn emit_line(line: &[u8], emit: &mut dyn FnMut(&str)) {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    emit(&String::from_utf8_lossy(line));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(chunks: &[&str], expected: &[&str]) {
        let mut lines = Vec::new();
        let mut buffer = LineBuffer::default();
        for chunk in chunks {
            buffer.push(chunk.as_bytes(), &mut |l| lines.push(l.to_string()));
        }
        buffer.finish(&mut |l| lines.push(l.to_string()));
        assert_eq!(lines, expected, "chunks {chunks:?}");
    }

    #[test]
    fn splits_and_joins_chunks_into_lines() {
        check(&[], &[]);
        check(&["one\ntwo\n"], &["one", "two"]);
        check(&["on", "e\ntw", "o"], &["one", "two"]);
        check(&["a\r\n", "\n", "b\r"], &["a", "", "b"]);
        check(
            &["Step 1/3 : FROM scratch\n ---> \n"],
            &["Step 1/3 : FROM scratch", " ---> "],
        );
    }
}
