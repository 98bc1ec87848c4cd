//! Random GraphQL documents from the schema, deterministic per seed: field selections with
//! random arguments, aliases, named and inline fragments (nested spreads included), variables
//! (declared right, wrongly, missing, null), `@include`/`@skip`, deep nesting and many aliases;
//! and, a few times in a hundred, documents broken on purpose (syntax, fragment bombs).

use super::schema::{Kind, Schema, named};
use super::values::{self, Pools, Val};
use async_graphql::parser::types::{BaseType, Type};
use serde_json::{Map, Value};

/// A generated request: its document, variables and operation name.
pub struct Doc {
    pub kind: &'static str,
    pub query: String,
    pub variables: Map<String, Value>,
    pub operation_name: Option<String>,
}

/// Generates documents from one seed.
pub struct Generator<'a> {
    schema: &'a Schema,
    pools: &'a Pools,
    rng: fastrand::Rng,
    /// Percent of arguments passed as variables in the current document.
    variable_rate: u8,
    /// Whether the current document keeps to the schema (half do): hostile values, but no
    /// unknown fields, missing arguments or values of the wrong type, so it gets past
    /// validation and reaches the resolvers and the database.
    clean: bool,
}

/// What one document under construction has declared so far.
#[derive(Default)]
struct Build {
    variables: Vec<(String, String)>,
    values: Map<String, Value>,
    fragments: Vec<String>,
    fields: usize,
}

/// Documents stop growing past this many fields: the point is variety, not size.
const FIELD_BUDGET: usize = 200;

impl<'a> Generator<'a> {
    pub fn new(schema: &'a Schema, pools: &'a Pools, seed: u64) -> Self {
        Generator {
            schema,
            pools,
            rng: fastrand::Rng::with_seed(seed),
            variable_rate: 15,
            clean: false,
        }
    }

    /// The next document.
    pub fn document(&mut self) -> Doc {
        let mut b = Build::default();
        let root = self.schema.query.clone();
        let mode = self.rng.u8(..100);
        self.variable_rate = if mode >= 88 { 70 } else { 15 };
        self.clean = self.rng.bool();
        let (kind, body) = match mode {
            0..=69 => {
                let depth = self.rng.usize(1..5);
                ("selection", self.selection(&mut b, &root, 0, depth))
            }
            70..=77 => ("aliases", self.many_aliases(&mut b, &root)),
            78..=82 => ("fragment-bomb", self.fragment_bomb(&mut b)),
            83..=87 => ("deep", self.deep(&mut b)),
            _ => {
                let depth = self.rng.usize(1..4);
                ("variables", self.selection(&mut b, &root, 0, depth))
            }
        };
        let name = self.rng.bool().then(|| format!("Op{}", self.rng.u16(..)));
        let mut query = String::new();
        let header = match (&name, b.variables.is_empty()) {
            (None, true) if self.rng.bool() => String::new(),
            (name, _) => {
                let vars: Vec<String> = b
                    .variables
                    .iter()
                    .map(|(n, t)| format!("${n}: {t}"))
                    .collect();
                let vars = if vars.is_empty() {
                    String::new()
                } else {
                    format!("({})", vars.join(", "))
                };
                format!("query {}{vars} ", name.as_deref().unwrap_or_default())
            }
        };
        query.push_str(&header);
        query.push_str(&body);
        for fragment in &b.fragments {
            query.push('\n');
            query.push_str(fragment);
        }
        let mut operation_name = name.filter(|_| self.rng.u8(..4) > 0);
        if self.rng.u8(..30) == 0 {
            // A second operation: the request must then say which one it means.
            query.push_str("\nquery Other { __typename }");
            operation_name =
                [None, Some("Other".into()), Some("Missing".into())][self.rng.usize(..3)].clone();
        }
        let kind = if self.dirty(20) {
            self.break_syntax(&mut query);
            "syntax"
        } else {
            kind
        };
        Doc {
            kind,
            query,
            variables: b.values,
            operation_name,
        }
    }

