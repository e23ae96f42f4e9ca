//! Link the `durand` binary as a non-PIE executable on Linux: its code is still compiled
//! position-independent, but the linker resolves the ~100k relative relocations at link time
//! instead of the dynamic loader at every start. A search is one short process, and those
//! relocations were about a third of its time (see BENCHMARKS.md).

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
