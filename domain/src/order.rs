//! Order keys: strings that sort paragraphs without renumbering anything.
//!
//! A paragraph's place in the document is a key from the digit alphabet `0-9a-z`, compared as a
//! string. A new key can always be made between two others, so inserting or moving a paragraph
//! writes one scalar and never touches its neighbours; two replicas that pick the same key
//! concurrently are ordered by paragraph id, so every replica agrees on the order.

const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
const BASE: u8 = 36;

fn digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'z' => Some(c - b'a' + 10),
        _ => None,
    }
}

fn char_of(d: u8) -> char {
    DIGITS[usize::from(d)] as char
}

/// Whether `key` is a well-formed order key: digits of the alphabet, not ending in `0`
/// (so that there is always room below it).
pub fn is_valid(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= crate::limits::MAX_ORDER_KEY
        && key.bytes().all(|c| digit(c).is_some())
        && !key.ends_with('0')
}

/// A key strictly between `lo` and `hi` (`None` meaning the start or the end of the document).
///
/// If the bounds are not ordered (which a hostile or buggy replica could cause) the result is
/// still a valid key after `lo`.
pub fn between(lo: Option<&str>, hi: Option<&str>) -> String {
    let lo = lo.unwrap_or("").as_bytes();
    let hi = hi.map(str::as_bytes).filter(|h| *h > lo);
    let lo_digit = |i: usize| lo.get(i).and_then(|c| digit(*c)).unwrap_or(0);
    let mut out = String::new();
    let mut i = 0;
    if let Some(hi) = hi {
        loop {
            let l = lo_digit(i);
            let h = hi.get(i).and_then(|c| digit(*c)).unwrap_or(0);
            if l == h {
                out.push(char_of(l));
                i += 1;
                continue;
            }
            if h > l + 1 {
                out.push(char_of((l + h) / 2));
                return out;
            }
            // Adjacent digits: keep `l` and find room above the rest of `lo`.
            out.push(char_of(l));
            i += 1;
            break;
        }
    }
    // Unbounded above: the next digit up is enough, which keeps keys short when a drafter keeps
    // adding paragraphs at the end (one more character per 35 appends).
    loop {
        let l = lo_digit(i);
        if l < BASE - 1 {
            out.push(char_of(l + 1));
            return out;
        }
        out.push(char_of(l));
        i += 1;
    }
}

/// `n` keys evenly spread over the whole range, for building a document in one go.
pub fn spread(n: usize) -> Vec<String> {
    let mut width = 1u32;
    while u128::from(BASE).pow(width) < n as u128 + 2 {
        width += 1;
    }
    let step = u128::from(BASE).pow(width) / (n as u128 + 1);
    (1..=n as u128)
        .map(|i| {
            let mut v = i * step;
            let mut digits = vec![0u8; width as usize];
            for d in digits.iter_mut().rev() {
                *d = (v % u128::from(BASE)) as u8;
                v /= u128::from(BASE);
            }
            let mut key: String = digits.into_iter().map(char_of).collect();
            key.truncate(key.trim_end_matches('0').len());
            key
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn between_start_and_end_is_the_middle() {
        assert_eq!(between(None, None), "1");
        assert_eq!(between(None, Some("z")), "h");
    }

    #[test]
    fn keys_between_adjacent_digits_grow_by_one_character() {
        let k = between(Some("a"), Some("b"));
        assert!("a" < k.as_str() && k.as_str() < "b", "{k}");
        assert!(is_valid(&k));
    }

    #[test]
    fn spread_keys_are_sorted_and_valid() {
        let keys = spread(10_000);
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        assert!(keys.iter().all(|k| is_valid(k)));
        assert!(keys.iter().all(|k| k.len() <= 3), "keys stay short");
    }

    #[test]
    fn appending_a_thousand_paragraphs_keeps_keys_short() {
        let mut last = "i".to_string();
        for _ in 0..1000 {
            let next = between(Some(&last), None);
            assert!(next > last);
            last = next;
        }
        assert!(last.len() < 40, "{}", last.len());
    }

    #[test]
    fn unordered_bounds_still_give_a_key_after_lo() {
        let k = between(Some("m"), Some("c"));
        assert!(k.as_str() > "m");
    }

    proptest! {
        #[test]
        fn between_is_strictly_between(a in "[0-9a-z]{0,6}[1-9a-z]", b in "[0-9a-z]{0,6}[1-9a-z]") {
            prop_assume!(a != b);
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            let k = between(Some(&lo), Some(&hi));
            prop_assert!(lo.as_str() < k.as_str() && k.as_str() < hi.as_str(), "{} < {} < {}", lo, k, hi);
            prop_assert!(is_valid(&k));
        }

        #[test]
        fn repeated_insertion_at_one_place_stays_ordered(n in 1usize..200) {
            let lo = "5".to_string();
            let mut hi = "6".to_string();
            for _ in 0..n {
                let k = between(Some(&lo), Some(&hi));
                prop_assert!(lo < k && k < hi);
                hi = k;
            }
        }
    }
}
