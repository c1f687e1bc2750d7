//! Prints the contract's Solidity interface followed by its events (built natively with
//! `--features export-abi`; used by `stylus-yield abi`).
fn main() {
    test_token::print_from_args();
    for event in test_token::EVENTS_SOL {
        println!("{event};");
    }
}
