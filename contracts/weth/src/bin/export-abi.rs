//! Prints the contract's Solidity interface followed by its events (built natively with
//! `--features export-abi`; used by `stylus-yield abi`).
fn main() {
    weth::print_from_args();
    for event in weth::EVENTS_SOL {
        println!("{event};");
    }
}
