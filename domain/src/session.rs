//! The live session, pure: a facilitated deliberation on a document, in the room and online at
//! once. An agenda of items (a paragraph, an amendment or a free question), one current at a
//! time; on the current item the facilitator opens a check of the sense of the room (support,
//! can live with, oppose with a reason), which takes one stance per person, from three ways in
//! ([`Source`]): online, on a phone in the room, or recorded by the rapporteur for people
//! without a device, as a show of hands per stakeholder group. A speaking queue, and a
//! deliberative poll asked before and after the session, complete it.
//!
//! What is here reads no state: who may run a session ([`may_run`]), a check's figures from its
//! stances and hands ([`tally`]), the speaker to suggest next ([`suggested_speaker`]) and how the
//! poll's answers moved ([`movement`]). The server stores the facts and asks.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::{
    consensus::{GroupTally, RegionTally, Stance, Tally},
    policy::Role,
    profile::{Region, StakeholderGroup},
};

choice!(
    /// What an agenda item is about.
    ItemKind {
        Paragraph = "paragraph" / "Paragraph",
        Amendment = "amendment" / "Amendment",
        Question = "question" / "Question",
    }
);

choice!(
    /// Where a stance, a comment or a raised hand came from.
    Source {
        Online = "online" / "Online",
        Room = "room" / "In the room",
        Recorded = "recorded" / "Recorded by the rapporteur",
    }
);

choice!(
    /// A part someone plays in a session besides taking part.
    Part {
        Facilitator = "facilitator" / "Facilitator",
        Rapporteur = "rapporteur" / "Rapporteur",
    }
);

/// Longest free question on the agenda, in characters.
pub const MAX_QUESTION_CHARS: usize = 500;
/// Longest reason for an objection in a check, in characters.
pub const MAX_REASON_CHARS: usize = 1_000;
/// Most items on one agenda.
pub const MAX_ITEMS: usize = 100;
/// Most hands the rapporteur may record for one stakeholder group and stance in one check.
pub const MAX_HANDS: u32 = 10_000;
/// The poll's scale runs from 1 to this.
pub const POLL_SCALE: u8 = 7;
/// The shortest and the longest countdown a check may have, in seconds.
pub const COUNTDOWN_SECONDS: std::ops::RangeInclusive<u32> = 10..=3_600;

/// The refusal of a countdown outside [`COUNTDOWN_SECONDS`] (or not a number of seconds).
pub fn countdown_refused() -> crate::refusal::Refusal {
    crate::refusal::Refusal::CountdownLength {
        min: *COUNTDOWN_SECONDS.start(),
        max: *COUNTDOWN_SECONDS.end(),
    }
}

/// Whether someone may run (facilitate) a session: a chair of the group, or the person a chair
/// named facilitator of this session.
pub fn may_run(role: Role, part: Option<Part>) -> bool {
    role == Role::Chair || part == Some(Part::Facilitator)
}

/// Whether someone may record what was said or shown without a device: whoever may run the
/// session, or its rapporteur.
pub fn may_record(role: Role, part: Option<Part>) -> bool {
    may_run(role, part) || part == Some(Part::Rapporteur)
}

/// One person's stance in a check, with where it came from and who they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckStance {
    pub stance: Stance,
    pub source: Source,
    pub group: Option<StakeholderGroup>,
    pub region: Option<Region>,
    /// For an objection: why.
    pub reason: Option<String>,
}

/// A show of hands the rapporteur counted, for one stakeholder group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hands {
    pub group: Option<StakeholderGroup>,
    pub support: u32,
    pub can_live_with: u32,
    pub oppose: u32,
}

impl Hands {
    fn tally(&self) -> Tally {
        Tally {
            support: self.support,
            can_live_with: self.can_live_with,
            oppose: self.oppose,
        }
    }
}

/// A check's figures: the whole count, and its breakdowns by where the stances came from, by
/// stakeholder group and by region (hands have no region: they count under "not stated").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckFigures {
    pub tally: Tally,
    pub online: Tally,
    pub room: Tally,
    pub recorded: Tally,
    /// Every stakeholder group in a fixed order, then "not stated" when any.
    pub by_group: Vec<GroupTally>,
    /// Every region in a fixed order, then "not stated" when any.
    pub by_region: Vec<RegionTally>,
    /// The objections' reasons, as given (empty ones left out).
    pub reasons: Vec<String>,
}

fn plus(a: Tally, b: Tally) -> Tally {
    Tally {
        support: a.support + b.support,
        can_live_with: a.can_live_with + b.can_live_with,
        oppose: a.oppose + b.oppose,
    }
}

fn one(stance: Stance) -> Tally {
    let mut t = Tally::default();
    match stance {
        Stance::Support => t.support = 1,
        Stance::CanLiveWith => t.can_live_with = 1,
        Stance::Oppose => t.oppose = 1,
    }
    t
}

