//! The monthly SLA report: as Markdown and as HTML, with its month-on-month trend (JSON is the report itself).

pub mod html;
pub mod markdown;
pub mod trend;
