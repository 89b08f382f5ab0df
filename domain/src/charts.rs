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

/// How much of a paragraph's text its row shows: the first words, to about 30 Latin letters'
/// width (a Chinese character counts twice: it is drawn twice as wide), then an ellipsis.
pub fn row_excerpt(text: &str) -> String {
    const ROOM: usize = 30;
    let wide = |c: char| matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6);
    let mut used = 0;
    let mut out = String::new();
    for c in text.chars() {
        used += if wide(c) { 2 } else { 1 };
        if used > ROOM {
            let mut cut = out.trim_end().to_string();
            cut.push('…');
            return cut;
        }
        out.push(c);
    }
    out
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
    /// A paragraph's accessible name: its number and first words as the row shows them, then
    /// its figures and flags in words.
    fn row_label(&self, number: &str, excerpt: &str, f: &ParagraphConsensus) -> String;
    /// A flag in words.
    fn flag(&self, flag: &Flag) -> String;
    /// A group's or region's square's tooltip: its name and stances.
    fn cell(&self, name: &str, t: &Tally) -> String;
    /// A stakeholder group's full and short name (the short one heads its column).
    fn group(&self, g: StakeholderGroup) -> (String, String);
    /// A region's full and short name.
    fn region(&self, r: Region) -> (String, String);
}

/// How a stakeholder group or region stands on a paragraph, from all support to all
/// objection. Each lean has a colour (from the stylesheet, through its class) and a mark of its
/// own, so that the map reads without telling colours apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lean {
    None,
    AllSupport,
    MostlySupport,
    Divided,
    MostlyOppose,
    AllOppose,
}

impl Lean {
    /// From support to objection, as the legend lists them; then no stances.
    pub const ALL: [Lean; 6] = [
        Lean::AllSupport,
        Lean::MostlySupport,
        Lean::Divided,
        Lean::MostlyOppose,
        Lean::AllOppose,
        Lean::None,
    ];

    pub fn of(t: &Tally) -> Self {
        let total = t.total();
        if total == 0 {
            return Lean::None;
        }
        // Support counts fully, can-live-with half, an objection against.
        let net = (2.0 * f64::from(t.support) + f64::from(t.can_live_with)
            - 2.0 * f64::from(t.oppose))
            / (2.0 * f64::from(total));
        match net {
            n if n >= 0.75 => Lean::AllSupport,
            n if n >= 0.25 => Lean::MostlySupport,
            n if n > -0.25 => Lean::Divided,
            n if n > -0.75 => Lean::MostlyOppose,
            _ => Lean::AllOppose,
        }
    }

    /// Its class in the stylesheet, which gives its colours.
    pub fn class(self) -> &'static str {
        match self {
            Lean::None => "cell-none",
            Lean::AllSupport => "cell-for2",
            Lean::MostlySupport => "cell-for1",
            Lean::Divided => "cell-mixed",
            Lean::MostlyOppose => "cell-against1",
            Lean::AllOppose => "cell-against2",
        }
    }

    /// Its mark, drawn in a 9 × 9 box: a tick for all support, a plus for mostly, a tilde for
    /// divided, a minus for mostly against, a cross for all against; none for no stances.
    fn mark(self) -> &'static str {
        match self {
            Lean::None => "",
            Lean::AllSupport => "M0.5 4.8 3.4 7.8 8.5 1.2",
            Lean::MostlySupport => "M4.5 0.5V8.5M0.5 4.5H8.5",
            Lean::Divided => "M0.3 5.6C1.8 2.4 3.3 2.4 4.5 4.5S7.2 6.6 8.7 3.4",
            Lean::MostlyOppose => "M0.5 4.5H8.5",
            Lean::AllOppose => "M1 1 8 8M8 1 1 8",
        }
    }
}

/// How a group stands, as a colour class: from all support to all objection.
pub fn lean(t: &Tally) -> &'static str {
    Lean::of(t).class()
}

/// A lean's square as a small picture on its own, for the legend and the map's table: the
/// same colour and mark as on the map.
pub fn swatch(lean: Lean) -> String {
    format!(
        r#"<svg class="swatch {}" width="20" height="16" viewBox="0 0 20 16" aria-hidden="true" focusable="false"><rect x="0.5" y="0.5" width="19" height="15" rx="3"/><path class="mark" transform="translate(5.5 3.5)" d="{}"/></svg>"#,
        lean.class(),
        lean.mark()
    )
}

