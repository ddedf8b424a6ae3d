//! `vigie check`'s report: in the terminal, as Markdown, as JUnit XML (JSON is the report
//! itself, serialised).

pub mod junit;
pub mod markdown;
pub mod terminal;