    /// One time in `n`, in a document that need not keep to the schema.
    fn dirty(&mut self, n: u8) -> bool {
        !self.clean && self.rng.u8(..n) == 0
    }

    /// A selection set on `type_name`.
    fn selection(&mut self, b: &mut Build, type_name: &str, depth: usize, max: usize) -> String {
        let fields = self.schema.fields(type_name).to_vec();
        let possible = self.schema.possible(type_name);
        let mut items = Vec::new();
        let mut used = Vec::new();
        let n = if depth > 4 { 1 } else { self.rng.usize(1..5) };
        for _ in 0..n {
            if b.fields > FIELD_BUDGET {
                break;
            }
            b.fields += 1;
            match self.rng.u8(..100) {
                0..=7 => items.push("__typename".to_string()),
                8..=15 if !possible.is_empty() => {
                    let on = possible[self.rng.usize(..possible.len())].clone();
                    let inner = self.selection(b, &on, depth + 1, max);
                    let directive = self.directive(b);
                    items.push(format!("... on {on}{directive} {inner}"));
                }
                16..=23 if !possible.is_empty() => {
                    let on = possible[self.rng.usize(..possible.len())].clone();
                    let name = format!("F{}", b.fragments.len());
                    // Reserve the name first: the body may itself spread fragments.
                    b.fragments.push(String::new());
                    let index = b.fragments.len() - 1;
                    let inner = self.selection(b, &on, depth + 1, max);
                    b.fragments[index] = format!("fragment {name} on {on} {inner}");
                    items.push(format!("...{name}{}", self.directive(b)));
                }
                24 if !self.clean && !b.fragments.is_empty() => {
                    // A spread of an earlier fragment: maybe on the wrong type, maybe a cycle.
                    let i = self.rng.usize(..b.fragments.len());
                    items.push(format!("...F{i}"));
                }
                25 if !self.clean => items.push("...Undefined".to_string()),
                26 if !self.clean => items.push(format!("noSuchField{}", self.rng.u8(..))),
                _ if fields.is_empty() => items.push("__typename".to_string()),
                _ => {
                    let field = fields[self.rng.usize(..fields.len())].clone();
                    if self.clean && used.contains(&field.name) {
                        // The same field twice with other arguments would conflict.
                        continue;
                    }
                    used.push(field.name.clone());
                    let alias = if self.rng.u8(..7) == 0 {
                        format!("a{}: ", self.rng.u16(..))
                    } else {
                        String::new()
                    };
                    let args = self.arguments(b, &field.args);
                    let directive = self.directive(b);
                    let inner_type = named(&field.ty).to_string();
                    let sub = if self.schema.is_composite(&inner_type) {
                        if self.dirty(50) {
                            String::new() // a composite without a selection: invalid
                        } else if depth + 1 >= max {
                            " { __typename }".to_string()
                        } else {
                            format!(" {}", self.selection(b, &inner_type, depth + 1, max))
                        }
                    } else if self.dirty(50) {
                        " { length }".to_string() // a selection on a scalar: invalid
                    } else {
                        String::new()
                    };
                    items.push(format!("{alias}{}{args}{directive}{sub}", field.name));
                }
            }
        }
        if items.is_empty() {
            items.push("__typename".into());
        }
        format!("{{ {} }}", items.join(" "))
    }

    /// Arguments for a field: required ones almost always, others at times, unknown ones rarely.
    fn arguments(&mut self, b: &mut Build, args: &[super::schema::Input]) -> String {
        let mut out = Vec::new();
        for arg in args {
            let required = !arg.ty.nullable && !arg.has_default;
            let wanted = if required {
                !self.dirty(40)
            } else {
                self.rng.u8(..10) < 4
            };
            if !wanted {
                continue;
            }
            let text = if self.rng.u8(..100) < self.variable_rate {
                self.variable(b, &arg.ty, &arg.name)
            } else {
                let mut text = String::new();
                self.value(&arg.ty, &arg.name, 0).literal(&mut text);
                text
            };
            out.push(format!("{}: {text}", arg.name));
        }
        if self.dirty(50) {
            out.push("bogus: 1".into());
        }
        if out.is_empty() {
            String::new()
        } else {
            format!("({})", out.join(", "))
        }
    }

