//! The monthly SLA report: as Markdown and as HTML (JSON is the report itself).

pub mod html;
pub mod markdown;
