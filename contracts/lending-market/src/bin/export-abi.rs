//! Prints the contract's Solidity interface followed by its structs and events (built natively
//! with `--features export-abi`; used by `stylus-yield abi`, which expands the structs: the SDK's
//! export names struct types without declaring them).
fn main() {
    lending_market::print_from_args();
    for st in [
        "struct MarketParams { address loanToken; address collateralToken; address oracle; address irm; uint256 lltv; }",
        "struct Authorization { address authorizer; address authorized; bool isAuthorized; uint256 nonce; uint256 deadline; }",
        "struct Signature { uint8 v; bytes32 r; bytes32 s; }",
    ] {
        println!("{st}");
    }
    for event in lending_market::events_sol() {
        println!("{event};");
    }
}
