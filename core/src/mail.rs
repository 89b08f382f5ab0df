//! Mail, out only: messages built with lettre and handed to the SMTP server an operator
//! configured (`ACCORD_SMTP_URL`) or, with none, written as `.eml` files into a folder under the
//! data directory (which the tests read, and which an operator without mail can hand on by
//! other means). Sending never holds up the request that caused it: a failure is logged.

use std::path::PathBuf;

use accord_i18n::{td_string, Locale};
use lettre::{
    message::{header::ContentType, Mailbox},
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};

/// Where mail goes.
#[derive(Clone, Default)]
pub enum Mailer {
    /// An SMTP server (`smtp://`, `smtps://` or `smtp://…?tls=required` URLs, as lettre reads
    /// them), sending as `from`.
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    /// `.eml` files in a folder.
    Folder { dir: PathBuf, from: Mailbox },
    /// Nowhere: an installation built in a test that sends no mail. Each message is logged and
    /// dropped.
    #[default]
    Nowhere,
}

/// A message to one person.
#[derive(Clone, Debug)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mailer {
    /// SMTP to the server `url` names (lettre's URL form, e.g.
    /// `smtps://user:password@mail.example.org`).
    pub fn smtp(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("ACCORD_SMTP_URL is not an SMTP URL: {e}"))?
            .build();
        Ok(Self::Smtp {
            transport,
            from: sender(from)?,
        })
    }

    /// `.eml` files in `dir`, created if missing.
    pub fn folder(dir: PathBuf, from: &str) -> Result<Self, String> {
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create the mail folder {}: {e}", dir.display()))?;
        Ok(Self::Folder {
            dir,
            from: sender(from)?,
        })
    }

    /// Sends `mail` in the background: the caller is answered at once, whether the address
    /// exists or not and however slow the server is.
    pub fn send(&self, mail: Mail) {
        let mailer = self.clone();
        tokio::spawn(async move {
            if let Err(e) = mailer.deliver(&mail).await {
                tracing::warn!("mail to {} was not sent: {e}", mail.to);
            }
        });
    }

    /// Sends `mail` now.
    pub async fn deliver(&self, mail: &Mail) -> Result<(), String> {
        let build = |from: &Mailbox| -> Result<Message, String> {
            // A bare address, never a display name with another address in angle brackets.
            let to: lettre::Address = mail
                .to
                .parse()
                .map_err(|e| format!("'{}' is not an address: {e}", mail.to))?;
            let to = Mailbox::new(None, to);
            Message::builder()
                .from(from.clone())
                .to(to)
                .subject(mail.subject.as_str())
                .header(ContentType::TEXT_PLAIN)
                .body(mail.body.clone())
                .map_err(|e| e.to_string())
        };
        match self {
            Mailer::Smtp { transport, from } => transport
                .send(build(from)?)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Mailer::Folder { dir, from } => AsyncFileTransport::<Tokio1Executor>::new(dir)
                .send(build(from)?)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Mailer::Nowhere => {
                tracing::info!(
                    "no mail is configured: dropped '{}' to {}",
                    mail.subject,
                    mail.to
                );
                Ok(())
            }
        }
    }
}

/// The sender every mail names (`ACCORD_MAIL_FROM`).
fn sender(from: &str) -> Result<Mailbox, String> {
    from.parse()
        .map_err(|e| format!("ACCORD_MAIL_FROM '{from}' is not an address: {e}"))
}

/// The mail that asks a newly registered person to confirm their address, in `l` (the
/// language of the page they registered from).
pub fn confirm_address(l: Locale, to: &str, name: &str, link: &str) -> Mail {
    Mail {
        to: to.into(),
        subject: td_string!(l, mail.confirm_subject).to_string(),
        body: paragraphs(&[
            &td_string!(l, mail.greeting, name = name),
            &td_string!(l, mail.confirm_body),
            &link,
            &td_string!(l, mail.confirm_expiry),
        ]),
    }
}

/// The mail sent when someone registers with an address that has an account already: the
/// registration page does not say so (it would tell anyone which addresses have accounts). In
/// `l`, the language of the page the registration came from.
pub fn registered_already(l: Locale, to: &str, sign_in: &str) -> Mail {
    Mail {
        to: to.into(),
        subject: td_string!(l, mail.registered_already_subject).to_string(),
        body: paragraphs(&[
            &td_string!(l, mail.greeting_anonymous),
            &td_string!(l, mail.registered_already_body),
            &sign_in,
            &td_string!(l, mail.registered_already_not_you),
        ]),
    }
}

