//! `uniffi-bindgen`: generates the Kotlin and Swift sources of `arichat-mobile` from the
//! built library (library mode), e.g.
//! `cargo run -p arichat-uniffi-bindgen -- generate --library target/debug/libarichat_mobile.so --language kotlin --out-dir out`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
