//! Requests that arrive over a WebSocket (`http::socket`): async-graphql's protocol handling
//! runs them through this `Executor`. A query or mutation runs as over HTTP (`executor::run`),
//! with the connection's key. A subscription is checked by the same limits, counted against
//! its connection's and client's quota, and each payload it sends resolves in its own waves of
//! fetches with the request's loaders (`batch`), so nested fields batch as in a query.

use super::AppSchema;
use super::batch::Waves;
use super::credentials::Credentials;
use super::errors;
use super::executor;
use super::loaders::loaders;
use super::subscription::Subscribed;
use crate::live::Session;
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Request, Response, ServerError};
use futures_util::stream::{self, BoxStream, StreamExt};
use std::any::{Any, TypeId};
use std::sync::{Arc, Mutex};

/// The connection's value of type `T`, which the socket put in its session data.
fn session_value<T: Any + Clone>(session: &Data) -> Option<T> {
    session
        .get(&TypeId::of::<T>())
        .and_then(|d| d.downcast_ref::<T>())
        .cloned()
}

/// A stream of one response.
fn once(response: Response) -> BoxStream<'static, Response> {
    stream::once(async move { response }).boxed()
}

fn refused(error: crate::error::Error) -> BoxStream<'static, Response> {
    let code = error.code();
    once(Response::from_errors(vec![errors::with_code(
        ServerError::new(error.to_string(), None),
        code,
    )]))
}

impl async_graphql::Executor for AppSchema {
    async fn execute(&self, request: Request) -> Response {
        AppSchema::execute(self, request).await
    }

    fn execute_stream(
        &self,
        mut request: Request,
        session: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let session = session.unwrap_or_default();
        if let Some(credentials) = session_value::<Credentials>(&session) {
            request = request.data(credentials);
        }
        let (document, _) =
            match executor::check(&self.env.registry, &self.setting.documents, &mut request) {
                Ok(checked) => checked,
                Err(error) => return once(Response::from_errors(vec![error])),
            };
        let selected = executor::operation(&document, request.operation_name.as_deref());
        let name = match selected {
            Some((name, OperationType::Subscription)) => name,
            // Queries and mutations (and documents whose operation cannot be chosen, which
            // the executor refuses with its code) answer once.
            _ => {
                let this = self.clone();
                return stream::once(async move { AppSchema::execute(&this, request).await })
                    .boxed();
            }
        };
        let Some(hub) = self.setting.hub.clone() else {
            return refused(crate::error::Error::Internal("no live hub".into()));
        };
        let client =
            session_value::<Session>(&session).unwrap_or_else(|| Session::new("anonymous".into()));
        let ticket = match hub.quota.admit(&client) {
            Ok(ticket) => ticket,
            Err(e) => {
                return refused(crate::error::Error::TooManySubscriptions(e.to_string()));
            }
        };
        // Made now, as the `subscribe` message is handled: every change committed from here
        // on reaches this subscription (`live::Feed`).
        let receiver = hub.receiver();
        let waves = Waves::default();
        if let Some(metrics) = &self.setting.metrics {
            waves.count_in(metrics.reads_in_flight());
        }
        // Payloads follow writes as they commit: read where they are written.
        let db = hub.db().clone();
        request = request
            .data(Subscribed(Mutex::new(Some(receiver))))
            .data(loaders(db.clone(), &waves))
            .data(waves.clone())
            .data(db);
        let responses = self.fast.execute_stream_with_session_data(request, session);
        let state = (responses, waves, ticket, document, name);
        stream::unfold(state, |state| async move {
            let (mut responses, waves, ticket, document, name) = state;
            let response = waves.run(responses.next()).await?;
            let response = executor::shape(&document, name.as_deref(), true, response);
            Some((response, (responses, waves, ticket, document, name)))
        })
        .boxed()
    }
}
