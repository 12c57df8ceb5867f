//! Peak memory of the rewrite of one large file, relative to the parse alone: the rewrite must
//! not hold the original tree and the reparsed one at once. Its own test binary, because it counts
//! every allocation of the process (Rust's and tree-sitter's, routed through Rust's allocator).

use mesh_rewrite::parse::parse;
use mesh_rewrite::rewrite::{rewrite_file, rule::Rule};
use std::alloc::{GlobalAlloc, Layout, System};
use std::os::raw::c_void;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

struct Counting;

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        CURRENT.fetch_sub(layout.size(), Relaxed);
        grow(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

fn grow(bytes: usize) {
    let now = CURRENT.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(now, Relaxed);
}

#[global_allocator]
static GLOBAL: Counting = Counting;

// tree-sitter's C allocations, through Rust's allocator with the size kept in a header.
const HEADER: usize = 16;

fn layout(size: usize) -> Layout {
    Layout::from_size_align(size + HEADER, HEADER).unwrap()
}

unsafe extern "C" fn ts_malloc(size: usize) -> *mut c_void {
    unsafe {
        let base = std::alloc::alloc(layout(size));
        (base as *mut usize).write(size);
        base.add(HEADER).cast()
    }
}

unsafe extern "C" fn ts_calloc(count: usize, size: usize) -> *mut c_void {
    unsafe {
        let total = count * size;
        let base = std::alloc::alloc_zeroed(layout(total));
        (base as *mut usize).write(total);
        base.add(HEADER).cast()
    }
}

unsafe extern "C" fn ts_realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
    if ptr.is_null() {
        return unsafe { ts_malloc(size) };
    }
    unsafe {
        let base = (ptr as *mut u8).sub(HEADER);
        let old = (base as *mut usize).read();
        let base = std::alloc::realloc(base, layout(old), size + HEADER);
        (base as *mut usize).write(size);
        base.add(HEADER).cast()
    }
}

unsafe extern "C" fn ts_free(ptr: *mut c_void) {
    if !ptr.is_null() {
        unsafe {
            let base = (ptr as *mut u8).sub(HEADER);
            std::alloc::dealloc(base, layout((base as *mut usize).read()));
        }
    }
}

/// Peak bytes allocated while `f` runs, above what was allocated before.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = CURRENT.load(Relaxed);
    PEAK.store(base, Relaxed);
    let value = f();
    (value, PEAK.load(Relaxed) - base)
}

#[test]
fn rewriting_a_large_file_holds_one_tree_at_a_time() {
    // SAFETY: the first tree-sitter call of this process (one test in this binary), before any tree exists.
    unsafe {
        tree_sitter::set_allocator(Some(tree_sitter::Allocator {
            malloc: ts_malloc,
            calloc: ts_calloc,
            realloc: ts_realloc,
            free: ts_free,
        }));
    }
    // A one-line expression past 1 MB with a lookup in it: the rewrite edits it and reparses.
    let items = vec!["1"; 400_000].join(", ");
    let text = format!("fn main() do\n  let x = [Process.whereis(\"mesher_registry\"), {items}]\nend\n");
    assert!(text.len() > 1 << 20);

    let (parsed, one_tree) = peak_of(|| parse(&text));
    drop(parsed);
    let (rewritten, rewrite) = peak_of(|| rewrite_file("main.mpl", &text, &Rule::default()));
    assert_eq!(rewritten.path(), "main.mpl");
    let ratio = rewrite as f64 / one_tree as f64;
    eprintln!(
        "input {:.1} MB: parse peak {:.0} MB ({:.0}×), rewrite peak {:.0} MB ({ratio:.2}× the parse)",
        text.len() as f64 / 1e6,
        one_tree as f64 / 1e6,
        one_tree as f64 / text.len() as f64,
        rewrite as f64 / 1e6
    );
    // Two trees at once would be about 2×; the texts (original, rewritten) add a little.
    assert!(ratio < 1.4, "the rewrite peaks at {ratio:.2}× the parse alone");
}
