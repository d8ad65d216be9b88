//! Where the bytes live and who frees them.
//!
//! A [`Buffer`] is a pointer, a byte length, a may-be-written bit and an owner that keeps
//! the memory alive: either our own 64-byte aligned allocation or an opaque foreign
//! keep-alive (a held Python buffer export, a Python object, a DLPack deleter, a map).
//! Cloning is an `Arc` increment; the memory is released when the last clone drops.
//!
//! Invariant: `ptr..ptr + len` is valid for reads (and for writes when `writable`) for as
//! long as any clone of the `Buffer` lives; `ptr` is never null.

use std::alloc::{self, Layout as AllocLayout};
use std::any::Any;
use std::mem::ManuallyDrop;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::bail;
use crate::error::Result;

/// Alignment of every allocation rawarray makes itself (one cache line; enough for AVX-512).
pub const ALIGNMENT: usize = 64;

/// Buffers of at least this many bytes are mapped directly with huge pages requested
/// (NumPy's threshold for its huge-page advice).
pub const HUGE_PAGE_THRESHOLD: usize = 4 << 20;

/// The transparent huge page size on x86-64 and aarch64 Linux.
#[cfg(target_os = "linux")]
const HUGE_PAGE: usize = 2 << 20;

/// Buffers for results that are overwritten anyway ([`Buffer::for_overwrite`]) are mapped,
/// and recycled after use, from this size on: below it the allocator's own reuse is as good.
#[cfg(target_os = "linux")]
const RECYCLE_THRESHOLD: usize = 256 << 10;

/// The length of the mapping made for `len` bytes: whole huge pages for huge-page-sized
/// buffers, whole 4 KiB pages otherwise.
#[cfg(target_os = "linux")]
fn map_len(len: usize) -> Option<usize> {
    let unit = if len >= HUGE_PAGE_THRESHOLD { HUGE_PAGE } else { 4096 };
    Some(len.checked_add(unit - 1)? & !(unit - 1))
}

