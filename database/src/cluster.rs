//! A throwaway PostgreSQL server for tests and benchmarks: Debian's `postgresql` binaries, a
//! cluster in a temporary folder, run as an unprivileged user when started by root, listening
//! on a free loopback port, with a password (SCRAM) so that the store's password path is the
//! one used. It stops and its folder goes when it is dropped — or, for the shared one, when
//! the process that started it ends (a small watchdog waits for it).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::db::Db;
use crate::location::Location;
use crate::params;

/// The cluster's superuser, the one the stores connect as.
pub const USER: &str = "vigie";

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "PostgreSQL's server binaries (initdb, pg_ctl) are not installed: apt-get install postgresql (Debian), or set VIGIE_PG_BIN to their folder"
    )]
    NoBinaries,
    #[error("{step} failed: {detail}")]
    Step { step: String, detail: String },
    #[error("cannot prepare the cluster's folder {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Db(#[from] crate::error::DbError),
}

/// A running server.
#[derive(Debug)]
pub struct Cluster {
    root: PathBuf,
    bin: PathBuf,
    run_as: Option<String>,
    port: u16,
    password_file: PathBuf,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The folder of `initdb` and `pg_ctl`: `VIGIE_PG_BIN`, else Debian's newest
/// `/usr/lib/postgresql/N/bin`, else the one of `initdb` on the `PATH`.
fn binaries() -> Result<PathBuf, ClusterError> {
    if let Some(dir) = std::env::var_os("VIGIE_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    debian.sort();
    if let Some((_, bin)) = debian.pop() {
        return Ok(bin);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .find(|d| d.join("initdb").exists() && d.join("pg_ctl").exists())
        .ok_or(ClusterError::NoBinaries)
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ClusterError + '_ {
    move |source| ClusterError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Runs a command to completion; its error output says why it failed.
fn run(step: &str, cmd: &mut Command) -> Result<(), ClusterError> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| ClusterError::Step {
            step: step.into(),
            detail: e.to_string(),
        })?;
    if out.status.success() {
        return Ok(());
    }
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Err(ClusterError::Step {
        step: step.into(),
        detail: text
            .trim()
            .chars()
            .rev()
            .take(800)
            .collect::<String>()
            .chars()
            .rev()
            .collect(),
    })
}

/// A user's numeric id and group, from `id`.
fn ids(user: &str) -> Option<(u32, u32)> {
    let get = |flag: &str| -> Option<u32> {
        let out = Command::new("id").args([flag, user]).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().parse().ok())?
    };
    Some((get("-u")?, get("-g")?))
}

impl Cluster {
    /// Starts a new cluster.
    pub fn start() -> Result<Cluster, ClusterError> {
        use std::os::unix::fs::MetadataExt;
        let bin = binaries()?;
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let root = std::env::temp_dir().join(format!("vigie-pg-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).map_err(io(&root))?;
        let password_file = root.join("password");
        // Not a secret worth keeping: a fresh cluster's, on loopback, for one test run.
        let password = {
            use sha2::Digest;
            let seed = format!(
                "{:?}{}{n}",
                std::time::SystemTime::now(),
                std::process::id()
            );
            let d = sha2::Sha256::digest(seed.as_bytes());
            d.iter()
                .take(12)
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        };
        std::fs::write(&password_file, &password).map_err(io(&password_file))?;
        // PostgreSQL refuses to run as root: then it runs as `postgres` (Debian's) or `nobody`.
        let root_user = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
        let run_as = if root_user {
            let user = ["postgres", "nobody"]
                .into_iter()
                .find_map(|u| ids(u).map(|ids| (u, ids)));
            let Some((user, (uid, gid))) = user else {
                return Err(ClusterError::Step {
                    step: "finding an unprivileged user".into(),
                    detail: "neither postgres nor nobody exists".into(),
                });
            };
            for p in [&root, &password_file] {
                std::os::unix::fs::chown(p, Some(uid), Some(gid)).map_err(io(p))?;
            }
            Some(user.to_string())
        } else {
            None
        };
        let mut cluster = Cluster {
            root,
            bin,
            run_as,
            port: 0,
            password_file,
        };
        let data = cluster.root.join("data");
        run(
            "initdb",
            cluster
                .command("initdb")
                .arg("-D")
                .arg(&data)
                .args(["-U", USER, "-E", "UTF8", "--locale=C", "--no-sync"])
                .args(["--auth=scram-sha-256"])
                .arg(format!("--pwfile={}", cluster.password_file.display())),
        )?;
        let mut last = None;
        for _ in 0..3 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map(|a| a.port())
                .map_err(io(&cluster.root))?;
            let options = format!(
                "-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} \
                 -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
                 -c max_connections=200",
                cluster.root.display()
            );
            let started = run(
                "pg_ctl start",
                cluster
                    .command("pg_ctl")
                    .arg("-D")
                    .arg(&data)
                    .arg("-l")
                    .arg(cluster.root.join("server.log"))
                    .args(["-w", "-t", "60", "-o", &options, "start"]),
            );
            match started {
                Ok(()) => {
                    cluster.port = port;
                    return Ok(cluster);
                }
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or(ClusterError::NoBinaries))
    }

    /// One cluster for the whole process, started on first use and stopped (its folder
    /// removed) by a watchdog once the process has ended.
    pub fn shared() -> Result<&'static Cluster, ClusterError> {
        static SHARED: OnceLock<Result<Cluster, String>> = OnceLock::new();
        let c = SHARED.get_or_init(|| {
            let c = Cluster::start().map_err(|e| e.to_string())?;
            c.watch().map_err(|e| e.to_string())?;
            Ok(c)
        });
        c.as_ref().map_err(|e| ClusterError::Step {
            step: "starting the shared PostgreSQL cluster".into(),
            detail: e.clone(),
        })
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(path);
                c
            }
            None => Command::new(path),
        }
    }

