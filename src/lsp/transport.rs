//! The protocol's framing on a byte stream: `Content-Length` headers, then
//! a JSON-RPC body.
//!
//! `lsp-server`'s own reader ends the connection on the first malformed
//! message and sizes its buffer from whatever length a header claims. This
//! one reads headers and bodies within fixed bounds, and turns every
//! malformed message into an [`Incoming::Invalid`] the server answers or
//! logs, then goes on with the next message: after a header it cannot
//! read, it skips to the next `Content-Length` header.

use std::io::{self, BufRead, Read, Write};

use lsp_server::{ErrorCode, Message};
use serde_json::Value;

/// The longest header line read (`Content-Length: …` is about 30 bytes).
pub const MAX_HEADER_LINE: usize = 1024;
/// The most header lines in one message.
pub const MAX_HEADER_LINES: usize = 16;
/// The largest body read: far above a page at the default `max-page-size`
/// (256 KiB), room for a book that raises it to a few MiB even when JSON
/// escaping doubles the text.
pub const MAX_BODY: usize = 64 << 20;

/// What the reader makes of the next message.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// A message that could not be used. `respond` is set when JSON-RPC
    /// asks for an error response (a body that is not JSON, or not a
    /// request, notification or response); the id is the request's when
    /// it could be read, otherwise `null`. Otherwise (bad framing) the
    /// server logs `why`.
    Invalid {
        respond: Option<(Value, ErrorCode)>,
        why: String,
    },
}

/// Reads messages from `inner` until its end.
pub struct Reader<R> {
    inner: R,
    /// After a header that could not be read: look for the next one.
    lost: bool,
}

impl<R: BufRead> Reader<R> {
    pub fn new(inner: R) -> Reader<R> {
        Reader { inner, lost: false }
    }

    /// The next message, or `None` at the end of the stream (or when it
    /// ends inside a message).
    pub fn read(&mut self) -> io::Result<Option<Incoming>> {
        let length = match self.header()? {
            None => return Ok(None),
            Some(Ok(length)) => length,
            Some(Err(why)) => {
                self.lost = true;
                return Ok(Some(Incoming::Invalid { respond: None, why }));
            }
        };
        if length > MAX_BODY {
            // Skipped, not stored: the stream stays in step.
            let skipped = io::copy(&mut (&mut self.inner).take(length as u64), &mut io::sink())?;
            if skipped < length as u64 {
                return Ok(None);
            }
            return Ok(Some(Incoming::Invalid {
                respond: Some((Value::Null, ErrorCode::InvalidRequest)),
                why: format!(
                    "a message of {length} bytes, over the {MAX_BODY} byte limit; it was skipped"
                ),
            }));
        }
        let mut body = vec![0; length];
        if let Err(e) = self.inner.read_exact(&mut body) {
            return match e.kind() {
                io::ErrorKind::UnexpectedEof => Ok(None),
                _ => Err(e),
            };
        }
        Ok(Some(classify(&body)))
    }

    /// One header block: the body's length, or why the block is not a
    /// header; `None` at the end of the stream.
    fn header(&mut self) -> io::Result<Option<Result<usize, String>>> {
        let mut length = None;
        let mut lines = 0;
        loop {
            let Some(line) = self.line()? else {
                return Ok(None);
            };
            let mut line = line.as_slice();
            if self.lost {
                // Junk until a header starts, which may be just after the
                // end of a body, on the same line.
                match memchr::memmem::find(line, b"Content-Length:") {
                    Some(at) => {
                        line = &line[at..];
                        self.lost = false;
                    }
                    None => continue,
                }
            }
            let Some(text) = line
                .strip_suffix(b"\r\n")
                .or_else(|| line.strip_suffix(b"\n"))
            else {
                return Ok(Some(Err(format!(
                    "a header line longer than {MAX_HEADER_LINE} bytes, or cut off: {}",
                    shown(line)
                ))));
            };
            if text.is_empty() {
                if lines == 0 {
                    // A blank line between messages.
                    continue;
                }
                return Ok(Some(
                    length.ok_or_else(|| "a header without Content-Length".to_string()),
                ));
            }
            lines += 1;
            if lines > MAX_HEADER_LINES {
                return Ok(Some(Err(format!(
                    "more than {MAX_HEADER_LINES} header lines"
                ))));
            }
            let text = String::from_utf8_lossy(text);
            let Some((name, value)) = text.split_once(':') else {
                return Ok(Some(Err(format!(
                    "a header line without `:`: {}",
                    shown(line)
                ))));
            };
            if name.trim().eq_ignore_ascii_case("Content-Length") {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => {
                        return Ok(Some(Err(format!(
                            "Content-Length is not a length: {}",
                            shown(value.as_bytes())
                        ))));
                    }
                }
            }
        }
    }

    /// One line, at most [`MAX_HEADER_LINE`] bytes (a longer one comes in
    /// pieces, without its line ending); `None` at the end of the stream.
    fn line(&mut self) -> io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        (&mut self.inner)
            .take(MAX_HEADER_LINE as u64)
            .read_until(b'\n', &mut line)?;
        Ok((!line.is_empty()).then_some(line))
    }
}

/// A short, printable excerpt of bytes for a message.
fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(60)]);
    format!("{:?}", text.trim_end())
}

