//! goose's HTML report made self-contained: goose draws its charts with a chart library it
//! loads from a CDN, so without internet the page shows empty boxes. The script tags (the
//! library and the inline code that calls it) and the empty chart boxes are taken out, and
//! in their place go two charts drawn here in inline SVG from goose's own figures: calls per
//! request, and the distribution of response times against the 1 s line. The tables goose
//! writes stay as they are.

use std::fmt::Write as _;

use goose::metrics::GooseMetrics;

/// Upper bounds (ms) of the response-time distribution drawn.
const BOUNDS_MS: [u64; 8] = [50, 100, 250, 500, 1000, 2000, 6000, u64::MAX];

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Removes every `<script …>…</script>` block.
fn without_scripts(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        out.push_str(&rest[..start]);
        match rest[start..].find("</script>") {
            Some(end) => rest = &rest[start + end + "</script>".len()..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where the `<div>` opened at the start of `html` closes (its nested divs counted), just past
/// its `</div>`.
fn div_end(html: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = 0;
    loop {
        let open = html[at..].find("<div").map(|i| at + i);
        let close = html[at..].find("</div>").map(|i| at + i);
        match (open, close) {
            (Some(o), Some(c)) if o < c => {
                depth += 1;
                at = o + "<div".len();
            }
            (_, Some(c)) => {
                depth = depth.checked_sub(1)?;
                at = c + "</div>".len();
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => return None,
        }
    }
}

/// Removes goose's chart boxes (`<div class="graph…">` and all they hold).
fn without_chart_boxes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<div class=\"graph") {
        out.push_str(&rest[..start]);
        match div_end(&rest[start..]) {
            Some(end) => rest = &rest[start + end..],
            // Unbalanced: leave the rest as it is rather than cut the page.
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Horizontal bars: one per (label, value), with the value written at the bar's end.
fn bars(title: &str, rows: &[(String, u64, &str)]) -> String {
    let (w, row_h, left) = (1000.0, 20.0, 520.0);
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    let h = 30.0 + row_h * rows.len() as f64;
    let mut s = format!(
        r#"<h3>{t}</h3><svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" aria-label="{t}">"#,
        t = escape(title)
    );
    for (i, (label, value, color)) in rows.iter().enumerate() {
        let y = 10.0 + row_h * i as f64;
        let len = (w - left - 80.0) * (*value as f64 / max);
        let _ = write!(
            s,
            r#"<text x="0" y="{:.1}" font-size="10">{}</text><rect x="{left}" y="{y:.1}" width="{len:.1}" height="{:.1}" fill="{color}"><title>{}: {value}</title></rect><text x="{:.1}" y="{:.1}" font-size="11">{value}</text>"#,
            y + 13.0,
            escape(label),
            row_h - 6.0,
            escape(label),
            left + len + 4.0,
            y + 13.0
        );
    }
    s.push_str("</svg>");
    s
}

/// The two charts, from goose's figures.
pub fn charts(metrics: &GooseMetrics) -> String {
    let mut names: Vec<(String, u64)> = metrics
        .requests
        .iter()
        .map(|(key, agg)| (key.clone(), agg.raw_data.counter as u64))
        .collect();
    names.sort();
    let calls: Vec<(String, u64, &str)> =
        names.into_iter().map(|(k, n)| (k, n, "#1565c0")).collect();
    let mut counts = [0u64; BOUNDS_MS.len()];
    for agg in metrics.requests.values() {
        for (floor_us, n) in agg.raw_data.times_us.iter() {
            // By where goose's bucket ends, as the pass mark counts: a bucket that straddles
            // a bound goes to the slower class, so the green bars never flatter.
            let end_us = crate::passmark::bucket_end(*floor_us);
            let i = BOUNDS_MS
                .iter()
                .position(|b| end_us <= b.saturating_mul(1000))
                .unwrap_or(BOUNDS_MS.len() - 1);
            counts[i] += *n as u64;
        }
    }
    let mut low = 0;
    let distribution: Vec<(String, u64, &str)> = BOUNDS_MS
        .iter()
        .zip(counts)
        .map(|(b, n)| {
            let label = if *b == u64::MAX {
                "6 s and more".to_string()
            } else {
                format!("{low} ms to under {b} ms")
            };
            let color = if *b <= 1000 { "#2e7d32" } else { "#ef6c00" };
            low = *b;
            (label, n, color)
        })
        .collect();
    format!(
        "<div id=\"vigie-charts\" style=\"background:#ffffff;color:#000000;padding:1em;margin:1em auto;max-width:1040px;font-family:sans-serif\"><h2>Charts</h2><p>Drawn by Vigie in inline SVG from goose's figures (goose's own charts need a chart library from the internet and were taken out so that this page opens complete offline).</p>{}{}</div>",
        bars("Calls per request", &calls),
        bars(
            "Response times, all requests (green: under 1 s)",
            &distribution
        )
    )
}

/// goose's report page without its network-loaded charts, with ours in their place.
pub fn self_contained(html: &str, charts: &str) -> String {
    let html = without_scripts(html);
    // At the end of the page, after goose's tables: never between a heading and its table.
    let mut html = without_chart_boxes(&html);
    let at = html.find("</body>").unwrap_or(html.len());
    html.insert_str(at, charts);
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cdn_library_the_scripts_and_the_empty_boxes_go_our_charts_come() {
        let page = r#"<html><head><script src="https://cdn.jsdelivr.net/npm/echarts@5.2.2/dist/echarts.min.js"></script></head><body><div class="container"><h1>Goose Attack Report</h1><table><tr><td>42</td></tr></table><div class="graph">
<div id="graph-rps" style="width: 1000px"></div>
</div><script type="text/javascript">echarts.init(1)</script><div class="graph heatmap"><div class="heatmap-controls"><button>x</button></div><div id="graph-latency-heatmap"></div><div class="heatmap-legend"></div></div><p>end</p></div></body></html>"#;
        let out = self_contained(page, "<svg>ours</svg>");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("cdn.jsdelivr"), "{out}");
        assert!(
            !out.contains("graph-rps") && !out.contains("graph-latency"),
            "{out}"
        );
        assert!(
            out.contains("<td>42</td>") && out.contains("<p>end</p>"),
            "{out}"
        );
        assert_eq!(
            out,
            "<html><head></head><body><div class=\"container\"><h1>Goose Attack Report</h1><table><tr><td>42</td></tr></table><p>end</p></div><svg>ours</svg></body></html>"
        );
    }
}
