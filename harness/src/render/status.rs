//! The live status page of `vigie probe` (`/` on the metrics listener): one self-contained
//! HTML page (no script, no external asset), refreshing itself every 15 s, readable on a phone:
//! a card per API version with its state, month-to-date availability and share under 1 s
//! against 98 % / 90 %, coverage and the last 24 hours as a sparkline; the open incidents with
//! their running clocks.

use std::fmt::Write as _;

use crate::probe::status::{ApiStatus, OpenIncident, Status};
use crate::render::check::junit::escape;
use crate::render::sla::markdown::{pct, verdict};

fn color(state: &str) -> &'static str {
    match state {
        "up" => "#2e7d32",
        "slow" | "exceptional" => "#ef6c00",
        "partner-side" => "#546e7a",
        _ => "#c62828",
    }
}

fn sparkline(a: &ApiStatus) -> String {
    let (w, h) = (240.0, 36.0);
    let bar = w / 24.0;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" aria-label="last 24 hours of {} {}">"#,
        escape(&a.api),
        escape(&a.version)
    );
    for (k, hour) in a.last_24h.iter().enumerate() {
        let x = bar * k as f64;
        match hour {
            Some(v) => {
                let fill = if *v >= 0.98 { "#2e7d32" } else { "#c62828" };
                let bh = (h - 2.0) * v.clamp(0.0, 1.0);
                let _ = write!(
                    s,
                    r#"<rect x="{x:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}"><title>{} h ago: {}</title></rect>"#,
                    h - bh.max(1.0),
                    bar - 1.0,
                    bh.max(1.0),
                    23 - k,
                    pct(Some(*v))
                );
            }
            None => {
                let _ = write!(
                    s,
                    r##"<rect x="{x:.1}" y="0" width="{:.1}" height="{h}" fill="#f2f2f2"><title>{} h ago: not observed</title></rect>"##,
                    bar - 1.0,
                    23 - k
                );
            }
        }
    }
    s.push_str("</svg>");
    s
}

fn card(a: &ApiStatus) -> String {
    let ops: Vec<String> = a
        .operations
        .iter()
        .map(|(op, o)| {
            format!(
                "{} <b style=\"color:{}\">{}</b>",
                escape(op),
                color(o),
                escape(o)
            )
        })
        .collect();
    format!(
        r#"<section class="card"><h2>{} {} <span class="state" style="background:{}">{}</span></h2><p>Month to date: availability <b>{}</b> ({}; target 98 %), calls under 1 s <b>{}</b> ({}; target 90 %), {} of the month so far observed.</p><p class="small">Last 24 hours, hour by hour:</p>{}<details><summary>{} operation(s)</summary><p class="small">{}</p></details></section>"#,
        escape(&a.api),
        escape(&a.version),
        color(&a.state),
        escape(&a.state),
        pct(a.availability),
        verdict(a.availability_verdict),
        pct(a.share_under_1s),
        verdict(a.latency_verdict),
        a.coverage
            .map_or("—".into(), |c| format!("{:.1} %", c * 100.0)),
        sparkline(a),
        a.operations.len(),
        ops.join("<br>")
    )
}

fn incident(i: &OpenIncident) -> String {
    let mut clocks = String::new();
    for c in &i.clocks {
        let left = if c.state != "running" {
            escape(&c.state)
        } else if c.minutes_left >= 0 {
            format!("<b>{} left</b>", span(c.minutes_left))
        } else {
            format!("<b class=\"late\">{} late</b>", span(-c.minutes_left))
        };
        let _ = write!(
            clocks,
            "<li>{}: due {} (Paris), {left}</li>",
            escape(&c.what),
            escape(&c.due_local)
        );
    }
    if clocks.is_empty() {
        clocks.push_str("<li>no deadline of the convention runs</li>");
    }
    format!(
        r#"<section class="card incident"><h2>#{} {}</h2><p>Since {} (Paris), {}.</p><ul>{clocks}</ul></section>"#,
        i.id,
        escape(&i.title),
        escape(&i.since_local),
        escape(&i.state)
    )
}

/// Minutes for people: `34 min`, `19 h 52 min`.
fn span(minutes: i64) -> String {
    if minutes >= 120 {
        format!("{} h {} min", minutes / 60, minutes % 60)
    } else {
        format!("{minutes} min")
    }
}

/// The page.
pub fn html(s: &Status) -> String {
    let mut h = String::from(
        r#"<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="15"><title>vigie — status</title><style>body{font-family:sans-serif;margin:0;padding:12px;background:#fafafa;color:#222}h1{font-size:1.3em;margin:4px 0}h2{font-size:1.05em;margin:0 0 6px}.card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:10px 12px;margin:10px 0;max-width:640px}.incident{border-left:6px solid #c62828}.state{color:#fff;border-radius:4px;padding:1px 8px;font-size:.85em}.small{font-size:.85em;color:#555;margin:4px 0}.late{color:#c62828}ul{padding-left:18px;margin:4px 0}</style></head><body>"#,
    );
    let down = s.apis.iter().filter(|a| a.state == "down").count();
    let _ = write!(
        h,
        "<h1>vigie — {}</h1><p class=\"small\">{} (Paris) · {} · {} API version(s), {} down, {} open incident(s) · refreshes every 15 s</p>",
        if down > 0 || !s.incidents.is_empty() {
            "something is wrong"
        } else {
            "all is well"
        },
        escape(&s.now_local),
        escape(&s.source),
        s.apis.len(),
        down,
        s.incidents.len()
    );
    h.push_str(&crate::provenance::banner_html([s.source.as_str()]));
    if !s.incidents.is_empty() {
        h.push_str("<h1>Open incidents</h1>");
        for i in &s.incidents {
            h.push_str(&incident(i));
        }
    }
    let _ = write!(h, "<h1>APIs — {}</h1>", escape(&s.month));
    if s.apis.is_empty() {
        h.push_str("<p>No probe stored yet.</p>");
    }
    for a in &s.apis {
        h.push_str(&card(a));
    }
    h.push_str("</body></html>\n");
    h
}
