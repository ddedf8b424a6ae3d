//! A throwaway PostgreSQL server for benchmarks and trials (Debian's binaries, a temporary
//! folder, an unprivileged user, a loopback port): `cargo run --release -p harness --example
//! pg_cluster -- NAME` creates database NAME, prints its `[store]` lines and waits; the server
//! stops and its folder goes when standard input closes (Ctrl-D) or the process ends.

#![allow(clippy::unwrap_used)] // a benchmark fixture: a failed unwrap is a failed run

use std::io::Read;

fn main() {
    let name = std::env::args().nth(1).unwrap_or_else(|| "vigie".into());
    let cluster = database::cluster::Cluster::start().unwrap();
    let store = cluster.database(&name).unwrap();
    println!(
        "[store]\nurl = \"{store}\"\npassword_file = \"{}\"",
        cluster.password_file().display()
    );
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}
