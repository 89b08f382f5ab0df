//! The figures drawn as SVG text: the consensus map (one row per paragraph) and bar charts.
//!
//! Pure string rendering with every piece of text escaped, so that the server page, the live
//! page in the browser (without shipping a view tree for hundreds of shapes) and, later, the
//! exported report draw them alike. Colours come from the stylesheet through class names; the
//! words in each row and each `<title>` make the pictures readable without a legend.

use std::fmt::Write;

use super::consensus::{Flag, ParagraphConsensus, Tally};
use super::profile::{Region, StakeholderGroup};

/// Escapes text for SVG/HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One paragraph of the map.
pub struct MapRow<'a> {
    /// Its display number ("8(a)"), or "·" when unnumbered.
    pub number: &'a str,
    /// The first words of its text.
    pub excerpt: &'a str,
    /// Where selecting the row leads (the paragraph's thread).
    pub href: String,
    pub figures: &'a ParagraphConsensus,
}

/// The words the map is drawn with, in the reader's language (the pages supply them from
/// the message catalogue); the map itself only lays them out.
pub trait MapWords {
    /// The map's accessible name.
    fn name(&self) -> String;
    /// The heads of its bands: paragraph, stances, the stance bar's key, by stakeholder group,
    /// by region.
    fn heads(&self) -> [String; 5];
    /// What a paragraph nobody has stated a stance on shows beside its empty bar.
    fn no_stances(&self) -> String;
    /// A paragraph's accessible name: its figures and flags in words.
    fn row_label(&self, number: &str, f: &ParagraphConsensus) -> String;
    /// A flag in words.
    fn flag(&self, flag: &Flag) -> String;
    /// A group's or region's square's tooltip: its name and stances.
    fn cell(&self, name: &str, t: &Tally) -> String;
    /// A stakeholder group's full and short name (the short one heads its column).
    fn group(&self, g: StakeholderGroup) -> (String, String);
    /// A region's full and short name.
    fn region(&self, r: Region) -> (String, String);
}

/// How a group stands, as a colour class: from all support to all objection.
pub fn lean(t: &Tally) -> &'static str {
    let total = t.total();
    if total == 0 {
        return "cell-none";
    }
    // Support counts fully, can-live-with half, an objection against.
    let net = (2.0 * f64::from(t.support) + f64::from(t.can_live_with) - 2.0 * f64::from(t.oppose))
        / (2.0 * f64::from(total));
    match net {
        n if n >= 0.75 => "cell-for2",
        n if n >= 0.25 => "cell-for1",
        n if n > -0.25 => "cell-mixed",
        n if n > -0.75 => "cell-against1",
        _ => "cell-against2",
    }
}

const ROW: f64 = 26.0;
const FLAG_LINE: f64 = 16.0;
const CELL: f64 = 44.0;
const X_TEXT: f64 = 56.0;
const X_BAR: f64 = 300.0;
const BAR_W: f64 = 130.0;
const X_GROUPS: f64 = 530.0;

fn cells(
    out: &mut String,
    at: f64,
    words: &impl MapWords,
    tallies: impl Iterator<Item = (String, Tally)>,
) {
    for (i, (name, t)) in tallies.enumerate() {
        let cx = at + CELL * i as f64;
        let n = t.total();
        let _ = write!(
            out,
            r#"<g class="cell {}"><title>{}</title><rect x="{:.1}" y="3" width="{:.1}" height="20" rx="3"/><text x="{:.1}" y="17.5" text-anchor="middle">{}</text></g>"#,
            lean(&t),
            esc(&words.cell(&name, &t)),
            cx + 1.0,
            CELL - 3.0,
            cx + CELL / 2.0,
            if n == 0 {
                "–".to_string()
            } else {
                n.to_string()
            }
        );
    }
}

