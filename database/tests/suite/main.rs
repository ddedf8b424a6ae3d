//! The connection on both backends: the same statements give the same answers; PostgreSQL's
//! migrations and locks on a throwaway cluster.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use database::cluster::Cluster;
use database::{Backend, Db, DbError, Location, migrate, params};

fn both(hint: &str) -> Vec<Db> {
    let dir = tempfile::tempdir().unwrap().keep();
    let pg = Cluster::shared().unwrap().database(hint).unwrap();
    vec![
        Db::open(&Location::Sqlite(dir.join("t.sqlite"))).unwrap(),
        Db::open(&pg).unwrap(),
    ]
}

const TABLE: &str = "CREATE TABLE t (k BIGINT PRIMARY KEY, r DOUBLE PRECISION, s TEXT, b BYTEA)";

#[test]
fn the_same_statements_give_the_same_answers_on_both() {
    let mut answers = Vec::new();
    for mut db in both("same") {
        let table = match db.backend() {
            Backend::Sqlite => TABLE.replace("BYTEA", "BLOB"),
            Backend::Postgres => TABLE.to_string(),
        };
        db.execute_batch(&table).unwrap();
        let put = "INSERT INTO t (k, r, s, b) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (k) DO NOTHING";
        assert_eq!(
            db.execute(put, &params![1i64, 0.5, "a", vec![1u8]])
                .unwrap(),
            1
        );
        assert_eq!(
            db.execute(put, &params![1i64, 0.5, "a", vec![1u8]])
                .unwrap(),
            0
        );
        db.execute(
            put,
            &params![2i64, None::<f64>, None::<String>, None::<Vec<u8>>],
        )
        .unwrap();
        for k in 3..2500i64 {
            db.execute(put, &params![k, k as f64, "x", vec![0u8; 3]])
                .unwrap();
        }
        let mut seen = 0;
        db.each("SELECT k, r, s, b FROM t ORDER BY k", &[], |r| {
            seen += 1;
            if r.int(0)? == 2 {
                assert_eq!(r.opt_text(2)?, None);
                assert_eq!(r.opt_blob(3)?, None);
            }
            Ok::<_, DbError>(())
        })
        .unwrap();
        assert_eq!(seen, 2499, "a scan longer than the buffer");
        let sums = db
            .query_row(
                "SELECT CAST(SUM(k) AS BIGINT), COUNT(*), MAX(s) FROM t WHERE k >= ?1",
                &params![3i64],
            )
            .unwrap()
            .unwrap();
        answers.push((
            sums.int(0).unwrap(),
            sums.int(1).unwrap(),
            sums.text(2).unwrap(),
        ));
        // A rolled-back write leaves nothing.
        let r: Result<(), DbError> = db.write("t", |db| {
            db.execute("DELETE FROM t", &[])?;
            db.execute(put, &params![1i64, 0.5, "a", vec![1u8]])?;
            db.execute("INSERT INTO t (k) VALUES (?1)", &params![1i64])?;
            Ok(())
        });
        assert!(r.is_err());
        assert_eq!(db.query("SELECT k FROM t", &[]).unwrap().len(), 2499);
    }
    assert_eq!(answers[0], answers[1]);
}

#[test]
fn migrations_apply_once_and_refuse_a_newer_database() {
    let pg = Cluster::shared().unwrap().database("migrations").unwrap();
    let steps = [
        "CREATE TABLE a (x BIGINT)",
        "ALTER TABLE a ADD COLUMN y TEXT",
    ];
    let mut one = Db::open(&pg).unwrap();
    let mut two = Db::open(&pg).unwrap();
    assert_eq!(migrate(&mut one, "probes", &steps[..1]).unwrap(), 1);
    assert_eq!(migrate(&mut two, "probes", &steps).unwrap(), 1);
    assert_eq!(migrate(&mut one, "probes", &steps).unwrap(), 0);
    assert_eq!(
        migrate(&mut one, "alerts", &["CREATE TABLE c (x BIGINT)"]).unwrap(),
        1,
        "per component"
    );
    let e = migrate(&mut one, "probes", &steps[..1])
        .unwrap_err()
        .to_string();
    assert!(e.contains("upgrade vigie"), "{e}");
    // A failing step is not recorded, and what it did is undone.
    let bad = [
        steps[0],
        steps[1],
        "CREATE TABLE b (x BIGINT); SELECT nothing_here",
    ];
    assert!(migrate(&mut one, "probes", &bad).is_err());
    assert!(one.query("SELECT x FROM b", &[]).is_err());
    assert_eq!(migrate(&mut one, "probes", &steps).unwrap(), 0);
}

