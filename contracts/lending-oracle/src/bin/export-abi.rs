//! Prints the contract's Solidity interface followed by its events (built natively with
//! `--features export-abi`; used by `stylus-yield abi`).
fn main() {
    lending_oracle::print_from_args();
    for event in lending_oracle::EVENTS_SOL {
        println!("{event};");
    }
}
