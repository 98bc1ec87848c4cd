//! What the database builds for a compiled selection: a `Json` value described over the
//! tables, and its SQL for each database (sea-query expressions): correlated subqueries with
//! `json_object`/`json_group_array` on SQLite, `json_build_object`/`json_agg` on PostgreSQL.
//!
//! Written here because no crate turns a tree of fields into JSON-building SQL for both
//! databases: sea-query has no JSON constructors and no `ORDER BY` inside an aggregate call,
//! so those few calls are `Func::cust` and `Expr::cust_with_exprs` templates.

use sea_orm::DbBackend;
use sea_orm::sea_query::{
    Alias, DynIden, Expr, ExprTrait, Func, IntoIden, Query, SelectStatement, SimpleExpr,
};

/// A JSON value built from the row in scope.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// A column of the row in scope: a string, a number or null as stored.
    Column(DynIden),
    /// A boolean column (SQLite stores 0 and 1).
    Bool(DynIden),
    /// A constant string (`__typename`).
    Const(&'static str),
    /// An object of fields over the row in scope (a date span).
    Object(Vec<(String, Json)>),
    /// The row a column of the row in scope points at, as an object; null when the column
    /// is null.
    One(Link, Vec<(String, Json)>),
    /// The rows pointing at the row in scope, in their order, as an array.
    Many(Link, Box<Json>),
}

/// How the rows of `table` relate to the row in scope: `table.column = scope.via`, ordered
/// by `order` (for `Many`).
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub table: DynIden,
    pub column: DynIden,
    pub via: DynIden,
    pub order: Option<DynIden>,
}

impl Link {
    /// The row of `table` whose `column` equals the scope's `via`.
    pub fn one(table: impl IntoIden, column: impl IntoIden, via: impl IntoIden) -> Self {
        Link {
            table: table.into_iden(),
            column: column.into_iden(),
            via: via.into_iden(),
            order: None,
        }
    }

    /// The rows of `table` whose `column` equals the scope's `via`, in `order`.
    pub fn many(
        table: impl IntoIden,
        column: impl IntoIden,
        via: impl IntoIden,
        order: impl IntoIden,
    ) -> Self {
        Link {
            order: Some(order.into_iden()),
            ..Link::one(table, column, via)
        }
    }
}

/// Builds the SQL of `Json` values for one database, naming each table it reads `j1`, `j2`…
pub struct Builder {
    backend: DbBackend,
    aliases: usize,
}

impl Builder {
    pub fn new(backend: DbBackend) -> Self {
        Builder {
            backend,
            aliases: 0,
        }
    }

    fn postgres(&self) -> bool {
        self.backend == DbBackend::Postgres
    }

    /// `value` over the row of `scope`, as a top-level column: JSON text, or NULL.
    pub fn column(&mut self, scope: &DynIden, value: &Json) -> SimpleExpr {
        let expr = self.value(scope, value);
        if self.postgres() {
            // sqlx reads text, not PostgreSQL's json type, into a String.
            Func::cast_as(expr, Alias::new("text")).into()
        } else {
            expr
        }
    }

    fn value(&mut self, scope: &DynIden, value: &Json) -> SimpleExpr {
        match value {
            Json::Column(column) => Expr::col((scope.clone(), column.clone())),
            Json::Bool(column) => self.boolean(Expr::col((scope.clone(), column.clone()))),
            Json::Const(text) => Expr::val(*text),
            Json::Object(fields) => self.object(scope, fields),
            Json::One(link, fields) => {
                let (alias, mut select) = self.joined(scope, link);
                select.expr(self.object(&alias, fields));
                self.embed(Expr::SubQuery(None, Box::new(select.into())))
            }
            Json::Many(link, item) => {
                let (alias, mut select) = self.joined(scope, link);
                let item = self.value(&alias, item);
                let order = match &link.order {
                    Some(order) => Expr::col((alias.clone(), order.clone())),
                    None => Expr::col((alias.clone(), link.column.clone())),
                };
                let template = if self.postgres() {
                    "json_agg($1 ORDER BY $2)"
                } else {
                    "json_group_array(? ORDER BY ?)"
                };
                select.expr(Expr::cust_with_exprs(template, [item, order]));
                let array = Expr::SubQuery(None, Box::new(select.into()));
                if self.postgres() {
                    // json_agg over no rows is NULL, not [].
                    let empty = Func::cast_as(Expr::val("[]"), Alias::new("json"));
                    Func::coalesce([array, empty.into()]).into()
                } else {
                    self.embed(array)
                }
            }
        }
    }

    /// `SELECT … FROM link.table AS jN WHERE jN.column = scope.via`, without its expression.
    fn joined(&mut self, scope: &DynIden, link: &Link) -> (DynIden, SelectStatement) {
        self.aliases += 1;
        let alias = Alias::new(format!("j{}", self.aliases)).into_iden();
        let mut select = Query::select();
        select.from_as(link.table.clone(), alias.clone()).and_where(
            Expr::col((alias.clone(), link.column.clone()))
                .equals((scope.clone(), link.via.clone())),
        );
        (alias, select)
    }

    fn object(&mut self, scope: &DynIden, fields: &[(String, Json)]) -> SimpleExpr {
        let mut args = Vec::with_capacity(fields.len() * 2);
        for (key, value) in fields {
            args.push(Expr::val(key.as_str()));
            args.push(self.value(scope, value));
        }
        let name = if self.postgres() {
            "json_build_object"
        } else {
            "json_object"
        };
        Func::cust(Alias::new(name)).args(args).into()
    }

    /// A subquery's JSON as JSON inside another value. SQLite forgets that a value is JSON
    /// when it comes out of a subquery (it would be quoted as a string): `json()` says so
    /// again, and keeps NULL null.
    fn embed(&self, expr: SimpleExpr) -> SimpleExpr {
        if self.postgres() {
            expr
        } else {
            Func::cust(Alias::new("json")).arg(expr).into()
        }
    }

    /// A boolean column as JSON `true`/`false` (SQLite stores 0 and 1).
    fn boolean(&self, column: SimpleExpr) -> SimpleExpr {
        if self.postgres() {
            column
        } else {
            let text = Expr::case(column.eq(true), Expr::val("true")).finally(Expr::val("false"));
            Func::cust(Alias::new("json")).arg(text).into()
        }
    }
}
