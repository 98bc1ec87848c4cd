//! The GraphQL API: the schema, its limits, and the helpers resolvers share.

pub mod about;
pub mod batch;
pub mod connection;
pub mod cost;
pub mod credentials;
pub mod documents;
pub mod errors;
pub mod examples;
pub mod executor;
pub mod ids;
pub mod limits;
pub mod loaders;
pub mod mutation;
pub mod order;
pub mod query;
pub mod raw;
pub mod streams;
pub mod subscription;
pub mod types;

use crate::error::Error;
use async_graphql::dataloader::Loader;
use async_graphql::{Context, Schema};
use loaders::{Db, Loaders};
use sea_orm::{DatabaseConnection, DbErr};
use std::hash::Hash;
use std::sync::Arc;

/// async-graphql's schema, as the executor runs it.
pub type RawSchema = Schema<query::Query, mutation::Mutation, subscription::Subscription>;

/// The schema the server serves: async-graphql's, run by `executor::run` (cheap to clone).
#[derive(Clone)]
pub struct AppSchema {
    fast: RawSchema,
    large: RawSchema,
    env: async_graphql::SchemaEnv,
    setting: Arc<executor::Setting>,
}

impl AppSchema {
    /// Runs a request the one way every request runs (`executor`).
    pub async fn execute(
        &self,
        request: impl Into<async_graphql::Request>,
    ) -> async_graphql::Response {
        let schemas = executor::Schemas {
            registry: &self.env.registry,
            fast: &self.fast,
            large: &self.large,
        };
        executor::run(schemas, &self.setting, request.into()).await
    }

    /// `request`'s document, parsed (from the cache of recent documents when it holds the
    /// same text) and given to the request, which the executor then does not parse again.
    pub fn parse(
        &self,
        request: &mut async_graphql::Request,
    ) -> Result<async_graphql::parser::types::ExecutableDocument, async_graphql::ServerError> {
        self.setting.documents.parse(request)
    }

    /// The cache of recent documents.
    #[cfg(test)]
    pub(crate) fn documents(&self) -> &documents::Documents {
        &self.setting.documents
    }

    /// async-graphql's schema (its registry, its SDL); running a request on it directly
    /// would skip the executor.
    pub fn raw(&self) -> &RawSchema {
        &self.fast
    }

    /// This instance's live changes (None for a schema without a database).
    pub fn hub(&self) -> Option<&Arc<crate::live::Hub>> {
        self.setting.hub.as_ref()
    }
}

/// The schema before its setting is known. Limits are `limits`' (held by the executor), not
/// async-graphql's, whose depth and complexity checks expand fragments without bound.
pub struct AppSchemaBuilder(executor::Setting);

/// The schema without a database (introspection, the SDL, limits).
pub fn schema_builder() -> AppSchemaBuilder {
    AppSchemaBuilder(executor::Setting::default())
}

impl AppSchemaBuilder {
    /// The schema, built twice: without extensions (every field on async-graphql's fast
    /// path) and with `executor::Offload` for large documents.
    pub fn finish(self) -> AppSchema {
        let mut setting = self.0;
        if setting.hub.is_none()
            && let Some(db) = &setting.db
        {
            let hub = crate::live::Hub::new(db.clone(), crate::live::Quota::default());
            setting.hub = Some(Arc::new(hub));
        }
        let build = || {
            let mut builder = Schema::build(
                query::Query::default(),
                mutation::Mutation::default(),
                subscription::Subscription,
            )
            .data(setting.deadline);
            if let Some(db) = &setting.db {
                builder = builder.data(db.clone());
            }
            if let Some(hub) = &setting.hub {
                builder = builder.data(hub.clone());
            }
            builder
        };
        AppSchema {
            fast: build().finish(),
            large: build().extension(executor::Offload).finish(),
            env: executor::environment(|capture| build().extension(capture).finish()),
            setting: Arc::new(setting),
        }
    }
}

/// Builds the schema. Per-request data (the DataLoaders, the waves) is added by the executor.
pub fn build_schema(db: DatabaseConnection) -> AppSchema {
    build_schema_with(db, limits::Deadline::default())
}

/// Builds the schema with a request deadline of its own.
pub fn build_schema_with(db: DatabaseConnection, deadline: limits::Deadline) -> AppSchema {
    AppSchemaBuilder(executor::Setting {
        db: Some(db),
        deadline,
        ..Default::default()
    })
    .finish()
}

