//! Where a document stands in its consultation: drafting, public consultation, last call,
//! closed. A chair moves it; a phase with a deadline gives way to the next one when the
//! deadline passes. What each phase allows is in [`super::policy::PHASES`].

use serde::{Deserialize, Serialize};

choice!(
    /// A document's phase.
    Phase {
        Drafting = "drafting" / "Drafting",
        Consultation = "consultation" / "Public consultation",
        LastCall = "last-call" / "Last call",
        Closed = "closed" / "Closed",
    }
);

impl Phase {
    /// Where every document starts.
    pub fn first() -> Phase {
        Phase::Drafting
    }

    /// The phase that follows when this one's deadline passes.
    pub fn next(self) -> Option<Phase> {
        match self {
            Phase::Drafting => None,
            Phase::Consultation => Some(Phase::LastCall),
            Phase::LastCall => Some(Phase::Closed),
            Phase::Closed => None,
        }
    }

    /// Whether the phase can have a deadline.
    pub fn has_deadline(self) -> bool {
        self.next().is_some()
    }

    /// What happens in the phase, in a sentence for the document page.
    pub fn describe(self) -> &'static str {
        match self {
            Phase::Drafting => {
                "Drafters write the text; members of the group comment and state stances."
            }
            Phase::Consultation => {
                "Anyone with an account comments, states stances and proposes amendments."
            }
            Phase::LastCall => {
                "The text is settled: only objections are taken, and the chairs decide."
            }
            Phase::Closed => "The consultation is over; the text no longer changes.",
        }
    }
}

/// A document's phase as stored: the phase, and when it ends (Unix seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Schedule {
    pub phase: Phase,
    pub deadline: Option<i64>,
}

impl Default for Schedule {
    fn default() -> Self {
        Self {
            phase: Phase::Drafting,
            deadline: None,
        }
    }
}

impl Schedule {
    /// The schedule in force at `now`: a phase whose deadline has passed has given way to the
    /// next one, and so on; the phase reached has no deadline until a chair sets one.
    pub fn at(self, now: i64) -> Schedule {
        let mut s = self;
        while let (Some(deadline), Some(next)) = (s.deadline, s.phase.next()) {
            if now < deadline {
                break;
            }
            s = Schedule {
                phase: next,
                deadline: None,
            };
        }
        s
    }

    /// Seconds left before the deadline at `now` (none without a deadline).
    pub fn left(self, now: i64) -> Option<i64> {
        self.deadline.map(|d| (d - now).max(0))
    }
}

/// "3 days, 4 hours left": the time before a deadline, roughly, in words.
pub fn time_left(seconds: i64) -> String {
    let (days, hours, minutes) = (
        seconds / 86_400,
        seconds % 86_400 / 3_600,
        seconds % 3_600 / 60,
    );
    let unit = |n: i64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    match (days, hours, minutes) {
        (0, 0, 0) => "less than a minute left".into(),
        (0, 0, m) => format!("{} left", unit(m, "minute")),
        (0, h, m) => format!("{}, {} left", unit(h, "hour"), unit(m, "minute")),
        (d, h, _) => format!("{}, {} left", unit(d, "day"), unit(h, "hour")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(phase: Phase, deadline: Option<i64>) -> Schedule {
        Schedule { phase, deadline }
    }

    #[test]
    fn a_phase_gives_way_to_the_next_at_its_deadline_and_not_before() {
        let consultation = at(Phase::Consultation, Some(1_000));
        assert_eq!(consultation.at(999), consultation);
        assert_eq!(consultation.at(1_000), at(Phase::LastCall, None));
        assert_eq!(
            at(Phase::LastCall, Some(50)).at(60),
            at(Phase::Closed, None)
        );
        // Drafting and closed have no deadline to pass.
        assert_eq!(
            at(Phase::Drafting, Some(5)).at(10),
            at(Phase::Drafting, Some(5))
        );
        assert_eq!(
            at(Phase::Closed, None).at(i64::MAX),
            at(Phase::Closed, None)
        );
    }

    #[test]
    fn time_left_reads_as_words() {
        assert_eq!(time_left(30), "less than a minute left");
        assert_eq!(time_left(61), "1 minute left");
        assert_eq!(time_left(2 * 3_600 + 5 * 60), "2 hours, 5 minutes left");
        assert_eq!(time_left(86_400 + 3_600), "1 day, 1 hour left");
        assert_eq!(at(Phase::Consultation, Some(100)).left(150), Some(0));
    }
}
