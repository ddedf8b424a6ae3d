//! Data generated from a contract's JSON Schema, for an imported API that has no simulator
//! of its own: deterministic for a draw (seed and request), valid against the schema it was
//! drawn from (its required fields, types, enums, formats, bounds, patterns), plausible (the
//! document's own examples of a field when they fit, dates that are dates, French words).
//!
//! Bounded: a recursive schema is cut at [`MAX_DEPTH`] (only required members below it), an
//! array holds at most [`MAX_ITEMS`] items, a string at most [`MAX_STRING`] characters; a
//! contract's `minItems` / `minLength` are honoured up to [`MAX_DEMANDED`] (a folder is
//! outside input: a contract asking for more gets that many, and fails its own check).

use serde_json::{Map, Number, Value};

use crate::population::rng::Draw;

/// Below this depth, objects carry their required members only, arrays their minimum.
pub(crate) const MAX_DEPTH: usize = 12;
/// The most items a generated array holds (its `minItems` permitting).
pub(crate) const MAX_ITEMS: u64 = 3;
/// The longest generated string.
pub(crate) const MAX_STRING: usize = 200;
/// The most items or characters a contract's minimum can demand.
pub(crate) const MAX_DEMANDED: u64 = 1_000;

const WORDS: &[&str] = &[
    "accompagnement",
    "emploi",
    "formation",
    "mobilite",
    "projet",
    "rendez-vous",
    "conseiller",
    "agence",
    "parcours",
    "orientation",
    "competence",
    "metier",
];

/// Generates a value of `schema` (a node of `root`, which holds its `$defs`). A member named
/// like a parameter of the request (`idRendezVous` asked in the path) takes its value when
/// the member's schema accepts it: the answer speaks of what was asked.
pub(crate) fn value(
    root: &Value,
    schema: &Value,
    draw: &mut Draw,
    echo: &[(String, String)],
) -> Value {
    Generator { root, draw, echo }.node(schema, 0)
}

struct Generator<'a, 'd> {
    root: &'a Value,
    draw: &'d mut Draw,
    echo: &'d [(String, String)],
}

