//! First-start content: a demo group with a chair, a drafter and a participant, an admin, and
//! the sample draft, so that a new installation has something to open. The demo accounts'
//! password is in the README, for local use only.

use domain::api::{CreateDocument, Gender, Region, Register, Role, StakeholderGroup};

use crate::{auth, documents, error::Error, rooms::Rooms};

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

/// Creates a demo account with the demo password's `hash`, as `role` in the demo group (`None`:
/// the installation admin); returns its id.
async fn demo_account(
    store: &crate::store::Store,
    hash: &str,
    login: &str,
    name: &str,
    (stakeholder_group, region, gender): (StakeholderGroup, Region, Option<Gender>),
    role: Option<Role>,
) -> Result<String, Error> {
    let register = Register {
        login: login.to_string(),
        password: String::new(),
        display_name: name.to_string(),
        affiliation: "Demo".into(),
        stakeholder_group,
        region,
        gender,
        age_band: None,
        next: None,
    };
    let account = store
        .create_account(&register, hash, role.is_none())
        .await?
        .ok_or_else(|| Error::Internal(format!("demo account {login} exists")))?;
    if let Some(role) = role {
        store.set_role(DEMO_GROUP, &account.id, role).await?;
    }
    Ok(account.id)
}

/// Seeds an empty database; does nothing when any group exists.
pub async fn seed_if_empty(rooms: &Rooms) -> Result<bool, Error> {
    let store = rooms.store();
    if store.has_groups().await? {
        return Ok(false);
    }
    let name = "Best Practice Forum on Forum Outcomes";
    if !store.create_group(DEMO_GROUP, name, "bpf").await? {
        // Another start on the same database seeded it meanwhile.
        return Ok(false);
    }
    let hash = auth::hash_password(DEMO_PASSWORD)?;
    for (login, name, stakeholder_group, region, role) in DEMO_ACCOUNTS {
        let profile = (*stakeholder_group, *region, None);
        demo_account(store, &hash, login, name, profile, *role).await?;
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

/// Demo participants who have reviewed the sample draft: (login, name, stakeholder group,
/// region, gender).
const DEMO_REVIEWERS: &[(&str, &str, StakeholderGroup, Region, Gender)] = &[
    (
        "ana@example.org",
        "Ana Ruiz",
        StakeholderGroup::Government,
        Region::LatinAmericanCaribbean,
        Gender::Woman,
    ),
    (
        "kofi@example.org",
        "Kofi Mensah",
        StakeholderGroup::CivilSociety,
        Region::African,
        Gender::Man,
    ),
    (
        "li@example.org",
        "Li Wei",
        StakeholderGroup::TechnicalCommunity,
        Region::AsiaPacific,
        Gender::Man,
    ),
    (
        "elena@example.org",
        "Elena Petrova",
        StakeholderGroup::Academia,
        Region::EasternEuropean,
        Gender::Woman,
    ),
    (
        "james@example.org",
        "James Carter",
        StakeholderGroup::PrivateSector,
        Region::WesternEuropeanOther,
        Gender::Man,
    ),
    (
        "fatima@example.org",
        "Fatima Haddad",
        StakeholderGroup::Intergovernmental,
        Region::AsiaPacific,
        Gender::Woman,
    ),
    (
        "marta@example.org",
        "Marta Lind",
        StakeholderGroup::Government,
        Region::WesternEuropeanOther,
        Gender::Woman,
    ),
    (
        "tomas@example.org",
        "Tomás Silva",
        StakeholderGroup::PrivateSector,
        Region::LatinAmericanCaribbean,
        Gender::NonBinary,
    ),
];

/// Gives a freshly seeded installation some review of the sample draft, so that its consensus
/// map has something to show: demo participants' stances on most paragraphs, a few comments,
/// objections (one paragraph opposed by the private sector as a block) and chair responses.
pub async fn demo_feedback(rooms: &Rooms, now: i64) -> Result<(), Error> {
    use domain::api::{Disposition, Stance};

    use crate::store::feedback::{StanceChange, Target};

    let store = rooms.store();
    let Some(doc) = store.list_documents().await?.first().map(|d| d.id.clone()) else {
        return Ok(());
    };
    let (outline, _) = rooms.outline(&doc).await?;
    let paragraphs: Vec<String> = outline
        .paragraphs
        .iter()
        .filter(|p| p.kind != domain::api::ParagraphKind::Heading)
        .map(|p| p.id.clone())
        .collect();
    let hash = auth::hash_password(DEMO_PASSWORD)?;
    let mut reviewers = Vec::new();
    for (login, name, stakeholder_group, region, gender) in DEMO_REVIEWERS {
        let profile = (*stakeholder_group, *region, Some(*gender));
        let id = demo_account(store, &hash, login, name, profile, Some(Role::Participant)).await?;
        reviewers.push((id, *stakeholder_group));
    }
    let chair = store
        .account_by_login("chair@example.org")
        .await?
        .map(|(a, _)| a.id)
        .ok_or_else(|| Error::Internal("no demo chair".into()))?;
    let mut objections = Vec::new();
    // Reviewed paragraphs: all but the last few, which nobody has reached yet.
    for (i, p) in paragraphs
        .iter()
        .enumerate()
        .take(paragraphs.len().saturating_sub(3))
    {
        for (j, (account, group)) in reviewers.iter().enumerate() {
            let block = i == 3 && *group == StakeholderGroup::PrivateSector;
            let stance = match (i * 7 + j * 3) % 11 {
                _ if block => Stance::Oppose,
                0..=5 => Stance::Support,
                6..=8 => Stance::CanLiveWith,
                9 if i % 3 == 1 => Stance::Oppose,
                _ => continue,
            };
            let reason = (stance == Stance::Oppose).then_some(if block {
                "Publishing every comment verbatim exposes companies to liability; summaries should be allowed."
            } else {
                "The wording is too vague to be implemented; name who is responsible."
            });
            let minute = now - 86_400 + (i * 60 + j) as i64;
            if let StanceChange::Stated(entry) = store
                .set_stance(&doc, p, account, stance, reason, minute)
                .await?
            {
                if stance == Stance::Oppose {
                    objections.push(entry);
                }
            }
        }
    }
    let comments = [
        (0, 1, "Could we cite the mandate in paragraph 72(g) of the Tunis Agenda here? https://www.itu.int/net/wsis/docs2/tunis/off/6rev1.html"),
        (1, 3, "Academic work on outcome documents supports this; happy to share references."),
        (3, 4, "We would prefer 'a summary of every comment' to 'every comment'."),
        (3, 1, "Civil society needs the full record; summaries lose nuance."),
        (5, 2, "Suggest adding machine-readable formats (JSON) alongside PDF."),
    ];
    let mut first = None;
    for (k, (i, j, body)) in comments.iter().enumerate() {
        let (Some(p), Some((account, _))) = (paragraphs.get(*i), reviewers.get(*j)) else {
            continue;
        };
        let id = store
            .insert_comment(
                &doc,
                p,
                None,
                account,
                body,
                None,
                now - 3600 + k as i64 * 60,
            )
            .await?;
        first.get_or_insert(id);
    }
    if let Some(c) = first {
        store
            .respond(
                &doc,
                Target::Comment(c),
                Disposition::Accepted,
                "Added a reference to the mandate in draft-01.",
                &chair,
                now - 1800,
            )
            .await?;
    }
    if let Some(o) = objections.first() {
        store
            .respond(
                &doc,
                Target::Objection(*o),
                Disposition::PartlyAccepted,
                "Responsibilities are now named in the following paragraph.",
                &chair,
                now - 1700,
            )
            .await?;
    }
    Ok(())
}
