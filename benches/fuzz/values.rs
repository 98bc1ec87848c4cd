//! Argument values the generator draws on: mostly plausible, often hostile (extreme numbers,
//! very long and NUL-bearing strings, LIKE wildcards, forged cursors and IDs, malformed dates),
//! written either as a GraphQL literal or as a JSON variable.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

/// A value before it is written out.
#[derive(Clone, Debug)]
pub enum Val {
    Null,
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    Enum(String),
    List(Vec<Val>),
    Obj(Vec<(String, Val)>),
}

impl Val {
    /// The value as a GraphQL literal.
    pub fn literal(&self, out: &mut String) {
        match self {
            Val::Null => out.push_str("null"),
            Val::Int(n) => out.push_str(&n.to_string()),
            Val::Float(f) => out.push_str(&format!("{f:?}")),
            // JSON's string escapes are a subset of GraphQL's, `\u0000` included.
            Val::Str(s) => out.push_str(&Value::String(s.clone()).to_string()),
            Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Val::Enum(e) => out.push_str(e),
            Val::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.literal(out);
                }
                out.push(']');
            }
            Val::Obj(fields) => {
                out.push('{');
                for (i, (name, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(name);
                    out.push_str(": ");
                    value.literal(out);
                }
                out.push('}');
            }
        }
    }

    /// The value as a JSON variable (an enum value is its name, as a string).
    pub fn json(&self) -> Value {
        match self {
            Val::Null => Value::Null,
            Val::Int(n) => json!(n),
            Val::Float(f) => json!(f),
            Val::Str(s) | Val::Enum(s) => json!(s),
            Val::Bool(b) => json!(b),
            Val::List(items) => Value::Array(items.iter().map(Val::json).collect()),
            Val::Obj(fields) => {
                Value::Object(fields.iter().map(|(k, v)| (k.clone(), v.json())).collect())
            }
        }
    }
}

/// Real values read from the server at start: IDs, cursors, words of titles, country codes.
#[derive(Clone, Debug, Default)]
pub struct Pools {
    pub ids: Vec<String>,
    pub cursors: Vec<String>,
    pub words: Vec<String>,
    pub countries: Vec<String>,
}

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> Option<&'a T> {
    (!items.is_empty()).then(|| &items[rng.usize(..items.len())])
}

const NASTY: &[&str] = &[
    "",
    " ",
    "a",
    "%",
    "_",
    "\\",
    "%_%",
    "a%b_c",
    "\\%",
    "100%",
    "\u{0}",
    "a\u{0}b",
    "ประเทศไทย",
    "Việt Nam",
    "缅甸妙瓦底",
    "🙂🙂🙂",
    "\u{202e}evil",
    "' OR 1=1 --",
    "\"; DROP TABLE event; --",
    "\n\t\r",
    "2025-1-1",
    "null",
    "$var",
    "...",
];

/// A string for no argument in particular.
pub fn string(rng: &mut fastrand::Rng, pools: &Pools) -> String {
    match rng.u8(..20) {
        0..=5 => pick(rng, &pools.words).cloned().unwrap_or_default(),
        6..=14 => NASTY[rng.usize(..NASTY.len())].to_string(),
        15 => "x".repeat(rng.usize(1_000..20_000)),
        16 => {
            let n = rng.usize(10..300);
            words(rng, pools, n)
        }
        17 => (0..rng.usize(1..40))
            .map(|_| char::from_u32(rng.u32(1..0x2_FFFF)).unwrap_or('?'))
            .collect(),
        _ => format!(
            "{}{}",
            pick(rng, &pools.words).cloned().unwrap_or_default(),
            NASTY[rng.usize(..NASTY.len())]
        ),
    }
}

