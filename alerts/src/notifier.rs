//! One trait for every way of telling the partner's team; one file per notifier.

use std::future::Future;
use std::pin::Pin;

use crate::message::Message;

/// Why a delivery failed (it will be retried).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    #[error("{channel}: {reason}")]
    Failed { channel: String, reason: String },
}

/// A future of a delivery.
pub type Delivery<'a> = Pin<Box<dyn Future<Output = Result<(), DeliveryError>> + Send + 'a>>;

/// A way to deliver a message. Delivery must be idempotent on `Message::key` where the
/// channel allows it (email Message-ID, webhook `Idempotency-Key` header).
pub trait Notifier: Send + Sync + std::fmt::Debug {
    /// Its name in the outbox (`email`, `webhook`).
    fn channel(&self) -> &str;
    fn deliver<'a>(&'a self, message: &'a Message) -> Delivery<'a>;
}
