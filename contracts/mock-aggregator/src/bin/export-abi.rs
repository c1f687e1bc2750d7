//! Prints the contract's Solidity interface followed by its events (built natively with
//! `--features export-abi`; used by `stylus-yield abi`).
fn main() {
    mock_aggregator::print_from_args();
    for event in mock_aggregator::EVENTS_SOL {
        println!("{event};");
    }
}
