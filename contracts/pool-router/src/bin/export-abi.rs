//! Prints the contract's Solidity interface followed by its events (built natively with
//! `--features export-abi`; used by `stylus-yield abi`).
fn main() {
    pool_router::print_from_args();
}
