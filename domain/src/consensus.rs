//! Rough consensus, measured: participants' stances and comments in, per-paragraph figures and
//! the document's participation balance out.
//!
//! Accord does not vote texts through. What a chair needs to judge rough consensus is, per
//! paragraph: how many support it, can live with it or oppose it; whether every objection has
//! been answered; and whether the support is balanced across stakeholder groups and regions.
//! [`consensus`] computes that, with the [`Flag`]s that point a chair at what needs a look, and
//! [`balance`] says who took part at all. Both are pure functions of the facts the server reads
//! from its database, so they are tested here on hand-made cases.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::profile::{Gender, Region, StakeholderGroup};

choice!(
    /// Where a participant stands on a paragraph (or, later, an amendment).
    Stance {
        Support = "support" / "Support",
        CanLiveWith = "can-live-with" / "Can live with",
        Oppose = "oppose" / "Oppose",
    }
);

choice!(
    /// A chair's response to a comment or an objection.
    Disposition {
        Answered = "answered" / "Answered",
        Accepted = "accepted" / "Accepted",
        PartlyAccepted = "partly-accepted" / "Partly accepted",
        NotAccepted = "not-accepted" / "Not accepted",
    }
);

/// Objections from fewer people than this are never called concentrated: one objection is
/// already flagged while it is unanswered.
pub const CONCENTRATION_MIN_OBJECTIONS: u32 = 2;
/// Objections are concentrated when one stakeholder group raises at least this share of them
/// (as a fraction: numerator, denominator).
pub const CONCENTRATION_SHARE: (u32, u32) = (2, 3);
/// Support from fewer stakeholder groups than this is flagged as narrow.
pub const BROAD_SUPPORT_GROUPS: u32 = 3;

/// What balance is measured on, as the participant declared it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    pub group: Option<StakeholderGroup>,
    pub region: Option<Region>,
    pub gender: Option<Gender>,
}

/// A participant's current stance on a paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StanceFact {
    pub paragraph: String,
    pub account: String,
    pub stance: Stance,
    pub profile: Profile,
    /// For an objection: whether a chair has responded to it.
    pub answered: bool,
}

/// A comment or reply on a paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentFact {
    pub paragraph: String,
    pub account: String,
    pub profile: Profile,
    /// Hidden by a moderator: not counted anywhere.
    pub hidden: bool,
    pub reply: bool,
    /// Whether a chair has responded to it.
    pub answered: bool,
}

/// Stance counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    pub support: u32,
    pub can_live_with: u32,
    pub oppose: u32,
}

impl Tally {
    pub fn total(&self) -> u32 {
        self.support + self.can_live_with + self.oppose
    }

    pub fn count(&self, stance: Stance) -> u32 {
        match stance {
            Stance::Support => self.support,
            Stance::CanLiveWith => self.can_live_with,
            Stance::Oppose => self.oppose,
        }
    }

    fn add(&mut self, stance: Stance) {
        match stance {
            Stance::Support => self.support += 1,
            Stance::CanLiveWith => self.can_live_with += 1,
            Stance::Oppose => self.oppose += 1,
        }
    }

    /// "5 support · 2 can live with · 1 opposes": the figures in words.
    pub fn describe(&self) -> String {
        if self.total() == 0 {
            return "no stances yet".into();
        }
        format!(
            "{} support · {} can live with · {} {}",
            self.support,
            self.can_live_with,
            self.oppose,
            if self.oppose == 1 {
                "opposes"
            } else {
                "oppose"
            }
        )
    }
}

/// Stances from one stakeholder group (`None`: not stated).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupTally {
    pub group: Option<StakeholderGroup>,
    pub tally: Tally,
}

/// Stances from one region (`None`: not stated).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionTally {
    pub region: Option<Region>,
    pub tally: Tally,
}

/// Something about a paragraph's feedback a chair should look at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Flag {
    /// Objections no chair has responded to yet.
    UnansweredObjections { count: u32 },
    /// One stakeholder group raises most of the objections: it may object as a block even when
    /// the total looks good.
    ConcentratedObjections {
        group: StakeholderGroup,
        objections: u32,
        of: u32,
    },
    /// The support comes from fewer than [`BROAD_SUPPORT_GROUPS`] stakeholder groups.
    NarrowSupport { groups: u32 },
}

impl Flag {
    /// The flag in words, complete without a legend.
    pub fn describe(&self) -> String {
        match self {
            Self::UnansweredObjections { count: 1 } => "1 objection not yet answered".into(),
            Self::UnansweredObjections { count } => format!("{count} objections not yet answered"),
            Self::ConcentratedObjections {
                group,
                objections,
                of,
            } => format!(
                "{objections} of {of} objections come from {}",
                group.label().to_lowercase()
            ),
            Self::NarrowSupport { groups: 1 } => {
                "support comes from only 1 stakeholder group".into()
            }
            Self::NarrowSupport { groups } => {
                format!("support comes from only {groups} stakeholder groups")
            }
        }
    }
}