/// The figures of a check from its people's stances and the rapporteur's counted hands.
pub fn tally(stances: &[CheckStance], hands: &[Hands]) -> CheckFigures {
    let mut f = CheckFigures::default();
    let mut groups: HashMap<Option<StakeholderGroup>, Tally> = HashMap::new();
    let mut regions: HashMap<Option<Region>, Tally> = HashMap::new();
    for s in stances {
        let t = one(s.stance);
        f.tally = plus(f.tally, t);
        let by_source = match s.source {
            Source::Online => &mut f.online,
            Source::Room => &mut f.room,
            Source::Recorded => &mut f.recorded,
        };
        *by_source = plus(*by_source, t);
        let g = groups.entry(s.group).or_default();
        *g = plus(*g, t);
        let r = regions.entry(s.region).or_default();
        *r = plus(*r, t);
        if let Some(reason) = s.reason.as_deref().map(str::trim) {
            if s.stance == Stance::Oppose && !reason.is_empty() {
                f.reasons.push(reason.to_string());
            }
        }
    }
    for h in hands {
        let t = h.tally();
        f.tally = plus(f.tally, t);
        f.recorded = plus(f.recorded, t);
        let g = groups.entry(h.group).or_default();
        *g = plus(*g, t);
        let r = regions.entry(None).or_default();
        *r = plus(*r, t);
    }
    f.by_group = StakeholderGroup::ALL
        .iter()
        .copied()
        .map(Some)
        .chain(groups.contains_key(&None).then_some(None))
        .map(|group| GroupTally {
            group,
            tally: groups.get(&group).copied().unwrap_or_default(),
        })
        .collect();
    f.by_region = Region::ALL
        .iter()
        .copied()
        .map(Some)
        .chain(regions.contains_key(&None).then_some(None))
        .map(|region| RegionTally {
            region,
            tally: regions.get(&region).copied().unwrap_or_default(),
        })
        .collect();
    f
}

/// A raised hand in the speaking queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RaisedHand {
    pub group: Option<StakeholderGroup>,
    /// When it was raised (seconds); earlier first.
    pub raised_at: i64,
}

/// Which raised hand to suggest the facilitator calls next, to balance the floor: among the
/// stakeholder groups waiting, the one that has spoken least so far in the session (`spoken`:
/// one entry per turn taken), and within it the hand raised first; ties between groups go to
/// the hand raised first. The facilitator may call anyone; this is a suggestion.
pub fn suggested_speaker(
    waiting: &[RaisedHand],
    spoken: &[Option<StakeholderGroup>],
) -> Option<usize> {
    let turns = |g: Option<StakeholderGroup>| spoken.iter().filter(|s| **s == g).count();
    waiting
        .iter()
        .enumerate()
        .min_by_key(|(_, h)| (turns(h.group), h.raised_at))
        .map(|(i, _)| i)
}

/// When a poll answer was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PollRound {
    Before,
    After,
}

impl PollRound {
    /// The stable key, on the wire and in storage.
    pub fn key(self) -> &'static str {
        match self {
            PollRound::Before => "before",
            PollRound::After => "after",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        [PollRound::Before, PollRound::After]
            .into_iter()
            .find(|r| r.key() == key)
    }
}

/// Most questions in one poll.
pub const MAX_POLL_QUESTIONS: usize = 20;

/// One person's answer to one poll question in one round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollAnswer {
    pub account: String,
    pub group: Option<StakeholderGroup>,
    pub round: PollRound,
    /// 1 to [`POLL_SCALE`].
    pub value: u8,
}

/// How the answers of one group (or of everyone, `group: None` with `everyone`) moved: the
/// mean before and after among those who answered both times, and how many did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Movement {
    pub group: Option<StakeholderGroup>,
    pub everyone: bool,
    pub answered_both: u32,
    pub answered_before_only: u32,
    pub answered_after_only: u32,
    pub mean_before: Option<f64>,
    pub mean_after: Option<f64>,
}

impl Movement {
    /// The mean's change, among those who answered both times.
    pub fn shift(&self) -> Option<f64> {
        Some(self.mean_after? - self.mean_before?)
    }
}

/// How one question's answers moved: everyone first, then each stakeholder group that
/// answered, in the fixed order, "not stated" last.
pub fn movement(answers: &[PollAnswer]) -> Vec<Movement> {
    // Per person: their group, and their answers before and after.
    type Answered = (Option<StakeholderGroup>, Option<u8>, Option<u8>);
    let mut people: HashMap<&str, Answered> = HashMap::new();
    for a in answers {
        let p = people.entry(&a.account).or_insert((a.group, None, None));
        match a.round {
            PollRound::Before => p.1 = Some(a.value),
            PollRound::After => p.2 = Some(a.value),
        }
    }
    let of = |pick: &dyn Fn(Option<StakeholderGroup>) -> bool,
              group: Option<StakeholderGroup>,
              everyone: bool| {
        let mut m = Movement {
            group,
            everyone,
            answered_both: 0,
            answered_before_only: 0,
            answered_after_only: 0,
            mean_before: None,
            mean_after: None,
        };
        let (mut before, mut after) = (0u32, 0u32);
        for (g, b, a) in people.values() {
            if !pick(*g) {
                continue;
            }
            match (b, a) {
                (Some(b), Some(a)) => {
                    m.answered_both += 1;
                    before += u32::from(*b);
                    after += u32::from(*a);
                }
                (Some(_), None) => m.answered_before_only += 1,
                (None, Some(_)) => m.answered_after_only += 1,
                (None, None) => {}
            }
        }
        if m.answered_both > 0 {
            m.mean_before = Some(f64::from(before) / f64::from(m.answered_both));
            m.mean_after = Some(f64::from(after) / f64::from(m.answered_both));
        }
        m
    };
    let mut out = vec![of(&|_| true, None, true)];
    let groups = StakeholderGroup::ALL
        .iter()
        .copied()
        .map(Some)
        .chain([None]);
    for group in groups {
        if people.values().any(|(g, _, _)| *g == group) {
            out.push(of(&|g| g == group, group, false));
        }
    }
    out
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
