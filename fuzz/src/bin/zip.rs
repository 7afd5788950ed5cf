//! AFL++ target `zip`: see `checks::check_zip`; besides, the bytes live at once while one
//! input is read must stay under a bound set by the size limit (a zip bomb is refused by
//! its size, never inflated into memory).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use recovery_fuzz::checks::{check_zip, ZIP_LIMIT_BYTES};

/// The system allocator, counting the bytes live now and the most live since the reset.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        System.dealloc(p, layout);
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Several copies of one member at the limit (packed, inflated, per reading thread) and
/// the input itself twice (as given and inside the export), with room for the rest.
const BOUND: usize = 16 * ZIP_LIMIT_BYTES as usize;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let base = LIVE.load(Relaxed);
        PEAK.store(base, Relaxed);
        if let Err(why) = check_zip(data) {
            panic!("{why}");
        }
        let used = PEAK.load(Relaxed).saturating_sub(base);
        assert!(
            used <= BOUND + 4 * data.len(),
            "{used} bytes live at once reading a {}-byte zip, over {BOUND} + 4 × its size",
            data.len()
        );
    });
}
