//! What goes into a statement and comes out of a row, the same on both backends: integers,
//! reals, text, bytes, or nothing.

use crate::error::DbError;

/// A parameter or a column's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}

impl From<u32> for Value {
    fn from(v: u32) -> Value {
        Value::Int(i64::from(v))
    }
}

impl From<u16> for Value {
    fn from(v: u16) -> Value {
        Value::Int(i64::from(v))
    }
}

impl From<u64> for Value {
    /// Counts past `i64::MAX` (never reached) are stored as `i64::MAX`.
    fn from(v: u64) -> Value {
        Value::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Int(i64::from(v))
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Value {
        Value::Real(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Value {
        Value::Text(v.clone())
    }
}

impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Value {
        Value::Blob(v)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

/// Parameters from a list of values of any of the types above: `params![a, b, c]`.
#[macro_export]
macro_rules! params {
    () => { [] as [$crate::Value; 0] };
    ($($v:expr),+ $(,)?) => { [$($crate::Value::from($v)),+] };
}

/// One row of a result.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    fn at(&self, i: usize) -> Result<&Value, DbError> {
        self.0.get(i).ok_or(DbError::Column {
            index: i,
            want: "a column",
            got: "no such column".into(),
        })
    }

    fn wrong(i: usize, want: &'static str, got: &Value) -> DbError {
        DbError::Column {
            index: i,
            want,
            got: format!("{got:?}").chars().take(40).collect(),
        }
    }

    /// An integer or nothing.
    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, DbError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Int(v) => Ok(Some(*v)),
            other => Err(Row::wrong(i, "an integer", other)),
        }
    }

    /// An integer.
    pub fn int(&self, i: usize) -> Result<i64, DbError> {
        self.opt_int(i)?
            .ok_or_else(|| Row::wrong(i, "an integer", &Value::Null))
    }

    /// A number (an integer is read as a real too).
    pub fn real(&self, i: usize) -> Result<f64, DbError> {
        match self.at(i)? {
            Value::Real(v) => Ok(*v),
            Value::Int(v) => Ok(*v as f64),
            other => Err(Row::wrong(i, "a number", other)),
        }
    }

    /// Text or nothing.
    pub fn opt_text(&self, i: usize) -> Result<Option<String>, DbError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Text(v) => Ok(Some(v.clone())),
            other => Err(Row::wrong(i, "text", other)),
        }
    }

    /// Text.
    pub fn text(&self, i: usize) -> Result<String, DbError> {
        self.opt_text(i)?
            .ok_or_else(|| Row::wrong(i, "text", &Value::Null))
    }

    /// Bytes or nothing.
    pub fn opt_blob(&self, i: usize) -> Result<Option<&[u8]>, DbError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            Value::Blob(v) => Ok(Some(v)),
            other => Err(Row::wrong(i, "bytes", other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_reads_say_which_column_was_not_what_was_wanted() {
        let r = Row(params![7i64, None::<i64>, 1.5, "x", vec![1u8, 2]].to_vec());
        assert_eq!(r.int(0).unwrap(), 7);
        assert_eq!(r.opt_int(1).unwrap(), None);
        assert_eq!(r.real(0).unwrap(), 7.0);
        assert_eq!(r.real(2).unwrap(), 1.5);
        assert_eq!(r.text(3).unwrap(), "x");
        assert_eq!(r.opt_blob(4).unwrap(), Some(&[1u8, 2][..]));
        let e = r.int(3).unwrap_err().to_string();
        assert!(e.contains("column 3") && e.contains("an integer"), "{e}");
        assert!(r.int(1).is_err());
        assert!(r.text(9).is_err());
    }
}
