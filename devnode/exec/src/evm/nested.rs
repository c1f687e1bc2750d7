//! Calls and creates made from native code running inside a frame (Stylus host functions and
//! native system contracts): a second revm frame loop over the same context
//! (devnode-revm-notes.md, "Recommended shape" 2).
//!
//! The journal is shared, so a nested frame commits or reverts only its own checkpoint; the
//! checkpoint of the frame that runs the native code covers everything beneath it.

use std::cell::RefCell;
use std::convert::Infallible;
use std::rc::Rc;

use revm::context::result::{EVMError, InvalidTransaction};
use revm::context::{Evm, JournalTr, LocalContextTr};
use revm::handler::{EthFrame, FrameResult, Handler, MainnetHandler};
use revm::inspector::InspectorHandler;
use revm::interpreter::interpreter::EthInterpreter;
use revm::interpreter::interpreter_action::FrameInit;
use revm::interpreter::{
    CallInputs, CallOutcome, CreateInputs, CreateOutcome, FrameInput, Interpreter, SharedMemory,
};
use revm::primitives::{Log, U256};
use revm::Inspector;

use super::{instructions, ArbPrecompiles, DevCtx, DevDb, DevEvm, NestedEvm, SPEC};

type NestedError = EVMError<Infallible, InvalidTransaction>;
type NestedHandler<'a> = MainnetHandler<NestedEvm<'a>, NestedError, EthFrame>;

/// An inspector shared by the top-level EVM and the nested frame loops of one traced execution.
pub type SharedInspector = Rc<RefCell<dyn Inspector<DevCtx>>>;

thread_local! {
    static INSPECTOR: RefCell<Option<SharedInspector>> = const { RefCell::new(None) };
}

/// Runs `f` with `inspector` attached to every nested frame loop started on this thread while
/// it runs (tracing: frames opened by Stylus programs and native system contracts are otherwise
/// invisible to the outer inspector, devnode-revm-notes.md pitfall 7). The previous inspector
/// is restored afterwards, also on panic.
pub fn with_inspector<R>(inspector: SharedInspector, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<SharedInspector>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let prev = self.0.take();
            INSPECTOR.with(|i| *i.borrow_mut() = prev);
        }
    }
    let prev = INSPECTOR.with(|i| i.borrow_mut().replace(inspector));
    let _restore = Restore(prev);
    f()
}

/// Forwards a nested loop's inspector callbacks to the shared inspector.
struct Forward(SharedInspector);

impl Inspector<DevCtx> for Forward {
    fn initialize_interp(&mut self, interp: &mut Interpreter<EthInterpreter>, ctx: &mut DevCtx) {
        self.0.borrow_mut().initialize_interp(interp, ctx)
    }
    fn step(&mut self, interp: &mut Interpreter<EthInterpreter>, ctx: &mut DevCtx) {
        self.0.borrow_mut().step(interp, ctx)
    }
    fn step_end(&mut self, interp: &mut Interpreter<EthInterpreter>, ctx: &mut DevCtx) {
        self.0.borrow_mut().step_end(interp, ctx)
    }
    fn log(&mut self, ctx: &mut DevCtx, log: Log) {
        self.0.borrow_mut().log(ctx, log)
    }
    fn log_full(&mut self, interp: &mut Interpreter<EthInterpreter>, ctx: &mut DevCtx, log: Log) {
        self.0.borrow_mut().log_full(interp, ctx, log)
    }
    fn call(&mut self, ctx: &mut DevCtx, inputs: &mut CallInputs) -> Option<CallOutcome> {
        self.0.borrow_mut().call(ctx, inputs)
    }
    fn call_end(&mut self, ctx: &mut DevCtx, inputs: &CallInputs, outcome: &mut CallOutcome) {
        self.0.borrow_mut().call_end(ctx, inputs, outcome)
    }
    fn create(&mut self, ctx: &mut DevCtx, inputs: &mut CreateInputs) -> Option<CreateOutcome> {
        self.0.borrow_mut().create(ctx, inputs)
    }
    fn create_end(&mut self, ctx: &mut DevCtx, inputs: &CreateInputs, outcome: &mut CreateOutcome) {
        self.0.borrow_mut().create_end(ctx, inputs, outcome)
    }
    fn selfdestruct(
        &mut self,
        contract: revm::primitives::Address,
        target: revm::primitives::Address,
        value: U256,
    ) {
        self.0.borrow_mut().selfdestruct(contract, target, value)
    }
}

/// Runs one frame (and everything beneath it) to completion at the current journal depth.
/// `Err` is a fatal error (database failure), never a revert.
pub fn run_frame(ctx: &mut DevCtx, frame_input: FrameInput) -> Result<FrameResult, String> {
    // Inside a frame the journal depth is the frame depth + 1: the depth of a child frame.
    let depth = ctx.journaled_state.depth();
    let mut parent = SharedMemory::new_with_buffer(ctx.local.shared_memory_buffer().clone());
    let memory = parent.new_child_context();
    let precompiles = ArbPrecompiles::new(&ctx.chain.config);
    let init = FrameInit {
        depth,
        memory,
        frame_input,
    };
    let result = match INSPECTOR.with(|i| i.borrow().clone()) {
        None => {
            let mut evm: NestedEvm<'_> = Evm::new(ctx, instructions(), precompiles);
            NestedHandler::default().run_exec_loop(&mut evm, init)
        }
        Some(inspector) => {
            // Traced execution only: the inspect loop needs an owned context, so the running
            // context is moved into a top-level-shaped EVM for the nested frame and moved back
            // afterwards (a panic leaves a blank context behind; traces run on a scratch state).
            let blank: DevCtx = revm::context::Context::new(DevDb::default(), SPEC);
            let owned = std::mem::replace(ctx, blank);
            let mut evm: DevEvm<Forward> = Evm::new_with_inspector(
                owned,
                Forward(inspector),
                instructions::<DevCtx>(),
                precompiles,
            );
            let r = MainnetHandler::<DevEvm<Forward>, NestedError, EthFrame>::default()
                .inspect_run_exec_loop(&mut evm, init);
            *ctx = evm.ctx;
            r
        }
    };
    parent.free_child_context();
    result.map_err(|e| e.to_string())
}

/// Runs a call frame from native code. The caller is responsible for charging gas (the
/// forwarded `inputs.gas_limit`, access and value costs) and for loading the target account
/// into the journal (value transfers require it). `inputs.known_bytecode` must hold the code
/// to run (use [`load_code`]).
pub fn nested_call(ctx: &mut DevCtx, inputs: CallInputs) -> Result<CallOutcome, String> {
    match run_frame(ctx, FrameInput::Call(Box::new(inputs)))? {
        FrameResult::Call(outcome) => Ok(outcome),
        FrameResult::Create(_) => Err("nested call returned a create outcome".into()),
    }
}

/// Runs a create frame from native code (CREATE or CREATE2 by `inputs.scheme()`). No EIP-3860
/// initcode limit or word cost is applied here (Nitro's Stylus create path does not apply them).
pub fn nested_create(ctx: &mut DevCtx, inputs: CreateInputs) -> Result<CreateOutcome, String> {
    match run_frame(ctx, FrameInput::Create(Box::new(inputs)))? {
        FrameResult::Create(outcome) => Ok(outcome),
        FrameResult::Call(_) => Err("nested create returned a call outcome".into()),
    }
}