/// Asks for transparent huge pages behind the whole huge pages inside `ptr..ptr + len`,
/// memory that is about to be written for the first time (a large Python `bytes` object,
/// say): its first touch then costs a few dozen page faults instead of thousands. Only a
/// hint; does nothing below [`HUGE_PAGE_THRESHOLD`] or off Linux.
pub fn advise_huge_pages(ptr: *mut u8, len: usize) {
    #[cfg(target_os = "linux")]
    if len >= HUGE_PAGE_THRESHOLD {
        let start = (ptr as usize).next_multiple_of(HUGE_PAGE);
        let end = (ptr as usize).saturating_add(len) & !(HUGE_PAGE - 1);
        if end > start {
            // SAFETY: the advice changes no memory contents and no mapping's permissions; on
            // a range that is not mapped the call merely fails, and its result is ignored.
            unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (ptr, len);
}

enum Storage {
    /// Allocated by [`Buffer::zeroed`]: the allocation's start and layout (`ptr` is this
    /// start rounded up to [`ALIGNMENT`]).
    Owned(NonNull<u8>, AllocLayout),
    /// No allocation: a zero-length buffer at an aligned dangling pointer.
    Empty,
    /// A private anonymous mapping of this many bytes at `ptr`, asked to use huge pages.
    #[cfg(target_os = "linux")]
    Mapped(usize),
    /// Someone else's memory, kept alive by this owner until the buffer drops.
    Foreign(#[allow(dead_code, reason = "held only to be dropped")] Box<dyn Any + Send + Sync>),
}

struct Inner {
    ptr: NonNull<u8>,
    /// The length in bytes. Atomic only so that a cached small buffer (held by one handle)
    /// can be resized through a shared `Arc` without the locked instruction of
    /// `Arc::get_mut`; it never changes while the buffer is shared.
    len: AtomicUsize,
    writable: bool,
    storage: Storage,
}

// SAFETY: `Inner` only hands out the raw pointer; the memory it points to is either our
// own allocation or foreign memory whose owner is `Send + Sync`. Synchronising reads and
// writes through the pointer is the caller's job, as for any raw pointer.
unsafe impl Send for Inner {}
// SAFETY: as for `Send`: no interior state is reachable through `&Inner` except the raw
// pointer and plain-old-data fields.
unsafe impl Sync for Inner {}

impl Drop for Inner {
    fn drop(&mut self) {
        match self.storage {
            Storage::Owned(start, layout) => {
                // SAFETY: `start` was returned by `alloc_zeroed(layout)` in `Buffer::zeroed`
                // and is freed exactly once, here, when the last `Arc` clone goes away.
                unsafe { alloc::dealloc(start.as_ptr(), layout) };
            }
            #[cfg(target_os = "linux")]
            Storage::Mapped(maplen) => recycle::give_back(self.ptr, maplen),
            _ => {}
        }
    }
}

/// Recycling of large mappings. A fresh mapping costs a page fault (and the kernel's
/// zeroing) per page on first touch: for a 10^7-element float64 result that is as much
/// time as the arithmetic. Freed mappings are kept in a small cache and handed to
/// [`Buffer::for_overwrite`], whose callers overwrite every byte, so repeated large
/// operations reuse memory that is already mapped. The cache is bounded in count and bytes,
/// oldest entries are unmapped first.
#[cfg(target_os = "linux")]
mod recycle {
    use std::ptr::NonNull;
    use std::sync::Mutex;

    /// At most this many mappings are kept.
    const MAX_COUNT: usize = 16;
    /// At most this many bytes are kept in all.
    const MAX_BYTES: usize = 512 << 20;

    /// Cached mappings as (address, length); addresses are plain integers so the static is
    /// `Send`.
    static CACHE: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());

    fn unmap(addr: usize, maplen: usize) {
        // SAFETY: `addr..addr+maplen` is a whole mapping made by `Buffer::map_zeroed` that no
        // live buffer uses (its owner dropped it and the cache held the only record).
        unsafe { libc::munmap(addr as *mut libc::c_void, maplen) };
    }

    /// Takes a cached mapping of at least `maplen` bytes and at most twice that.
    pub(super) fn take(maplen: usize) -> Option<(NonNull<u8>, usize)> {
        let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
        let best = cache
            .iter()
            .enumerate()
            .filter(|(_, &(_, l))| l >= maplen && l / 2 <= maplen)
            .min_by_key(|(_, &(_, l))| l)
            .map(|(k, _)| k)?;
        let (addr, l) = cache.swap_remove(best);
        Some((NonNull::new(addr as *mut u8)?, l))
    }

    /// Keeps a mapping whose buffer was dropped, or unmaps it when it does not fit.
    pub(super) fn give_back(ptr: NonNull<u8>, maplen: usize) {
        let addr = ptr.as_ptr() as usize;
        if maplen > MAX_BYTES / 2 {
            return unmap(addr, maplen);
        }
        let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
        cache.push((addr, maplen));
        let mut total: usize = cache.iter().map(|&(_, l)| l).sum();
        while cache.len() > MAX_COUNT || total > MAX_BYTES {
            let (a, l) = cache.remove(0);
            total -= l;
            unmap(a, l);
        }
    }
}

/// Reuse of small allocations. Every small array would otherwise cost two trips through
/// the system allocator (the shared `Inner` and its bytes), which is most of the cost of
/// creating a 10-element array; NumPy keeps a cache of small data blocks for the same reason.
/// Buffers of at most [`small::MAX`] bytes are allocated in classes of 64 bytes; when the last
/// handle of one drops, its `Inner` (with the bytes) goes to a per-thread cache of its class,
/// and the next small buffer of that class on this thread takes it back.
mod small {
    use std::cell::RefCell;
    use std::sync::Arc;

    use super::{Inner, Ordering, Storage, ALIGNMENT};

    /// The largest buffer (in bytes) that is cached.
    pub(super) const MAX: usize = 1024;
    /// Size classes: 64, 128, ..., `MAX` bytes.
    const CLASSES: usize = MAX / 64;
    /// Buffers kept per class and thread.
    const PER_CLASS: usize = 16;

    thread_local! {
        static CACHE: RefCell<[Vec<Arc<Inner>>; CLASSES]> = const { RefCell::new([const { Vec::new() }; CLASSES]) };
    }

    /// The bytes allocated for a small buffer of `len` (1..=MAX) bytes: its class.
    pub(super) fn class_bytes(len: usize) -> usize {
        len.next_multiple_of(64)
    }

    /// A cached `Inner` of the class of `len` (1..=MAX) bytes, now `len` bytes long (its
    /// contents are whatever the previous user left: initialised bytes).
    pub(super) fn take(len: usize) -> Option<Arc<Inner>> {
        let class = class_bytes(len) / 64 - 1;
        let inner = CACHE.try_with(|c| c.try_borrow_mut().ok()?[class].pop()).ok().flatten()?;
        // The cache held the only handle (see `give_back`), so nothing else reads `len`.
        inner.len.store(len, Ordering::Relaxed);
        Some(inner)
    }

    /// Keeps the `Inner` of a dropped small buffer for reuse when this was its last handle,
    /// else drops the handle.
    pub(super) fn give_back(inner: Arc<Inner>) {
        // Views share their buffer: plain loads send them to the ordinary drop. No `Weak`
        // of an `Inner` is ever made, so a count of one (ours) cannot grow behind our back.
        if Arc::strong_count(&inner) != 1 || Arc::weak_count(&inner) != 0 {
            return;
        }
        let class = match inner.storage {
            Storage::Owned(_, layout) if layout.size() <= MAX + ALIGNMENT => (layout.size() - ALIGNMENT) / 64 - 1,
            _ => return,
        };
        // Pairs with the release decrement of the last other handle's drop (the count we
        // read was written by it), so every use of the bytes through it happens before
        // their reuse, as `Arc`'s own drop ensures before freeing.
        std::sync::atomic::fence(Ordering::Acquire);
        // During thread teardown (or a re-entrant drop) the handle is simply dropped.
        let _ = CACHE.try_with(|c| {
            if let Ok(mut c) = c.try_borrow_mut() {
                if c[class].len() < PER_CLASS {
                    c[class].push(inner);
                }
            }
        });
    }
}

/// A reference-counted byte buffer; see the module docs.
#[derive(Clone)]
pub struct Buffer {
    /// Dropped by hand in `Drop`, which may cache a small allocation for reuse.
    inner: ManuallyDrop<Arc<Inner>>,
}

impl Drop for Buffer {
    fn drop(&mut self) {
        // SAFETY: `inner` is taken exactly once, here, and never used afterwards.
        let inner = unsafe { ManuallyDrop::take(&mut self.inner) };
        small::give_back(inner);
    }
}

impl Buffer {
    fn wrap(inner: Inner) -> Buffer {
        Buffer { inner: ManuallyDrop::new(Arc::new(inner)) }
    }
}

impl std::fmt::Debug for Buffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Buffer").field("ptr", &self.inner.ptr).field("len", &self.len()).finish()
    }
}

