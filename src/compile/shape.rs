//! What the database builds for a compiled selection: a `Json` value described over the
//! tables, and its SQL for each database (sea-query expressions): a correlated subquery per
//! list with `json_group_array` on SQLite, `json_agg` on PostgreSQL, and the row an object
//! points at LEFT JOINed where it is read, built in place by `json_object` or
//! `json_build_object`.
//!
//! Written here because no crate turns a tree of fields into JSON-building SQL for both
//! databases: sea-query has no JSON constructors and no `ORDER BY` inside an aggregate call,
//! so those few calls are `Func::cust` and `Expr::cust_with_exprs` templates.

use sea_orm::DbBackend;
use sea_orm::sea_query::{
    Alias, DynIden, Expr, ExprTrait, Func, IntoIden, JoinType, Query, SelectStatement, SimpleExpr,
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
        let expr = self.value(scope, value, None);
        if self.postgres() {
            // sqlx reads text, not PostgreSQL's json type, into a String.
            Func::cast_as(expr, Alias::new("text")).into()
        } else {
            expr
        }
    }

    /// `value` over the row of `scope`. With `joins` (the statement `scope` is read in), a
    /// row pointed at is joined to it and built in place on SQLite; otherwise it is read by
    /// a subquery.
    fn value(
        &mut self,
        scope: &DynIden,
        value: &Json,
        joins: Option<&mut SelectStatement>,
    ) -> SimpleExpr {
        match value {
            Json::Column(column) => Expr::col((scope.clone(), column.clone())),
            Json::Bool(column) => self.boolean(Expr::col((scope.clone(), column.clone()))),
            Json::Const(text) => Expr::val(*text),
            Json::Object(fields) => self.object(scope, fields, joins),
            Json::One(link, fields) => match joins {
                // PostgreSQL keeps the subquery: measured on the deep page, the joins it
                // planned ran slower (1.2–1.3 → 1.35–1.45 ms), and it needs no `json()`.
                Some(select) if !self.postgres() => self.joined_one(scope, link, fields, select),
                _ => {
                    let (alias, mut select) = self.joined(scope, link);
                    let object = self.object(&alias, fields, Some(&mut select));
                    select.expr(object);
                    self.embed(Expr::SubQuery(None, Box::new(select.into())))
                }
            },
            Json::Many(link, item) => {
                let (alias, mut select) = self.joined(scope, link);
                let item = self.value(&alias, item, Some(&mut select));
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

    /// The row `link` points at, LEFT JOINed to `select` (it is unique: a primary key or a
    /// country's code) and built as an object in place; null when there is none. In place,
    /// SQLite still knows the object is JSON: no `json()` to parse it again, which a
    /// subquery's needs (`embed`), and no subquery to open per row.
    fn joined_one(
        &mut self,
        scope: &DynIden,
        link: &Link,
        fields: &[(String, Json)],
        select: &mut SelectStatement,
    ) -> SimpleExpr {
        let alias = self.alias();
        let key = Expr::col((alias.clone(), link.column.clone()));
        select.join_as(
            JoinType::LeftJoin,
            link.table.clone(),
            alias.clone(),
            key.clone().equals((scope.clone(), link.via.clone())),
        );
        let object = self.object(&alias, fields, Some(select));
        Expr::case(key.is_null(), Expr::cust("NULL"))
            .finally(object)
            .into()
    }

    fn alias(&mut self) -> DynIden {
        self.aliases += 1;
        Alias::new(format!("j{}", self.aliases)).into_iden()
    }

    /// `SELECT … FROM link.table AS jN WHERE jN.column = scope.via`, without its expression.
    fn joined(&mut self, scope: &DynIden, link: &Link) -> (DynIden, SelectStatement) {
        let alias = self.alias();
        let mut select = Query::select();
        select.from_as(link.table.clone(), alias.clone()).and_where(
            Expr::col((alias.clone(), link.column.clone()))
                .equals((scope.clone(), link.via.clone())),
        );
        (alias, select)
    }

    fn object(
        &mut self,
        scope: &DynIden,
        fields: &[(String, Json)],
        mut joins: Option<&mut SelectStatement>,
    ) -> SimpleExpr {
        let mut args = Vec::with_capacity(fields.len() * 2);
        for (key, value) in fields {
            args.push(Expr::val(key.as_str()));
            args.push(self.value(scope, value, joins.as_deref_mut()));
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
