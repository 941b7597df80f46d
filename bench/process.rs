//! What the native benchmarks read of their own process on Linux: the processor time of the
//! thread and the resident memory (now and at its peak). Shared by the examples through
//! `#[path = "process.rs"] mod process;`.

/// Milliseconds of processor time this thread has used (`/proc/thread-self/schedstat`): on a
/// machine shared with other work, wall-clock time says more about the others.
pub fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e6)
}

/// (VmRSS, VmHWM) in KiB.
#[allow(dead_code)]
pub fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Resets the peak (VmHWM) to the current resident size (Linux 4.0 and later).
#[allow(dead_code)]
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// A worker's request replayed step by step: the resident size above the start after each step
/// and its peak during it (MiB), with the step's processor time (bench-clv and bench-lifecycle
/// `--worker`); with the example's `peak_alloc` allocator, also the heap's live bytes above the
/// start after the step and their peak since the start — what the worker's WebAssembly memory
/// grows to, which the resident size of this process (reusing memory freed before) hides.
#[allow(dead_code)]
pub struct MemorySteps {
    start: u64,
    heap: Option<(&'static peak_alloc::PeakAlloc, usize)>,
}

#[allow(dead_code)]
impl MemorySteps {
    /// Starts counting from the resident size now (the peak reset to it), and prints `what` with it.
    pub fn start(what: &str) -> MemorySteps {
        reset_peak();
        let (start, _) = memory_kib();
        println!(
            "{what} (above the {:.1} MiB resident at its start):",
            mib(start)
        );
        MemorySteps { start, heap: None }
    }

    /// [`MemorySteps::start`] with the heap's live bytes counted by `alloc` too.
    pub fn start_with_heap(what: &str, alloc: &'static peak_alloc::PeakAlloc) -> MemorySteps {
        let steps = MemorySteps::start(what);
        alloc.reset_peak_usage();
        MemorySteps {
            heap: Some((alloc, alloc.current_usage())),
            ..steps
        }
    }

    /// Prints step `name` that took `ms` of processor time, then resets the peak.
    pub fn step(&self, name: &str, ms: f64) {
        let (now, peak) = memory_kib();
        let heap = self.heap.map_or(String::new(), |(alloc, start)| {
            let above = |bytes: usize| bytes.saturating_sub(start) as f64 / 1048576.0;
            format!(
                "   heap +{:>7.1} MiB live, +{:>7.1} MiB at most so far",
                above(alloc.current_usage()),
                above(alloc.peak_usage())
            )
        });
        println!(
            "  {name:<24} {ms:>8.1} ms   resident +{:>7.1} MiB, peak +{:>7.1} MiB{heap}",
            mib(now.saturating_sub(self.start)),
            mib(peak.saturating_sub(self.start))
        );
        reset_peak();
    }
}

/// KiB as MiB.
#[allow(dead_code)]
fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// The heap's live bytes now and at their peak, in MiB, counted by `peak_alloc` when an example
/// makes it its global allocator (`#[global_allocator] static HEAP: peak_alloc::PeakAlloc =
/// peak_alloc::PeakAlloc;`). Unlike the resident size this sees memory the allocator kept from
/// earlier work and hands out again — and it is what a WebAssembly page's memory grows by,
/// which never gives anything back.
#[allow(dead_code)]
pub mod heap {
    /// Live bytes now and the peak since the last reset, in MiB.
    pub fn now_and_peak(alloc: &peak_alloc::PeakAlloc) -> (f64, f64) {
        (
            alloc.current_usage() as f64 / 1048576.0,
            alloc.peak_usage() as f64 / 1048576.0,
        )
    }
}
