//! `vigie contracts diff`'s report: as text and as Markdown (JSON is the report itself).

pub mod markdown;
pub mod text;