impl<'a> Generator<'a, '_> {
    fn node(&mut self, schema: &'a Value, depth: usize) -> Value {
        let Some(obj) = schema.as_object() else {
            // `true`, or a schema we cannot read: any value does.
            return Value::String(self.word());
        };
        if let Some(target) = obj.get("$ref").and_then(Value::as_str) {
            return match self.resolve(target) {
                Some(t) if depth < 2 * MAX_DEPTH => self.node(t, depth + 1),
                _ => Value::Null,
            };
        }
        if let Some(c) = obj.get("const") {
            return c.clone();
        }
        if let Some(Value::Array(values)) = obj.get("enum") {
            let non_null: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
            if non_null.is_empty() {
                return Value::Null;
            }
            return non_null[self.draw.below(non_null.len() as u64) as usize].clone();
        }
        if let Some(Value::Array(parts)) = obj.get("allOf") {
            return self.all_of(obj, parts, depth);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(options)) = obj.get(key) {
                let chosen = options
                    .iter()
                    .find(|o| !is_null_only(o))
                    .or(options.first());
                if let Some(o) = chosen {
                    return self.node(o, depth + 1);
                }
            }
        }
        if let Some(example) = self.fitting_example(obj, schema) {
            return example;
        }
        match type_of(obj).as_str() {
            "null" => Value::Null,
            "boolean" => Value::Bool(self.draw.below(2) == 1),
            "integer" => Value::Number(Number::from(self.integer(obj))),
            "number" => self.number(obj),
            "array" => self.array(obj, depth),
            "object" => Value::Object(self.object(obj, depth)),
            _ => Value::String(self.string(obj)),
        }
    }

    /// `#/$defs/Name` (or any JSON pointer into the root).
    fn resolve(&self, target: &str) -> Option<&'a Value> {
        self.root.pointer(target.strip_prefix('#')?)
    }

    /// The members of every part, merged into one object (or the first part's value).
    fn all_of(&mut self, obj: &'a Map<String, Value>, parts: &'a [Value], depth: usize) -> Value {
        let mut merged = Map::new();
        let mut other = None;
        for part in parts {
            match self.node(part, depth + 1) {
                Value::Object(m) => merged.extend(m),
                v => other = other.or(Some(v)),
            }
        }
        if obj.contains_key("properties") {
            merged.extend(self.object(obj, depth));
        }
        match other {
            Some(v) if merged.is_empty() => v,
            _ => Value::Object(merged),
        }
    }

    /// One of the document's examples of a scalar field, when it is valid against the field.
    fn fitting_example(&mut self, obj: &Map<String, Value>, schema: &Value) -> Option<Value> {
        let examples = obj.get("examples")?.as_array()?;
        let scalars: Vec<&Value> = examples
            .iter()
            .filter(|e| e.is_string() || e.is_number() || e.is_boolean())
            .collect();
        if scalars.is_empty() || obj.contains_key("properties") || obj.contains_key("items") {
            return None;
        }
        // Where the generator draws values of its own (a pattern, a format), the example is
        // served one time in two: identifiers and dates vary, labels stay the document's.
        if (obj.contains_key("pattern") || obj.contains_key("format")) && self.draw.below(2) == 0 {
            return None;
        }
        let validator = contracts::checker::compile(schema, "example").ok()?;
        let start = self.draw.below(scalars.len() as u64) as usize;
        (0..scalars.len())
            .map(|i| scalars[(start + i) % scalars.len()])
            .find(|e| validator.is_valid(e))
            .cloned()
    }

    fn integer(&mut self, obj: &Map<String, Value>) -> i64 {
        let (lo, hi) = bounds(obj, 0.0, 100.0);
        let (lo, hi) = (lo.ceil() as i64, hi.floor() as i64);
        if hi <= lo {
            return lo;
        }
        self.draw.range(lo, hi)
    }

    fn number(&mut self, obj: &Map<String, Value>) -> Value {
        let (lo, hi) = bounds(obj, 0.0, 1000.0);
        let x = lo + (hi - lo) * (self.draw.below(10_001) as f64 / 10_000.0);
        let x = (x * 100.0).round() / 100.0;
        let x = if x < lo || x > hi { lo } else { x };
        Number::from_f64(x).map_or(Value::Null, Value::Number)
    }

    fn array(&mut self, obj: &'a Map<String, Value>, depth: usize) -> Value {
        let min = obj
            .get("minItems")
            .and_then(Value::as_u64)
            .unwrap_or(0)
            .min(MAX_DEMANDED);
        let max = obj
            .get("maxItems")
            .and_then(Value::as_u64)
            .unwrap_or(MAX_ITEMS)
            .min(MAX_ITEMS.max(min));
        let wanted = if depth >= MAX_DEPTH {
            min
        } else {
            (1 + self.draw.below(2)).clamp(min, max.max(min))
        };
        let unique = obj.get("uniqueItems").and_then(Value::as_bool) == Some(true);
        let items = obj.get("items").unwrap_or(&Value::Bool(true));
        let mut out: Vec<Value> = Vec::new();
        let mut tries = 0;
        while (out.len() as u64) < wanted && tries < 4 * wanted + 4 {
            tries += 1;
            let v = self.node(items, depth + 1);
            if unique && out.contains(&v) {
                continue;
            }
            out.push(v);
        }
        Value::Array(out)
    }

    fn object(&mut self, obj: &'a Map<String, Value>, depth: usize) -> Map<String, Value> {
        let required: Vec<&str> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = Map::new();
        if let Some(Value::Object(props)) = obj.get("properties") {
            for (name, sub) in props {
                if depth >= MAX_DEPTH && !required.contains(&name.as_str()) {
                    continue;
                }
                let echoed = self
                    .echo
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| Value::String(v.clone()))
                    .filter(|v| {
                        contracts::checker::compile(sub, name).is_ok_and(|c| c.is_valid(v))
                    });
                let v = match echoed {
                    Some(v) => v,
                    None => self.node(sub, depth + 1),
                };
                out.insert(name.clone(), v);
            }
        }
        for name in required {
            if !out.contains_key(name) {
                out.insert(name.to_string(), Value::String(self.word()));
            }
        }
        out
    }

    fn string(&mut self, obj: &Map<String, Value>) -> String {
        let min = obj
            .get("minLength")
            .and_then(Value::as_u64)
            .unwrap_or(0)
            .min(MAX_DEMANDED) as usize;
        let max = obj
            .get("maxLength")
            .and_then(Value::as_u64)
            .map_or(MAX_STRING, |m| m as usize)
            .min(MAX_STRING.max(min));
        let text = match obj.get("format").and_then(Value::as_str) {
            Some("date") => self.date(),
            Some("date-time") => format!(
                "{}T{:02}:{:02}:00Z",
                self.date(),
                8 + self.draw.below(10),
                self.draw.below(60)
            ),
            Some("time") => format!(
                "{:02}:{:02}:00",
                8 + self.draw.below(10),
                self.draw.below(60)
            ),
            Some("uuid") => self.draw.uuid(),
            Some("email") => format!("{}@example.fr", self.word()),
            Some("uri" | "url") => format!("https://example.fr/{}", self.word()),
            _ => match obj.get("pattern").and_then(Value::as_str) {
                Some(p) => crate::api::imported::pattern::sample(p, self.draw)
                    .unwrap_or_else(|| self.word()),
                None => self.word(),
            },
        };
        fit_length(text, min, max)
    }

    fn date(&mut self) -> String {
        format!(
            "{}-{:02}-{:02}",
            2015 + self.draw.below(11),
            1 + self.draw.below(12),
            1 + self.draw.below(28)
        )
    }

    fn word(&mut self) -> String {
        WORDS[self.draw.below(WORDS.len() as u64) as usize].to_string()
    }
}

/// The type a node describes: its `type` (the first that is not null), else what its
/// keywords imply.
fn type_of(obj: &Map<String, Value>) -> String {
    match obj.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .or_else(|| ts.first().and_then(Value::as_str))
            .unwrap_or("string")
            .to_string(),
        _ if obj.contains_key("properties") || obj.contains_key("required") => "object".into(),
        _ if obj.contains_key("items") => "array".into(),
        _ => "string".into(),
    }
}

