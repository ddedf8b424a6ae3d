//! The PostgreSQL backend: tokio-postgres, driven by a small runtime of the store's own (one
//! thread, started on first use), so that the store's synchronous interface works the same
//! from a plain thread, a blocking task or an async task of the caller. Statements are
//! prepared once per connection.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::BytesMut;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use tokio_postgres::{Client, NoTls, Statement};

use crate::error::DbError;
use crate::location::PgTarget;
use crate::value::{Row, Value};
use crate::wait::wait;

/// How long connecting may take before the store says it cannot reach the server.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Rows a scan sends the caller at a time (at most four batches in flight).
const SCAN_BATCH: usize = 512;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("vigie-postgres")
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("cannot start the PostgreSQL store's thread: {e}"))
    })
}

/// Runs `f` on the store's runtime and waits for it here.
fn run<T: Send + 'static>(f: impl Future<Output = T> + Send + 'static) -> Result<T, DbError> {
    wait(runtime().spawn(f)).map_err(|e| DbError::Postgres(format!("the store's task failed: {e}")))
}

/// One connection.
pub struct Postgres {
    client: Arc<Client>,
    statements: HashMap<String, Statement>,
    shown: String,
}

impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Postgres").field("at", &self.shown).finish()
    }
}

/// `?1` placeholders (the statements' common spelling) as PostgreSQL's `$1`.
pub(crate) fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

impl Postgres {
    pub fn connect(target: &PgTarget) -> Result<Postgres, DbError> {
        let shown = target.shown().to_string();
        let failed = |reason: String| DbError::Connect {
            target: shown.clone(),
            reason,
        };
        let mut config = target.config().map_err(|e| failed(e.to_string()))?;
        config.connect_timeout(CONNECT_TIMEOUT);
        let client = run(async move {
            let (client, connection) = config.connect(NoTls).await?;
            tokio::spawn(async move {
                // Ends when the client is dropped or the server goes away; the next statement
                // then fails and says so.
                let _ = connection.await;
            });
            Ok::<_, tokio_postgres::Error>(client)
        })?
        .map_err(|e| failed(DbError::from(e).to_string()))?;
        Ok(Postgres {
            client: Arc::new(client),
            statements: HashMap::new(),
            shown,
        })
    }

    /// `postgres://USER@HOST:PORT/DATABASE`.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    fn statement(&mut self, sql: &str) -> Result<Statement, DbError> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let client = self.client.clone();
        let text = placeholders(sql);
        let st = run(async move { client.prepare(&text).await })??;
        self.statements.insert(sql.to_string(), st.clone());
        Ok(st)
    }

    pub fn execute_batch(&mut self, sql: &str) -> Result<(), DbError> {
        let client = self.client.clone();
        let sql = sql.to_string();
        run(async move { client.batch_execute(&sql).await })??;
        Ok(())
    }

    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        let st = self.statement(sql)?;
        let client = self.client.clone();
        let params = params.to_vec();
        Ok(run(async move {
            let refs: Vec<&(dyn ToSql + Sync)> =
                params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
            client.execute(&st, &refs).await
        })??)
    }

    /// Rows, one at a time, to `each`; a scan of millions of rows holds a bounded buffer.
    pub fn each<E: From<DbError>>(
        &mut self,
        sql: &str,
        params: &[Value],
        mut each: impl FnMut(Row) -> Result<(), E>,
    ) -> Result<(), E> {
        let st = self.statement(sql)?;
        let client = self.client.clone();
        let params = params.to_vec();
        // Rows go in batches: one wake-up of the caller per batch, not per row.
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Vec<Row>, DbError>>(4);
        runtime().spawn(async move {
            use futures_util::StreamExt;
            let stream = match client.query_raw(&st, params.iter()).await {
                Ok(s) => s,
                Err(e) => {
                    let _ = tx.send(Err(e.into())).await;
                    return;
                }
            };
            let mut stream = std::pin::pin!(stream);
            let mut batch = Vec::with_capacity(SCAN_BATCH);
            while let Some(row) = stream.next().await {
                match row.map_err(DbError::from).and_then(|r| row_of(&r)) {
                    Ok(r) => batch.push(r),
                    Err(e) => {
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                }
                if batch.len() >= SCAN_BATCH
                    && tx
                        .send(Ok(std::mem::replace(
                            &mut batch,
                            Vec::with_capacity(SCAN_BATCH),
                        )))
                        .await
                        .is_err()
                {
                    return; // the caller stopped reading
                }
            }
            if !batch.is_empty() {
                let _ = tx.send(Ok(batch)).await;
            }
        });
        while let Some(rows) = wait(rx.recv()) {
            for row in rows? {
                each(row)?;
            }
        }
        Ok(())
    }
}

/// Rows on their way into a `COPY`: encoded in its text format, sent in chunks of about
/// 1 MiB, so that a copy of millions of rows holds little memory.
#[derive(Debug)]
pub struct CopyWriter {
    buf: Vec<u8>,
    tx: tokio::sync::mpsc::Sender<bytes::Bytes>,
    rows: u64,
}

