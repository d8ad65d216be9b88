//! How new objects of our classes are made: kept out of Python's cycle collector, and,
//! after the first object of a class, written straight into the new object's memory.
//!
//! **Untracked.** PyO3 makes every `#[pyclass]` a garbage-collected type, so `tp_alloc`
//! puts each new array, scalar and dtype object on the collector's young list, and every
//! 700 allocations the collector walks whatever is still alive there. None of our classes
//! defines `__traverse__`: the collector cannot see through them to any object they hold,
//! so it can never find one of them in a cycle, and tracking them only costs time (a fifth
//! of `[x for x in a]` over 1000 elements, in the collector's walk). NumPy's arrays and
//! scalars are not collector-tracked either. Python subclasses of `ndarray` are made by
//! their own type's allocator and stay tracked, as their instance dictionaries need.
//!
//! **Placed.** `Bound::new` moves the Rust value through PyO3's initializer chain before
//! it lands in the object: for an array, about 150 bytes copied four or five times, and
//! each copy of freshly written fields stalls on store forwarding. That was a third of the
//! cost of `a.T` or `a[1:3]` (about 30 of 100 ns). So the first object of each class is
//! made by PyO3, and from it we learn where PyO3 keeps the Rust data (what `Bound::get`
//! points at) and check that PyO3's own per-object fields around it are all zero bytes
//! (the weakref list, and zero-sized borrow and thread checkers, in PyO3 0.30). Every
//! later object is allocated first (`PyObject_GC_New`: what the classes' `tp_alloc`,
//! `PyType_GenericAlloc`, does without zeroing the object and tracking it), and the caller's
//! `init` closure then writes the data straight into its place in the object; the rest is
//! zeroed: byte for byte the object PyO3 would make. `init` is called from one place, so it
//! is inlined and the data is built where it stays, not on the stack and then copied
//! (which would stall again). When `init` fails (a view whose key is found bad late), the
//! object is freed unmade. When the check fails, as it would if a PyO3 release put
//! non-zero state there, every object keeps going through `Bound::new`.

use std::mem::{align_of, size_of, MaybeUninit};
use std::sync::atomic::{AtomicUsize, Ordering};

use pyo3::prelude::*;
use pyo3::{ffi, PyClass};

/// Where a class's Rust data sits inside its objects: learned from the first object.
pub struct Placement(AtomicUsize);

/// Not learned yet.
const UNKNOWN: usize = 0;
/// Learned, and not usable: every object goes through PyO3.
const UNUSABLE: usize = usize::MAX;

impl Placement {
    /// Nothing learned yet.
    pub const fn new() -> Placement {
        Placement(AtomicUsize::new(UNKNOWN))
    }
}

/// Takes a new object off the collector's lists.
///
/// # Safety
/// `obj` is a live object of a garbage-collected type (every `#[pyclass]` is one), and the
/// GIL is held.
unsafe fn untrack(obj: *mut ffi::PyObject) {
    // SAFETY: per the contract. `PyObject_GC_UnTrack` accepts tracked and untracked objects
    // alike, so the untrack in PyO3's deallocator stays valid.
    unsafe { ffi::PyObject_GC_UnTrack(obj.cast()) }
}

/// A new, untracked object of `T` through PyO3's initializer (for classes without a
/// [`Placement`]).
pub fn new_untracked<T: PyClass>(py: Python<'_>, value: impl Into<PyClassInitializer<T>>) -> PyResult<Bound<'_, T>> {
    let obj = Bound::new(py, value)?;
    // SAFETY: `obj` is a live `#[pyclass]` object and `py` proves the GIL.
    unsafe { untrack(obj.as_ptr()) };
    Ok(obj)
}

/// A new, untracked object of exactly the class `T` holding the data `init` writes.
///
/// `init` is given the place for the data and returns what `MaybeUninit::write` returns
/// there; for an object after the first, that place is inside the new object, so the data
/// is built where it stays rather than on the stack and then copied (see the module
/// comment). The data must be the only Rust data of non-zero size in a `T` object: `T`
/// itself, or the data-holding base of a chain of zero-sized subclasses. `build` makes
/// PyO3's initializer from it, and `locate` finds it in an object PyO3 made (both used for
/// the first object only, and whenever the placement is unusable).
#[inline]
pub fn new_placed<'py, T: PyClass, D>(
    py: Python<'py>,
    place: &'static Placement,
    init: impl FnOnce(&mut MaybeUninit<D>) -> &mut D,
    build: impl FnOnce(D) -> PyClassInitializer<T>,
    locate: impl FnOnce(&Bound<'py, T>) -> *const D,
) -> PyResult<Bound<'py, T>> {
    try_new_placed(py, place, |slot| Ok(init(slot)), build, locate)
}

