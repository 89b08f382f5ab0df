use super::*;
use crate::profile::{Gender, Region, StakeholderGroup as G};

fn who(group: Option<G>, region: Option<Region>) -> Profile {
    Profile {
        group,
        region,
        gender: None,
    }
}

fn stance(paragraph: &str, account: &str, stance: Stance, group: G) -> StanceFact {
    StanceFact {
        paragraph: paragraph.into(),
        account: account.into(),
        stance,
        profile: who(Some(group), Some(Region::African)),
        answered: false,
    }
}

fn comment(paragraph: &str, account: &str) -> CommentFact {
    CommentFact {
        paragraph: paragraph.into(),
        account: account.into(),
        profile: who(Some(G::CivilSociety), Some(Region::AsiaPacific)),
        hidden: false,
        reply: false,
        answered: false,
    }
}

fn one(stances: &[StanceFact], comments: &[CommentFact]) -> ParagraphConsensus {
    consensus(["p1"], stances, comments).remove(0)
}

fn concentrated(stances: &[StanceFact]) -> bool {
    one(stances, &[])
        .flags
        .iter()
        .any(|f| matches!(f, Flag::ConcentratedObjections { .. }))
}

#[test]
fn a_paragraph_without_feedback_has_no_stances_and_no_flags() {
    let c = one(&[], &[]);
    assert_eq!(c.level, Level::NoStances);
    assert_eq!(c.tally.total(), 0);
    assert!(c.flags.is_empty());
    assert_eq!(
        c.by_group.len(),
        7,
        "every group is listed, 'not stated' only when used"
    );
    assert_eq!(c.by_region.len(), 5);
    assert_eq!(c.tally.describe(), "no stances yet");
}

#[test]
fn stances_are_counted_per_paragraph_group_and_region() {
    let mut s = vec![
        stance("p1", "a", Stance::Support, G::Government),
        stance("p1", "b", Stance::Support, G::Academia),
        stance("p1", "c", Stance::CanLiveWith, G::Government),
        stance("p2", "a", Stance::Oppose, G::Government),
    ];
    s[1].profile.region = None;
    let all = consensus(["p1", "p2"], &s, &[]);
    assert_eq!(all[0].paragraph, "p1");
    assert_eq!(
        all[0].tally,
        Tally {
            support: 2,
            can_live_with: 1,
            oppose: 0
        }
    );
    let gov = &all[0].by_group[0];
    assert_eq!(gov.group, Some(G::Government));
    assert_eq!((gov.tally.support, gov.tally.can_live_with), (1, 1));
    let not_stated = all[0].by_region.last().expect("a 'not stated' row");
    assert_eq!(not_stated.region, None);
    assert_eq!(not_stated.tally.support, 1);
    assert_eq!(all[0].by_region.len(), 6);
    assert_eq!(all[1].tally.oppose, 1);
    assert_eq!(all[1].level, Level::Opposed);
}

#[test]
fn feedback_on_paragraphs_not_listed_is_left_out() {
    let s = [stance("gone", "a", Stance::Oppose, G::Government)];
    let all = consensus(["p1"], &s, &[comment("gone", "b")]);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].tally.total(), 0);
    assert_eq!(all[0].comments, 0);
}

#[test]
fn an_unanswered_objection_is_flagged_until_a_chair_responds() {
    let mut s = vec![
        stance("p1", "a", Stance::Support, G::Government),
        stance("p1", "b", Stance::Oppose, G::Academia),
    ];
    let c = one(&s, &[]);
    assert_eq!(c.unanswered_objections, 1);
    assert!(c.flags.contains(&Flag::UnansweredObjections { count: 1 }));
    assert_eq!(c.flags[0].describe(), "1 objection not yet answered");
    s[1].answered = true;
    let c = one(&s, &[]);
    assert_eq!(c.unanswered_objections, 0);
    assert!(!c
        .flags
        .iter()
        .any(|f| matches!(f, Flag::UnansweredObjections { .. })));
}

#[test]
fn a_group_objecting_as_a_block_is_flagged_even_when_the_total_looks_good() {
    let mut s: Vec<StanceFact> = [
        G::Academia,
        G::CivilSociety,
        G::TechnicalCommunity,
        G::PrivateSector,
    ]
    .iter()
    .cycle()
    .take(20)
    .enumerate()
    .map(|(i, g)| stance("p1", &format!("s{i}"), Stance::Support, *g))
    .collect();
    for i in 0..3 {
        let mut o = stance("p1", &format!("o{i}"), Stance::Oppose, G::Government);
        o.answered = true;
        s.push(o);
    }
    let c = one(&s, &[]);
    assert_eq!(c.level, Level::Objections);
    assert_eq!(
        c.flags,
        vec![Flag::ConcentratedObjections {
            group: G::Government,
            objections: 3,
            of: 3
        }]
    );
    assert_eq!(
        c.flags[0].describe(),
        "3 of 3 objections come from government"
    );
}

#[test]
fn two_thirds_of_the_objections_from_one_group_is_concentrated_and_less_is_not() {
    let mut s = vec![
        stance("p1", "a", Stance::Oppose, G::Government),
        stance("p1", "b", Stance::Oppose, G::Government),
        stance("p1", "c", Stance::Oppose, G::Academia),
    ];
    assert!(one(&s, &[]).flags.iter().any(|f| matches!(
        f,
        Flag::ConcentratedObjections {
            objections: 2,
            of: 3,
            ..
        }
    )));
    s.push(stance("p1", "d", Stance::Oppose, G::CivilSociety));
    assert!(!concentrated(&s));
}