fn is_null_only(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
}

/// `[minimum, maximum]` of a number, exclusive bounds made inclusive by a small step.
fn bounds(obj: &Map<String, Value>, lo: f64, hi: f64) -> (f64, f64) {
    let get = |k: &str| obj.get(k).and_then(Value::as_f64);
    let min = get("minimum").or(get("exclusiveMinimum").map(|m| m + 1.0));
    let max = get("maximum").or(get("exclusiveMaximum").map(|m| m - 1.0));
    let lo = min.unwrap_or(lo.max(max.map_or(lo, |m| m - (hi - lo))));
    let hi = max.unwrap_or(hi).min(lo + 1_000_000.0).max(lo);
    (lo, hi)
}

/// Pads with `x` or cuts a string to `[min, max]` characters.
fn fit_length(text: String, min: usize, max: usize) -> String {
    let mut out: String = text.chars().take(max.max(min)).collect();
    let short = min.saturating_sub(out.chars().count());
    out.extend(std::iter::repeat_n('x', short));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn valid(schema: &Value) {
        let validator = contracts::checker::compile(schema, "test").unwrap();
        for i in 0..50 {
            let mut d = Draw::new(7, i, "t");
            let v = value(schema, schema, &mut d, &[]);
            assert!(validator.is_valid(&v), "{v} against {schema}");
        }
    }

    #[test]
    fn every_keyword_the_contracts_use_gives_a_valid_value() {
        valid(
            &json!({"type": "object", "required": ["a", "b", "c"], "properties": {
                "a": {"type": "string", "format": "date"},
                "b": {"type": ["integer", "null"], "minimum": 1, "maximum": 36},
                "c": {"type": "array", "minItems": 1, "maxItems": 1, "items": {"type": "string", "enum": ["X", "Y"]}},
                "d": {"type": "string", "format": "date-time"},
                "e": {"type": "string", "pattern": "^[SR][0-9]{3}$"},
                "f": {"type": "string", "minLength": 1, "examples": ["LICENCIEMENT ECONOMIQUE"]},
                "g": {"type": "number", "format": "double"},
                "h": {"type": "boolean"},
                "i": {"allOf": [{"type": "object", "properties": {"x": {"type": "integer"}}}, {"required": ["y"]}]},
                "j": {"oneOf": [{"type": "null"}, {"type": "string", "maxLength": 3}]},
            }}),
        );
    }

    #[test]
    fn what_a_contract_demands_is_bounded() {
        let schema = json!({"type": "array", "minItems": 1_000_000_000u64,
            "items": {"type": "string", "minLength": 1_000_000_000u64, "pattern": "^(a{1000}){1000}$"}});
        let v = value(&schema, &schema, &mut Draw::new(1, 1, "x"), &[]);
        let items = v.as_array().unwrap();
        assert_eq!(items.len() as u64, MAX_DEMANDED);
        assert!(
            items
                .iter()
                .all(|s| s.as_str().unwrap().len() as u64 == MAX_DEMANDED)
        );
    }

    #[test]
    fn a_recursive_schema_ends() {
        valid(&json!({"$defs": {"n": {"type": "object", "properties": {
            "name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/$defs/n"}}}}},
            "$ref": "#/$defs/n"}));
    }

    #[test]
    fn the_same_draw_gives_the_same_value_and_another_gives_another() {
        let schema = json!({"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}});
        let one = value(&schema, &schema, &mut Draw::new(1, 2, "x"), &[]);
        let again = value(&schema, &schema, &mut Draw::new(1, 2, "x"), &[]);
        let other = value(&schema, &schema, &mut Draw::new(1, 3, "x"), &[]);
        assert_eq!(one, again);
        assert_ne!(one, other);
    }

    #[test]
    fn a_member_named_like_a_parameter_echoes_it_when_valid() {
        let schema = json!({"type": "object", "properties": {
            "idRendezVous": {"type": "string", "pattern": "^RDV[0-9]{8}$"}}});
        let asked = [("idRendezVous".to_string(), "RDV99999999".to_string())];
        let v = value(&schema, &schema, &mut Draw::new(1, 1, "x"), &asked);
        assert_eq!(v["idRendezVous"], "RDV99999999");
        let wrong = [("idRendezVous".to_string(), "nope".to_string())];
        let v = value(&schema, &schema, &mut Draw::new(1, 1, "x"), &wrong);
        assert_ne!(v["idRendezVous"], "nope");
    }

    #[test]
    fn a_fitting_example_is_preferred_and_an_unfitting_one_never_served() {
        let schema = json!({"type": "string", "enum": ["A", "B"], "examples": ["A"]});
        for i in 0..10 {
            let v = value(&schema, &schema, &mut Draw::new(1, i, "x"), &[]);
            assert!(v == "A" || v == "B");
        }
        let schema = json!({"type": "string", "format": "date", "examples": ["28/06/2012"]});
        let v = value(&schema, &schema, &mut Draw::new(1, 1, "x"), &[]);
        assert_ne!(v, "28/06/2012");
    }
}
