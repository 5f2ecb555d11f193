//! Prints, as JSON, the 50-campaign bundle of the Rust campaign benchmark
//! (`crates/arichat-core/examples/support/bank_campaigns.rs`), so that `bench.sh` times
//! the Kotlin side on the very same campaigns.
//!
//! ```text
//! cargo run --release -p arichat-mobile --example bench_bundle > bundle.json
//! ```

#[path = "../../../crates/arichat-core/examples/support/bank_campaigns.rs"]
mod bank_campaigns;

fn main() {
    print!("{}", bank_campaigns::bundle().to_json());
}
