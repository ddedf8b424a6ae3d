//! Report formats, one per file.

pub mod diff_markdown;
pub mod diff_text;
