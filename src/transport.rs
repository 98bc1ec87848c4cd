//! Accepting connections: how many at once, how long each may take to send a request or sit
//! idle, and draining them on shutdown. `axum::serve` sets none of these limits (a client
//! could hold a socket open forever, and 20,000 idle ones exhausted the file descriptors), so
//! connections are served here with hyper's own HTTP/1 builder.

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};

/// How many connections are served at once, and how long each may wait for a request.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Open connections served at once; beyond them a connection is answered 503 and closed.
    pub max_connections: usize,
    /// How long a client may take to send a request's headers — and, between requests on a
    /// kept-alive connection, how long it may stay idle — before the connection is closed.
    pub header_timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_connections: 4096,
            header_timeout: Duration::from_secs(10),
        }
    }
}
/// The address a request's connection comes from (in the request's extensions).
#[derive(Clone, Copy, Debug)]
pub struct ClientAddr(pub SocketAddr);

/// What an upgraded connection (a WebSocket) keeps of its HTTP connection, in the request's
/// extensions: its slot among the connections served at once, held until the socket closes
/// too, and the signal to close at shutdown.
#[derive(Clone, Debug)]
pub struct Held {
    _slot: Arc<tokio::sync::OwnedSemaphorePermit>,
    /// Turns true when the server shuts down: close, and let draining finish.
    pub stopped: watch::Receiver<bool>,
}

/// How long draining may take at shutdown before the remaining connections are dropped.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(15);

/// What a connection beyond the limit is told before it is closed.
fn refusal() -> Vec<u8> {
    let body = r#"{"errors":[{"message":"the server is at its connection limit; try again","extensions":{"code":"UNAVAILABLE"}}]}"#;
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         connection: close\r\nretry-after: 1\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Serves `router` on `listener` until `shutdown` resolves, then drains open connections.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    settings: Settings,
    shutdown: impl Future<Output = ()>,
) {
    let max_connections = settings.max_connections;
    let slots = Arc::new(Semaphore::new(max_connections));
    let (stop, stopped) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors, most likely: wait for some to close, keep serving.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        match slots.clone().try_acquire_owned() {
            Ok(slot) => {
                let (router, stopped) = (router.clone(), stopped.clone());
                let held = Held {
                    _slot: Arc::new(slot),
                    stopped: stopped.clone(),
                };
                tokio::spawn(connection(
                    stream,
                    peer,
                    router,
                    settings.header_timeout,
                    held,
                ));
            }
            Err(_) => {
                tokio::spawn(refuse(stream));
            }
        }
    }
    let _ = stop.send(true);
    // Every connection holds a slot until it is done: having them all back means drained.
    let all = u32::try_from(max_connections).unwrap_or(u32::MAX);
    if tokio::time::timeout(DRAIN_TIMEOUT, slots.acquire_many(all))
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the drain timeout; closing them");
    }
}

/// One connection: HTTP/1.1 with header and idle timeouts, shut down gracefully on `stopped`;
/// its slot is given back when it ends (or, upgraded to a WebSocket, when the socket does).
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    header_timeout: Duration,
    held: Held,
) {
    let mut stopped = held.stopped.clone();
    let service = tower::ServiceExt::map_request(
        router.into_service::<Incoming>(),
        move |mut request: axum::extract::Request<Incoming>| {
            request.extensions_mut().insert(ClientAddr(peer));
            request.extensions_mut().insert(held.clone());
            request
        },
    );
    let service = TowerToHyperService::new(service);
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .keep_alive(true);
    let connection = builder
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades();
    let mut connection = std::pin::pin!(connection);
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(e) = result {
                tracing::debug!(error = %e, "connection ended");
            }
        }
        _ = async { stopped.wait_for(|stop| *stop).await.map(|_| ()) } => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}

/// Tells a connection beyond the limit so, and closes it.
async fn refuse(mut stream: TcpStream) {
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(&refusal())).await;
    let _ = stream.shutdown().await;
}

/// Resolves on Ctrl-C or SIGTERM (what a process supervisor sends).
pub async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: draining open connections");
}
