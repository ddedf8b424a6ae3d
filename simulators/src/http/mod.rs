//! HTTP pieces every API shares: reading a request body the way the real APIs refuse bad
//! ones, and writing answers and errors in their shapes.

pub(crate) mod answer;
pub(crate) mod body;
pub(crate) mod error;
