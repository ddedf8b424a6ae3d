//! Small hostile servers on 127.0.0.1 for the hardening tests: a closed port, a port that
//! accepts and never answers, and a server that answers every request with what a closure
//! writes (an echo of the request, a huge or endless body, a slow drip). Each stops when
//! dropped, and by itself after two minutes at most.

#![allow(clippy::unwrap_used, dead_code)] // tests: a failed unwrap is a failed test

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The longest any hostile server lives.
const LIFETIME: Duration = Duration::from_secs(120);

/// A port nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A request as the server read it: the head (request line and headers) and the body.
#[derive(Debug, Clone)]
pub struct Request {
    pub head: String,
    pub body: Vec<u8>,
}

impl Request {
    pub fn path(&self) -> &str {
        self.head.split_whitespace().nth(1).unwrap_or_default()
    }
}

/// What the server does with a connection once it has read a request.
pub type Respond = dyn Fn(&Request, &mut TcpStream) + Send + Sync;

/// A server on 127.0.0.1; `base` is `http://127.0.0.1:port`.
#[derive(Debug)]
pub struct Hostile {
    pub base: String,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Hostile {
    /// Accepts connections and never answers (nor closes them) until dropped.
    pub fn silent() -> Hostile {
        Hostile::start(None)
    }

    /// Answers each request with `respond`, one thread per connection.
    pub fn answering(
        respond: impl Fn(&Request, &mut TcpStream) + Send + Sync + 'static,
    ) -> Hostile {
        Hostile::start(Some(Arc::new(respond)))
    }

    fn start(respond: Option<Arc<Respond>>) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let began = Instant::now();
            let mut held = Vec::new();
            while !flag.load(Ordering::Relaxed) && began.elapsed() < LIFETIME {
                match listener.accept() {
                    Ok((conn, _)) => match &respond {
                        None => held.push(conn),
                        Some(r) => {
                            let r = r.clone();
                            let flag = flag.clone();
                            std::thread::spawn(move || serve(conn, &*r, &flag));
                        }
                    },
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Hostile {
            base,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(mut conn: TcpStream, respond: &Respond, stop: &AtomicBool) {
    conn.set_nonblocking(false).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    while !stop.load(Ordering::Relaxed) {
        let Some(req) = read_request(&mut conn) else {
            return;
        };
        respond(&req, &mut conn);
        if conn.flush().is_err() {
            return;
        }
    }
}

/// Reads one HTTP/1.1 request (head, then a body of Content-Length bytes, at most 1 MB).
fn read_request(conn: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if buf.len() > 64 * 1024 || conn.read(&mut byte).ok()? == 0 {
            return None;
        }
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).to_string();
    let len = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0)
        .min(1 << 20);
    let mut body = vec![0; len];
    conn.read_exact(&mut body).ok()?;
    Some(Request { head, body })
}

/// Writes a whole answer with its length.
pub fn answer(conn: &mut TcpStream, status: u16, content_type: &str, body: &[u8]) {
    let _ = write!(
        conn,
        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    let _ = conn.write_all(body);
}

/// Writes a head announcing `len` bytes of JSON, then `len` bytes of a JSON string (or fewer
/// if the reader hangs up): a huge answer made on the fly.
pub fn huge_json(conn: &mut TcpStream, status: u16, len: usize) {
    let _ = write!(
        conn,
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {len}\r\n\r\n"
    );
    let chunk = vec![b'a'; 64 * 1024];
    let mut left = len.saturating_sub(2);
    if conn.write_all(b"\"").is_err() {
        return;
    }
    while left > 0 {
        let n = left.min(chunk.len());
        if conn.write_all(&chunk[..n]).is_err() {
            return;
        }
        left -= n;
    }
    let _ = conn.write_all(b"\"");
}

/// Writes a JSON string for ever, without announcing a length (read until the close): only
/// the reader's own cap stops it (or the server's lifetime).
pub fn endless_json(conn: &mut TcpStream, status: u16) {
    let _ = write!(
        conn,
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n\""
    );
    let chunk = vec![b'a'; 64 * 1024];
    let began = Instant::now();
    while began.elapsed() < LIFETIME && conn.write_all(&chunk).is_ok() {}
    let _ = conn.shutdown(std::net::Shutdown::Both);
}
