//! What the database's own keys decide: two stores opened on one file (two writer connections,
//! as two processes or a database with many writers would have) racing for the same row. The
//! one writer connection of a store queues its writes, so it cannot show that the rows, not the
//! queue, keep these promises.

use domain::{
    api::{Register, Role},
    profile::{Region, StakeholderGroup},
    refusal::{Refusal, Thing},
};

use super::Store;

/// Two stores on one database file, and the folder that holds it.
async fn two_stores() -> (tempfile::TempDir, Store, Store) {
    let dir = tempfile::tempdir().expect("folder");
    let a = Store::open(dir.path()).await.expect("first store");
    let b = Store::open(dir.path()).await.expect("second store");
    (dir, a, b)
}

/// A new account's id.
async fn account(store: &Store, login: &str) -> String {
    let register = Register {
        login: login.into(),
        password: String::new(),
        display_name: login.into(),
        affiliation: String::new(),
        stakeholder_group: StakeholderGroup::CivilSociety,
        region: Region::AsiaPacific,
        gender: None,
        age_band: None,
        next: None,
    };
    let made = store.create_account(&register, "hash", false).await;
    made.expect("store").expect("a fresh login").id
}

#[tokio::test]
async fn a_group_id_two_connections_race_for_is_created_once() {
    let (_dir, a, b) = two_stores().await;
    for i in 0..20 {
        let id = format!("g{i}");
        let (first, second) = tokio::join!(
            a.create_group(&id, "First", "bpf"),
            b.create_group(&id, "Second", "dc")
        );
        let (first, second) = (first.expect("first"), second.expect("second"));
        assert!(first != second, "exactly one insert of {id} creates it");
    }
    assert_eq!(a.groups().await.expect("groups").len(), 20);
}

#[tokio::test]
async fn an_invitation_two_connections_race_for_is_accepted_once() {
    let (_dir, a, b) = two_stores().await;
    assert!(a.create_group("g", "Group", "bpf").await.expect("group"));
    let chair = account(&a, "chair@example.org").await;
    let (x, y) = (
        account(&a, "x@example.org").await,
        account(&a, "y@example.org").await,
    );
    for i in 0..20 {
        let token = format!("token-{i}");
        a.create_invitation("g", Role::Participant, &token, &chair, 0, 100)
            .await
            .expect("invitation");
        let (first, second) = tokio::join!(
            a.accept_invitation(&token, &x, 10),
            b.accept_invitation(&token, &y, 10)
        );
        let mut answers = [first.expect("first"), second.expect("second")];
        answers.sort_by_key(Result::is_err);
        assert_eq!(answers[0], Ok(("g".to_string(), Role::Participant)));
        assert_eq!(answers[1], Err(Refusal::InvitationUsed), "invitation {i}");
    }
}

#[tokio::test]
async fn an_invitation_refused_says_why() {
    let store = Store::memory().await.expect("store");
    assert!(store
        .create_group("g", "Group", "bpf")
        .await
        .expect("group"));
    let chair = account(&store, "chair@example.org").await;
    let guest = account(&store, "guest@example.org").await;
    let invite = |token: &'static str, expires_at| {
        let (store, chair) = (store.clone(), chair.clone());
        async move {
            store
                .create_invitation("g", Role::Drafter, token, &chair, 0, expires_at)
                .await
                .expect("invitation")
        }
    };
    let revoked = invite("revoked", 100).await;
    assert!(store
        .revoke_invitation("g", &revoked)
        .await
        .expect("revoke"));
    invite("expired", 5).await;
    invite("used", 100).await;
    let accept = |token| store.accept_invitation(token, &guest, 10);
    assert_eq!(
        accept("used").await.expect("store"),
        Ok(("g".into(), Role::Drafter))
    );
    assert_eq!(
        accept("used").await.expect("store"),
        Err(Refusal::InvitationUsed)
    );
    assert_eq!(
        accept("revoked").await.expect("store"),
        Err(Refusal::InvitationRevoked)
    );
    assert_eq!(
        accept("expired").await.expect("store"),
        Err(Refusal::InvitationExpired)
    );
    assert_eq!(
        accept("unknown").await.expect("store"),
        Err(Refusal::unknown(Thing::Invitation, ""))
    );
    assert_eq!(
        store.role_in(&guest, "g").await.expect("role"),
        Role::Drafter
    );
}

#[tokio::test]
async fn a_bucket_two_connections_take_from_at_once_counts_both() {
    let (_dir, a, b) = two_stores().await;
    let now = 1_000_000_000;
    // Five at once, then one every twelve seconds; twenty asked for at the same instant.
    let take = |store: Store| async move {
        store
            .take_allowance("register:ip:192.0.2.1", now, 12_000, 5)
            .await
            .expect("taken or refused")
    };
    let asked = (0..20).map(|i| take(if i % 2 == 0 { a.clone() } else { b.clone() }));
    let allowed = futures::future::join_all(asked).await;
    assert_eq!(allowed.iter().filter(|ok| **ok).count(), 5);

    // The sweep forgets a bucket once it is whole again, not before.
    assert!(!take(a.clone()).await, "spent");
    a.take_allowance("register:ip:192.0.2.9", now, 12_000, 5)
        .await
        .expect("taken");
    a.forget_whole_buckets(now + 30_000).await.expect("sweep");
    let kept: Vec<(String,)> = sqlx::query_as("SELECT bucket FROM rate_buckets")
        .fetch_all(a.pool())
        .await
        .expect("read");
    assert_eq!(kept, [("register:ip:192.0.2.1".to_string(),)]);
}
