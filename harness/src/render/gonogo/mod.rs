//! The go/no-go report: as Markdown and as HTML (JSON is the report itself).

pub mod html;
pub mod markdown;

use crate::gonogo::criteria::Status;

/// A criterion's status in words.
pub(crate) fn status(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::NotMet => "NOT MET",
        Status::NotEvidenced => "not evidenced",
    }
}
