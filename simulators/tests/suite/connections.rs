//! The simulators' server holds up against connections that hog it: idle ones, slow request
//! heads, keep-alive connections left open, and more connections than it may hold. Real
//! sockets on 127.0.0.1; every wait is bounded by a watchdog.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use simulators::serve::{ConnectionCounts, ConnectionLimits, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common;

/// Far beyond the 1 s header timeout of these tests: reaching it means "never closed".
const WATCHDOG: Duration = Duration::from_secs(20);

async fn start(max_connections: usize) -> (String, Arc<ConnectionCounts>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let counts = Arc::new(ConnectionCounts::default());
    let limits = ConnectionLimits {
        header_timeout: Duration::from_secs(1),
        max_connections,
    };
    let app = simulators::app(common::sim().state.clone());
    tokio::spawn(serve(listener, app, limits, counts.clone(), async {
        tokio::time::sleep(Duration::from_secs(120)).await
    }));
    (addr, counts)
}

/// Reads until the server closes the connection; returns what it sent.
async fn until_closed(c: &mut TcpStream) -> String {
    let mut all = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(WATCHDOG, c.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return String::from_utf8_lossy(&all).into_owned(),
            Ok(Ok(n)) => all.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the server never closed the connection"),
        }
    }
}

const REQUEST: &[u8] = b"GET /nowhere HTTP/1.1\r\nhost: x\r\n\r\n";

#[tokio::test]
async fn idle_slow_and_kept_alive_connections_are_closed() {
    let (addr, _) = start(64).await;
    // Connected, nothing sent.
    let mut idle = TcpStream::connect(&addr).await.unwrap();
    // Half a request head, then silence (slowloris).
    let mut slow = TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET /nowhere HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    // A whole request answered, then the connection left open.
    let mut kept = TcpStream::connect(&addr).await.unwrap();
    kept.write_all(REQUEST).await.unwrap();
    assert_eq!(until_closed(&mut idle).await, "");
    let answered = until_closed(&mut kept).await;
    assert!(answered.starts_with("HTTP/1.1 404"), "{answered}");
    let refused = until_closed(&mut slow).await;
    assert!(!refused.contains("200"), "{refused}");
}

#[tokio::test]
async fn beyond_the_limit_connections_are_closed_and_service_goes_on() {
    let (addr, counts) = start(4).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(&addr).await.unwrap());
    }
    // Wait until the four are accepted, then a fifth is closed at once.
    while counts.accepted.load(Ordering::Relaxed) < 4 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut fifth = TcpStream::connect(&addr).await.unwrap();
    let _ = fifth.write_all(REQUEST).await;
    assert_eq!(until_closed(&mut fifth).await, "");
    assert_eq!(counts.refused.load(Ordering::Relaxed), 1);
    // Once the held ones time out, service resumes.
    for c in &mut held {
        until_closed(c).await;
    }
    let mut next = TcpStream::connect(&addr).await.unwrap();
    next.write_all(REQUEST).await.unwrap();
    assert!(until_closed(&mut next).await.starts_with("HTTP/1.1 404"));
}
