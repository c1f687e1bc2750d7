//! A running node: the execution thread plus the HTTP server on its own runtime thread.

use std::net::SocketAddr;
use std::thread::JoinHandle;

use crate::chain::view::ReadHandle;
use crate::chain::Chain;
use crate::config::{funded_accounts, DevAccount, DevnodeConfig};
use crate::rpc::{self, RpcContext};
use crate::worker::{self, ChainHandle};

/// Entry point for starting nodes.
pub struct Devnode;

/// A running node. Dropping it stops the node (and writes the state file when configured).
pub struct DevnodeHandle {
    addr: SocketAddr,
    url: String,
    chain_id: u64,
    accounts: Vec<DevAccount>,
    chain: ChainHandle,
    reads: ReadHandle,
    stop_tx: Option<tokio::sync::oneshot::Sender<()>>,
    rpc_thread: Option<JoinHandle<()>>,
    chain_thread: Option<JoinHandle<()>>,
}

impl Devnode {
    /// Starts a node: builds (or loads) the chain, starts the execution thread and serves JSON-RPC
    /// on `config.host:config.port` (port 0 picks a free port). Works from synchronous code and from
    /// inside a tokio runtime alike: the server runs on a runtime of its own.
    pub fn spawn(config: DevnodeConfig) -> anyhow::Result<DevnodeHandle> {
        let mut chain = Chain::new(&config)?;
        let reads = chain.read_handle();
        let events = crate::chain::events::channel();
        chain.set_event_sender(events.clone());
        let (chain_handle, chain_thread) = worker::spawn(chain)?;
        let (addr_tx, addr_rx) = std::sync::mpsc::channel::<std::io::Result<SocketAddr>>();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let ctx = RpcContext {
            chain: chain_handle.clone(),
            reads: reads.clone(),
            chain_id: config.chain_id,
            verbose: config.verbose,
            events,
        };
        let server_config = config.clone();
        let rpc_thread = std::thread::Builder::new()
            .name("devnode-rpc".into())
            .spawn(move || {
                // Reads run on these workers (one per core, at least two), so they get the
                // execution thread's stack size: Stylus nested calls recurse natively.
                let workers = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(workers)
                    .thread_stack_size(worker::EXECUTION_STACK_SIZE)
                    .thread_name("devnode-rpc-worker")
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = addr_tx.send(Err(e));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match rpc::serve(&server_config, ctx).await {
                        Ok((addr, handle)) => {
                            let _ = addr_tx.send(Ok(addr));
                            let _ = stop_rx.await;
                            let _ = handle.stop();
                            handle.stopped().await;
                        }
                        Err(e) => {
                            let _ = addr_tx.send(Err(e));
                        }
                    }
                });
            })?;
        let addr = match addr_rx.recv() {
            Ok(Ok(addr)) => addr,
            Ok(Err(e)) => {
                let _ = chain_handle.shutdown();
                let _ = chain_thread.join();
                let _ = rpc_thread.join();
                return Err(anyhow::anyhow!(
                    "cannot serve on {}:{}: {e}",
                    config.host,
                    config.port
                ));
            }
            Err(_) => anyhow::bail!("the RPC thread exited during start-up"),
        };
        Ok(DevnodeHandle {
            addr,
            url: format!("http://{addr}"),
            chain_id: config.chain_id,
            accounts: funded_accounts(&config),
            chain: chain_handle,
            reads,
            stop_tx: Some(stop_tx),
            rpc_thread: Some(rpc_thread),
            chain_thread: Some(chain_thread),
        })
    }
}

impl DevnodeHandle {
    /// HTTP URL of the JSON-RPC endpoint, e.g. `http://127.0.0.1:8547`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// WebSocket URL of the same endpoint (`eth_subscribe`), e.g. `ws://127.0.0.1:8547`.
    pub fn ws_url(&self) -> String {
        format!("ws://{}", self.addr)
    }

    /// Bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Chain id.
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }

    /// The funded accounts whose keys the node holds (dev account first).
    pub fn accounts(&self) -> &[DevAccount] {
        &self.accounts
    }

    /// In-process access to the chain (bypasses JSON-RPC).
    pub fn chain(&self) -> &ChainHandle {
        &self.chain
    }

    /// The latest published state snapshot (what `eth_call` & co. read off the execution
    /// thread; see [`crate::chain::view`]).
    pub fn reads(&self) -> &ReadHandle {
        &self.reads
    }

    /// Stops the node and writes the state file (when configured); returns its result.
    pub fn stop(mut self) -> anyhow::Result<()> {
        self.stop_inner()
    }

    fn stop_inner(&mut self) -> anyhow::Result<()> {
        let Some(stop) = self.stop_tx.take() else {
            return Ok(());
        };
        let _ = stop.send(());
        if let Some(t) = self.rpc_thread.take() {
            let _ = t.join();
        }
        let persisted = self.chain.shutdown();
        if let Some(t) = self.chain_thread.take() {
            let _ = t.join();
        }
        persisted
    }
}

impl Drop for DevnodeHandle {
    fn drop(&mut self) {
        if let Err(e) = self.stop_inner() {
            tracing::error!(target: "devnode", "stopping the node: {e}");
        }
    }
}
