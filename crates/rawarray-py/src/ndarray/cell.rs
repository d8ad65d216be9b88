//! The core array inside an `ndarray` object, replaceable in place for `a.shape = ...`.
//!
//! NumPy lets Python code change an array's shape in place. Everything else in the binding
//! reads the array through a shared reference, often for a long time: across calls back into
//! Python (`__index__`, `__array__`, warnings) and across whole kernels run with the GIL
//! released. So a reader *pins* the cell while it holds a reference, and the one writer (the
//! shape setter) refuses to replace the array while any pin is live.
//!
//! The pin count is only changed while the GIL is held (pinning needs a `Python` token, and a
//! pin is neither `Send` nor `Sync`, so it is dropped on the thread that made it, outside any
//! `detach` closure). The GIL therefore serialises every update, and plain loads and stores
//! suffice: no atomic read-modify-write on the hot path of every array operation.

use std::cell::UnsafeCell;
use std::marker::PhantomData;
use std::ops::Deref;
use std::sync::atomic::{AtomicUsize, Ordering};

use pyo3::Python;
use rawarray_core::array::Array;

/// An `Array` that readers pin and the shape setter may replace when nobody holds it.
pub struct ArrayCell {
    value: UnsafeCell<Array>,
    pins: AtomicUsize,
}

// SAFETY: the `Array` inside is `Sync`; it is only replaced through `replace`, which needs the
// GIL and no live pin, and every shared reference handed out is tied to a live pin (see the
// module comment), so no reference observes the write.
unsafe impl Sync for ArrayCell {}

impl ArrayCell {
    /// A cell holding `array`.
    pub fn new(array: Array) -> Self {
        ArrayCell { value: UnsafeCell::new(array), pins: AtomicUsize::new(0) }
    }

    /// Pins the array and returns a guard that reads it.
    #[inline]
    pub fn pin(&self, _py: Python<'_>) -> Pinned<'_> {
        // The GIL (proved by `_py`) serialises every change of the count; see the module comment.
        self.pins.store(self.pins.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
        Pinned { cell: self, _not_send: PhantomData }
    }

    /// Replaces the array and returns true, unless a pin is live (then returns false).
    pub fn replace(&self, _py: Python<'_>, array: Array) -> bool {
        if self.pins.load(Ordering::Relaxed) != 0 {
            return false;
        }
        // SAFETY: the GIL is held (`_py`), so no other thread changes the count or pins now;
        // the count is zero, so no reference into the cell is alive (every one is tied to a
        // pin). The old array is dropped after the write, outside any borrow.
        let old = unsafe { std::mem::replace(&mut *self.value.get(), array) };
        drop(old);
        true
    }
}

/// A live pin: dereferences to the array. Neither `Send` nor `Sync`: it is made and dropped
/// with the GIL held on one thread; code that releases the GIL passes on `&Array` instead.
pub struct Pinned<'a> {
    cell: &'a ArrayCell,
    _not_send: PhantomData<*const ()>,
}

impl Deref for Pinned<'_> {
    type Target = Array;

    #[inline]
    fn deref(&self) -> &Array {
        // SAFETY: this pin is live, so `replace` cannot run while the reference is in use.
        unsafe { &*self.cell.value.get() }
    }
}

impl Drop for Pinned<'_> {
    #[inline]
    fn drop(&mut self) {
        // The pin was made with the GIL held and, being neither Send nor Sync, cannot have left
        // the thread or entered a `detach` closure, so the GIL is held here too.
        let p = &self.cell.pins;
        p.store(p.load(Ordering::Relaxed) - 1, Ordering::Relaxed);
    }
}
