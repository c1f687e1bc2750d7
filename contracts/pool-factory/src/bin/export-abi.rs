//! Prints the contract's Solidity interface followed by its events (built natively with
//! `--features export-abi`; used by `stylus-yield abi`).
fn main() {
    pool_factory::print_from_args();
    for event in pool_factory::EVENTS_SOL {
        println!("{event};");
    }
}
