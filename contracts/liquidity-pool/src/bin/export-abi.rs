//! Prints the contract's Solidity interface followed by its events (built natively with
//! `--features export-abi`; used by `stylus-yield abi`).
fn main() {
    liquidity_pool::print_from_args();
    for event in liquidity_pool::events_sol() {
        println!("{event};");
    }
}