fn dangling() -> NonNull<u8> {
    // An aligned, non-null address that is never dereferenced (zero-length buffers only).
    NonNull::new(ALIGNMENT as *mut u8).expect("ALIGNMENT is non-zero")
}

impl Buffer {
    /// Allocates `len` zeroed bytes aligned to [`ALIGNMENT`].
    ///
    /// Zeroed memory from the allocator costs no more than uninitialised memory for large
    /// sizes (the kernel hands out zero pages lazily) and means no byte is ever undefined.
    ///
    /// # Errors
    /// `Memory` when the size is too large or the allocation fails.
    pub fn zeroed(len: usize) -> Result<Buffer> {
        if len == 0 {
            return Ok(Buffer::wrap(Inner {
                ptr: dangling(),
                len: AtomicUsize::new(0),
                writable: true,
                storage: Storage::Empty,
            }));
        }
        if len <= small::MAX {
            let b = Buffer::small(len)?;
            // SAFETY: the buffer is fresh (or a cached one nobody else holds), and `len`
            // bytes from its pointer are writable.
            unsafe { b.as_ptr().write_bytes(0, len) };
            return Ok(b);
        }
        #[cfg(target_os = "linux")]
        if len >= HUGE_PAGE_THRESHOLD {
            if let Some(b) = Buffer::map_zeroed(len) {
                return Ok(b);
            }
        }
        Buffer::allocate(len, len)
    }

    /// A small buffer (`1..=small::MAX` bytes) from this thread's cache, or newly allocated
    /// in its size class; its contents are initialised but unspecified.
    fn small(len: usize) -> Result<Buffer> {
        if let Some(inner) = small::take(len) {
            return Ok(Buffer { inner: ManuallyDrop::new(inner) });
        }
        Buffer::allocate(len, small::class_bytes(len))
    }

    /// Allocates zeroed memory for `capacity` bytes (at least `len`) aligned to
    /// [`ALIGNMENT`], as a buffer of `len` bytes.
    fn allocate(len: usize, capacity: usize) -> Result<Buffer> {
        debug_assert!(capacity >= len && len > 0);
        // Ask for 16-byte alignment plus slack and align the pointer ourselves: with an
        // alignment above 16 the system allocator zeroes with memset (touching every page),
        // while at 16 it uses calloc, whose large blocks are fresh zero pages from mmap.
        let Some(padded) = capacity.checked_add(ALIGNMENT) else {
            bail!(Memory, "Unable to allocate {} bytes: the size is too large", len);
        };
        let Ok(layout) = AllocLayout::from_size_align(padded, 16) else {
            bail!(Memory, "Unable to allocate {} bytes: the size is too large", len);
        };
        // SAFETY: `layout` has a non-zero size (`padded > len > 0`).
        let start = unsafe { alloc::alloc_zeroed(layout) };
        let Some(start) = NonNull::new(start) else {
            bail!(Memory, "Unable to allocate {} bytes for an array", len);
        };
        let shift = start.as_ptr().align_offset(ALIGNMENT);
        debug_assert!(shift < ALIGNMENT);
        // SAFETY: `shift < ALIGNMENT`, so `start + shift .. start + shift + len` lies inside
        // the `len + ALIGNMENT` bytes just allocated.
        let ptr = unsafe { start.add(shift) };
        Ok(Buffer::wrap(Inner {
            ptr,
            len: AtomicUsize::new(len),
            writable: true,
            storage: Storage::Owned(start, layout),
        }))
    }

