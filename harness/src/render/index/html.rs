//! `index.html`: the same as `index.md`, self-contained (no script, no outside asset).

use super::Index;
use crate::render::check::junit::escape as esc;

pub fn render(index: &Index) -> String {
    let mut s = format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{t}</title><style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left}}</style></head><body><h1>{t}</h1><p id=\"provenance\">{p}</p>",
        t = esc(&index.title),
        p = esc(&index.provenance)
    );
    if !index.decisions.is_empty() {
        s.push_str("<h2>Go/no-go of n against n-1</h2><table id=\"decisions\"><tr><th>API</th><th>decision</th><th>report</th></tr>");
        for (api, decision, file) in &index.decisions {
            s.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td><a href=\"{f}\">{f}</a></td></tr>",
                esc(api),
                esc(decision),
                f = esc(file)
            ));
        }
        s.push_str("</table>");
    }
    s.push_str("<h2>Files</h2><table id=\"files\"><tr><th>file</th><th>what it holds</th></tr>");
    for e in &index.files {
        s.push_str(&format!(
            "<tr><td><a href=\"{p}\">{p}</a></td><td>{}</td></tr>",
            esc(&e.what),
            p = esc(&e.path)
        ));
    }
    s.push_str("</table></body></html>\n");
    s
}