    /// `$vN`, declared with the argument's type or a wrong one, given a value, null, a value of
    /// another type, or nothing; now and then an undeclared variable.
    fn variable(&mut self, b: &mut Build, ty: &Type, arg: &str) -> String {
        if self.dirty(30) {
            return "$undeclared".into();
        }
        let wrong = self.dirty(3);
        let name = format!("v{}", b.variables.len());
        let declared = match self.rng.u8(..10) {
            _ if !wrong => ty.to_string(),
            0 => {
                let mut t = ty.clone();
                t.nullable = !t.nullable;
                t.to_string()
            }
            1 => ["Int", "String!", "[Int]", "Boolean!", "EventFilter", "Nope"]
                [self.rng.usize(..6)]
            .to_string(),
            _ => ty.to_string(),
        };
        let value = match self.rng.u8(..10) {
            _ if !wrong => Some(self.value(ty, arg, 0).json()),
            0 => None,
            1 => Some(Value::Null),
            2 => Some(values::int(&mut self.rng, false, false).json()),
            _ => Some(self.value(ty, arg, 0).json()),
        };
        if let Some(value) = value {
            b.values.insert(name.clone(), value);
        }
        b.variables.push((name.clone(), declared));
        format!("${name}")
    }

    /// `@include`/`@skip` now and then, literal or by variable.
    fn directive(&mut self, b: &mut Build) -> String {
        match self.rng.u8(..25) {
            0 => " @include(if: true)".into(),
            1 => " @skip(if: false)".into(),
            2 => " @include(if: false)".into(),
            3 => {
                let bool_type = Type::new("Boolean!").expect("a type");
                format!(" @skip(if: {})", self.variable(b, &bool_type, "if"))
            }
            4 if !self.clean => " @include".into(), // the required argument missing
            _ => String::new(),
        }
    }

    /// A value of type `ty` for the argument or input field `name`; sometimes of the wrong type.
    fn value(&mut self, ty: &Type, name: &str, depth: usize) -> Val {
        let r = self.rng.u8(..100);
        if !self.clean && (r < 3 || (depth > 3 && r < 50)) {
            return values::int(&mut self.rng, false, false);
        }
        if (ty.nullable && r < 10) || (!self.clean && r == 99) {
            return Val::Null;
        }
        if let BaseType::List(inner) = &ty.base {
            return match self.rng.u8(..20) {
                0 | 1 => self.value(inner, name, depth + 1), // coerced to a list of one
                2 => Val::List(
                    (0..self.rng.usize(50..300))
                        .map(|_| self.value(inner, name, depth + 1))
                        .collect(),
                ),
                _ => Val::List(
                    (0..self.rng.usize(0..4))
                        .map(|_| self.value(inner, name, depth + 1))
                        .collect(),
                ),
            };
        }
        let type_name = named(ty);
        let (rng, pools) = (&mut self.rng, self.pools);
        match (type_name, name) {
            ("Int" | "Count", n) => values::int(rng, n == "first" || n == "last", self.clean),
            ("Float", _) => Val::Float(rng.f64() * 1e6 - 5e5),
            ("Boolean", _) => match rng.u8(..10) {
                0 if !self.clean => Val::Str("true".into()),
                _ => Val::Bool(rng.bool()),
            },
            ("Date", _) => values::date(rng),
            ("ID", _) => Val::Str(values::id(rng, pools)),
            ("String", "after" | "before") => Val::Str(values::cursor(rng, pools)),
            ("String", "search") => Val::Str(values::search(rng, pools)),
            ("String", "code") => Val::Str(values::country(rng, pools)),
            ("String", _) => Val::Str(values::string(rng, pools)),
            (other, _) => match self.schema.types.get(other).cloned() {
                Some(Kind::Enum(names)) => match self.rng.u8(..10) {
                    0 if !self.clean => Val::Str(names[self.rng.usize(..names.len())].clone()),
                    1 if !self.clean => Val::Enum("NOT_A_VALUE".into()),
                    _ => Val::Enum(names[self.rng.usize(..names.len())].clone()),
                },
                Some(Kind::InputObject(fields)) => {
                    let mut out = Vec::new();
                    for field in fields {
                        let required = !field.ty.nullable && !field.has_default;
                        if required || self.rng.u8(..3) == 0 {
                            let v = self.value(&field.ty, &field.name, depth + 1);
                            out.push((field.name.clone(), v));
                        }
                    }
                    if self.dirty(30) {
                        out.push(("unknownField".into(), Val::Int(1)));
                    }
                    Val::Obj(out)
                }
                _ => Val::Str(values::string(&mut self.rng, self.pools)),
            },
        }
    }