/// A notice, mailed in its recipient's language `l`: what happened (`words`, already in `l`),
/// where to see it, and how to stop these mails.
pub fn notice(l: Locale, to: &str, name: &str, words: &str, link: &str, unsubscribe: &str) -> Mail {
    Mail {
        to: to.into(),
        subject: words.chars().take(150).collect(),
        body: paragraphs(&[
            &td_string!(l, mail.greeting, name = name),
            &td_string!(l, mail.notice_sentence, words = words),
            &td_string!(l, mail.notice_see),
            &link,
            &td_string!(l, mail.notice_why),
            &unsubscribe,
        ]),
    }
}

/// A plain-text body: its paragraphs with a blank line between them, ending in a line break.
fn paragraphs(parts: &[&dyn std::fmt::Display]) -> String {
    let mut body = parts
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("\n\n");
    body.push('\n');
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_folder_mailer_writes_a_message_another_program_can_read() {
        let dir = tempfile::tempdir().expect("dir");
        let mailer =
            Mailer::folder(dir.path().join("mail"), "Accord <accord@example.org>").expect("mailer");
        let link = format!("https://accord.example.org/confirm/{}", "ab".repeat(32));
        mailer
            .deliver(&confirm_address(
                Locale::en,
                "ana@example.org",
                "Ana",
                &link,
            ))
            .await
            .expect("sent");
        let files: Vec<_> = std::fs::read_dir(dir.path().join("mail"))
            .expect("folder")
            .map(|e| e.expect("entry").path())
            .collect();
        assert_eq!(files.len(), 1);
        let text = std::fs::read_to_string(&files[0]).expect("read");
        assert!(text.contains("To: ana@example.org"), "{text}");
        assert!(
            text.contains("Subject: Confirm your e-mail address"),
            "{text}"
        );
        assert!(unfold(&text).contains(&link), "{text}");
    }

    #[tokio::test]
    async fn an_address_that_is_not_one_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().expect("dir");
        let mailer = Mailer::folder(dir.path().to_path_buf(), "accord@example.org").expect("m");
        // A login that reads as a name with another address in brackets is not mailed there.
        for to in ["not an address", "\"v@x.org\"<a@evil.example>"] {
            let err = mailer
                .deliver(&confirm_address(Locale::en, to, "X", "l"))
                .await;
            assert!(err.is_err(), "{to}");
        }
    }

    // Guards the English mail, which people and browser tests read, against the catalogue
    // drifting from it.
    #[test]
    fn english_mail_says_what_it_always_said() {
        let confirm = confirm_address(Locale::en, "a@example.org", "Ana", "LINK");
        assert_eq!(confirm.subject, "Confirm your e-mail address for Accord");
        assert_eq!(
            confirm.body,
            "Hello Ana,\n\n\
             someone, probably you, registered an Accord account with this address. Open this \
             link to confirm it; until you do, your stances are kept but not counted:\n\n\
             LINK\n\n\
             The link works for two days. If it was not you, ignore this message: nothing \
             happens without the link.\n"
        );
        let again = registered_already(Locale::en, "a@example.org", "SIGN-IN");
        assert_eq!(again.subject, "You have an Accord account already");
        assert_eq!(
            again.body,
            "Hello,\n\n\
             someone, probably you, tried to register an Accord account with this address, \
             which has one already. Sign in here:\n\n\
             SIGN-IN\n\n\
             If it was not you, ignore this message: nothing was changed.\n"
        );
        let told = notice(Locale::en, "a@example.org", "Ana", "WORDS", "LINK", "STOP");
        assert_eq!(told.subject, "WORDS");
        assert_eq!(
            told.body,
            "Hello Ana,\n\n\
             WORDS.\n\n\
             See it here:\n\n\
             LINK\n\n\
             You are mailed because your Accord profile asks for notices by mail. To stop \
             these mails, open this link (the notices stay under the bell on the site):\n\n\
             STOP\n"
        );
    }

    #[test]
    fn a_mail_speaks_the_language_it_is_given() {
        let fr = confirm_address(Locale::fr, "a@example.org", "Ana", "LINK");
        assert_eq!(
            fr.subject,
            "Confirmez votre adresse électronique pour Accord"
        );
        assert!(fr.body.starts_with("Bonjour Ana,\n\n"), "{}", fr.body);
        assert!(fr.body.contains("\n\nLINK\n\n"), "{}", fr.body);
        let ar = registered_already(Locale::ar, "a@example.org", "SIGN-IN");
        assert!(
            ar.subject
                .chars()
                .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
            "{}",
            ar.subject
        );
        let zh = notice(Locale::zh, "a@example.org", "Ana", "WORDS", "LINK", "STOP");
        assert!(zh.body.contains("WORDS。"), "{}", zh.body);
        assert!(zh.body.ends_with("\n\nSTOP\n"), "{}", zh.body);
    }

    /// The body with quoted-printable soft line breaks joined.
    fn unfold(text: &str) -> String {
        text.replace("=\r\n", "").replace("=\n", "")
    }
}
