//! A string drawn to match a `pattern` of a contract, for the common subset of regular
//! expressions documents use: literals, escapes (`\d`, `\w`, `\s`, `\.` …), classes with
//! ranges (`[A-Z0-9]`, not negated), groups with alternatives (`(?:a|b)`), quantifiers (`?`,
//! `*`, `+`, `{n}`, `{n,m}`) and anchors. Anything else gives `None` (the caller falls back
//! to a word); the value is checked against the schema by the tests, not trusted.

use crate::population::rng::Draw;

/// The most repetitions drawn for an open quantifier (`*`, `+`, `{n,}`).
const OPEN_REPEAT: u64 = 3;
/// The longest pattern read.
const MAX_PATTERN: usize = 512;
/// The longest string drawn: past it, `None` (nested repetitions multiply).
const MAX_SAMPLE: usize = 4_096;

#[derive(Debug, Clone)]
enum Node {
    /// One of these characters.
    Set(Vec<char>),
    /// One of these sequences.
    Alt(Vec<Vec<(Node, u64, u64)>>),
}

/// A string matching `pattern`, or `None` when it uses what this subset does not read.
pub(crate) fn sample(pattern: &str, draw: &mut Draw) -> Option<String> {
    if pattern.len() > MAX_PATTERN {
        return None;
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut pos = 0;
    let seq = alternatives(&chars, &mut pos, 0)?;
    if pos != chars.len() {
        return None;
    }
    let mut out = String::new();
    emit(&seq, draw, &mut out);
    (out.len() <= MAX_SAMPLE).then_some(out)
}

fn alternatives(c: &[char], pos: &mut usize, depth: usize) -> Option<Node> {
    if depth > 16 {
        return None;
    }
    let mut alts = vec![Vec::new()];
    while *pos < c.len() {
        let atom = match c[*pos] {
            '|' => {
                *pos += 1;
                alts.push(Vec::new());
                continue;
            }
            ')' => break,
            '^' | '$' => {
                *pos += 1;
                continue;
            }
            '(' => {
                *pos += 1;
                if c.get(*pos) == Some(&'?') {
                    if c.get(*pos + 1) != Some(&':') {
                        return None;
                    }
                    *pos += 2;
                }
                let inner = alternatives(c, pos, depth + 1)?;
                if c.get(*pos) != Some(&')') {
                    return None;
                }
                *pos += 1;
                inner
            }
            '[' => class(c, pos)?,
            '\\' => {
                *pos += 1;
                let e = *c.get(*pos)?;
                *pos += 1;
                escape(e)?
            }
            '.' => {
                *pos += 1;
                Node::Set(('a'..='z').collect())
            }
            '*' | '+' | '?' | '{' | ']' | '}' => return None,
            ch => {
                *pos += 1;
                Node::Set(vec![ch])
            }
        };
        let (lo, hi) = quantifier(c, pos)?;
        alts.last_mut()?.push((atom, lo, hi));
    }
    Some(Node::Alt(alts))
}

fn quantifier(c: &[char], pos: &mut usize) -> Option<(u64, u64)> {
    let q = match c.get(*pos) {
        Some('?') => (0, 1),
        Some('*') => (0, OPEN_REPEAT),
        Some('+') => (1, OPEN_REPEAT),
        Some('{') => {
            let end = c[*pos..].iter().position(|&x| x == '}')? + *pos;
            let inside: String = c[*pos + 1..end].iter().collect();
            let (lo, hi) = match inside.split_once(',') {
                Some((a, "")) => {
                    let a: u64 = a.trim().parse().ok()?;
                    (a, a + OPEN_REPEAT)
                }
                Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
                None => {
                    let n: u64 = inside.trim().parse().ok()?;
                    (n, n)
                }
            };
            if hi < lo || hi > 1000 {
                return None;
            }
            *pos = end + 1;
            return Some((lo, hi));
        }
        _ => return Some((1, 1)),
    };
    *pos += 1;
    Some(q)
}

fn escape(e: char) -> Option<Node> {
    Some(Node::Set(match e {
        'd' => ('0'..='9').collect(),
        'w' => ('a'..='z').chain('0'..='9').collect(),
        's' => vec![' '],
        'D' | 'W' | 'S' | 'b' | 'B' => return None,
        other if other.is_ascii_alphanumeric() => return None,
        other => vec![other],
    }))
}

fn class(c: &[char], pos: &mut usize) -> Option<Node> {
    *pos += 1;
    if c.get(*pos) == Some(&'^') {
        return None;
    }
    let mut set = Vec::new();
    while *pos < c.len() && c[*pos] != ']' {
        let mut ch = c[*pos];
        if ch == '\\' {
            *pos += 1;
            match escape(*c.get(*pos)?)? {
                Node::Set(s) => set.extend(s),
                Node::Alt(_) => return None,
            }
            *pos += 1;
            continue;
        }
        *pos += 1;
        if c.get(*pos) == Some(&'-') && c.get(*pos + 1).is_some_and(|&n| n != ']') {
            let end = c[*pos + 1];
            *pos += 2;
            if end < ch {
                return None;
            }
            set.extend(ch..=end);
            continue;
        }
        if ch == '-' {
            ch = '-';
        }
        set.push(ch);
    }
    if c.get(*pos) != Some(&']') || set.is_empty() {
        return None;
    }
    *pos += 1;
    Some(Node::Set(set))
}

fn emit(node: &Node, draw: &mut Draw, out: &mut String) {
    match node {
        Node::Set(s) => out.push(s[draw.below(s.len() as u64) as usize]),
        Node::Alt(alts) => {
            let seq = &alts[draw.below(alts.len() as u64) as usize];
            for (atom, lo, hi) in seq {
                let n = lo + draw.below(hi - lo + 1);
                for _ in 0..n {
                    if out.len() > MAX_SAMPLE {
                        return;
                    }
                    emit(atom, draw, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str) {
        let schema = serde_json::json!({"type": "string", "pattern": pattern});
        let v = contracts::checker::compile(&schema, "t").unwrap();
        for i in 0..40 {
            let s = sample(pattern, &mut Draw::new(3, i, "p")).unwrap();
            assert!(v.is_valid(&serde_json::json!(s)), "{s} !~ {pattern}");
        }
    }

    #[test]
    fn the_patterns_of_the_publisher_documents_are_matched() {
        matches("^[SR][0-9]{3}$");
        matches("^[0-9]{5}(?:[0-9]{2}|2[AaBb])[0-9]{6}(?:[0-9]{2})?$");
        matches("^R[0-9]{3}$");
        matches(r"^\d{2}\.\d+-[A-Z_]{1,4}$");
        matches("^(OUI|NON)?$");
    }

    #[test]
    fn what_the_subset_does_not_read_gives_none() {
        for p in [
            "[^a]",
            r"\bx",
            "(?=a)",
            "a{2",
            "*a",
            "a{5,2}",
            "((a{1000}){1000}){1000}",
        ] {
            assert!(sample(p, &mut Draw::new(1, 1, "p")).is_none(), "{p}");
        }
    }
}
