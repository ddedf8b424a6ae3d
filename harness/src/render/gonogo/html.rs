//! The go/no-go report as HTML, self-contained (inline SVG gauges).

use std::fmt::Write as _;
use std::io::Write;

use super::status;
use crate::gonogo::decision::Decision;
use crate::gonogo::report::GoNoGo;
use crate::render::check::junit::escape;

/// A horizontal gauge: a value against its target.
fn gauge(label: &str, value: Option<f64>, target: f64) -> String {
    let (w, h) = (420.0, 46.0);
    // A block of its own, a little wider than the bar so that the target's label fits.
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{h}" style="display:block;margin:8px 0" role="img" aria-label="{}">"#,
        w + 30.0,
        escape(label)
    );
    let _ = write!(
        s,
        r##"<rect x="0" y="14" width="{w}" height="18" fill="#eeeeee"/>"##
    );
    match value {
        Some(v) => {
            let color = if v >= target { "#2e7d32" } else { "#c62828" };
            let _ = write!(
                s,
                r##"<rect x="0" y="14" width="{:.1}" height="18" fill="{color}"><title>{} {:.2} %</title></rect>"##,
                w * v.clamp(0.0, 1.0),
                escape(label),
                v * 100.0
            );
            let _ = write!(
                s,
                r#"<text x="4" y="10" font-size="10">{} — {:.2} %</text>"#,
                escape(label),
                v * 100.0
            );
        }
        None => {
            let _ = write!(
                s,
                r#"<text x="4" y="10" font-size="10">{} — not evidenced</text>"#,
                escape(label)
            );
        }
    }
    let x = w * target;
    let _ = write!(
        s,
        r##"<line x1="{x:.1}" x2="{x:.1}" y1="12" y2="34" stroke="#000" stroke-dasharray="3 2"/><text x="{:.1}" y="44" font-size="9">{:.0} %</text></svg>"##,
        x - 8.0,
        target * 100.0
    );
    s
}

pub fn write(r: &GoNoGo, out: &mut dyn Write) -> std::io::Result<()> {
    let color = match r.decision {
        Decision::Go => "#2e7d32",
        Decision::GoWithReservations => "#ef6c00",
        Decision::Incomplete => "#546e7a",
        Decision::NoGo => "#c62828",
    };
    let mut h = String::new();
    let _ = write!(
        h,
        r#"<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Go/no-go {} {}</title><style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left}}.decision{{font-size:2em;font-weight:bold;color:{color}}}</style></head><body>"#,
        escape(&r.api),
        escape(&r.candidate)
    );
    let _ = write!(
        h,
        r#"<h1>Go/no-go — {} {} (previous {})</h1><p class="decision" id="decision">{}</p>"#,
        escape(&r.api),
        escape(&r.candidate),
        escape(&r.previous),
        r.decision.label()
    );
    let _ = write!(
        h,
        "<p>Announced {} · production {} · previous version online until {} · {} change. Generated {} by vigie {}.</p>",
        r.announced.as_deref().unwrap_or("—"),
        r.production.as_deref().unwrap_or("—"),
        r.previous_sunset.as_deref().unwrap_or("—"),
        if r.major {
            "major or contract"
        } else {
            "minor"
        },
        escape(&r.generated_at),
        r.vigie_version
    );
    h.push_str(&crate::provenance::banner_html(
        r.provenance.iter().map(String::as_str),
    ));
    if !r.provenance.is_empty() {
        h.push_str("<p>Evidence from:</p><ul id=\"evidence-from\">");
        for p in &r.provenance {
            let _ = write!(h, "<li>{}</li>", escape(p));
        }
        h.push_str("</ul>");
    }
    if !r.reasons.is_empty() {
        h.push_str("<h2>Why</h2><ul>");
        for reason in &r.reasons {
            let _ = write!(h, "<li>{}</li>", escape(reason));
        }
        h.push_str("</ul>");
    }
    h.push_str("<h2>Figures</h2>");
    h.push_str(&gauge(
        "calls under 1 s under load",
        r.load_share_under_1s,
        0.9,
    ));
    h.push_str(&gauge(
        "availability during the test window",
        r.availability,
        0.98,
    ));
    h.push_str("<h2>Criteria</h2><table id=\"criteria\"><tr><th>criterion</th><th>weight</th><th>status</th><th>detail</th></tr>");
    for c in &r.criteria {
        let weight = if c.weight == crate::gonogo::criteria::Weight::Blocking {
            "blocking"
        } else {
            "reserving"
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{weight}</td><td>{}</td><td>{}</td></tr>",
            escape(c.title),
            status(c.status),
            escape(&c.detail)
        );
    }
    h.push_str("</table>");
    let _ = write!(
        h,
        "<p id=\"profile\">Contract checks held answers to the <strong>{}</strong> contract profile.</p>",
        escape(&r.contract_profile)
    );
    if !r.evidence_files.is_empty() {
        h.push_str("<h2>Evidence</h2><ul>");
        for f in &r.evidence_files {
            let _ = write!(h, "<li><code>{}</code></li>", escape(f));
        }
        h.push_str("</ul>");
    }
    h.push_str("</body></html>\n");
    out.write_all(h.as_bytes())
}
