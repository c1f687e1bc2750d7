//! Prints the contract's Solidity interface followed by its events (built natively with
//! `--features export-abi`; used by `stylus-yield abi`).
fn main() {
    staking_vault::print_from_args();
    for event in staking_vault::events_sol() {
        println!("{event};");
    }
}