#[test]
fn a_wrong_password_or_port_says_what_to_check() {
    let c = Cluster::shared().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let wrong = dir.path().join("pw");
    std::fs::write(&wrong, "not-it").unwrap();
    let url = format!("postgres://vigie@127.0.0.1:{}/postgres", c.port());
    let l = Location::postgres(&url, None, Some(wrong)).unwrap();
    let e = Db::open(&l).unwrap_err().to_string();
    assert!(e.contains("password") && !e.contains("not-it"), "{e}");
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let l = Location::postgres(
        &format!("postgres://vigie@127.0.0.1:{closed}/x"),
        None,
        None,
    )
    .unwrap();
    let e = Db::open(&l).unwrap_err().to_string();
    assert!(e.contains("cannot reach the PostgreSQL store"), "{e}");
}

#[test]
fn the_store_works_from_inside_an_async_task_too() {
    let pg = Cluster::shared().unwrap().database("async").unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut db = Db::open(&pg).unwrap();
        for _ in 0..300 {
            db.query_row("SELECT 1", &[]).unwrap();
        }
    });
}

#[test]
fn a_sqlite_writer_waits_for_a_held_lock_no_longer_than_its_busy_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.sqlite");
    let mut db = Db::open(&Location::Sqlite(path.clone())).unwrap();
    db.execute_batch("CREATE TABLE t (a INTEGER)").unwrap();
    db.sqlite()
        .unwrap()
        .busy_timeout(std::time::Duration::from_millis(200))
        .unwrap();
    let locker = rusqlite::Connection::open(&path).unwrap();
    locker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let began = std::time::Instant::now();
    let r: Result<(), DbError> = db.write("t", |db| {
        db.execute("INSERT INTO t (a) VALUES (1)", &[])?;
        Ok(())
    });
    eprintln!("{:?} after {:?}", r, began.elapsed());
    assert!(r.is_err());
    locker.execute_batch("COMMIT").unwrap();
}

#[test]
fn a_copy_keeps_the_rows_and_the_tables_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let mut src = Db::open(&Location::Sqlite(dir.path().join("s.sqlite"))).unwrap();
    src.execute_batch(&TABLE.replace("BYTEA", "BLOB")).unwrap();
    for k in 0..1000i64 {
        src.execute(
            "INSERT INTO t (k, r, s, b) VALUES (?1, ?2, ?3, ?4)",
            &params![
                k,
                k as f64 / 2.0,
                format!("tab\there {k}"),
                vec![0u8, 255, k as u8]
            ],
        )
        .unwrap();
    }
    let mut dst = Db::open(&Cluster::shared().unwrap().database("copy").unwrap()).unwrap();
    dst.execute_batch(TABLE).unwrap();
    dst.execute_batch(
        "CREATE INDEX t_by_s ON t (s) WHERE r > 10; CREATE UNIQUE INDEX t_u ON t (r)",
    )
    .unwrap();
    let indexes = |db: &mut Db| {
        db.query(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 't' ORDER BY indexname",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.text(0).unwrap())
        .collect::<Vec<_>>()
    };
    let before = indexes(&mut dst);
    assert_eq!(before.len(), 3, "{before:?}");
    // A failed copy (a duplicate key) leaves the table and its indexes as they were.
    dst.execute("INSERT INTO t (k, r) VALUES (5, -1)", &[])
        .unwrap();
    let failed: Result<u64, DbError> = dst.write("copy", |dst| {
        dst.copy_table(&mut src, "t", &["k", "r", "s", "b"])
    });
    assert!(failed.is_err());
    assert_eq!(indexes(&mut dst), before);
    dst.execute("DELETE FROM t", &[]).unwrap();
    let n: Result<u64, DbError> = dst.write("copy", |dst| {
        dst.copy_table(&mut src, "t", &["k", "r", "s", "b"])
    });
    assert_eq!(n.unwrap(), 1000);
    assert_eq!(indexes(&mut dst), before, "the same indexes");
    let row = dst
        .query_row("SELECT s, b FROM t WHERE k = 7", &[])
        .unwrap()
        .unwrap();
    assert_eq!(row.text(0).unwrap(), "tab\there 7");
    assert_eq!(row.opt_blob(1).unwrap().unwrap(), &[0u8, 255, 7][..]);
    // Into SQLite: refused.
    let mut other = Db::open(&Location::Sqlite(dir.path().join("o.sqlite"))).unwrap();
    assert!(other.copy_table(&mut src, "t", &["k"]).is_err());
}
