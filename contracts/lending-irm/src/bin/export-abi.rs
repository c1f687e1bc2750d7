//! Prints the contract's Solidity interface followed by its structs and events (built natively with
//! `--features export-abi`; used by `stylus-yield abi`).
fn main() {
    lending_irm::print_from_args();
    for st in lending_irm::STRUCTS_SOL {
        println!("{st}");
    }
    for event in lending_irm::EVENTS_SOL {
        println!("{event};");
    }
}