    /// The stop command, as a shell line.
    fn stop_line(&self) -> String {
        let data = self.root.join("data");
        let prefix = self
            .run_as
            .as_ref()
            .map(|u| format!("runuser -u {u} -- "))
            .unwrap_or_default();
        format!(
            "{prefix}'{}' -D '{}' -m immediate stop >/dev/null 2>&1; rm -rf '{}'",
            self.bin.join("pg_ctl").display(),
            data.display(),
            self.root.display()
        )
    }

    /// Starts the watchdog that stops the server once this process has ended.
    fn watch(&self) -> Result<(), ClusterError> {
        let script = format!(
            "while kill -0 {} 2>/dev/null; do sleep 1; done; {}",
            std::process::id(),
            self.stop_line()
        );
        Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(io(&self.root))?;
        Ok(())
    }

    /// The loopback port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The file holding the superuser's password.
    pub fn password_file(&self) -> &Path {
        &self.password_file
    }

    /// The store location of database `name` (not created).
    pub fn location(&self, name: &str) -> Location {
        Location::postgres(
            &format!("postgres://{USER}@127.0.0.1:{}/{name}", self.port),
            None,
            Some(self.password_file.clone()),
        )
        .unwrap_or_else(|e| panic!("a cluster's own URL is valid: {e}"))
    }

    /// A new empty database, named after `hint` and made unique; its location.
    pub fn database(&self, hint: &str) -> Result<Location, ClusterError> {
        self.create(hint, "")
    }

    /// A new database whose text sorts as many production servers' do, punctuation ignored
    /// (glibc's `fr_FR.UTF-8` or `en_US.UTF-8`; here ICU's `und-u-ka-shifted`): where
    /// `d974/x` does not come before `d9740`. For the tests of queries on key ranges.
    pub fn database_ignoring_punctuation(&self, hint: &str) -> Result<Location, ClusterError> {
        self.create(
            hint,
            " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'und-u-ka-shifted' LOCALE 'C'",
        )
    }

    fn create(&self, hint: &str, options: &str) -> Result<Location, ClusterError> {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let clean: String = hint
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(40)
            .collect();
        let name = format!("{clean}_{}_{n}", std::process::id());
        let mut admin = Db::open(&self.location("postgres"))?;
        admin.execute_batch(&format!("CREATE DATABASE \"{name}\"{options}"))?;
        let mut db = Db::open(&self.location(&name))?;
        // A cheap check that it is there and answers.
        db.query_row("SELECT ?1", &params!["ok"])?;
        Ok(self.location(&name))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("sh")
            .args(["-c", &self.stop_line()])
            .stdin(Stdio::null())
            .status();
    }
}
