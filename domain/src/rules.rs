//! The rules for what a client sends that read no state, each written once: words (one
//! cleaner for every field), ids and names, logins and passwords, stances, replies and what a
//! viewer sees of a hidden comment. Core asks these before it reads or writes anything.

use crate::{
    api::{SetStance, Stance},
    limits,
    phase::{Phase, Schedule},
    refusal::{quote, Field, Refusal},
};

/// Whether a field takes one line (names, titles) or many (comments, reasons).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// Words as stored: trimmed, Windows line ends made plain; `None` when nothing is left.
/// Refused when longer than `limit` characters or carrying control characters (a field of
/// many lines may hold line breaks and tabs).
pub fn clean(
    field: Field,
    value: &str,
    lines: Lines,
    limit: usize,
) -> Result<Option<String>, Refusal> {
    let text = value.trim().replace("\r\n", "\n");
    let length = text.chars().count();
    if length == 0 {
        return Ok(None);
    }
    if length > limit {
        return Err(Refusal::TextTooLong {
            field,
            length,
            limit,
        });
    }
    let allowed = |c: char| lines == Lines::Many && (c == '\n' || c == '\t');
    if text.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(Refusal::ControlCharacters { field });
    }
    Ok(Some(text))
}

/// [`clean`] for a field that must not be empty.
pub fn required(field: Field, value: &str, lines: Lines, limit: usize) -> Result<String, Refusal> {
    clean(field, value, lines, limit)?.ok_or(Refusal::TextEmpty { field })
}

/// Whether `id` could name a document: 2 to 40 ASCII letters, digits and `-`. Checked before
/// any lookup (so that paths stay tame) and of every document an archive brings.
pub fn is_document_id(id: &str) -> bool {
    (2..=40).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The name that stands for the text as it is now in a comparison.
pub const CURRENT_VERSION: &str = "current";

/// Whether `name` may name a version: 1 to 40 lower-case letters, digits, `.` and `-`,
/// starting with a letter or digit, and not [`CURRENT_VERSION`].
pub fn is_version_name(name: &str) -> bool {
    (1..=40).contains(&name.len())
        && name != CURRENT_VERSION
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && name.as_bytes()[0].is_ascii_alphanumeric()
}

/// A version name, or the refusal quoting it.
pub fn version_name(name: &str) -> Result<&str, Refusal> {
    match is_version_name(name) {
        true => Ok(name),
        false => Err(Refusal::BadVersionName {
            name: quote(name, 40),
        }),
    }
}

/// A login as stored: an email-like name, trimmed.
pub fn login(login: &str) -> Result<String, Refusal> {
    let login = required(Field::Login, login, Lines::One, limits::MAX_LOGIN_CHARS)?;
    let email_like = login.split_once('@').is_some_and(|(user, domain)| {
        !user.is_empty() && domain.contains('.') && !domain.starts_with('.')
    }) && !login.chars().any(char::is_whitespace);
    match email_like {
        true => Ok(login),
        false => Err(Refusal::BadLogin {
            login: quote(&login, 60),
        }),
    }
}

/// A new password: long enough, and short enough to hash.
pub fn password(password: &str) -> Result<(), Refusal> {
    if password.len() > limits::MAX_PASSWORD_BYTES {
        return Err(Refusal::PasswordTooLong {
            limit: limits::MAX_PASSWORD_BYTES,
        });
    }
    if password.chars().count() < limits::MIN_PASSWORD_CHARS {
        return Err(Refusal::PasswordTooShort {
            minimum: limits::MIN_PASSWORD_CHARS,
        });
    }
    Ok(())
}

/// A stance's reason, cleaned. An objection (on a paragraph or an amendment) needs one, and in
/// last call only objections are taken.
pub fn stance_reason(s: &SetStance, phase: Phase) -> Result<Option<String>, Refusal> {
    if !stances_taken(phase).contains(&s.stance) {
        return Err(Refusal::LastCallObjectionsOnly);
    }
    let reason = clean(
        Field::Reason,
        s.reason.as_deref().unwrap_or(""),
        Lines::Many,
        limits::MAX_REASON_CHARS,
    )?;
    if s.stance == Stance::Oppose && reason.is_none() {
        return Err(Refusal::ObjectionNeedsReason);
    }
    Ok(reason)
}

/// The stances a phase takes: last call takes only objections; the page offers no other.
pub fn stances_taken(phase: Phase) -> Vec<Stance> {
    match phase {
        Phase::LastCall => vec![Stance::Oppose],
        _ => Stance::ALL.to_vec(),
    }
}

/// The comment a reply joins: replies are one level deep, so a reply to a reply joins its
/// comment's thread. `parent_of_target` is what the replied-to comment itself replies to.
pub fn thread_of(target: i64, parent_of_target: Option<i64>) -> i64 {
    parent_of_target.unwrap_or(target)
}

/// Whether a viewer sees a comment's words: a hidden comment's only for moderators.
pub fn shows_words(hidden: bool, moderator: bool) -> bool {
    !hidden || moderator
}

/// Whether a viewer may still edit a comment: their own, unanswered and not hidden.
pub fn editable(author: bool, replies: i64, hidden: bool) -> bool {
    author && replies == 0 && !hidden
}

/// Whether a chair may move a document from `now_in` to `to` at `now`: a deadline only where
/// the phase has one, in the future and at most [`limits::MAX_DEADLINE_DAYS`] ahead; a move
/// that changes something.
pub fn phase_move(now_in: Schedule, to: Schedule, now: i64) -> Result<(), Refusal> {
    match to.deadline {
        Some(_) if !to.phase.has_deadline() => return Err(Refusal::NoDeadline { phase: to.phase }),
        Some(at) if at <= now => return Err(Refusal::DeadlinePassed { at }),
        Some(at) if at.saturating_sub(now) > limits::MAX_DEADLINE_DAYS * 86_400 => {
            return Err(Refusal::DeadlineTooFar {
                days: limits::MAX_DEADLINE_DAYS,
            })
        }
        _ => {}
    }
    if to == now_in {
        return Err(Refusal::InPhaseAlready { phase: to.phase });
    }
    Ok(())
}

/// Words as typed or pasted into the editor, made fit for the text: a line break of another
/// kind (`\r\n`, `\r`, a word processor's vertical tab or form feed) becomes `\n` (in a title,
/// a space), and any other control character but a tab in a paragraph is dropped. The server
/// refuses control characters; the editor cleans them before they reach it.
pub fn typed_words(text: &str, lines: Lines) -> String {
    let text = text.replace("\r\n", "\n");
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\u{b}' | '\u{c}' => Some(match lines {
                Lines::Many => '\n',
                Lines::One => ' ',
            }),
            '\t' if lines == Lines::Many => Some('\t'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// How long a session lasts: `idle` seconds without a request, and `lifetime` seconds in all
/// however busy (a stolen cookie stops working in the end).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionLimits {
    pub idle: i64,
    pub lifetime: i64,
}

