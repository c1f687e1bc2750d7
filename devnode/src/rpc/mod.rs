//! The JSON-RPC layer: an HTTP server (jsonrpsee; batches, body-size limit for every framing,
//! 204 for notifications, CORS) whose handlers parse parameters and send commands to the
//! execution thread, or answer reads from the latest state snapshot (`chain::view`).

mod http_edges;
mod methods;
mod params;
pub mod subscriptions;

use std::net::SocketAddr;
use std::sync::Arc;

use jsonrpsee::server::{BatchRequestConfig, RpcModule, Server, ServerConfig, ServerHandle};
use tower_http::cors::{Any, CorsLayer};

use crate::chain::view::ReadHandle;
use crate::config::DevnodeConfig;
use crate::worker::ChainHandle;

pub use params::Params;

/// Shared state of the RPC handlers.
pub struct RpcContext {
    /// The execution thread.
    pub chain: ChainHandle,
    /// The latest state snapshot, for reads served on the RPC threads.
    pub reads: ReadHandle,
    /// Chain id (answered without a round trip to the execution thread).
    pub chain_id: u64,
    /// Log every request.
    pub verbose: bool,
    /// The chain's events (`eth_subscribe`).
    pub events: crate::chain::events::EventSender,
}

/// `web3_clientVersion`.
pub const CLIENT_VERSION: &str = concat!("stylus-devnode/v", env!("CARGO_PKG_VERSION"));

/// Builds the module with every supported method.
pub fn module(ctx: RpcContext) -> RpcModule<RpcContext> {
    let mut module = RpcModule::new(ctx);
    methods::register(&mut module);
    subscriptions::register(&mut module);
    module
}

/// Starts the server (HTTP and WebSocket on one port) on the current tokio runtime.
pub async fn serve(
    config: &DevnodeConfig,
    ctx: RpcContext,
) -> std::io::Result<(SocketAddr, ServerHandle)> {
    let server_config = ServerConfig::builder()
        .set_id_provider(subscriptions::HexIdProvider::default())
        .max_request_body_size(config.max_request_body)
        .max_response_body_size(u32::MAX)
        .max_connections(10_000)
        .set_batch_request_config(BatchRequestConfig::Limit(config.max_batch_len))
        .build();
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods(Any)
        .allow_headers(Any);
    let server = Server::builder()
        .set_config(server_config)
        .set_http_middleware(tower::ServiceBuilder::new().layer(cors).layer(
            http_edges::HttpEdgesLayer {
                max_body: config.max_request_body,
            },
        ))
        .build(SocketAddr::new(config.host, config.port))
        .await?;
    let addr = server.local_addr()?;
    let handle = server.start(module(ctx));
    Ok((addr, handle))
}

/// Shared pointer type handed to handlers.
pub type Ctx = Arc<RpcContext>;