/// The consensus map: a row per paragraph with its stance bar and figures, a square per
/// stakeholder group and per region (number of stances, coloured by how they lean), and its
/// flags in words under it. Each row links to the paragraph's thread.
pub fn consensus_map(rows: &[MapRow], words: &impl MapWords) -> String {
    let x_regions = X_GROUPS + CELL * StakeholderGroup::ALL.len() as f64 + 18.0;
    let width = x_regions + CELL * Region::ALL.len() as f64 + 4.0;
    let mut body = String::new();
    let mut y = 48.0;
    for row in rows {
        let f = row.figures;
        let flags: Vec<String> = f.flags.iter().map(|x| words.flag(x)).collect();
        let height = ROW + if flags.is_empty() { 0.0 } else { FLAG_LINE };
        let label = esc(&words.row_label(row.number, f));
        let _ = write!(
            body,
            r#"<a href="{}" aria-label="{label}" class="map-row level-{}"><g transform="translate(0 {y})"><title>{label}</title><rect class="row-bg" x="0" y="0" width="{width:.0}" height="{:.0}" rx="4"/><text class="num" x="40" y="17.5" text-anchor="end">{}</text><circle class="level-dot" cx="48" cy="13" r="3.5"/><text class="excerpt" x="{X_TEXT}" y="17.5">{}</text><rect class="seg-empty" x="{X_BAR}" y="6" width="{BAR_W}" height="14" rx="2"/>"#,
            esc(&row.href),
            f.level.key(),
            height - 2.0,
            esc(row.number),
            esc(row.excerpt),
        );
        let total = f.tally.total();
        let mut x = X_BAR;
        for (n, class) in [
            (f.tally.support, "seg-support"),
            (f.tally.can_live_with, "seg-live"),
            (f.tally.oppose, "seg-oppose"),
        ] {
            if n > 0 {
                let w = BAR_W * f64::from(n) / f64::from(total);
                let _ = write!(
                    body,
                    r#"<rect class="{class}" x="{x:.1}" y="6" width="{w:.1}" height="14"/>"#
                );
                x += w;
            }
        }
        let figures = if total == 0 {
            esc(&words.no_stances())
        } else {
            format!(
                "{} · {} · {}",
                f.tally.support, f.tally.can_live_with, f.tally.oppose
            )
        };
        let _ = write!(
            body,
            r#"<text class="bar-figures" x="{:.0}" y="17.5">{figures}</text>"#,
            X_BAR + BAR_W + 8.0
        );
        cells(
            &mut body,
            X_GROUPS,
            words,
            f.by_group
                .iter()
                .filter_map(|g| Some((words.group(g.group?).0, g.tally))),
        );
        cells(
            &mut body,
            x_regions,
            words,
            f.by_region
                .iter()
                .filter_map(|r| Some((words.region(r.region?).0, r.tally))),
        );
        if !flags.is_empty() {
            let _ = write!(
                body,
                r#"<text class="flag-text" x="{X_TEXT}" y="{}">⚑ {}</text>"#,
                ROW + 10.0,
                esc(&flags.join(" · "))
            );
        }
        body.push_str("</g></a>");
        y += height;
    }
    let height = y + 4.0;
    let [paragraph, stances, key, by_group, by_region] = words.heads().map(|h| esc(&h));
    let mut out = format!(
        r#"<svg class="map" role="group" aria-label="{}" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" xmlns="http://www.w3.org/2000/svg"><text class="band-head" x="{X_TEXT}" y="18">{paragraph}</text><text class="band-head" x="{X_BAR}" y="18">{stances}</text><text class="col-head" x="{X_BAR}" y="40">{key}</text><text class="band-head" x="{X_GROUPS}" y="18">{by_group}</text><text class="band-head" x="{x_regions}" y="18">{by_region}</text>"#,
        esc(&words.name())
    );
    let heads = StakeholderGroup::ALL
        .iter()
        .map(|g| (X_GROUPS, words.group(*g)))
        .enumerate()
        .chain(
            Region::ALL
                .iter()
                .map(|r| (x_regions, words.region(*r)))
                .enumerate(),
        );
    for (i, (at, (full, short))) in heads {
        let _ = write!(
            out,
            r#"<text class="col-head" x="{:.1}" y="40" text-anchor="middle"><title>{}</title>{}</text>"#,
            at + CELL * i as f64 + CELL / 2.0,
            esc(&full),
            esc(&short)
        );
    }
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

/// A horizontal bar chart: one labelled bar per row, its number at its end.
pub fn bar_chart(title: &str, rows: &[(String, u32)]) -> String {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h) = (250.0, 190.0, 22.0);
    let height = row_h * rows.len() as f64 + 4.0;
    let width = label_w + bar_w + 40.0;
    let mut out = format!(
        r#"<svg role="img" aria-label="{}" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(title)
    );
    for (i, (label, n)) in rows.iter().enumerate() {
        let y = row_h * i as f64;
        let w = bar_w * f64::from(*n) / f64::from(max);
        let _ = write!(
            out,
            r#"<g transform="translate(0 {y:.0})"><text class="chart-label" x="{:.0}" y="15" text-anchor="end">{}</text><rect class="chart-track" x="{label_w}" y="4" width="{bar_w}" height="14" rx="2"/><rect class="chart-bar" x="{label_w}" y="4" width="{w:.1}" height="14" rx="2"/><text class="chart-num" x="{:.1}" y="15">{n}</text></g>"#,
            label_w - 8.0,
            esc(label),
            label_w + w + 6.0
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consensus::{consensus, CommentFact, Profile, Stance, StanceFact};

    /// The map's words in English, as the domain's own descriptions put them.
    struct English;

    impl MapWords for English {
        fn name(&self) -> String {
            "Consensus map: one row per paragraph".into()
        }
        fn heads(&self) -> [String; 5] {
            [
                "Paragraph",
                "Stances",
                "support · live with · oppose",
                "By stakeholder group",
                "By region",
            ]
            .map(String::from)
        }
        fn no_stances(&self) -> String {
            "no stances".into()
        }
        fn row_label(&self, number: &str, f: &ParagraphConsensus) -> String {
            let flags: String = f
                .flags
                .iter()
                .map(|x| format!("; {}", x.describe()))
                .collect();
            format!(
                "Paragraph {number}: {}; {} comments{flags}",
                f.tally.describe(),
                f.comments
            )
        }
        fn flag(&self, flag: &Flag) -> String {
            flag.describe()
        }
        fn cell(&self, name: &str, t: &Tally) -> String {
            format!("{name}: {}", t.describe())
        }
        fn group(&self, g: StakeholderGroup) -> (String, String) {
            (g.label().into(), g.label().chars().take(3).collect())
        }
        fn region(&self, r: Region) -> (String, String) {
            (r.label().into(), r.key().chars().take(4).collect())
        }
    }

    fn figures() -> Vec<ParagraphConsensus> {
        let who = |g| Profile {
            group: Some(g),
            region: Some(Region::African),
            gender: None,
        };
        let stances = vec![
            StanceFact {
                paragraph: "p1".into(),
                account: "a".into(),
                stance: Stance::Oppose,
                profile: who(StakeholderGroup::Government),
                answered: false,
            },
            StanceFact {
                paragraph: "p1".into(),
                account: "b".into(),
                stance: Stance::Support,
                profile: who(StakeholderGroup::Academia),
                answered: false,
            },
        ];
        let comments: Vec<CommentFact> = Vec::new();
        consensus(["p1", "p2"], &stances, &comments)
    }

    #[test]
    fn the_map_has_a_linked_row_per_paragraph_with_its_figures_and_flags_in_words() {
        let f = figures();
        let rows: Vec<MapRow> = f
            .iter()
            .zip(["1", "2"])
            .map(|(figures, number)| MapRow {
                number,
                excerpt: "Text <b>with</b> \"quotes\" & more",
                href: format!(
                    "/documents/d1?p={}#{}",
                    figures.paragraph, figures.paragraph
                ),
                figures,
            })
            .collect();
        let svg = consensus_map(&rows, &English);
        assert_eq!(svg.matches("<a href=").count(), 2);
        assert!(svg.contains(r#"<a href="/documents/d1?p=p1#p1""#));
        assert!(svg.contains("Paragraph 1: 1 support · 0 can live with · 1 opposes; 0 comments; 1 objection not yet answered"));
        assert!(svg.contains("⚑ 1 objection not yet answered"));
        assert!(svg.contains("Paragraph 2: no stances yet; 0 comments"));
        assert!(svg.contains("Government: 0 support · 0 can live with · 1 opposes"));
        assert!(svg.contains("Text &lt;b&gt;with&lt;/b&gt; &quot;quotes&quot; &amp; more"));
        assert!(
            svg.contains("<title>Government</title>Gov</text>"),
            "column heads"
        );
        assert!(svg.contains(">no stances</text>"));
        assert!(!svg.contains("<b>"), "text is escaped");
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn a_group_is_coloured_by_how_it_leans() {
        let t = |support, can_live_with, oppose| Tally {
            support,
            can_live_with,
            oppose,
        };
        assert_eq!(lean(&t(0, 0, 0)), "cell-none");
        assert_eq!(lean(&t(3, 0, 0)), "cell-for2");
        assert_eq!(lean(&t(1, 2, 0)), "cell-for1");
        assert_eq!(lean(&t(1, 0, 1)), "cell-mixed");
        assert_eq!(lean(&t(0, 1, 1)), "cell-against1");
        assert_eq!(lean(&t(0, 0, 2)), "cell-against2");
    }

    #[test]
    fn a_bar_chart_scales_to_its_largest_row_and_escapes_labels() {
        let svg = bar_chart(
            "Participants <by group>",
            &[
                ("Gov & co".into(), 4),
                ("Academia".into(), 2),
                ("Other".into(), 0),
            ],
        );
        assert!(svg.contains(r#"aria-label="Participants &lt;by group&gt;""#));
        assert!(
            svg.contains(r#"width="190.0""#),
            "the largest fills the track"
        );
        assert!(
            svg.contains(r#"width="95.0""#),
            "half of it is half as long"
        );
        assert!(svg.contains("Gov &amp; co"));
    }
}