impl CopyWriter {
    /// One row, its values in the copy's column order.
    pub fn row(&mut self, values: &[Value]) -> Result<(), DbError> {
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.buf.push(b'\t');
            }
            copy_text(v, &mut self.buf);
        }
        self.buf.push(b'\n');
        self.rows += 1;
        if self.buf.len() >= 1 << 20 {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), DbError> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = bytes::Bytes::from(std::mem::replace(
            &mut self.buf,
            Vec::with_capacity(1 << 20),
        ));
        wait(self.tx.send(chunk))
            .map_err(|_| DbError::Postgres("the copy stopped (its error follows)".into()))
    }
}

impl Postgres {
    /// Streams the rows `produce` writes into `table (columns)` with `COPY … FROM STDIN`;
    /// how many.
    pub fn copy_in(
        &mut self,
        table: &str,
        columns: &[&str],
        produce: impl FnOnce(&mut CopyWriter) -> Result<(), DbError>,
    ) -> Result<u64, DbError> {
        let client = self.client.clone();
        let sql = format!("COPY {table} ({}) FROM STDIN", columns.join(", "));
        let (tx, mut rx) = tokio::sync::mpsc::channel::<bytes::Bytes>(4);
        let task = runtime().spawn(async move {
            use futures_util::SinkExt;
            let sink = client.copy_in::<_, bytes::Bytes>(&sql).await?;
            let mut sink = std::pin::pin!(sink);
            while let Some(chunk) = rx.recv().await {
                sink.send(chunk).await?;
            }
            sink.as_mut().finish().await
        });
        let mut w = CopyWriter {
            buf: Vec::with_capacity(1 << 20),
            tx,
            rows: 0,
        };
        let produced = produce(&mut w).and_then(|()| w.flush());
        let rows = w.rows;
        drop(w);
        let copied =
            wait(task).map_err(|e| DbError::Postgres(format!("the copy's task failed: {e}")))?;
        // The server's refusal says more than "the copy stopped".
        copied?;
        produced?;
        Ok(rows)
    }
}

/// One value in `COPY`'s text format.
pub(crate) fn copy_text(v: &Value, out: &mut Vec<u8>) {
    use std::io::Write;
    match v {
        Value::Null => out.extend_from_slice(b"\\N"),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Real(r) => {
            let _ = write!(out, "{r:?}");
        }
        Value::Text(t) => {
            for b in t.bytes() {
                match b {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    _ => out.push(b),
                }
            }
        }
        Value::Blob(b) => {
            out.extend_from_slice(b"\\\\x");
            for byte in b {
                let _ = write!(out, "{byte:02x}");
            }
        }
    }
}

/// A driver row as values, by column type.
fn row_of(r: &tokio_postgres::Row) -> Result<Row, DbError> {
    let mut out = Vec::with_capacity(r.len());
    for (i, c) in r.columns().iter().enumerate() {
        let t = c.type_();
        let v = if *t == Type::INT8 {
            r.try_get::<_, Option<i64>>(i)?.map(Value::Int)
        } else if *t == Type::INT4 {
            r.try_get::<_, Option<i32>>(i)?
                .map(|v| Value::Int(i64::from(v)))
        } else if *t == Type::INT2 {
            r.try_get::<_, Option<i16>>(i)?
                .map(|v| Value::Int(i64::from(v)))
        } else if *t == Type::BOOL {
            r.try_get::<_, Option<bool>>(i)?
                .map(|v| Value::Int(i64::from(v)))
        } else if *t == Type::FLOAT8 {
            r.try_get::<_, Option<f64>>(i)?.map(Value::Real)
        } else if *t == Type::FLOAT4 {
            r.try_get::<_, Option<f32>>(i)?
                .map(|v| Value::Real(f64::from(v)))
        } else if *t == Type::BYTEA {
            r.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Blob)
        } else if [Type::TEXT, Type::VARCHAR, Type::BPCHAR, Type::NAME].contains(t) {
            r.try_get::<_, Option<String>>(i)?.map(Value::Text)
        } else {
            return Err(DbError::Column {
                index: i,
                want: "an integer, a real, text or bytes (cast sums to BIGINT)",
                got: t.name().to_string(),
            });
        };
        out.push(v.unwrap_or(Value::Null));
    }
    Ok(Row(out))
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => {
                if *ty == Type::INT8 {
                    v.to_sql(ty, out)
                } else if *ty == Type::INT4 {
                    i32::try_from(*v)?.to_sql(ty, out)
                } else if *ty == Type::INT2 {
                    i16::try_from(*v)?.to_sql(ty, out)
                } else if *ty == Type::BOOL {
                    (*v != 0).to_sql(ty, out)
                } else if *ty == Type::FLOAT8 {
                    (*v as f64).to_sql(ty, out)
                } else {
                    Err(format!("an integer cannot be written as {}", ty.name()).into())
                }
            }
            Value::Real(v) => {
                if *ty == Type::FLOAT4 {
                    (*v as f32).to_sql(ty, out)
                } else {
                    v.to_sql(ty, out)
                }
            }
            Value::Text(v) => v.as_str().to_sql(ty, out),
            Value::Blob(v) => v.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_dollars() {
        assert_eq!(
            placeholders("SELECT a FROM t WHERE x = ?1 AND y = ?12 AND z = '?'"),
            "SELECT a FROM t WHERE x = $1 AND y = $12 AND z = '?'"
        );
    }
}