/// [`new_placed`] for data whose making can fail: when `init` returns an error, the new
/// object is freed unmade and the error returned.
#[inline]
pub fn try_new_placed<'py, T: PyClass, D>(
    py: Python<'py>,
    place: &'static Placement,
    init: impl FnOnce(&mut MaybeUninit<D>) -> PyResult<&mut D>,
    build: impl FnOnce(D) -> PyClassInitializer<T>,
    locate: impl FnOnce(&Bound<'py, T>) -> *const D,
) -> PyResult<Bound<'py, T>> {
    let offset = place.0.load(Ordering::Relaxed);
    let ty = T::type_object_raw(py);
    // SAFETY: a read of the live type object's allocator slot under the GIL.
    let alloc = unsafe { (*ty).tp_alloc };
    let learned = offset != UNKNOWN && offset != UNUSABLE;
    // In place: the offset is known and the type allocates as `PyType_GenericAlloc` does.
    let direct = learned && alloc.is_none_or(|f| std::ptr::fn_addr_eq(f, ffi::PyType_GenericAlloc as ffi::allocfunc));
    let mut local = MaybeUninit::<D>::uninit();
    let mut obj: *mut ffi::PyObject = std::ptr::null_mut();
    let slot: *mut MaybeUninit<D> = if direct {
        // SAFETY: `ty` is `T`'s live type object and the GIL is held. `PyObject_GC_New`
        // gives a new, untracked object of `tp_basicsize` bytes (or null with an exception
        // set), refcount 1, type set (and, for a heap type, a reference to it taken), other
        // bytes not yet written: what `PyType_GenericAlloc` (this type's `tp_alloc`,
        // checked above) does before it zeroes the object and hands it to the collector.
        // `learn` stored `offset` only after checking, on an object PyO3 made for this same
        // type, that the data (`size_of::<D>()` bytes, aligned for `D`) sits at `offset`
        // inside the object.
        unsafe {
            obj = ffi::PyObject_GC_New::<ffi::PyObject>(ty);
            if obj.is_null() {
                return Err(PyErr::fetch(py));
            }
            obj.cast::<u8>().add(offset).cast()
        }
    } else {
        &mut local
    };
    // The one call of `init`, so that it is inlined here and builds the data in place.
    // SAFETY: `slot` is valid for writes of a `D` (the local, or the place in the new object
    // above) and nothing else refers to it.
    let written: PyResult<*const D> = init(unsafe { &mut *slot }).map(|w| w as *const D);
    let written = match written {
        Ok(w) => w,
        Err(e) => {
            if direct {
                // SAFETY: `obj` is the new object from `PyObject_GC_New`, which nothing else
                // can reach; it is freed as it came (and the type's reference given back),
                // without its deallocator, which would read the unwritten data.
                unsafe {
                    ffi::PyObject_GC_Del(obj.cast());
                    if ffi::PyType_HasFeature(ty, ffi::Py_TPFLAGS_HEAPTYPE) != 0 {
                        ffi::Py_DECREF(ty.cast());
                    }
                }
            }
            return Err(e);
        }
    };
    if !std::ptr::eq(written, slot.cast::<D>()) {
        // A new object stays unreachable (leaked), never read or freed half-made.
        panic!("init must write the data in place");
    }
    if direct {
        // SAFETY: `init` wrote the data at `offset` (checked above), and `learn` checked that
        // every other byte of such an object from the header to `tp_basicsize` is zero in
        // the object PyO3 makes; zeroing them makes that object, a valid, owned `T`.
        return unsafe {
            zero_around::<D>(obj.cast(), offset, (*ty).tp_basicsize as usize);
            Ok(Bound::from_owned_ptr(py, obj).cast_into_unchecked())
        };
    }
    // SAFETY: `init` wrote `local` (the checked place above).
    let data = unsafe { local.assume_init() };
    match alloc {
        Some(alloc) if learned => {
            // SAFETY: as in `copy_into`'s contract: `alloc` is `ty`'s own allocator.
            unsafe { copy_into(py, ty, alloc, offset, data) }
        }
        _ => learn(py, place, data, build, locate),
    }
}

