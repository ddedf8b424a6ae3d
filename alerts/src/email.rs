//! Email through lettre to an SMTP server: plain (a local relay), STARTTLS or implicit TLS,
//! with authentication as an option. The Message-ID is built from the idempotency key, so a
//! receiver that sees a message twice (a crash between the server's acceptance and our
//! record of it) can tell.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message as Mail};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::message::Message;
use crate::notifier::{Delivery, DeliveryError, Notifier};
use crate::secret::Secret;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// No TLS (a relay on the same host or network).
    None,
    /// STARTTLS required (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl SmtpSecurity {
    pub fn parse(text: &str) -> Option<SmtpSecurity> {
        match text {
            "none" => Some(SmtpSecurity::None),
            "starttls" => Some(SmtpSecurity::StartTls),
            "tls" => Some(SmtpSecurity::Tls),
            _ => None,
        }
    }
}

/// The email settings, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct EmailSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// The user and password, if the server asks for authentication.
    pub login: Option<(String, Secret)>,
    pub from: String,
    pub to: Vec<String>,
    /// A partner's own recipients, instead of `to`, for its incidents.
    pub partner_to: std::collections::BTreeMap<String, Vec<String>>,
    pub timeout: Duration,
    /// A CA certificate (PEM) to trust besides the system's: an internal relay's own CA.
    pub ca_pem: Option<Vec<u8>>,
}

/// Why the email notifier cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("\"{0}\" is not an email address: fix [alerts.email] from/to")]
    Address(String),
    #[error("[alerts.email] has no recipient: give to = [\"team@example.fr\"]")]
    NoRecipient,
    #[error("cannot set up TLS for {host}: {reason}")]
    Tls { host: String, reason: String },
}

/// Whether a text is an email address (`team@example.fr` or `Team <team@example.fr>`).
pub fn is_address(text: &str) -> bool {
    text.parse::<Mailbox>().is_ok()
}

/// Sends notifications by email.
#[derive(Debug)]
pub struct EmailNotifier {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    to: Vec<Mailbox>,
    partner_to: std::collections::BTreeMap<String, Vec<Mailbox>>,
}

impl EmailNotifier {
    pub fn new(s: &EmailSettings) -> Result<EmailNotifier, EmailError> {
        let mailbox = |a: &String| {
            a.parse::<Mailbox>()
                .map_err(|_| EmailError::Address(a.clone()))
        };
        let from = mailbox(&s.from)?;
        let to = s.to.iter().map(mailbox).collect::<Result<Vec<_>, _>>()?;
        let partner_to = s
            .partner_to
            .iter()
            .map(|(p, list)| {
                Ok((
                    p.clone(),
                    list.iter().map(mailbox).collect::<Result<Vec<_>, _>>()?,
                ))
            })
            .collect::<Result<_, EmailError>>()?;
        if to.is_empty() {
            return Err(EmailError::NoRecipient);
        }
        let tls = |e: lettre::transport::smtp::Error| EmailError::Tls {
            host: s.host.clone(),
            reason: e.to_string(),
        };
        let params = || -> Result<TlsParameters, EmailError> {
            let mut b = TlsParameters::builder(s.host.clone());
            if let Some(pem) = &s.ca_pem {
                b = b.add_root_certificate(Certificate::from_pem(pem).map_err(tls)?);
            }
            b.build_rustls().map_err(tls)
        };
        let builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host);
        let builder = match s.security {
            SmtpSecurity::None => builder,
            SmtpSecurity::StartTls => builder.tls(Tls::Required(params()?)),
            SmtpSecurity::Tls => builder.tls(Tls::Wrapper(params()?)),
        };
        let mut builder = builder.port(s.port).timeout(Some(s.timeout));
        if let Some((user, password)) = &s.login {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                password.expose().to_string(),
            ));
        }
        Ok(EmailNotifier {
            transport: builder.build(),
            from,
            to,
            partner_to,
        })
    }

    fn mail(&self, m: &Message) -> Result<Mail, String> {
        let mut b = Mail::builder()
            .from(self.from.clone())
            .subject(m.subject.clone())
            .message_id(Some(format!("<{}@vigie>", m.key)))
            .header(ContentType::TEXT_PLAIN);
        // A partner's incidents go to its own recipients when it has some.
        let to = self.partner_to.get(&m.partner).unwrap_or(&self.to);
        for to in to {
            b = b.to(to.clone());
        }
        b.body(m.text.clone()).map_err(|e| e.to_string())
    }
}

impl Notifier for EmailNotifier {
    fn channel(&self) -> &str {
        "email"
    }

    fn deliver<'a>(&'a self, message: &'a Message) -> Delivery<'a> {
        Box::pin(async move {
            let failed = |reason: String| DeliveryError::Failed {
                channel: "email".into(),
                reason,
            };
            let mail = self.mail(message).map_err(failed)?;
            self.transport
                .send(mail)
                .await
                .map(|_| ())
                .map_err(|e| failed(e.to_string()))
        })
    }
}
