//! A language client for tests and the benchmark: it starts a server
//! process and speaks JSON-RPC to it over its standard input and output,
//! with the protocol's `Content-Length` framing, as an editor does.
//!
//! Only std and serde_json, so that `bench/lsp.rs` can include it too.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any one answer may take before a test fails rather than hangs.
pub const PATIENCE: Duration = Duration::from_secs(20);

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Notifications received while waiting for something else.
    pending: VecDeque<Value>,
    next_id: i64,
}

/// Reads framed messages until the stream ends.
fn read_messages(stdout: impl Read, sender: mpsc::Sender<Value>) {
    let mut reader = BufReader::new(stdout);
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = value.parse::<usize>().ok();
            }
        }
        let Some(length) = length else { return };
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let Ok(message) = serde_json::from_slice(&body) else {
            return;
        };
        if sender.send(message).is_err() {
            return;
        }
    }
}

impl Client {
    /// Starts `command` (which should be `track2 lsp`) as the server.
    pub fn start(mut command: Command) -> Client {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        let stdout = child.stdout.take().expect("a piped stdout");
        let (sender, incoming) = mpsc::channel();
        std::thread::spawn(move || read_messages(stdout, sender));
        Client {
            stdin: child.stdin.take(),
            child,
            incoming,
            pending: VecDeque::new(),
            next_id: 0,
        }
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).expect("JSON");
        let stdin = self.stdin.as_mut().expect("the server's input is open");
        stdin
            .write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes())
            .and_then(|()| stdin.write_all(&body))
            .and_then(|()| stdin.flush())
            .expect("the server reads its input");
    }

    /// The next message from the server, answering its own requests (to
    /// register file watchers) as an editor would.
    fn receive(&mut self, deadline: Instant) -> Value {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = match self.incoming.recv_timeout(left) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => panic!("the server did not answer in time"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
            };
            if message.get("method").is_some() && message.get("id").is_some() {
                let id = message["id"].clone();
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
                continue;
            }
            return message;
        }
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + PATIENCE;
        loop {
            let message = self.receive(deadline);
            if message.get("id") == Some(&json!(id)) {
                return message;
            }
            self.pending.push_back(message);
        }
    }

    /// Sends a request and returns its result; an error response fails.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params);
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    /// The first message for which `wanted` holds, received already or
    /// coming; the others are kept for later calls.
    pub fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.pending.iter().position(&wanted) {
            return self.pending.remove(at).expect("a message at that place");
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            let message = self.receive(deadline);
            if wanted(&message) {
                return message;
            }
            self.pending.push_back(message);
        }
    }

    /// The messages received while waiting for others and not yet asked
    /// for, oldest first.
    pub fn unclaimed(&self) -> &VecDeque<Value> {
        &self.pending
    }

    /// The next diagnostics published for `uri` (at `version`, if given).
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let published = self.wait_for(|message| {
            message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
                && version.is_none_or(|version| message["params"]["version"] == json!(version))
        });
        published["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// `initialize` offering `encodings`, with `options` as
    /// `initializationOptions`; then `initialized`. Returns the result.
    pub fn initialize(&mut self, encodings: &[&str], options: Value) -> Value {
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": {
                    "general": {"positionEncodings": encodings},
                    "textDocument": {"completion": {"completionItem": {"snippetSupport": true}}},
                    "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}
                },
                "initializationOptions": options
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    pub fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "track2", "version": version, "text": text}}),
        );
    }

    /// Replaces `range` (`[[line, character], [line, character]]` in the
    /// negotiated encoding) with `text`.
    pub fn change(&mut self, uri: &str, version: i64, range: [[u32; 2]; 2], text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{
                    "range": {
                        "start": {"line": range[0][0], "character": range[0][1]},
                        "end": {"line": range[1][0], "character": range[1][1]}
                    },
                    "text": text
                }]
            }),
        );
    }

    /// `shutdown`, then `exit`; the server's exit status.
    pub fn shutdown(mut self) -> ExitStatus {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.wait()
    }

    /// Closes the server's input and waits for it to end.
    pub fn wait(mut self) -> ExitStatus {
        drop(self.stdin.take());
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("the server can be waited for") {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // A test that failed halfway leaves no server behind.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The `file:` URI of an absolute path.
pub fn uri(path: &std::path::Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_str().expect("a UTF-8 path").bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => uri.push(byte as char),
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}
