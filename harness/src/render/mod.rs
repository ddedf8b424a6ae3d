//! Report formats, one per file.

pub mod check_junit;
pub mod check_markdown;
pub mod check_terminal;
pub mod diff_markdown;
pub mod diff_text;
pub mod sla_html;
pub mod sla_markdown;
