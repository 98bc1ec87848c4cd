//! The schema as the generator sees it: read from `schema.graphql` (pinned to the served SDL
//! by tests/api/schema.rs), reduced to the types, fields and arguments a document can name.

use async_graphql::parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};
use std::collections::BTreeMap;

/// A field of an output type, or an argument or input field.
#[derive(Clone, Debug)]
pub struct Field {
    pub name: String,
    pub ty: Type,
    pub args: Vec<Input>,
}

/// An argument or an input object's field.
#[derive(Clone, Debug)]
pub struct Input {
    pub name: String,
    pub ty: Type,
    pub has_default: bool,
}

/// What a named type is.
#[derive(Clone, Debug)]
pub enum Kind {
    Scalar,
    /// Objects and interfaces: their fields, and the objects that may stand for them.
    Composite {
        fields: Vec<Field>,
        possible: Vec<String>,
    },
    Union(Vec<String>),
    Enum(Vec<String>),
    InputObject(Vec<Input>),
}

/// Every named type, by name, and the query root's name.
pub struct Schema {
    pub types: BTreeMap<String, Kind>,
    pub query: String,
}

/// The named type at the bottom of a (list or non-null) type.
pub fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(inner) => named(inner),
    }
}

impl Schema {
    /// Parses SDL; the built-in scalars are added, as SDL leaves them out.
    pub fn parse(sdl: &str) -> Schema {
        // async-graphql's parser predates descriptions on the schema definition (GraphQL,
        // October 2021), which `schema.graphql` has: the description is left out.
        let sdl = match sdl.rfind("\"\"\"\nschema {") {
            Some(end) => {
                let start = sdl[..end].rfind("\"\"\"").unwrap_or(end);
                format!("{}{}", &sdl[..start], &sdl[end + 4..])
            }
            None => sdl.to_string(),
        };
        let document = async_graphql::parser::parse_schema(&sdl).expect("schema.graphql parses");
        let mut types = BTreeMap::new();
        for name in ["String", "Int", "Float", "Boolean", "ID"] {
            types.insert(name.to_string(), Kind::Scalar);
        }
        let mut query = "Query".to_string();
        let mut implements: Vec<(String, String)> = Vec::new();
        let input = |v: &async_graphql::parser::types::InputValueDefinition| Input {
            name: v.name.node.to_string(),
            ty: v.ty.node.clone(),
            has_default: v.default_value.is_some(),
        };
        for definition in document.definitions {
            let TypeSystemDefinition::Type(def) = definition else {
                if let TypeSystemDefinition::Schema(s) = definition
                    && let Some(q) = &s.node.query
                {
                    query = q.node.to_string();
                }
                continue;
            };
            let name = def.node.name.node.to_string();
            let fields = |fields: &[async_graphql::Positioned<
                async_graphql::parser::types::FieldDefinition,
            >]| {
                fields
                    .iter()
                    .map(|f| Field {
                        name: f.node.name.node.to_string(),
                        ty: f.node.ty.node.clone(),
                        args: f.node.arguments.iter().map(|a| input(&a.node)).collect(),
                    })
                    .collect::<Vec<_>>()
            };
            let kind = match &def.node.kind {
                TypeKind::Scalar => Kind::Scalar,
                TypeKind::Object(o) => {
                    for i in &o.implements {
                        implements.push((name.clone(), i.node.to_string()));
                    }
                    Kind::Composite {
                        fields: fields(&o.fields),
                        possible: vec![name.clone()],
                    }
                }
                TypeKind::Interface(i) => Kind::Composite {
                    fields: fields(&i.fields),
                    possible: Vec::new(),
                },
                TypeKind::Union(u) => {
                    Kind::Union(u.members.iter().map(|m| m.node.to_string()).collect())
                }
                TypeKind::Enum(e) => Kind::Enum(
                    e.values
                        .iter()
                        .map(|v| v.node.value.node.to_string())
                        .collect(),
                ),
                TypeKind::InputObject(o) => {
                    Kind::InputObject(o.fields.iter().map(|f| input(&f.node)).collect())
                }
            };
            types.insert(name, kind);
        }
        for (object, interface) in implements {
            if let Some(Kind::Composite { possible, .. }) = types.get_mut(&interface) {
                possible.push(object);
            }
        }
        Schema { types, query }
    }

    /// The fields of an object or interface; empty for anything else.
    pub fn fields(&self, type_name: &str) -> &[Field] {
        match self.types.get(type_name) {
            Some(Kind::Composite { fields, .. }) => fields,
            _ => &[],
        }
    }

    /// The object types a value of `type_name` may be (itself, an interface's implementers,
    /// a union's members).
    pub fn possible(&self, type_name: &str) -> Vec<String> {
        match self.types.get(type_name) {
            Some(Kind::Composite { possible, .. }) => possible.clone(),
            Some(Kind::Union(members)) => members.clone(),
            _ => Vec::new(),
        }
    }

    /// Whether a selection set must follow a field of this type.
    pub fn is_composite(&self, type_name: &str) -> bool {
        matches!(
            self.types.get(type_name),
            Some(Kind::Composite { .. } | Kind::Union(_))
        )
    }
}