impl SessionLimits {
    /// Whether a session begun at `created` and last used at `last_seen` has ended by `now`.
    pub fn ended(self, created: i64, last_seen: i64, now: i64) -> bool {
        now - last_seen > self.idle || now - created > self.lifetime
    }
}

/// The stem of a download's file name: the title's first eight words in lower case, joined by
/// hyphens (letters and digits of any script kept, everything else a separator), or `fallback`
/// (the document's id) for a title without any.
pub fn file_stem(title: &str, fallback: &str) -> String {
    let lowered: String = title
        .chars()
        .map(|c| match c.is_alphanumeric() {
            true => c.to_lowercase().next().unwrap_or(c),
            false => ' ',
        })
        .collect();
    let stem = lowered
        .split_whitespace()
        .take(8)
        .collect::<Vec<_>>()
        .join("-");
    match stem.is_empty() {
        true => fallback.to_string(),
        false => stem,
    }
}

/// A place on this site to send someone after a form: a path of printable ASCII without
/// spaces, starting with one `/`; anything else (another site, `//host`, `/\host`, a tab or a
/// line break a browser would strip into `//host`, a character a header cannot carry) is `/`.
pub fn local_path(to: &str) -> &str {
    let tame = to.bytes().all(|b| b.is_ascii_graphic());
    let local = to.starts_with('/') && !to.starts_with("//") && !to.contains('\\');
    match tame && local {
        true => to,
        false => "/",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_cleaner_keeps_line_breaks_only_where_a_field_has_lines() {
        assert_eq!(
            clean(Field::Comment, "  a\r\nb\tc ", Lines::Many, 10),
            Ok(Some("a\nb\tc".into()))
        );
        assert_eq!(
            clean(Field::DisplayName, "a\nb", Lines::One, 10),
            Err(Refusal::ControlCharacters {
                field: Field::DisplayName
            })
        );
        assert_eq!(
            clean(Field::Comment, "a\u{7}", Lines::Many, 10),
            Err(Refusal::ControlCharacters {
                field: Field::Comment
            })
        );
        assert_eq!(clean(Field::Affiliation, "   ", Lines::One, 10), Ok(None));
        assert_eq!(
            required(Field::Reason, " ", Lines::Many, 10),
            Err(Refusal::TextEmpty {
                field: Field::Reason
            })
        );
        assert_eq!(
            required(Field::Title, "ééé", Lines::One, 2),
            Err(Refusal::TextTooLong {
                field: Field::Title,
                length: 3,
                limit: 2
            })
        );
    }

    #[test]
    fn ids_and_version_names() {
        assert!(is_document_id("draft-recommendations-on-written-outputs"));
        assert!(!is_document_id("a"));
        assert!(!is_document_id("with_underscore"));
        assert!(!is_document_id(&"a".repeat(41)));
        assert!(is_version_name("draft-01") && is_version_name("1.0"));
        assert!(!is_version_name(CURRENT_VERSION) && !is_version_name("-x"));
        assert!(!is_version_name("Final") && !is_version_name(""));
        for bad in ["a b", "é", &"x".repeat(41), "../x"] {
            assert!(!is_version_name(bad), "{bad}");
        }
    }

    #[test]
    fn pasted_control_characters_become_line_breaks_or_go() {
        assert_eq!(
            typed_words("a\u{b}b\r\nc\u{0}d\te", Lines::Many),
            "a\nb\ncd\te"
        );
        assert_eq!(typed_words("a\nb\tc\u{1b}", Lines::One), "a b c");
    }

    #[test]
    fn a_session_ends_when_idle_and_in_any_case_after_its_lifetime() {
        let l = SessionLimits {
            idle: 10,
            lifetime: 100,
        };
        assert!(!l.ended(0, 95, 100));
        assert!(l.ended(0, 80, 100), "idle");
        assert!(l.ended(0, 100, 101), "too old, however busy");
    }

    #[test]
    fn only_local_paths_are_followed() {
        for good in ["/", "/documents/d1?p=pa#pa", "/groups/dc-x"] {
            assert_eq!(local_path(good), good);
        }
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example/",
            "/\t/evil.example/phish.html",
            "/\r\nSet-Cookie: x=1",
            "/a\u{b}b",
            "/a b",
            "/é",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(local_path(bad), "/", "{bad:?}");
        }
    }

    #[test]
    fn file_names_come_from_the_title_in_any_script() {
        assert_eq!(
            file_stem(
                "Draft recommendations on written outputs of the Forum",
                "d1"
            ),
            "draft-recommendations-on-written-outputs-of-the-forum"
        );
        assert_eq!(file_stem("Charte : l'accès", "d1"), "charte-l-accès");
        assert_eq!(file_stem("مسودة التوصيات", "d1"), "مسودة-التوصيات");
        assert_eq!(file_stem(" «»/\\ ", "d1"), "d1");
    }

    #[test]
    fn logins_and_passwords() {
        assert_eq!(login(" ana@example.org "), Ok("ana@example.org".into()));
        assert!(matches!(login("ana"), Err(Refusal::BadLogin { .. })));
        assert!(matches!(login("a b@x.org"), Err(Refusal::BadLogin { .. })));
        assert!(password("long enough!").is_ok());
        assert!(matches!(
            password("short"),
            Err(Refusal::PasswordTooShort { .. })
        ));
    }

    #[test]
    fn stances_need_reasons_to_object_and_last_call_takes_only_objections() {
        let s = |stance, reason: Option<&str>| SetStance {
            stance,
            reason: reason.map(str::to_string),
        };
        assert_eq!(
            stance_reason(&s(Stance::Oppose, None), Phase::Drafting),
            Err(Refusal::ObjectionNeedsReason)
        );
        assert_eq!(
            stance_reason(&s(Stance::Support, None), Phase::LastCall),
            Err(Refusal::LastCallObjectionsOnly)
        );
        assert_eq!(
            stance_reason(&s(Stance::Oppose, Some(" Why. ")), Phase::LastCall),
            Ok(Some("Why.".into()))
        );
    }

    #[test]
    fn a_phase_moves_with_a_future_deadline_where_it_has_one() {
        let at = |phase, deadline| Schedule { phase, deadline };
        let drafting = at(Phase::Drafting, None);
        assert_eq!(
            phase_move(drafting, at(Phase::Consultation, Some(100)), 50),
            Ok(())
        );
        assert_eq!(
            phase_move(drafting, at(Phase::Consultation, Some(50)), 50),
            Err(Refusal::DeadlinePassed { at: 50 })
        );
        assert_eq!(
            phase_move(drafting, at(Phase::Closed, Some(100)), 50),
            Err(Refusal::NoDeadline {
                phase: Phase::Closed
            })
        );
        assert_eq!(
            phase_move(drafting, at(Phase::Consultation, Some(i64::MAX)), 50),
            Err(Refusal::DeadlineTooFar {
                days: limits::MAX_DEADLINE_DAYS
            })
        );
        assert_eq!(
            phase_move(drafting, drafting, 50),
            Err(Refusal::InPhaseAlready {
                phase: Phase::Drafting
            })
        );
    }

    #[test]
    fn replies_are_one_level_deep_and_hidden_words_are_for_moderators() {
        assert_eq!(thread_of(7, None), 7);
        assert_eq!(thread_of(9, Some(7)), 7);
        assert!(shows_words(false, false) && shows_words(true, true));
        assert!(!shows_words(true, false));
        assert!(editable(true, 0, false));
        assert!(!editable(true, 1, false) && !editable(false, 0, false));
        assert!(!editable(true, 0, true));
    }
}