/// A segment of the stance bar as a small picture on its own, for the legend.
pub fn bar_swatch(class: &str) -> String {
    format!(
        r#"<svg class="bar-swatch" width="20" height="12" viewBox="0 0 20 12" aria-hidden="true" focusable="false"><rect class="{}" x="0" y="0" width="20" height="12" rx="2"/></svg>"#,
        esc(class)
    )
}

/// A paragraph's standing mark as a small picture on its own, for the legend.
pub fn level_swatch(level: crate::consensus::Level) -> String {
    format!(
        r#"<svg class="level-swatch level-{}" width="12" height="12" viewBox="2 7 12 12" aria-hidden="true" focusable="false">{}</svg>"#,
        level.key(),
        level_mark(level, 8.0)
    )
}

/// Where the map's parts go: side by side on a wide screen, or stacked into a phone's width
/// (the paragraph, its bar under it, then its squares by stakeholder group and by region).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Wide,
    Stacked,
}

/// The coordinates of one layout; every row of a layout has the same shape.
struct Geometry {
    width: f64,
    /// Where the first row starts, under the heads.
    top: f64,
    /// A row's height without flags, and where its flags' line sits.
    row: f64,
    flag_y: f64,
    /// The width of a stakeholder group's square and of a region's (their heads must fit).
    group_cell: f64,
    region_cell: f64,
    num_x: f64,
    mark_x: f64,
    text_x: f64,
    bar: (f64, f64),
    bar_w: f64,
    figures: (f64, f64),
    groups: (f64, f64),
    regions: (f64, f64),
}

impl Layout {
    fn geometry(self) -> Geometry {
        let groups = StakeholderGroup::ALL.len() as f64;
        let regions = Region::ALL.len() as f64;
        match self {
            Layout::Wide => {
                let (group_cell, region_cell) = (44.0, 50.0);
                let groups_x = 470.0;
                let regions_x = groups_x + group_cell * groups + 14.0;
                Geometry {
                    width: regions_x + region_cell * regions + 4.0,
                    top: 54.0,
                    row: 26.0,
                    flag_y: 36.0,
                    group_cell,
                    region_cell,
                    num_x: 40.0,
                    mark_x: 48.0,
                    text_x: 56.0,
                    bar: (270.0, 6.0),
                    bar_w: 120.0,
                    figures: (398.0, 17.5),
                    groups: (groups_x, 0.0),
                    regions: (regions_x, 0.0),
                }
            }
            Layout::Stacked => {
                // The regions' squares share the groups' line's width, five wider squares.
                let group_cell = 42.0;
                let region_cell = group_cell * groups / regions;
                Geometry {
                    width: 4.0 + group_cell * groups + 2.0,
                    top: 112.0,
                    row: 96.0,
                    flag_y: 106.0,
                    group_cell,
                    region_cell,
                    num_x: 36.0,
                    mark_x: 43.0,
                    text_x: 50.0,
                    bar: (50.0, 27.0),
                    bar_w: 140.0,
                    figures: (198.0, 38.5),
                    groups: (4.0, 46.0),
                    regions: (4.0, 70.0),
                }
            }
        }
    }
}

/// One square per group or region: its colour and mark say how they lean, its number how many
/// stated a stance; an outlined empty square where nobody did. The squares go in the row's
/// link (a click on one opens the thread, its tooltip names it), their numbers in `numbers`,
/// drawn over them outside the link.
fn cells(
    out: &mut String,
    numbers: &mut String,
    (x, y): (f64, f64),
    cell: f64,
    words: &impl MapWords,
    tallies: impl Iterator<Item = (String, Tally)>,
) {
    for (i, (name, t)) in tallies.enumerate() {
        let cx = x + cell * i as f64;
        let lean = Lean::of(&t);
        let _ = write!(
            out,
            r#"<g class="cell {}"><title>{}</title><rect x="{:.1}" y="{:.1}" width="{:.1}" height="20" rx="3"/>"#,
            lean.class(),
            esc(&words.cell(&name, &t)),
            cx + 1.0,
            y + 3.0,
            cell - 3.0,
        );
        if lean != Lean::None {
            let _ = write!(
                out,
                r#"<path class="mark" transform="translate({:.1} {:.1})" d="{}"/>"#,
                cx + 5.0,
                y + 8.5,
                lean.mark(),
            );
            let _ = write!(
                numbers,
                r#"<g class="count {}"><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text></g>"#,
                lean.class(),
                cx + cell - 5.0,
                y + 17.5,
                t.total()
            );
        }
        out.push_str("</g>");
    }
}
/// A column head, on two lines when it is more than a word (long short names, in Arabic or
/// Russian, would otherwise run into their neighbours).
fn head(out: &mut String, x: f64, y: f64, (full, short): (String, String)) {
    let short = short.trim();
    let words: Vec<&str> = short.split(' ').filter(|w| !w.is_empty()).collect();
    let _ = write!(
        out,
        r#"<text class="col-head" x="{x:.1}" y="{y:.1}" text-anchor="middle"><title>{}</title>"#,
        esc(&full)
    );
    if words.len() < 2 {
        out.push_str(&esc(short));
    } else {
        // Break at the space nearest the middle.
        let half = short.chars().count() / 2;
        let split = (1..words.len())
            .min_by_key(|&i| {
                let before: usize = words[..i].iter().map(|w| w.chars().count() + 1).sum();
                before.abs_diff(half)
            })
            .unwrap_or(1);
        let _ = write!(
            out,
            r#"<tspan x="{x:.1}" dy="-5.5">{}</tspan><tspan x="{x:.1}" dy="11">{}</tspan>"#,
            esc(&words[..split].join(" ")),
            esc(&words[split..].join(" "))
        );
    }
    out.push_str("</text>");
}

