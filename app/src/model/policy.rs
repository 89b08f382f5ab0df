//! Who may do what. The server asks this module before every write, over HTTP and the sync
//! channel alike; the UI asks it only to decide what to show.

/// A connection's role on one document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Reader,
    Participant,
    Drafter,
    Chair,
    Admin,
}

/// Something a connection may try to do to a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Receive the document and its changes.
    Read,
    /// Push changes to the text (the sync channel's only write).
    EditText,
}

/// Whether `role` may perform `action`.
pub fn allows(role: Role, action: Action) -> bool {
    match action {
        Action::Read => true,
        Action::EditText => matches!(role, Role::Drafter | Role::Chair),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_drafters_and_chairs_edit_the_text() {
        let editors: Vec<_> = [
            Role::Reader,
            Role::Participant,
            Role::Drafter,
            Role::Chair,
            Role::Admin,
        ]
        .into_iter()
        .filter(|r| allows(*r, Action::EditText))
        .collect();
        assert_eq!(editors, [Role::Drafter, Role::Chair]);
    }

    #[test]
    fn everyone_reads() {
        assert!(allows(Role::Reader, Action::Read));
    }
}