    /// One root field repeated under many aliases (around the 100-alias limit).
    fn many_aliases(&mut self, b: &mut Build, root: &str) -> String {
        let inner = self.selection(b, root, 1, 3);
        let n = self.rng.usize(20..160);
        let items: Vec<String> = (0..n)
            .map(|i| format!("x{i}: __typename a{i}: __schema {{ queryType {{ name }} }}"))
            .collect();
        let inner = inner.trim_start_matches('{').trim_end_matches('}');
        format!("{{ {} {inner} }}", items.join(" "))
    }

    /// `k` levels of fragments each spreading the one below two or three times.
    fn fragment_bomb(&mut self, b: &mut Build) -> String {
        let k = self.rng.usize(5..31);
        let fan = self.rng.usize(2..4);
        let root = self.schema.query.clone();
        b.fragments
            .push(format!("fragment B0 on {root} {{ __typename }}"));
        for i in 1..=k {
            let spreads = vec![format!("...B{}", i - 1); fan].join(" ");
            b.fragments
                .push(format!("fragment B{i} on {root} {{ {spreads} }}"));
        }
        format!("{{ ...B{k} }}")
    }

    /// Nesting far past the depth limit, through fields that lead back to their own type, or
    /// through brackets in an argument.
    fn deep(&mut self, b: &mut Build) -> String {
        let levels = self.rng.usize(10..80);
        match self.rng.u8(..3) {
            0 => format!(
                "{{ locations(first: 1) {{ nodes {}{}{} }} }}",
                "{ parent ".repeat(levels),
                "{ name }",
                " }".repeat(levels)
            ),
            1 => format!(
                "{{ events(first: 1) {{ nodes {}{}{} }} }}",
                "{ related { event ".repeat(levels),
                "{ title }",
                " } }".repeat(levels)
            ),
            _ => {
                let _ = b;
                format!(
                    "{{ nodes(ids: {}\"x\"{}) {{ id }} }}",
                    "[".repeat(levels * 4),
                    "]".repeat(levels * 4)
                )
            }
        }
    }

    /// Breaks a document: truncates it, drops or doubles a bracket, or inserts a stray byte.
    fn break_syntax(&mut self, query: &mut String) {
        let cut = |q: &str, at: usize| {
            let mut at = at.min(q.len());
            while !q.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let at = cut(query, self.rng.usize(..query.len().max(1)));
        match self.rng.u8(..4) {
            0 => query.truncate(at),
            1 => query.insert(
                at,
                ['{', '}', '(', ')', '"', '$', '@', '\u{0}'][self.rng.usize(..8)],
            ),
            2 => query.insert_str(at, "\"\"\""),
            _ => *query = query.replace('}', "").to_string(),
        }
    }
}
