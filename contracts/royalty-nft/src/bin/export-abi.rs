//! Prints the contract's Solidity interface followed by its events (built natively with
//! `--features export-abi`; used by `stylus-yield abi`).
fn main() {
    royalty_nft::print_from_args();
    for event in royalty_nft::events_sol() {
        println!("{event};");
    }
}
