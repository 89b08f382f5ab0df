//! First-start content: a demo group with a chair, a drafter and a participant, an admin, and
//! the sample draft, so that a new installation has something to open. The demo accounts'
//! password is in the README, for local use only.

use app::api::{CreateDocument, Region, Register, Role, StakeholderGroup};

use crate::{auth, documents, error::ApiError, rooms::Rooms};

/// The sample draft shipped with the repository.
pub const SAMPLE_DRAFT: &str = include_str!("../../samples/written-outputs-draft.md");

/// The demo group's id.
pub const DEMO_GROUP: &str = "bpf-outcomes";

/// The password of every demo account. For local use only: change or remove these accounts
/// before anyone else can reach the installation.
pub const DEMO_PASSWORD: &str = "accord-demo-password";

/// (login, display name, stakeholder group, region, role in the demo group; `None`: admin).
pub const DEMO_ACCOUNTS: &[(&str, &str, StakeholderGroup, Region, Option<Role>)] = &[
    (
        "admin@example.org",
        "Installation admin",
        StakeholderGroup::TechnicalCommunity,
        Region::WesternEuropeanOther,
        None,
    ),
    (
        "chair@example.org",
        "Amina Chair",
        StakeholderGroup::CivilSociety,
        Region::African,
        Some(Role::Chair),
    ),
    (
        "drafter@example.org",
        "Diego Drafter",
        StakeholderGroup::Academia,
        Region::LatinAmericanCaribbean,
        Some(Role::Drafter),
    ),
    (
        "participant@example.org",
        "Priya Participant",
        StakeholderGroup::Government,
        Region::AsiaPacific,
        Some(Role::Participant),
    ),
];

/// Seeds an empty database; does nothing when any group exists.
pub async fn seed_if_empty(rooms: &Rooms) -> Result<bool, ApiError> {
    let store = rooms.store();
    if store.has_groups().await? {
        return Ok(false);
    }
    store
        .create_group(DEMO_GROUP, "Best Practice Forum on Forum Outcomes", "bpf")
        .await?;
    let hash = auth::hash_password(DEMO_PASSWORD)?;
    for (login, name, stakeholder_group, region, role) in DEMO_ACCOUNTS {
        let register = Register {
            login: login.to_string(),
            password: String::new(),
            display_name: name.to_string(),
            affiliation: "Demo".into(),
            stakeholder_group: *stakeholder_group,
            region: *region,
            gender: None,
            age_band: None,
        };
        let account = store
            .create_account(&register, &hash, role.is_none())
            .await?
            .ok_or_else(|| ApiError::Internal(format!("demo account {login} exists")))?;
        if let Some(role) = role {
            store.set_role(DEMO_GROUP, &account.id, *role).await?;
        }
    }
    documents::create(
        rooms,
        CreateDocument {
            group: None,
            title: None,
            markdown: Some(SAMPLE_DRAFT.to_string()),
        },
        DEMO_GROUP,
    )
    .await?;
    Ok(true)
}