#[test]
fn a_single_objection_or_objections_with_no_stated_group_are_not_a_block() {
    let single = [stance("p1", "a", Stance::Oppose, G::Government)];
    assert!(!concentrated(&single));
    let mut unstated = vec![
        stance("p1", "a", Stance::Oppose, G::Government),
        stance("p1", "b", Stance::Oppose, G::Government),
        stance("p1", "c", Stance::Oppose, G::Government),
    ];
    for s in &mut unstated {
        s.profile.group = None;
    }
    assert!(!concentrated(&unstated));
}

#[test]
fn support_from_fewer_than_three_stakeholder_groups_is_narrow() {
    let mut s = vec![
        stance("p1", "a", Stance::Support, G::Government),
        stance("p1", "b", Stance::Support, G::Government),
        stance("p1", "c", Stance::Support, G::PrivateSector),
        // Acceptance from a third group does not make the support broad.
        stance("p1", "d", Stance::CanLiveWith, G::Academia),
    ];
    let c = one(&s, &[]);
    assert_eq!(c.supporting_groups, 2);
    assert_eq!(c.flags, vec![Flag::NarrowSupport { groups: 2 }]);
    assert_eq!(
        c.flags[0].describe(),
        "support comes from only 2 stakeholder groups"
    );
    s.push(stance("p1", "e", Stance::Support, G::CivilSociety));
    let c = one(&s, &[]);
    assert_eq!(c.supporting_groups, 3);
    assert!(c.flags.is_empty());
    assert_eq!(c.level, Level::BroadSupport);
}

#[test]
fn a_paragraph_people_only_live_with_is_accepted_not_narrowly_supported() {
    let s = [
        stance("p1", "a", Stance::CanLiveWith, G::Government),
        stance("p1", "b", Stance::CanLiveWith, G::Academia),
    ];
    let c = one(&s, &[]);
    assert_eq!(c.level, Level::Accepted);
    assert!(c.flags.is_empty());
}

#[test]
fn half_or_more_opposing_is_opposed() {
    let s = [
        stance("p1", "a", Stance::Support, G::Government),
        stance("p1", "b", Stance::Oppose, G::Academia),
    ];
    assert_eq!(one(&s, &[]).level, Level::Opposed);
    assert_eq!(
        one(&s, &[]).tally.describe(),
        "1 support · 0 can live with · 1 opposes"
    );
}

#[test]
fn hidden_comments_do_not_count_and_replies_need_no_response() {
    let mut hidden = comment("p1", "a");
    hidden.hidden = true;
    let mut reply = comment("p1", "b");
    reply.reply = true;
    let mut answered = comment("p1", "c");
    answered.answered = true;
    let open = comment("p1", "d");
    let c = one(&[], &[hidden, reply, answered, open]);
    assert_eq!(c.comments, 3);
    assert_eq!(c.open_comments, 1);
}

#[test]
fn balance_counts_each_participant_once_and_leaves_hidden_comments_out() {
    let mut s = vec![
        stance("p1", "a", Stance::Support, G::Government),
        stance("p2", "a", Stance::Oppose, G::Government),
        stance("p1", "b", Stance::Support, G::Academia),
    ];
    s[2].profile.gender = Some(Gender::Woman);
    let mut hidden = comment("p1", "spammer");
    hidden.hidden = true;
    let comments = [comment("p1", "a"), comment("p2", "c"), hidden];
    let b = balance(&s, &comments);
    assert_eq!(
        b.participants.total, 3,
        "a, b and c; the hidden comment's author is not counted"
    );
    assert_eq!(b.stances.total, 3);
    assert_eq!(b.comments.total, 2);
    let count = |bd: &Breakdown, g: G| {
        bd.by_group
            .iter()
            .find(|x| x.group == Some(g))
            .map(|x| x.count)
    };
    assert_eq!(count(&b.participants, G::Government), Some(1));
    assert_eq!(count(&b.participants, G::CivilSociety), Some(1));
    assert_eq!(count(&b.stances, G::Government), Some(2));
    let women = b
        .participants
        .by_gender
        .iter()
        .find(|x| x.gender == Some(Gender::Woman))
        .map(|x| x.count);
    assert_eq!(women, Some(1));
    let unstated = b.participants.by_gender.last().expect("a 'not stated' row");
    assert_eq!((unstated.gender, unstated.count), (None, 2));
}

#[test]
fn figures_follow_the_paragraph_order_given() {
    let s = [stance("p2", "a", Stance::Support, G::Government)];
    let all = consensus(["p3", "p2", "p1"], &s, &[]);
    let order: Vec<&str> = all.iter().map(|c| c.paragraph.as_str()).collect();
    assert_eq!(order, ["p3", "p2", "p1"]);
    assert_eq!(all[1].tally.support, 1);
}

#[test]
fn stance_and_disposition_keys_round_trip() {
    for s in Stance::ALL {
        assert_eq!(Stance::parse(s.key()), Some(*s));
    }
    for d in Disposition::ALL {
        assert_eq!(Disposition::parse(d.key()), Some(*d));
    }
    assert_eq!(
        serde_json::to_string(&Stance::CanLiveWith).expect("json"),
        "\"can-live-with\""
    );
}