/// A paragraph's standing in one word, for its colour on the map.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    #[default]
    NoStances,
    /// No objection, and more support than mere acceptance.
    BroadSupport,
    /// No objection, but more can live with it than support it.
    Accepted,
    /// Some objections, from fewer than half.
    Objections,
    /// Half or more oppose.
    Opposed,
}

impl Level {
    pub fn of(t: &Tally) -> Self {
        if t.total() == 0 {
            Self::NoStances
        } else if t.oppose * 2 >= t.total() {
            Self::Opposed
        } else if t.oppose > 0 {
            Self::Objections
        } else if t.support >= t.can_live_with {
            Self::BroadSupport
        } else {
            Self::Accepted
        }
    }

    /// A stable key for styling.
    pub fn key(self) -> &'static str {
        match self {
            Self::NoStances => "none",
            Self::BroadSupport => "broad",
            Self::Accepted => "accepted",
            Self::Objections => "objections",
            Self::Opposed => "opposed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NoStances => "No stances yet",
            Self::BroadSupport => "Broad support",
            Self::Accepted => "Accepted with reservations",
            Self::Objections => "Objections raised",
            Self::Opposed => "Mostly opposed",
        }
    }
}

/// Everything the consensus map shows about one paragraph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParagraphConsensus {
    pub paragraph: String,
    pub tally: Tally,
    pub level: Level,
    /// Visible comments and replies.
    pub comments: u32,
    /// Visible top-level comments without a chair's response.
    pub open_comments: u32,
    pub unanswered_objections: u32,
    /// Every stakeholder group in a fixed order, then "not stated" if anyone left it out.
    pub by_group: Vec<GroupTally>,
    /// Every region in a fixed order, then "not stated" if anyone left it out.
    pub by_region: Vec<RegionTally>,
    /// Distinct stated stakeholder groups among those who support the paragraph.
    pub supporting_groups: u32,
    pub flags: Vec<Flag>,
}

const GROUPS: usize = 8;
const REGIONS: usize = 6;

fn group_slot(g: Option<StakeholderGroup>) -> usize {
    g.and_then(|g| StakeholderGroup::ALL.iter().position(|x| *x == g))
        .unwrap_or(GROUPS - 1)
}

fn region_slot(r: Option<Region>) -> usize {
    r.and_then(|r| Region::ALL.iter().position(|x| *x == r))
        .unwrap_or(REGIONS - 1)
}

fn group_at(slot: usize) -> Option<StakeholderGroup> {
    StakeholderGroup::ALL.get(slot).copied()
}

fn region_at(slot: usize) -> Option<Region> {
    Region::ALL.get(slot).copied()
}

#[derive(Default)]
struct Working {
    tally: Tally,
    groups: [Tally; GROUPS],
    regions: [Tally; REGIONS],
    comments: u32,
    open_comments: u32,
    unanswered_objections: u32,
}

impl Working {
    fn finish(self, paragraph: String) -> ParagraphConsensus {
        let by_group = (0..GROUPS)
            .filter(|&i| i < GROUPS - 1 || self.groups[i].total() > 0)
            .map(|i| GroupTally {
                group: group_at(i),
                tally: self.groups[i],
            })
            .collect();
        let by_region = (0..REGIONS)
            .filter(|&i| i < REGIONS - 1 || self.regions[i].total() > 0)
            .map(|i| RegionTally {
                region: region_at(i),
                tally: self.regions[i],
            })
            .collect();
        let supporting_groups = self.groups[..GROUPS - 1]
            .iter()
            .filter(|t| t.support > 0)
            .count() as u32;
        let mut flags = Vec::new();
        if self.unanswered_objections > 0 {
            flags.push(Flag::UnansweredObjections {
                count: self.unanswered_objections,
            });
        }
        let of = self.tally.oppose;
        if of >= CONCENTRATION_MIN_OBJECTIONS {
            let (num, den) = CONCENTRATION_SHARE;
            // The stated group with the most objections; "not stated" is not a bloc.
            let top = (0..GROUPS - 1).max_by_key(|&i| (self.groups[i].oppose, GROUPS - i));
            if let Some(i) = top {
                let objections = self.groups[i].oppose;
                if objections >= CONCENTRATION_MIN_OBJECTIONS && objections * den >= of * num {
                    if let Some(group) = group_at(i) {
                        flags.push(Flag::ConcentratedObjections {
                            group,
                            objections,
                            of,
                        });
                    }
                }
            }
        }
        if self.tally.support > 0 && supporting_groups < BROAD_SUPPORT_GROUPS {
            flags.push(Flag::NarrowSupport {
                groups: supporting_groups,
            });
        }
        ParagraphConsensus {
            paragraph,
            level: Level::of(&self.tally),
            tally: self.tally,
            comments: self.comments,
            open_comments: self.open_comments,
            unanswered_objections: self.unanswered_objections,
            by_group,
            by_region,
            supporting_groups,
            flags,
        }
    }
}

