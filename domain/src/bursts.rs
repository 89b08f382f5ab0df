//! Bursts of registrations: accounts registered from one address within minutes of each other.
//! A few people signing up at one table is ordinary; a handful of accounts made in a row, each
//! with a stance on one document, is how figures are stuffed. The chairs are shown the bursts
//! among a document's stance-takers and judge; nothing here decides that anyone cheated.

/// The longest pause between two registrations of one burst.
pub const BURST_GAP_SECONDS: i64 = 10 * 60;

/// The fewest accounts that make a burst.
pub const BURST_SIZE: usize = 3;

/// One account as burst-finding needs it.
pub trait Registered {
    /// When the account was registered, in seconds since the epoch.
    fn registered_at(&self) -> i64;
    /// Where the registration came from; `None` for accounts the installation made.
    fn registered_from(&self) -> Option<&str>;
}

/// Groups `accounts` into bursts: per address, runs of at least [`BURST_SIZE`] registrations
/// with no pause longer than [`BURST_GAP_SECONDS`] inside. Each burst is in registration order;
/// bursts come in the order of their first registration.
pub fn bursts<T: Registered + Clone>(accounts: &[T]) -> Vec<Vec<T>> {
    let mut by_address: std::collections::BTreeMap<&str, Vec<&T>> = Default::default();
    for a in accounts {
        if let Some(from) = a.registered_from() {
            by_address.entry(from).or_default().push(a);
        }
    }
    let mut found: Vec<Vec<T>> = Vec::new();
    for mut run in by_address.into_values() {
        run.sort_by_key(|a| a.registered_at());
        let mut current: Vec<T> = Vec::new();
        for a in run {
            let joined = current
                .last()
                .is_some_and(|last| a.registered_at() - last.registered_at() <= BURST_GAP_SECONDS);
            if !joined {
                if current.len() >= BURST_SIZE {
                    found.push(std::mem::take(&mut current));
                }
                current.clear();
            }
            current.push(a.clone());
        }
        if current.len() >= BURST_SIZE {
            found.push(current);
        }
    }
    found.sort_by_key(|b| b.first().map(Registered::registered_at));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct A(i64, Option<&'static str>);

    impl Registered for A {
        fn registered_at(&self) -> i64 {
            self.0
        }
        fn registered_from(&self) -> Option<&str> {
            self.1
        }
    }

    #[test]
    fn three_accounts_from_one_address_within_minutes_are_a_burst() {
        let accounts = [
            A(0, Some("x")),
            A(60, Some("x")),
            A(100, Some("y")),
            A(660, Some("x")),
        ];
        assert_eq!(
            bursts(&accounts),
            vec![vec![A(0, Some("x")), A(60, Some("x")), A(660, Some("x"))]]
        );
    }

    #[test]
    fn a_long_pause_ends_a_burst_and_two_accounts_are_not_one() {
        let accounts = [
            A(0, Some("x")),
            A(60, Some("x")),
            A(60 + BURST_GAP_SECONDS + 1, Some("x")),
            A(5000, Some("y")),
            A(5001, Some("y")),
        ];
        assert!(bursts(&accounts).is_empty());
    }

    #[test]
    fn accounts_the_installation_made_are_never_a_burst() {
        let accounts = [A(0, None), A(1, None), A(2, None)];
        assert!(bursts(&accounts).is_empty());
    }

    #[test]
    fn bursts_come_in_the_order_they_began() {
        let accounts = [
            A(500, Some("a")),
            A(501, Some("a")),
            A(502, Some("a")),
            A(10, Some("b")),
            A(11, Some("b")),
            A(12, Some("b")),
        ];
        let found = bursts(&accounts);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0][0], A(10, Some("b")));
    }
}
