//! Process-wide settings under which the embedding model runs fastest on the CPU. They
//! belong to the program, not the library: a library that changed its host process's
//! environment or allocator would surprise whoever embeds it.

/// durand runs the model's forward passes in parallel itself (`Embedder::embed_many` on
/// rayon), so candle's own pool for element-wise operations only makes the two compete: its
/// workers spin waiting for calls that another pass holds the pool's lock for. One thread
/// per pass took embedding 400 SciFact abstracts from 54.6 s to 41.1 s on two cores
/// (BENCHMARKS.md). A value the user set is kept.
///
/// # Safety
/// It writes the environment (which candle reads once, when its pool first starts): call it
/// before the process starts a second thread.
pub(super) unsafe fn one_model_thread_per_pass() {
    const VAR: &str = "CANDLE_NUM_THREADS";
    // Set to nothing counts as not set.
    if std::env::var_os(VAR).is_none_or(|v| v.is_empty()) {
        // SAFETY: the caller promises that no other thread exists to read the environment.
        unsafe { std::env::set_var(VAR, "1") };
    }
}

/// The most threads a user's `CANDLE_NUM_THREADS` may ask one forward pass for: far more
/// than any machine's cores, far fewer than the thousands whose stacks fail to set up.
const MAX_MODEL_THREADS: usize = 256;

/// A `CANDLE_NUM_THREADS` the user set must be a whole number from 1 to
/// [`MAX_MODEL_THREADS`]: candle would abort on 100,000 and crawl on 1,000.
pub(super) fn check_model_threads() -> anyhow::Result<()> {
    let Some(value) = std::env::var_os("CANDLE_NUM_THREADS") else {
        return Ok(());
    };
    // Read as candle reads it (no spaces around).
    match value.to_str().and_then(|v| v.parse::<usize>().ok()) {
        Some(1..=MAX_MODEL_THREADS) => Ok(()),
        _ => anyhow::bail!(
            "$CANDLE_NUM_THREADS is {value:?}: give a whole number from 1 to {MAX_MODEL_THREADS} (the model's threads per pass), or unset it"
        ),
    }
}

/// Lets glibc's allocator keep the memory the model frees. A forward pass allocates and
/// frees tensors of megabytes by the dozen; by default glibc hands the top of the heap back
/// to the kernel after each and faults the pages in again for the next, which cost about a
/// sixth of an embedding run in kernel time. A generous top pad and a trim threshold no run
/// reaches keep the pages, at the price of the run's peak staying resident until it ends
/// (measured in BENCHMARKS.md: a run's kernel time fell from 38 s to 5 s and its peak moved
/// from 190 to 192 MiB). Elsewhere than glibc this does nothing.
pub(super) fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const MIB: libc::c_int = 1 << 20;
        // SAFETY: mallopt only sets allocator parameters; a value it refuses leaves the
        // default (it returns 0), which is only slower.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 32 * MIB);
            libc::mallopt(libc::M_TOP_PAD, 256 * MIB);
            libc::mallopt(libc::M_TRIM_THRESHOLD, libc::c_int::MAX);
        }
    }
}

/// What the last panic said and where, kept by [`quiet_panics`] for the one-line report.
static LAST_PANIC: std::sync::Mutex<Option<Panic>> = std::sync::Mutex::new(None);

/// A panic as the command layer reports it.
pub(super) struct Panic {
    /// Its message and place ("index out of bounds … in src/fieldnorm/reader.rs:131").
    pub what: String,
    /// Rust's own backtrace, when `RUST_BACKTRACE` asks for one.
    pub backtrace: Option<String>,
}

/// Panics are reported as one `durand:` line by the command layer ([`super::run`]) instead
/// of Rust's message and backtrace, whatever `RUST_BACKTRACE` says: most that can still
/// happen come from reading an index whose files were damaged behind its checksums' back
/// (tantivy asserts on what it reads), and the user's answer is the repair. `--verbose`
/// shows the panic, with the backtrace when `RUST_BACKTRACE` asks for one.
pub(super) fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let message = crate::report::panic_message(info.payload());
        // The crate and file, not the build machine's registry path.
        let at = info
            .location()
            .map(|l| {
                let parts: Vec<&str> = l.file().rsplit('/').take(3).collect();
                let file: Vec<&str> = parts.into_iter().rev().collect();
                format!(" in {}:{}", file.join("/"), l.line())
            })
            .unwrap_or_default();
        let backtrace = std::backtrace::Backtrace::capture();
        let backtrace = (backtrace.status() == std::backtrace::BacktraceStatus::Captured)
            .then(|| backtrace.to_string());
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(Panic {
                what: format!("{message}{at}"),
                backtrace,
            });
        }
    }));
}

/// The last panic, once.
pub(super) fn last_panic() -> Option<Panic> {
    LAST_PANIC.lock().ok().and_then(|mut last| last.take())
}