/// The figures for each of `paragraphs`, in their order. Facts about other paragraphs (deleted
/// ones, say) are left out.
pub fn consensus<'a>(
    paragraphs: impl IntoIterator<Item = &'a str>,
    stances: &[StanceFact],
    comments: &[CommentFact],
) -> Vec<ParagraphConsensus> {
    let order: Vec<&str> = paragraphs.into_iter().collect();
    let index: HashMap<&str, usize> = order.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let mut work: Vec<Working> = order.iter().map(|_| Working::default()).collect();
    for s in stances {
        let Some(w) = index
            .get(s.paragraph.as_str())
            .and_then(|&i| work.get_mut(i))
        else {
            continue;
        };
        w.tally.add(s.stance);
        w.groups[group_slot(s.profile.group)].add(s.stance);
        w.regions[region_slot(s.profile.region)].add(s.stance);
        if s.stance == Stance::Oppose && !s.answered {
            w.unanswered_objections += 1;
        }
    }
    for c in comments.iter().filter(|c| !c.hidden) {
        let Some(w) = index
            .get(c.paragraph.as_str())
            .and_then(|&i| work.get_mut(i))
        else {
            continue;
        };
        w.comments += 1;
        if !c.reply && !c.answered {
            w.open_comments += 1;
        }
    }
    order
        .into_iter()
        .zip(work)
        .map(|(p, w)| w.finish(p.to_string()))
        .collect()
}

/// How many of something came from one stakeholder group (`None`: not stated).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupCount {
    pub group: Option<StakeholderGroup>,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionCount {
    pub region: Option<Region>,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GenderCount {
    pub gender: Option<Gender>,
    pub count: u32,
}

/// Counts of one kind of participation, broken down by what balance is measured on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Breakdown {
    pub total: u32,
    /// Every stakeholder group in a fixed order, then "not stated" if non-zero.
    pub by_group: Vec<GroupCount>,
    pub by_region: Vec<RegionCount>,
    /// Only where given: genders are optional, so "not stated" is always listed.
    pub by_gender: Vec<GenderCount>,
}

impl Breakdown {
    fn of<'a>(profiles: impl IntoIterator<Item = &'a Profile>) -> Self {
        let mut groups = [0u32; GROUPS];
        let mut regions = [0u32; REGIONS];
        let mut genders = vec![0u32; Gender::ALL.len() + 1];
        let mut total = 0;
        for p in profiles {
            total += 1;
            groups[group_slot(p.group)] += 1;
            regions[region_slot(p.region)] += 1;
            let g = p
                .gender
                .and_then(|g| Gender::ALL.iter().position(|x| *x == g))
                .unwrap_or(Gender::ALL.len());
            genders[g] += 1;
        }
        Self {
            total,
            by_group: (0..GROUPS)
                .filter(|&i| i < GROUPS - 1 || groups[i] > 0)
                .map(|i| GroupCount {
                    group: group_at(i),
                    count: groups[i],
                })
                .collect(),
            by_region: (0..REGIONS)
                .filter(|&i| i < REGIONS - 1 || regions[i] > 0)
                .map(|i| RegionCount {
                    region: region_at(i),
                    count: regions[i],
                })
                .collect(),
            by_gender: genders
                .iter()
                .enumerate()
                .map(|(i, &count)| GenderCount {
                    gender: Gender::ALL.get(i).copied(),
                    count,
                })
                .collect(),
        }
    }
}

/// Who took part in a document's consultation, and how.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Balance {
    /// People who commented or stated a stance, each once.
    pub participants: Breakdown,
    pub comments: Breakdown,
    pub stances: Breakdown,
}

/// The participation balance of a whole document: hidden comments do not count.
pub fn balance(stances: &[StanceFact], comments: &[CommentFact]) -> Balance {
    let visible: Vec<&CommentFact> = comments.iter().filter(|c| !c.hidden).collect();
    let mut seen = HashSet::new();
    let people: Vec<&Profile> = stances
        .iter()
        .map(|s| (s.account.as_str(), &s.profile))
        .chain(visible.iter().map(|c| (c.account.as_str(), &c.profile)))
        .filter(|(account, _)| seen.insert(*account))
        .map(|(_, p)| p)
        .collect();
    Balance {
        participants: Breakdown::of(people),
        comments: Breakdown::of(visible.iter().map(|c| &c.profile)),
        stances: Breakdown::of(stances.iter().map(|s| &s.profile)),
    }
}

#[cfg(test)]
#[path = "consensus_tests.rs"]
mod tests;