/// Zeroes the bytes of a new object of `end` bytes outside its header and outside the
/// `size_of::<D>()` bytes of data at `offset`.
///
/// # Safety
/// `bytes` is a new object of `end` bytes with `size_of::<PyObject>() <= offset` and
/// `offset + size_of::<D>() <= end`.
#[inline]
unsafe fn zero_around<D>(bytes: *mut u8, offset: usize, end: usize) {
    let header = size_of::<ffi::PyObject>();
    let after = offset + size_of::<D>();
    // SAFETY: both ranges lie inside the object (contract).
    unsafe {
        zero(bytes.add(header), offset - header);
        zero(bytes.add(after), end - after);
    }
}

/// Zeroes `n` bytes at `p`, without a `memset` call for the usual sizes (nothing, or the
/// one weakref pointer PyO3 keeps after the data).
///
/// # Safety
/// `p..p + n` is writable.
#[inline(always)]
unsafe fn zero(p: *mut u8, n: usize) {
    // SAFETY: per the contract; the 8-byte store is unaligned-safe.
    unsafe {
        match n {
            0 => {}
            8 => p.cast::<u64>().write_unaligned(0),
            _ => std::ptr::write_bytes(p, 0, n),
        }
    }
}

/// A new object from a type whose `tp_alloc` is its own (none of ours today: the fallback
/// should a class get a free list or another allocator), with `data` moved in at the learned
/// `offset`.
///
/// # Safety
/// `ty` is the live type object of `T`, `alloc` its `tp_alloc`, the GIL is held, and
/// `offset` was stored by `learn` for this type.
#[inline]
unsafe fn copy_into<'py, T: PyClass, D>(
    py: Python<'py>,
    ty: *mut ffi::PyTypeObject,
    alloc: ffi::allocfunc,
    offset: usize,
    data: D,
) -> PyResult<Bound<'py, T>> {
    // SAFETY: per the contract, `alloc` gives a new object of `tp_basicsize` bytes (or null
    // with an exception set), refcount 1, with the type set, tracked by the collector.
    // `learn` checked that `data` sits at `offset` in such an object and every other byte
    // past the header is zero, so zeroing those and writing `data` there makes the object
    // PyO3 would make.
    unsafe {
        let obj = alloc(ty, 0);
        if obj.is_null() {
            return Err(PyErr::fetch(py));
        }
        untrack(obj);
        let bytes = obj.cast::<u8>();
        zero_around::<D>(bytes, offset, (*ty).tp_basicsize as usize);
        std::ptr::write(bytes.add(offset).cast::<D>(), data);
        Ok(Bound::from_owned_ptr(py, obj).cast_into_unchecked())
    }
}

/// Makes the object through PyO3, and learns from it where `data` goes (see the module
/// comment).
#[cold]
fn learn<'py, T: PyClass, D>(
    py: Python<'py>,
    place: &'static Placement,
    data: D,
    build: impl FnOnce(D) -> PyClassInitializer<T>,
    locate: impl FnOnce(&Bound<'py, T>) -> *const D,
) -> PyResult<Bound<'py, T>> {
    let obj = new_untracked(py, build(data))?;
    if place.0.load(Ordering::Relaxed) != UNKNOWN {
        return Ok(obj);
    }
    let ty = T::type_object_raw(py);
    let start = obj.as_ptr() as usize;
    let header = size_of::<ffi::PyObject>();
    // SAFETY: reads of the type object's size fields under the GIL.
    let (end, items) = unsafe { ((*ty).tp_basicsize, (*ty).tp_itemsize) };
    let usable = (locate(&obj) as usize).checked_sub(start).filter(|&offset| {
        let after = offset + size_of::<D>();
        let fits = items == 0
            && std::ptr::eq(obj.as_any().get_type().as_type_ptr(), ty)
            && offset >= header
            // Every object is aligned for a `PyObject`; `D` must need no more.
            && align_of::<D>() <= align_of::<ffi::PyObject>()
            && offset.is_multiple_of(align_of::<D>())
            && usize::try_from(end).is_ok_and(|end| after <= end);
        fits && {
            let end = end as usize;
            // SAFETY: `obj` is a live object of `end` bytes (`tp_basicsize`, no items), so
            // both ranges are inside it; they are PyO3's own fields (or padding it wrote
            // zeroed) and are read as plain bytes.
            let zero = |from: usize, to: usize| unsafe {
                std::slice::from_raw_parts((start as *const u8).add(from), to - from).iter().all(|&b| b == 0)
            };
            zero(header, offset) && zero(after, end)
        }
    });
    place.0.store(usable.unwrap_or(UNUSABLE), Ordering::Relaxed);
    Ok(obj)
}
