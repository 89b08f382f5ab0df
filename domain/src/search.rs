//! Finding words in a text the way a reader expects: case does not matter in any script, and
//! what is shown around a match is cut at character boundaries.

/// The byte range of the first occurrence of `query` in `text`, ignoring case (Unicode lower
/// case on both sides). `None` for an empty query.
pub fn find(text: &str, query: &str) -> Option<(usize, usize)> {
    let wanted: Vec<char> = query.chars().flat_map(char::to_lowercase).collect();
    if wanted.is_empty() {
        return None;
    }
    // Each lowered character with the byte range of the character it came from.
    let folded: Vec<(char, usize, usize)> = text
        .char_indices()
        .flat_map(|(i, c)| c.to_lowercase().map(move |l| (l, i, i + c.len_utf8())))
        .collect();
    folded.windows(wanted.len()).find_map(|w| {
        w.iter()
            .zip(&wanted)
            .all(|((l, _, _), q)| l == q)
            .then(|| (w[0].1, w[w.len() - 1].2))
    })
}

/// The words around `start..end` in `text`: up to `width` characters before and after, with an
/// ellipsis where the text goes on.
pub fn excerpt(text: &str, start: usize, end: usize, width: usize) -> (String, String, String) {
    let before: Vec<char> = text[..start].chars().collect();
    let after: Vec<char> = text[end..].chars().collect();
    let mut b: String = before[before.len().saturating_sub(width)..]
        .iter()
        .collect();
    if before.len() > width {
        b.insert(0, '…');
    }
    let mut a: String = after[..after.len().min(width)].iter().collect();
    if after.len() > width {
        a.push('…');
    }
    (b, text[start..end].to_string(), a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_is_ignored_in_every_script_and_the_range_is_the_original_words() {
        let text = "Le Forum sur la GOUVERNANCE de l’Internet — ФОРУМ";
        let (s, e) = find(text, "gouvernance").expect("found");
        assert_eq!(&text[s..e], "GOUVERNANCE");
        let (s, e) = find(text, "форум").expect("found");
        assert_eq!(&text[s..e], "ФОРУМ");
        assert_eq!(find(text, "absent"), None);
        assert_eq!(find(text, ""), None);
        // A character whose lower case is longer than itself still maps back to itself.
        let (s, e) = find("İstanbul", "i̇stanbul").expect("found");
        assert_eq!(&"İstanbul"[s..e], "İstanbul");
    }

    #[test]
    fn an_excerpt_keeps_a_few_words_either_side_and_says_where_the_text_goes_on() {
        let text = "منتدى حوكمة الإنترنت يكتب نصوصا";
        let (s, e) = find(text, "الإنترنت").expect("found");
        let (b, m, a) = excerpt(text, s, e, 6);
        assert_eq!(m, "الإنترنت");
        assert_eq!(b, "…حوكمة ");
        assert_eq!(a, " يكتب …");
    }
}
