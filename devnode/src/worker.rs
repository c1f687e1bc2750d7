//! The execution thread: one OS thread with a large stack owns the [`Chain`]; RPC handlers send it
//! commands over a channel and await the replies.
//!
//! Why one thread: every command sees and leaves a consistent chain (no locks, no torn reads under
//! many concurrent clients), and Stylus programs recurse natively through nested calls, which needs
//! a big stack that a thread of our own can have. A command that panics is caught; the chain is
//! rolled back to its state before the command and the client gets an internal error.
//!
//! Reads do not come here when they can be answered from the latest state snapshot: after every
//! command (before its reply is sent) the chain publishes one (see [`crate::chain::view`]).

use std::any::Any;
use std::cell::RefCell;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use alloy::primitives::B256;

use crate::chain::{panic_message, Chain, Responder};
use crate::error::{RpcError, RpcResult};

/// Stack size of the execution thread (Stylus nested calls recurse natively).
pub const EXECUTION_STACK_SIZE: usize = 256 * 1024 * 1024;

type Job = Box<dyn FnOnce(&mut Chain) + Send>;

enum Command {
    Run(Job),
    Shutdown(mpsc::Sender<anyhow::Result<()>>),
}

/// Cloneable handle to the execution thread.
#[derive(Clone)]
pub struct ChainHandle {
    tx: mpsc::Sender<Command>,
}

fn gone() -> RpcError {
    RpcError::internal("the node is shutting down")
}

fn panicked() -> RpcError {
    RpcError::internal(
        "internal error: the request panicked inside the node; the chain state is unchanged",
    )
}

impl ChainHandle {
    /// Runs `f` on the chain and awaits its result.
    pub async fn exec<R, F>(&self, f: F) -> RpcResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Chain) -> RpcResult<R> + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.tx
            .send(Command::Run(Box::new(move |chain| {
                match catch_unwind(AssertUnwindSafe(|| f(chain))) {
                    Ok(r) => {
                        // Readers see the change before the caller hears back.
                        chain.publish();
                        let _ = tx.send(r);
                    }
                    Err(p) => hold_reply_and_unwind(tx, p),
                }
            })))
            .map_err(|_| gone())?;
        rx.await.map_err(|_| panicked())?
    }

    /// Runs `f` on the chain with a [`Responder`] that `f` (or the chain, later) calls exactly once;
    /// awaits that reply (used for transactions, whose reply may wait for a block).
    pub async fn exec_deferred<F>(&self, f: F) -> RpcResult<B256>
    where
        F: FnOnce(&mut Chain, Responder) + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let slot = Arc::new(Mutex::new(Some(tx)));
        let sender = Arc::clone(&slot);
        let reply: Responder = Box::new(move |r| {
            if let Some(tx) = sender.lock().unwrap_or_else(|e| e.into_inner()).take() {
                let _ = tx.send(r);
            }
        });
        self.tx
            .send(Command::Run(Box::new(move |chain| {
                if let Err(p) = catch_unwind(AssertUnwindSafe(|| f(chain, reply))) {
                    hold_reply_and_unwind(slot, p);
                }
            })))
            .map_err(|_| gone())?;
        rx.await.map_err(|_| panicked())?
    }

    /// Blocking variant of [`Self::exec`] for synchronous callers (not from inside a runtime).
    pub fn exec_blocking<R, F>(&self, f: F) -> RpcResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Chain) -> RpcResult<R> + Send + 'static,
    {
        let (tx, rx) = mpsc::channel();
        self.tx
            .send(Command::Run(Box::new(move |chain| {
                match catch_unwind(AssertUnwindSafe(|| f(chain))) {
                    Ok(r) => {
                        // Readers see the change before the caller hears back.
                        chain.publish();
                        let _ = tx.send(r);
                    }
                    Err(p) => hold_reply_and_unwind(tx, p),
                }
            })))
            .map_err(|_| gone())?;
        rx.recv().map_err(|_| panicked())?
    }

    /// Stops the thread after persisting the state file (if any); returns the persistence result.
    pub fn shutdown(&self) -> anyhow::Result<()> {
        let (tx, rx) = mpsc::channel();
        if self.tx.send(Command::Shutdown(tx)).is_err() {
            return Ok(()); // already stopped
        }
        rx.recv().unwrap_or(Ok(()))
    }
}

thread_local! {
    /// Replies of a command that panicked, kept until the rollback is published: a client must
    /// not hear of the failure (and read the snapshot) before the state is back.
    static HELD_REPLIES: RefCell<Vec<Box<dyn Any>>> = RefCell::new(Vec::new());
}

fn hold_reply_and_unwind<T: 'static>(reply: T, panic: Box<dyn Any + Send>) -> ! {
    HELD_REPLIES.with(|h| h.borrow_mut().push(Box::new(reply)));
    resume_unwind(panic)
}

/// Starts the execution thread owning `chain`.
pub fn spawn(chain: Chain) -> std::io::Result<(ChainHandle, JoinHandle<()>)> {
    let (tx, rx) = mpsc::channel::<Command>();
    let thread = std::thread::Builder::new()
        .name("devnode-chain".into())
        .stack_size(EXECUTION_STACK_SIZE)
        .spawn(move || run(chain, rx))?;
    Ok((ChainHandle { tx }, thread))
}

fn run(mut chain: Chain, rx: mpsc::Receiver<Command>) {
    loop {
        let cmd = match chain.next_wakeup() {
            Some(at) => rx.recv_timeout(at.saturating_duration_since(Instant::now())),
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match cmd {
            Ok(Command::Run(job)) => {
                let cp = chain.checkpoint();
                if let Err(p) = catch_unwind(AssertUnwindSafe(|| job(&mut chain))) {
                    tracing::error!(target: "devnode", "request panicked: {}; state rolled back", panic_message(&p));
                    chain.restore_checkpoint(cp);
                }
                chain.publish();
                // Dropping them now tells those clients their request failed.
                HELD_REPLIES.with(|h| h.borrow_mut().clear());
            }
            Ok(Command::Shutdown(done)) => {
                chain.drain_held();
                let _ = done.send(chain.persist());
                return;
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                chain.drain_held();
                if let Err(e) = chain.persist() {
                    tracing::error!(target: "devnode", "writing the state file failed: {e}");
                }
                return;
            }
        }
        let cp = chain.checkpoint();
        if let Err(p) = catch_unwind(AssertUnwindSafe(|| chain.tick(Instant::now()))) {
            tracing::error!(target: "devnode", "mining panicked: {}; state rolled back", panic_message(&p));
            chain.restore_checkpoint(cp);
        }
        chain.publish();
    }
}