/// A body as a message, or why it is none.
fn classify(body: &[u8]) -> Incoming {
    let invalid = |id: Value, code: ErrorCode, why: String| Incoming::Invalid {
        respond: Some((id, code)),
        why,
    };
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return invalid(
                Value::Null,
                ErrorCode::ParseError,
                format!("a message that is not JSON: {e}"),
            );
        }
    };
    let Value::Object(object) = &value else {
        return invalid(
            Value::Null,
            ErrorCode::InvalidRequest,
            "a message that is not a JSON object (batches are not part of the protocol)"
                .to_string(),
        );
    };
    let id = object.get("id").cloned().unwrap_or(Value::Null);
    let usable_id =
        matches!(&id, Value::String(_)) || id.as_i64().is_some_and(|n| i32::try_from(n).is_ok());
    let kind = if object.contains_key("method") {
        if !object["method"].is_string() {
            return invalid(
                id,
                ErrorCode::InvalidRequest,
                "a message whose `method` is not a string".to_string(),
            );
        }
        if id.is_null() {
            "notification"
        } else if usable_id {
            "request"
        } else {
            return invalid(
                Value::Null,
                ErrorCode::InvalidRequest,
                format!("a request whose id is not a string or a 32-bit integer: {id}"),
            );
        }
    } else if object.contains_key("result") || object.contains_key("error") {
        "response"
    } else {
        return invalid(
            id,
            ErrorCode::InvalidRequest,
            "a message with neither `method` nor `result`".to_string(),
        );
    };
    let parsed = match kind {
        "request" => serde_json::from_value(value).map(Message::Request),
        "notification" => serde_json::from_value(value).map(Message::Notification),
        _ => serde_json::from_value(value).map(Message::Response),
    };
    match parsed {
        Ok(m) => Incoming::Message(m),
        Err(e) => invalid(
            if kind == "request" { id } else { Value::Null },
            ErrorCode::InvalidRequest,
            format!("a {kind} that cannot be read: {e}"),
        ),
    }
}

/// Write one message with its header.
pub fn write(out: &mut impl Write, message: &Message) -> io::Result<()> {
    message.write(out)?;
    out.flush()
}

/// Write an error response whose id may be `null` (which `lsp-server`'s
/// own response cannot carry).
pub fn write_error(out: &mut impl Write, id: &Value, code: ErrorCode, why: &str) -> io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code as i32, "message": why },
    })
    .to_string();
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn read_all(input: &[u8]) -> Vec<String> {
        let mut r = Reader::new(input);
        let mut out = Vec::new();
        while let Some(m) = r.read().unwrap() {
            out.push(match m {
                Incoming::Message(Message::Request(r)) => format!("request {}", r.method),
                Incoming::Message(Message::Notification(n)) => format!("notification {}", n.method),
                Incoming::Message(Message::Response(r)) => format!("response {}", r.id),
                Incoming::Invalid {
                    respond: Some((id, code)),
                    ..
                } => format!("error {id} {}", code as i32),
                Incoming::Invalid { respond: None, .. } => "log".to_string(),
            });
        }
        out
    }

    /// Every kind of malformed input is reported, and the good message
    /// after it is still read.
    #[test]
    fn every_malformed_kind_is_reported_and_reading_goes_on() {
        let good = frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#);
        let huge = format!(
            "Content-Length: {}\r\n\r\n{}",
            MAX_BODY + 1,
            "x".repeat(MAX_BODY + 1)
        );
        let table: Vec<(&str, String, &str)> = vec![
            ("not JSON", frame("{not json"), "error null -32700"),
            ("a JSON array", frame("[1,2]"), "error null -32600"),
            ("a JSON number", frame("5"), "error null -32600"),
            (
                "no method, no result",
                frame(r#"{"jsonrpc":"2.0","id":3}"#),
                "error 3 -32600",
            ),
            (
                "method not a string",
                frame(r#"{"id":4,"method":7}"#),
                "error 4 -32600",
            ),
            (
                "id an object",
                frame(r#"{"id":{},"method":"x"}"#),
                "error null -32600",
            ),
            (
                "id too large",
                frame(r#"{"id":99999999999,"method":"x"}"#),
                "error null -32600",
            ),
            (
                "header without length",
                "Content-Type: x\r\n\r\n{}".into(),
                "log",
            ),
            (
                "length not a number",
                "Content-Length: abc\r\n\r\n{}".into(),
                "log",
            ),
            ("header without colon", "Garbage\r\n\r\n".into(), "log"),
            (
                "header line too long",
                format!("X-{}: 1\r\n\r\n", "a".repeat(5000)),
                "log",
            ),
            (
                "too many header lines",
                "X: 1\r\n".repeat(40) + "\r\n",
                "log",
            ),
            ("huge body", huge, "error null -32600"),
        ];
        let mut table: Vec<(&str, Vec<u8>, &str)> = table
            .into_iter()
            .map(|(what, bad, expected)| (what, bad.into_bytes(), expected))
            .collect();
        table.push((
            "not UTF-8",
            b"Content-Length: 2\r\n\r\n\xff\xfe".to_vec(),
            "error null -32700",
        ));
        for (what, bad, expected) in &table {
            let input = [bad.as_slice(), good.as_bytes()].concat();
            let got = read_all(&input);
            assert_eq!(
                got.first().map(String::as_str),
                Some(*expected),
                "{what}: {got:?}"
            );
            assert_eq!(
                got.last().map(String::as_str),
                Some("notification initialized"),
                "{what}: {got:?}"
            );
        }
    }

    #[test]
    fn good_messages_of_each_kind() {
        let input = [
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#),
            "\r\n".to_string(),
            frame(r#"{"jsonrpc":"2.0","id":"a","result":null}"#),
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
        ]
        .concat();
        assert_eq!(
            read_all(input.as_bytes()),
            ["request initialize", "response \"a\"", "notification exit"]
        );
        // A stream that ends inside a message ends the reading.
        assert!(read_all(b"Content-Length: 10\r\n\r\n{}").is_empty());
    }
}
