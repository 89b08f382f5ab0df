use super::*;

fn stance(stance: Stance, source: Source, group: StakeholderGroup, reason: &str) -> CheckStance {
    CheckStance {
        stance,
        source,
        group: Some(group),
        region: Some(Region::African),
        reason: (!reason.is_empty()).then(|| reason.to_string()),
    }
}

#[test]
fn chairs_and_named_facilitators_run_a_session_rapporteurs_only_record() {
    assert!(may_run(Role::Chair, None));
    assert!(may_run(Role::Participant, Some(Part::Facilitator)));
    assert!(!may_run(Role::Drafter, None));
    assert!(!may_run(Role::Drafter, Some(Part::Rapporteur)));
    assert!(may_record(Role::Reader, Some(Part::Rapporteur)));
    assert!(may_record(Role::Chair, None));
    assert!(!may_record(Role::Drafter, None));
}

#[test]
fn a_check_counts_people_and_hands_once_each_with_where_they_came_from() {
    use StakeholderGroup::*;
    let stances = [
        stance(Stance::Support, Source::Online, Government, ""),
        stance(
            Stance::Oppose,
            Source::Room,
            CivilSociety,
            " Too vague on review. ",
        ),
        stance(Stance::Oppose, Source::Online, CivilSociety, "  "),
        stance(
            Stance::CanLiveWith,
            Source::Room,
            Academia,
            "ignored: not an objection",
        ),
    ];
    let hands = [Hands {
        group: Some(Government),
        support: 12,
        can_live_with: 3,
        oppose: 1,
    }];
    let f = tally(&stances, &hands);
    assert_eq!(
        (f.tally.support, f.tally.can_live_with, f.tally.oppose),
        (13, 4, 3)
    );
    assert_eq!(f.online.total(), 2);
    assert_eq!(f.room.total(), 2);
    assert_eq!(f.recorded.total(), 16, "hands count as recorded");
    let government = f
        .by_group
        .iter()
        .find(|g| g.group == Some(Government))
        .expect("listed");
    assert_eq!(government.tally.support, 13);
    assert_eq!(
        f.by_group.len(),
        StakeholderGroup::ALL.len(),
        "no 'not stated'"
    );
    let unstated = f.by_region.last().expect("regions");
    assert_eq!(
        (unstated.region, unstated.tally.total()),
        (None, 16),
        "hands have no region"
    );
    assert_eq!(f.reasons, ["Too vague on review."]);
    assert_eq!(tally(&[], &[]).tally.total(), 0);
}

#[test]
fn the_suggested_speaker_comes_from_the_group_heard_least() {
    use StakeholderGroup::*;
    let hand = |group, raised_at| RaisedHand {
        group: Some(group),
        raised_at,
    };
    let waiting = [
        hand(Government, 10),
        hand(PrivateSector, 20),
        hand(Government, 5),
    ];
    // Nobody spoke yet: the first hand raised.
    assert_eq!(suggested_speaker(&waiting, &[]), Some(2));
    // Governments spoke twice, the private sector never: the private sector's hand.
    let spoken = [Some(Government), Some(Government)];
    assert_eq!(suggested_speaker(&waiting, &spoken), Some(1));
    assert_eq!(suggested_speaker(&[], &spoken), None);
}

#[test]
fn the_poll_shows_movement_among_those_who_answered_both_times() {
    use StakeholderGroup::*;
    let answer = |account: &str, group, round, value| PollAnswer {
        account: account.into(),
        group: Some(group),
        round,
        value,
    };
    let answers = [
        answer("a", Government, PollRound::Before, 2),
        answer("a", Government, PollRound::After, 5),
        answer("b", Government, PollRound::Before, 4),
        answer("b", Government, PollRound::After, 5),
        answer("c", CivilSociety, PollRound::Before, 6),
        answer("d", CivilSociety, PollRound::After, 1),
    ];
    let m = movement(&answers);
    assert!(m[0].everyone);
    assert_eq!(m[0].answered_both, 2);
    assert_eq!(
        (m[0].answered_before_only, m[0].answered_after_only),
        (1, 1)
    );
    assert_eq!(m[0].mean_before, Some(3.0));
    assert_eq!(m[0].shift(), Some(2.0));
    let government = m.iter().find(|g| g.group == Some(Government)).expect("row");
    assert_eq!(government.answered_both, 2);
    let civil = m
        .iter()
        .find(|g| g.group == Some(CivilSociety))
        .expect("row");
    assert_eq!(civil.answered_both, 0);
    assert_eq!(civil.shift(), None, "nobody to compare");
    assert_eq!(m.len(), 3, "only the groups that answered");
}

#[test]
fn the_stream_everyone_follows_keeps_the_viewers_own_part() {
    use crate::api::{Check, LiveSession, Poll, PollQuestion, QueuedHand, YouInSession};
    let check = |id: &str, closed: bool| Check {
        id: id.into(),
        item: "i1".into(),
        opened_at: 0,
        ends_at: None,
        closed_at: closed.then_some(1),
        item_text: None,
        figures: CheckFigures::default(),
    };
    let hand = |id: &str, yours: bool| QueuedHand {
        id: id.into(),
        name: "Ana".into(),
        group: None,
        source: Source::Online,
        raised_at: 0,
        called_at: None,
        lowered_at: None,
        yours,
    };
    let question = |before: Option<u8>| PollQuestion {
        id: "q1".into(),
        text: "How far?".into(),
        movement: Vec::new(),
        yours_before: before,
        yours_after: None,
    };
    let session = |checks: Vec<Check>, queue: Vec<QueuedHand>, you: YouInSession, q| LiveSession {
        id: "s".into(),
        document: "d".into(),
        title: "Main".into(),
        starts_at: 0,
        items: Vec::new(),
        current: None,
        checks,
        queue,
        suggested: None,
        floor: Vec::new(),
        points: Vec::new(),
        poll: Poll {
            round: None,
            questions: vec![q],
        },
        you,
    };
    let mine = session(
        vec![check("c1", false)],
        vec![hand("h1", true)],
        YouInSession {
            may_run: true,
            stance: Some(Stance::Oppose),
            ..Default::default()
        },
        question(Some(3)),
    );
    let everyone = || {
        session(
            vec![check("c1", false)],
            vec![hand("h1", false), hand("h2", false)],
            YouInSession::default(),
            question(None),
        )
    };
    let seen = everyone().seen_by(&mine);
    assert!(seen.you.may_run);
    assert_eq!(seen.you.stance, Some(Stance::Oppose));
    assert!(seen.queue[0].yours && !seen.queue[1].yours);
    assert_eq!(seen.poll.questions[0].yours_before, Some(3));
    // A new check opened since: the stance was given in the old one.
    let mut later = everyone();
    later.checks = vec![check("c1", true), check("c2", false)];
    assert_eq!(later.seen_by(&mine).you.stance, None);
}