    /// Allocates `len` bytes aligned to [`ALIGNMENT`] whose contents are unspecified but
    /// initialised (never undefined bytes): for results that are about to be overwritten.
    ///
    /// # Errors
    /// As for [`Buffer::zeroed`].
    pub fn for_overwrite(len: usize) -> Result<Buffer> {
        #[cfg(target_os = "linux")]
        if len >= RECYCLE_THRESHOLD {
            if let Some(maplen) = map_len(len) {
                if let Some((ptr, maplen)) = recycle::take(maplen) {
                    return Ok(Buffer::wrap(Inner {
                        ptr,
                        len: AtomicUsize::new(len),
                        writable: true,
                        storage: Storage::Mapped(maplen),
                    }));
                }
            }
            // A mapping of its own, so that it can be recycled when it is dropped.
            if let Some(b) = Buffer::map_zeroed(len) {
                return Ok(b);
            }
        }
        if (1..=small::MAX).contains(&len) {
            // Cached bytes hold old (initialised) values, which is all this promises.
            return Buffer::small(len);
        }
        Buffer::zeroed(len)
    }

    /// A fresh anonymous mapping for large buffers, with transparent huge pages requested:
    /// a 10^7-element result then costs a few dozen page faults instead of thousands (what
    /// NumPy gets from its own `madvise(MADV_HUGEPAGE)`). `None` when mapping fails, so the
    /// caller falls back to the allocator.
    #[cfg(target_os = "linux")]
    fn map_zeroed(len: usize) -> Option<Buffer> {
        let maplen = map_len(len)?;
        // SAFETY: an anonymous private mapping with no address hint touches no existing
        // memory; the result is checked against MAP_FAILED before use.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                maplen,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return None;
        }
        if len >= HUGE_PAGE_THRESHOLD {
            // SAFETY: `p..p+maplen` is the mapping just made; the advice is only a hint, so
            // its result does not matter.
            unsafe { libc::madvise(p, maplen, libc::MADV_HUGEPAGE) };
        }
        let ptr = NonNull::new(p.cast::<u8>())?;
        Some(Buffer::wrap(Inner { ptr, len: AtomicUsize::new(len), writable: true, storage: Storage::Mapped(maplen) }))
    }

    /// Copies `bytes` into a new owned buffer.
    ///
    /// # Errors
    /// `Memory` when the allocation fails.
    pub fn from_bytes(bytes: &[u8]) -> Result<Buffer> {
        let buf = Buffer::zeroed(bytes.len())?;
        // SAFETY: the new buffer owns `bytes.len()` fresh bytes that nothing else can see,
        // so the ranges are valid and do not overlap.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), buf.as_ptr(), bytes.len()) };
        Ok(buf)
    }

    /// Wraps memory owned by someone else. A null `ptr` is accepted only with `len == 0`.
    ///
    /// # Safety
    /// `ptr..ptr + len` must be valid for reads (and for writes if `writable`) for as long
    /// as `owner` is alive; the buffer keeps `owner` alive until its last clone drops, and
    /// drops it on whichever thread that happens.
    pub unsafe fn from_foreign(ptr: *mut u8, len: usize, writable: bool, owner: Box<dyn Any + Send + Sync>) -> Buffer {
        let (ptr, len) = match NonNull::new(ptr) {
            Some(p) => (p, len),
            None => {
                debug_assert_eq!(len, 0, "a null pointer with a non-zero length");
                (dangling(), 0)
            }
        };
        Buffer::wrap(Inner { ptr, len: AtomicUsize::new(len), writable, storage: Storage::Foreign(owner) })
    }

    /// The first byte.
    pub fn as_ptr(&self) -> *mut u8 {
        self.inner.ptr.as_ptr()
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.inner.len.load(Ordering::Relaxed)
    }

    /// True when the buffer holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when the memory may be written.
    pub fn is_writable(&self) -> bool {
        self.inner.writable
    }

    /// True when the memory is rawarray's own allocation (not foreign).
    pub fn is_owned(&self) -> bool {
        !matches!(self.inner.storage, Storage::Foreign(_))
    }

    /// True when both handles share one allocation.
    pub fn ptr_eq(&self, other: &Buffer) -> bool {
        Arc::ptr_eq(&*self.inner, &*other.inner)
    }

    /// The bytes as a slice.
    ///
    /// # Safety
    /// No one may write to the buffer while the slice lives (Python code can alias any
    /// buffer, so this is only for buffers the caller has not shared yet, or for tests).
    pub unsafe fn as_slice(&self) -> &[u8] {
        // SAFETY: the module invariant makes `ptr..ptr+len` readable; the caller promises
        // there is no concurrent writer.
        unsafe { std::slice::from_raw_parts(self.as_ptr(), self.len()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeroed_is_aligned_and_zero() {
        let b = Buffer::zeroed(1000).unwrap();
        assert_eq!(b.as_ptr() as usize % ALIGNMENT, 0);
        // SAFETY: the buffer is not shared.
        assert!(unsafe { b.as_slice() }.iter().all(|&x| x == 0));
        let e = Buffer::zeroed(0).unwrap();
        assert_eq!(e.as_ptr() as usize % ALIGNMENT, 0);
        assert!(Buffer::zeroed(usize::MAX - 10).is_err());
        let big = Buffer::zeroed(HUGE_PAGE_THRESHOLD + 3).unwrap();
        assert_eq!(big.as_ptr() as usize % ALIGNMENT, 0);
        // SAFETY: the buffer is not shared.
        assert!(unsafe { big.as_slice() }.iter().all(|&x| x == 0));
    }

    #[test]
    fn small_buffers_are_reused_zeroed_and_kept_while_shared() {
        let a = Buffer::for_overwrite(80).unwrap();
        assert_eq!(a.as_ptr() as usize % ALIGNMENT, 0);
        // SAFETY: `a` is not shared; it has 80 writable bytes.
        unsafe { a.as_ptr().write_bytes(9, 80) };
        let addr = a.as_ptr() as usize;
        let shared = a.clone();
        drop(a);
        // Still held by `shared`: a new buffer of the class must not reuse it.
        let b = Buffer::for_overwrite(100).unwrap();
        assert_ne!(b.as_ptr() as usize, addr);
        drop(b);
        drop(shared);
        // Now released: the same class (65..=128 bytes) takes it back, zeroed on request.
        let z = Buffer::zeroed(128).unwrap();
        assert_eq!(z.as_ptr() as usize, addr);
        assert_eq!(z.len(), 128);
        // SAFETY: the buffer is not shared.
        assert!(unsafe { z.as_slice() }.iter().all(|&x| x == 0));
        let w = Buffer::for_overwrite(1024).unwrap();
        assert_eq!(w.len(), 1024);
    }

    #[test]
    fn foreign_owner_dropped_with_last_clone() {
        let owner = Arc::new(vec![1u8, 2, 3]);
        let ptr = owner.as_ptr() as *mut u8;
        // SAFETY: the vector stays alive inside the owner for as long as the buffer does.
        let b = unsafe { Buffer::from_foreign(ptr, 3, false, Box::new(owner.clone())) };
        let c = b.clone();
        assert_eq!(Arc::strong_count(&owner), 2);
        drop(b);
        assert_eq!(Arc::strong_count(&owner), 2);
        drop(c);
        assert_eq!(Arc::strong_count(&owner), 1);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn large_buffers_for_overwrite_are_recycled_and_zeroed_ones_are_not() {
        // A size no other test uses, so the cache entry is ours.
        let len = 13 * HUGE_PAGE + 4321;
        let a = Buffer::for_overwrite(len).unwrap();
        assert_eq!(a.as_ptr() as usize % ALIGNMENT, 0);
        // SAFETY: `a` is not shared; the pointer covers `len` writable bytes.
        unsafe { a.as_ptr().write_bytes(7, len) };
        let addr = a.as_ptr() as usize;
        drop(a);
        let b = Buffer::for_overwrite(len - 100).unwrap();
        assert_eq!(b.as_ptr() as usize, addr);
        assert_eq!(b.len(), len - 100);
        drop(b);
        let z = Buffer::zeroed(len).unwrap();
        // SAFETY: the buffer is not shared.
        assert!(unsafe { z.as_slice() }.iter().all(|&x| x == 0));
    }
}
