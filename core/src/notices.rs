//! Notices: telling people what became of their feedback and what needs them. Each is stored
//! for its person (the bell and `/notifications`), is an entry of their Atom feed, and is mailed
//! to a confirmed address unless they turned mail off (every mail carries a link that does).
//! Feed and mail speak the language the person chose in their profile (English if none).
//! A notice never holds up or fails the write that caused it: a failure to store or mail one
//! is logged.

use accord_i18n::td_string;
use atom_syndication::{Entry, Feed, FixedDateTime, Link, Person, Text};
use domain::notice::{Notice, NoticeKind};

use crate::{
    auth::Principal,
    error::Error,
    mail,
    store::{notices::NewNotice, Account},
    words, Accord,
};

/// How many notices a person's page and feed show.
const SHOWN: i64 = 100;

/// What happened, before it is stored for its recipients.
pub struct Event<'a> {
    pub kind: NoticeKind,
    pub document: &'a str,
    pub place: Place<'a>,
    /// The account that did it: never told about its own doing.
    pub by: Option<&'a Account>,
    pub link: String,
}

/// Where on the document something happened.
pub enum Place<'a> {
    /// A paragraph, named as the document calls it when the notice is made ("paragraph 3").
    Paragraph(&'a str),
    /// In words already ("amendment 4", "last call").
    Named(String),
}

/// Tells `to` about `event`, each once, leaving out whoever did it.
pub async fn notify(state: &Accord, to: Vec<String>, event: Event<'_>) {
    if let Err(e) = try_notify(state, to, event).await {
        tracing::warn!("a notice was not sent: {e}");
    }
}

async fn try_notify(state: &Accord, mut to: Vec<String>, event: Event<'_>) -> Result<(), Error> {
    to.sort();
    to.dedup();
    to.retain(|a| Some(a.as_str()) != event.by.map(|b| b.id.as_str()));
    if to.is_empty() {
        return Ok(());
    }
    let store = state.rooms.store();
    let outline = state.rooms.outline(event.document).await?.0;
    let place = match event.place {
        Place::Paragraph(paragraph) => outline.called(paragraph),
        Place::Named(words) => words,
    };
    let new = NewNotice {
        kind: event.kind,
        document: event.document.to_string(),
        place,
        by: event.by.map(|b| b.display_name.clone()).unwrap_or_default(),
        link: event.link,
        at: state.auth.now(),
    };
    let shown = Notice {
        id: 0,
        kind: new.kind,
        document: new.document.clone(),
        document_title: outline.title,
        place: new.place.clone(),
        by: new.by.clone(),
        link: new.link.clone(),
        at: new.at,
        read: false,
    };
    for recipient in store.insert_notices(&to, &new).await? {
        if recipient.mail {
            let key = store.notice_key(&recipient.id).await?;
            // In the recipient's language, whoever caused the notice and whatever they read.
            let l = words::locale_of(recipient.language());
            state.mail.send(mail::notice(
                l,
                &recipient.login,
                &recipient.display_name,
                &words::notice(l, &shown),
                &format!("{}{}", state.origin, shown.link),
                &format!("{}/unsubscribe?key={key}", state.origin),
            ));
        }
    }
    Ok(())
}

/// Where a paragraph's thread is shown.
pub fn thread_link(doc: &str, paragraph: &str) -> String {
    format!("/documents/{doc}?p={paragraph}#{paragraph}")
}

/// The requester's latest notices, newest first.
pub async fn list(state: &Accord, who: &Principal) -> Result<Vec<Notice>, Error> {
    let account = who.signed_in()?;
    Ok(state.rooms.store().notices(account, SHOWN).await?)
}

/// Marks all the requester's notices read.
pub async fn read_all(state: &Accord, who: &Principal) -> Result<(), Error> {
    let account = who.signed_in()?;
    Ok(state
        .rooms
        .store()
        .mark_notices_read(account, state.auth.now())
        .await?)
}

/// The path of the requester's Atom feed (secret: whoever has it reads the notices).
pub async fn feed_path(state: &Accord, who: &Principal) -> Result<String, Error> {
    let account = who.signed_in()?;
    let key = state.rooms.store().notice_key(account).await?;
    Ok(format!("/feeds/{key}.atom"))
}

/// Unix seconds as an Atom feed's date.
pub(crate) fn atom_time(secs: i64) -> FixedDateTime {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .fixed_offset()
}

/// The Atom feed a notice key names; `None` for a key that names nobody.
pub async fn feed(state: &Accord, key: &str) -> Result<Option<String>, Error> {
    let store = state.rooms.store();
    let Some(account) = store.account_by_notice_key(key).await? else {
        return Ok(None);
    };
    let notices = store.notices(&account, SHOWN).await?;
    let l = words::locale_of(store.language_of(&account).await?);
    let origin = &state.origin;
    let at = atom_time;
    let entries = notices
        .iter()
        .map(|n| Entry {
            id: format!("{origin}/notices/{}", n.id),
            title: Text::plain(words::notice(l, n)),
            updated: at(n.at),
            authors: vec![Person {
                name: if n.by.is_empty() {
                    "Accord".into()
                } else {
                    n.by.clone()
                },
                ..Default::default()
            }],
            links: vec![Link {
                href: format!("{origin}{}", n.link),
                ..Default::default()
            }],
            ..Default::default()
        })
        .collect();
    let feed = Feed {
        id: format!("{origin}/feeds/{key}.atom"),
        title: Text::plain(td_string!(l, mail.feed_title).to_string()),
        updated: at(notices.first().map_or(0, |n| n.at)),
        links: vec![Link {
            href: format!("{origin}/notifications"),
            ..Default::default()
        }],
        entries,
        ..Default::default()
    };
    Ok(Some(feed.to_string()))
}

/// Turns mailing notices off for the account a mail's unsubscribe link names; false for a key
/// that names nobody.
pub async fn unsubscribe(state: &Accord, key: &str) -> Result<bool, Error> {
    let store = state.rooms.store();
    match store.account_by_notice_key(key).await? {
        Some(account) => {
            store.set_mail_notices(&account, false).await?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Turns mailing notices on or off for the requester.
pub async fn set_mail(state: &Accord, who: &Principal, on: bool) -> Result<(), Error> {
    let account = who.signed_in()?;
    Ok(state.rooms.store().set_mail_notices(account, on).await?)
}