/// The paragraph's standing as a small mark before its words: a disc for broad support, a ring
/// for accepted with reservations, a triangle for objections, a square for mostly opposed.
fn level_mark(level: crate::consensus::Level, x: f64) -> String {
    use crate::consensus::Level;
    match level {
        Level::BroadSupport => format!(r#"<circle class="level-mark" cx="{x}" cy="13" r="4"/>"#),
        Level::Accepted => format!(r#"<circle class="level-mark" cx="{x}" cy="13" r="3.3"/>"#),
        Level::Objections => format!(
            r#"<path class="level-mark" d="M{} 8.5 {} 16.5H{}Z"/>"#,
            x,
            x + 4.5,
            x - 4.5
        ),
        Level::Opposed => format!(
            r#"<rect class="level-mark" x="{}" y="9.5" width="7" height="7"/>"#,
            x - 3.5
        ),
        Level::NoStances => format!(r#"<circle class="level-mark" cx="{x}" cy="13" r="2"/>"#),
    }
}

/// The consensus map: a row per paragraph with its stance bar and figures, a square per
/// stakeholder group and per region (number of stances, coloured and marked by how they lean),
/// and its flags in words under it.
///
/// Each row links to the paragraph's thread. The link holds the row's shapes, but of its text
/// only the number and first words, which begin its name (WCAG 2.5.3: a speech user says what
/// they see); the figures, all in the name in words, are drawn over the row outside the link,
/// hidden from assistive technology and letting clicks through to it.
pub fn consensus_map(rows: &[MapRow], words: &impl MapWords, layout: Layout) -> String {
    let g = layout.geometry();
    let width = g.width;
    let mut body = String::new();
    let mut y = g.top;
    for row in rows {
        let f = row.figures;
        let flags: Vec<String> = f.flags.iter().map(|x| words.flag(x)).collect();
        let height = g.row
            + if flags.is_empty() {
                0.0
            } else {
                g.flag_y - g.row + 6.0
            };
        let label = esc(&words.row_label(row.number, row.excerpt, f));
        let _ = write!(
            body,
            r#"<g class="map-line" transform="translate(0 {y})"><a href="{}" aria-label="{label}" class="map-row level-{}"><rect class="row-bg" x="0" y="0" width="{width:.0}" height="{:.0}" rx="4"/><text y="17.5"><tspan class="num" x="{}" text-anchor="end">{}</tspan> <tspan class="excerpt" x="{}">{}</tspan></text><g aria-hidden="true"><title>{label}</title>{}<rect class="seg-empty" x="{}" y="{}" width="{}" height="14" rx="2"/>"#,
            esc(&row.href),
            f.level.key(),
            height - 2.0,
            g.num_x,
            esc(row.number),
            g.text_x,
            esc(row.excerpt),
            level_mark(f.level, g.mark_x),
            g.bar.0,
            g.bar.1,
            g.bar_w,
        );
        let total = f.tally.total();
        let mut x = g.bar.0;
        for (n, class) in [
            (f.tally.support, "seg-support"),
            (f.tally.can_live_with, "seg-live"),
            (f.tally.oppose, "seg-oppose"),
        ] {
            if n > 0 {
                let w = g.bar_w * f64::from(n) / f64::from(total);
                let _ = write!(
                    body,
                    r#"<rect class="{class}" x="{x:.1}" y="{}" width="{w:.1}" height="14"/>"#,
                    g.bar.1
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
        let mut numbers = format!(
            r#"<text class="bar-figures" x="{:.0}" y="{}">{figures}</text>"#,
            g.figures.0, g.figures.1
        );
        cells(
            &mut body,
            &mut numbers,
            g.groups,
            g.group_cell,
            words,
            f.by_group
                .iter()
                .filter_map(|b| Some((words.group(b.group?).0, b.tally))),
        );
        cells(
            &mut body,
            &mut numbers,
            g.regions,
            g.region_cell,
            words,
            f.by_region
                .iter()
                .filter_map(|b| Some((words.region(b.region?).0, b.tally))),
        );
        if !flags.is_empty() {
            let _ = write!(
                numbers,
                r#"<text class="flag-text" x="{}" y="{}">⚑ {}</text>"#,
                g.text_x,
                g.flag_y,
                esc(&flags.join(" · "))
            );
        }
        let _ = write!(
            body,
            r#"</g></a><g class="map-figures" aria-hidden="true" pointer-events="none">{numbers}</g></g>"#
        );
        y += height;
    }
    let height = y + 4.0;
    let [paragraph, stances, key, by_group, by_region] = words.heads().map(|h| esc(&h));
    let mut out = format!(
        r#"<svg class="map map-{}" role="group" aria-label="{}" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" xmlns="http://www.w3.org/2000/svg">"#,
        match layout {
            Layout::Wide => "wide",
            Layout::Stacked => "stacked",
        },
        esc(&words.name())
    );
    // The heads: one line of them over the wide map; on a phone the groups' and the regions'
    // heads each over their own line of squares, and the bar's key over the rows.
    let (groups_head, regions_head) = match layout {
        Layout::Wide => {
            let _ = write!(
                out,
                r#"<text class="band-head" x="{}" y="18">{paragraph}</text><text class="band-head" x="{}" y="18">{stances}</text><text class="col-head" x="{}" y="43">{key}</text>"#,
                g.text_x, g.bar.0, g.bar.0
            );
            ((g.groups.0, 18.0), (g.regions.0, 18.0))
        }
        Layout::Stacked => {
            let _ = write!(
                out,
                r#"<text class="col-head" x="{}" y="{}">{stances}: {key}</text>"#,
                g.text_x,
                g.top - 6.0
            );
            ((g.groups.0, 14.0), (g.regions.0, 58.0))
        }
    };
    let _ = write!(
        out,
        r#"<text class="band-head" x="{}" y="{}">{by_group}</text><text class="band-head" x="{}" y="{}">{by_region}</text>"#,
        groups_head.0, groups_head.1, regions_head.0, regions_head.1
    );
    for (i, group) in StakeholderGroup::ALL.iter().enumerate() {
        let x = g.groups.0 + g.group_cell * (i as f64 + 0.5);
        head(&mut out, x, groups_head.1 + 20.0, words.group(*group));
    }
    for (i, region) in Region::ALL.iter().enumerate() {
        let x = g.regions.0 + g.region_cell * (i as f64 + 0.5);
        head(&mut out, x, regions_head.1 + 20.0, words.region(*region));
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
        fn row_label(&self, number: &str, excerpt: &str, f: &ParagraphConsensus) -> String {
            let flags: String = f
                .flags
                .iter()
                .map(|x| format!("; {}", x.describe()))
                .collect();
            format!(
                "Paragraph {number}: {excerpt} — {}; {} comments{flags}",
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

    fn rows(f: &[ParagraphConsensus]) -> Vec<MapRow<'_>> {
        f.iter()
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
            .collect()
    }

    #[test]
    fn the_map_has_a_linked_row_per_paragraph_with_its_figures_and_flags_in_words() {
        let f = figures();
        let svg = consensus_map(&rows(&f), &English, Layout::Wide);
        assert_eq!(svg.matches("<a href=").count(), 2);
        assert!(svg.contains(r#"<a href="/documents/d1?p=p1#p1""#));
        assert!(svg.contains("Paragraph 1: Text &lt;b&gt;with&lt;/b&gt; &quot;quotes&quot; &amp; more — 1 support · 0 can live with · 1 opposes; 0 comments; 1 objection not yet answered"));
        assert!(svg.contains("⚑ 1 objection not yet answered"));
        assert!(svg.contains("Paragraph 2: Text"));
        assert!(svg.contains("— no stances yet; 0 comments"));
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

    /// Guards against a row link named apart from what it shows (WCAG 2.5.3, axe's
    /// label-content-name-mismatch): the only text in the link is its number and words, which
    /// begin its name in the same order; its figures are drawn outside it, hidden.
    #[test]
    fn a_rows_name_begins_with_the_only_words_its_link_shows() {
        let f = figures();
        for layout in [Layout::Wide, Layout::Stacked] {
            let svg = consensus_map(&rows(&f), &English, layout);
            let links: Vec<&str> = svg
                .split("<a href=")
                .skip(1)
                .filter_map(|r| r.split("</a>").next())
                .collect();
            assert_eq!(links.len(), 2);
            for link in links {
                let label = link
                    .split("aria-label=\"")
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .unwrap_or_default();
                // The text the link shows: its one text element's words, tags taken out.
                assert_eq!(link.matches("<text").count(), 1, "number and words only");
                let text = link
                    .split("<text")
                    .nth(1)
                    .and_then(|t| t.split("</text>").next());
                let shown: Vec<&str> = text
                    .unwrap_or_default()
                    .split('<')
                    .filter_map(|t| t.split('>').nth(1))
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .collect();
                assert_eq!(shown.len(), 2, "number and words: {shown:?}");
                let shown = shown.join(": ");
                assert!(
                    label.starts_with(&format!("Paragraph {shown}")),
                    "{label} begins with {shown}"
                );
            }
            assert!(svg.contains(r#"<g class="map-figures" aria-hidden="true" pointer-events="none"><text class="bar-figures""#));
        }
    }

    #[test]
    fn the_stacked_map_fits_a_phone_and_keeps_every_square() {
        let f = figures();
        let wide = consensus_map(&rows(&f), &English, Layout::Wide);
        let stacked = consensus_map(&rows(&f), &English, Layout::Stacked);
        let width = |svg: &str| -> f64 {
            svg.split("width=\"")
                .nth(1)
                .and_then(|w| w.split('"').next())
                .and_then(|w| w.parse().ok())
                .unwrap_or(f64::MAX)
        };
        assert!(width(&stacked) <= 300.0, "{}", width(&stacked));
        assert!(width(&wide) > 1000.0);
        assert!(stacked.contains(r#"class="map map-stacked""#));
        let squares = |svg: &str| svg.matches(r#"<g class="cell "#).count();
        assert_eq!(squares(&stacked), squares(&wide));
        assert_eq!(
            squares(&wide),
            2 * (StakeholderGroup::ALL.len() + Region::ALL.len())
        );
    }

    #[test]
    fn each_lean_has_a_mark_of_its_own_so_the_map_reads_without_colour() {
        let marks: std::collections::BTreeSet<&str> = Lean::ALL.iter().map(|l| l.mark()).collect();
        assert_eq!(marks.len(), Lean::ALL.len());
        let classes: std::collections::BTreeSet<&str> =
            Lean::ALL.iter().map(|l| l.class()).collect();
        assert_eq!(classes.len(), Lean::ALL.len());
        assert!(swatch(Lean::AllOppose).contains(Lean::AllOppose.mark()));
    }

    #[test]
    fn a_column_head_of_several_words_breaks_into_two_lines() {
        let mut out = String::new();
        head(
            &mut out,
            10.0,
            20.0,
            (
                "Western European and Others".into(),
                "غرب أوروبا وغيرها".into(),
            ),
        );
        assert_eq!(out.matches("<tspan").count(), 2);
        assert!(
            out.contains(">غرب أوروبا</tspan>") || out.contains(">غرب</tspan>"),
            "{out}"
        );
        let mut one = String::new();
        head(&mut one, 10.0, 20.0, ("Government".into(), "Gov".into()));
        assert!(!one.contains("<tspan"));
        assert!(one.contains("<title>Government</title>Gov</text>"));
    }

    #[test]
    fn a_rows_excerpt_is_cut_to_its_room_and_chinese_counts_double() {
        assert_eq!(row_excerpt("Short text."), "Short text.");
        let long = row_excerpt("The mandate of the Forum asks it to publish outcomes");
        assert_eq!(long, "The mandate of the Forum asks…");
        let chinese = row_excerpt("论坛的任务要求其发布成果，并向所有利益攸关方开放讨论过程");
        assert_eq!(chinese.chars().count(), 16, "{chinese}");
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