/// `n` words, real ones where the pools have them.
pub fn words(rng: &mut fastrand::Rng, pools: &Pools, n: usize) -> String {
    (0..n)
        .map(|_| {
            pick(rng, &pools.words)
                .cloned()
                .unwrap_or_else(|| "a".into())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A search string: mostly a few real words, at times very many.
pub fn search(rng: &mut fastrand::Rng, pools: &Pools) -> String {
    match rng.u8(..20) {
        0..=9 => {
            let n = rng.usize(1..4);
            words(rng, pools, n)
        }
        10 => {
            let n = rng.usize(100..1_000);
            words(rng, pools, n)
        }
        _ => string(rng, pools),
    }
}

/// A country code: real, lower-case, unknown, malformed.
pub fn country(rng: &mut fastrand::Rng, pools: &Pools) -> String {
    match rng.u8(..10) {
        0..=4 => pick(rng, &pools.countries).cloned().unwrap_or("KH".into()),
        5 => pick(rng, &pools.countries)
            .map(|c| c.to_lowercase())
            .unwrap_or_default(),
        6 => "XX".into(),
        7 => "KHM".into(),
        _ => string(rng, pools),
    }
}

/// A date: valid, or one of the malformed spellings issue 9 names, and more.
pub fn date(rng: &mut fastrand::Rng) -> Val {
    const BAD: &[&str] = &[
        "2025-1-1",
        " 2025-01-01",
        "2025-01-01 ",
        "+99999-01-01",
        "0000-01-01",
        "-0001-01-01",
        "2025-02-30",
        "2025-13-01",
        "20250101",
        "2025/01/01",
        "",
        "yesterday",
        "2025-01-01T00:00:00Z",
        "2025-01-01\u{0}",
        "99999999-01-01",
    ];
    match rng.u8(..10) {
        0..=4 => Val::Str(format!(
            "{:04}-{:02}-{:02}",
            rng.i32(2005..2027),
            rng.u8(1..13),
            rng.u8(1..29)
        )),
        5 => Val::Int(20250101),
        _ => Val::Str(BAD[rng.usize(..BAD.len())].to_string()),
    }
}

/// An `Int`: for page sizes mostly in range, otherwise the edges of every range; when `valid`,
/// always a 32-bit integer.
pub fn int(rng: &mut fastrand::Rng, page_size: bool, valid: bool) -> Val {
    if page_size && rng.u8(..10) < 7 {
        return Val::Int(rng.i64(0..=100));
    }
    const EDGES: &[i64] = &[
        -1,
        0,
        1,
        101,
        1000,
        i32::MAX as i64,
        i32::MIN as i64,
        1 << 31,
        1 << 53,
        -(1 << 40),
    ];
    match rng.u8(..10) {
        0..=6 if valid => Val::Int(EDGES[rng.usize(..7)]),
        0..=6 => Val::Int(EDGES[rng.usize(..EDGES.len())]),
        7 | 8 if valid => Val::Int(rng.i64(-5..200)),
        7 => Val::Float(1.5),
        8 => Val::Str("5".into()),
        _ => Val::Int(rng.i64(-1000..1000)),
    }
}

fn b64(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text)
}

/// A global ID: real, of the wrong type, with a forged key, or not an ID at all.
pub fn id(rng: &mut fastrand::Rng, pools: &Pools) -> String {
    match rng.u8(..16) {
        0..=6 => pick(rng, &pools.ids).cloned().unwrap_or_default(),
        7 => b64("Event:-1"),
        8 => b64("Event:99999999999"),
        9 => b64(&format!("Country:{}", "X".repeat(rng.usize(0..5)))),
        10 => b64(&format!("Nope:{}", rng.u32(..))),
        11 => b64(&format!("Event:{}", NASTY[rng.usize(..NASTY.len())])),
        12 => b64(":"),
        13 => URL_SAFE_NO_PAD.encode(
            (0..rng.usize(0..64))
                .map(|_| rng.u8(..))
                .collect::<Vec<_>>(),
        ),
        14 => "!!not base64!!".into(),
        _ => string(rng, pools),
    }
}

/// A cursor whose position holds a key of another type than its ordering's, or other forged
/// contents, built from a real cursor (`{"o": ordering, "key": {...}, "id": n}` in base64).
pub fn forged_cursor(rng: &mut fastrand::Rng, real: &str) -> String {
    let mut data: Value = URL_SAFE_NO_PAD
        .decode(real)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_else(|| json!({ "o": "date_desc" }));
    let keys = [
        json!({ "Int": 20250101 }),
        json!({ "Int": i64::MAX }),
        json!({ "Text": "2025-01-01" }),
        json!({ "Text": "\u{0}" }),
        json!({ "Date": "2025-01-01" }),
        json!({ "Date": "+99999-01-01" }),
        json!("Null"),
        json!({ "Float": 1.5 }),
        json!(null),
        json!([1, 2]),
    ];
    let ids = [
        json!(0),
        json!(-1),
        json!(i64::MAX),
        json!("7"),
        json!(null),
    ];
    if let Value::Object(map) = &mut data {
        match rng.u8(..4) {
            0 => {
                map.insert("id".into(), ids[rng.usize(..ids.len())].clone());
            }
            1 => {
                map.insert("o".into(), json!(NASTY[rng.usize(..NASTY.len())]));
            }
            _ => {
                map.insert("key".into(), keys[rng.usize(..keys.len())].clone());
            }
        }
    }
    b64(&data.to_string())
}

/// A cursor: real, forged, random, very long.
pub fn cursor(rng: &mut fastrand::Rng, pools: &Pools) -> String {
    match rng.u8(..10) {
        0..=3 => pick(rng, &pools.cursors).cloned().unwrap_or_default(),
        4 | 5 => {
            let real = pick(rng, &pools.cursors).cloned().unwrap_or_default();
            forged_cursor(rng, &real)
        }
        6 => URL_SAFE_NO_PAD.encode(
            (0..rng.usize(0..48))
                .map(|_| rng.u8(..))
                .collect::<Vec<_>>(),
        ),
        7 => b64(&format!("{{\"o\":\"x\",\"junk\":{}}}", rng.u32(..))),
        8 => "A".repeat(rng.usize(1_000..100_000)),
        _ => id(rng, pools),
    }
}
