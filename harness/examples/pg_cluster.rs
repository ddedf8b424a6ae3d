//! A throwaway PostgreSQL server for benchmarks and trials (Debian's binaries, a temporary
//! folder, an unprivileged user, a loopback port): `cargo run --release -p harness --example
//! pg_cluster -- NAME…` creates each database NAME, prints its `[store]` lines and waits; the server
//! stops and its folder goes when standard input closes (Ctrl-D) or the process ends.

#![allow(clippy::unwrap_used)] // a benchmark fixture: a failed unwrap is a failed run

use std::io::Read;

fn main() {
    let mut names: Vec<String> = std::env::args().skip(1).collect();
    if names.is_empty() {
        names.push("vigie".into());
    }
    let cluster = database::cluster::Cluster::start().unwrap();
    for name in names {
        let store = cluster.database(&name).unwrap();
        println!(
            "# {name}\n[store]\nurl = \"{store}\"\npassword_file = \"{}\"",
            cluster.password_file().display()
        );
    }
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}
