//! `index.md`: every file linked, with what it holds.

use super::Index;

/// A Markdown link's target, with the characters that would break it encoded.
fn target(path: &str) -> String {
    path.replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
}

pub fn render(index: &Index) -> String {
    let mut s = format!("# {}\n\n{}\n\n", index.title, index.provenance);
    if !index.decisions.is_empty() {
        s.push_str("## Go/no-go of n against n-1\n\n| API | decision | report |\n|---|---|---|\n");
        for (api, decision, file) in &index.decisions {
            s.push_str(&format!(
                "| {api} | {decision} | [{file}]({}) |\n",
                target(file)
            ));
        }
        s.push('\n');
    }
    s.push_str("## Files\n\n| file | what it holds |\n|---|---|\n");
    for e in &index.files {
        s.push_str(&format!(
            "| [{}]({}) | {} |\n",
            e.path,
            target(&e.path),
            e.what
        ));
    }
    s
}