/// Builds the schema the server runs: requests read from `databases` (a replica when one is
/// up) and are recorded in `metrics`.
pub fn build_schema_for(
    databases: crate::db::replicas::Databases,
    metrics: Arc<crate::observe::metrics::Metrics>,
    deadline: limits::Deadline,
) -> AppSchema {
    AppSchemaBuilder(executor::Setting {
        db: Some(databases.primary().clone()),
        databases: Some(databases),
        metrics: Some(metrics),
        deadline,
        hub: None,
        documents: Default::default(),
    })
    .finish()
}

/// The database connection.
pub fn db<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a DatabaseConnection> {
    Ok(ctx
        .data_opt::<DatabaseConnection>()
        .ok_or_else(|| Error::Internal("no database connection in the schema".into()))?)
}

/// This request's DataLoaders, which the executor adds.
fn loaders_of<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Loaders> {
    Ok(ctx
        .data_opt::<Loaders>()
        .ok_or_else(|| Error::Internal("no DataLoaders: the executor did not run".into()))?)
}

/// The value for `key` through this request's DataLoader.
pub async fn load<K>(
    ctx: &Context<'_>,
    key: K,
) -> async_graphql::Result<Option<<Db as Loader<K>>::Value>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    Db: Loader<K, Error = Arc<DbErr>>,
{
    Ok(loaders_of(ctx)?.load_one(key).await.map_err(Error::from)?)
}

/// The rows of a one-to-many relation (empty when there are none).
pub async fn load_many<K, T>(ctx: &Context<'_>, key: K) -> async_graphql::Result<Vec<T>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    Db: Loader<K, Value = Vec<T>, Error = Arc<DbErr>>,
    T: Clone + Send + Sync + 'static,
{
    Ok(load(ctx, key).await?.unwrap_or_default())
}

/// A row that a foreign key guarantees exists; its absence is a broken database, not the
/// client's fault.
pub async fn load_required<K>(
    ctx: &Context<'_>,
    key: K,
) -> async_graphql::Result<<Db as Loader<K>>::Value>
where
    K: Send + Sync + Hash + Eq + Clone + std::fmt::Debug + 'static,
    Db: Loader<K, Error = Arc<DbErr>>,
{
    let missing = || Error::Database(DbErr::RecordNotFound(format!("{key:?}")));
    Ok(load(ctx, key.clone()).await?.ok_or_else(missing)?)
}

/// The schema's SDL, as `schema.graphql` holds it. Needs no database.
pub fn sdl() -> String {
    let options = async_graphql::SDLExportOptions::new().include_specified_by();
    about::described(schema_builder().finish().raw().sdl_with_options(options))
}

/// The values for all `keys` at once, in one batch (absent keys are left out). Use it instead
/// of awaiting `load` in a loop, which would take one round trip per item.
pub async fn load_all<K>(
    ctx: &Context<'_>,
    keys: impl IntoIterator<Item = K>,
) -> async_graphql::Result<std::collections::HashMap<K, <Db as Loader<K>>::Value>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    Db: Loader<K, Error = Arc<DbErr>>,
{
    Ok(loaders_of(ctx)?
        .load_many(keys)
        .await
        .map_err(Error::from)?)
}

/// The rows `keys` point at, in the order of `keys`; a missing one is a broken database.
pub async fn load_each<K>(
    ctx: &Context<'_>,
    keys: Vec<K>,
) -> async_graphql::Result<Vec<<Db as Loader<K>>::Value>>
where
    K: Send + Sync + Hash + Eq + Clone + std::fmt::Debug + 'static,
    Db: Loader<K, Error = Arc<DbErr>>,
    <Db as Loader<K>>::Value: Clone,
{
    let found = load_all(ctx, keys.iter().cloned()).await?;
    keys.into_iter()
        .map(|k| {
            let missing = || Error::Database(DbErr::RecordNotFound(format!("{k:?}")));
            Ok(found.get(&k).cloned().ok_or_else(missing)?)
        })
        .collect()
}

/// Runs a read (a page or a count) with the request's database connection, in the request's
/// next wave of fetches (see `batch`).
pub async fn read<T, F, Fut>(ctx: &Context<'_>, read: F) -> async_graphql::Result<T>
where
    T: Send + 'static,
    F: FnOnce(DatabaseConnection) -> Fut,
    Fut: std::future::Future<Output = Result<T, DbErr>> + Send + 'static,
{
    let future = read(db(ctx)?.clone());
    let waves = ctx
        .data_opt::<batch::Waves>()
        .ok_or_else(|| Error::Internal("no waves: the executor did not run".into()))?;
    let result = waves
        .read(future)
        .await
        .ok_or_else(|| Error::Internal("a read was dropped before it ran".into()))?;
    Ok(result.map_err(Error::from)?)
}
