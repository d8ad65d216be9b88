//! `Array`: a buffer, a dtype and a checked layout. Views are further `Array`s on the same
//! buffer; the memory lives as long as any of them does.
//!
//! Invariant: `layout` was checked against `buffer` (see [`crate::layout`]), so every
//! element address `buffer.as_ptr() + offset + Σ i·stride` is inside the buffer.
//!
//! The per-array `writeable` flag of NumPy is a property of the Python object and lives in
//! the binding; here [`Buffer::is_writable`] says whether the memory may be written at all,
//! and every writing method checks it.

use smallvec::SmallVec;

use crate::buffer::Buffer;
use crate::dtype::{DType, Kind};
use crate::error::Result;
use crate::kernels::copy::{copy_strided, Swap};
use crate::kernels::mask::MaskWalk;
use crate::layout::{shape_str, Layout, Order, Shape, Strides};
use crate::scalar::Scalar;
use crate::{bail, ensure};

/// An N-dimensional view of typed elements in a buffer.
#[derive(Debug)]
pub struct Array {
    buffer: Buffer,
    dtype: DType,
    layout: Layout,
}

impl Clone for Array {
    /// Always inlined, so that a view built from a clone (`a.view()`) is written straight
    /// where it goes rather than returned through a temporary.
    #[inline(always)]
    fn clone(&self) -> Array {
        Array { buffer: self.buffer.clone(), dtype: self.dtype, layout: self.layout.clone() }
    }
}

/// One element of an array, found by [`Array::element`].
pub struct Element<'a> {
    array: &'a Array,
    /// Invariant: the address of an in-range element of `array`'s checked layout, so its
    /// `itemsize` bytes lie inside the buffer.
    ptr: *mut u8,
}

impl Element<'_> {
    /// The element type (of the array, in its byte order).
    #[inline]
    pub fn dtype(&self) -> DType {
        self.array.dtype
    }

    /// The element's value.
    #[inline]
    pub fn read(&self) -> Scalar {
        // SAFETY: `ptr` addresses a whole element inside the buffer (struct invariant).
        unsafe { Scalar::read(self.ptr, self.array.dtype) }
    }

    /// Writes `value`, which must be exact for the array's dtype.
    ///
    /// # Errors
    /// `Value` when the memory is read-only.
    #[inline]
    pub fn write(&self, value: &Scalar) -> Result<()> {
        self.array.check_writable()?;
        // SAFETY: `ptr` addresses a whole element inside the buffer (struct invariant),
        // which may be written (checked above).
        unsafe { value.write(self.ptr, self.array.dtype) };
        Ok(())
    }
}

/// Resolves a shape given with at most one `-1` against a known element count.
///
/// # Errors
/// `Value` for a second `-1`, other negative sizes, or a size mismatch.
pub fn resolve_shape(shape: &[isize], size: usize, old_shape: &[usize]) -> Result<Shape> {
    let mut unknown = None;
    let mut known: usize = 1;
    for (k, &d) in shape.iter().enumerate() {
        if d == -1 {
            ensure!(unknown.is_none(), Value, "can only specify one unknown dimension");
            unknown = Some(k);
        } else if d < 0 {
            bail!(Value, "negative dimensions not allowed");
        } else {
            known = known.checked_mul(d as usize).ok_or_else(|| {
                crate::error::Error::Value(
                    "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size."
                        .into(),
                )
            })?;
        }
    }
    let mut out: Shape = shape.iter().map(|&d| d.max(0) as usize).collect();
    let mismatch = || {
        // NumPy's spelling: unknown (-1) dimensions as new axes.
        let dims: Vec<Option<usize>> = shape.iter().map(|&d| usize::try_from(d).ok()).collect();
        let want = crate::layout::remapped_shape_str(&dims);
        crate::error::Error::Value(format!("cannot reshape array of size {} into shape {}", size, want))
    };
    let _ = old_shape;
    match unknown {
        Some(k) => {
            if known == 0 || !size.is_multiple_of(known) {
                return Err(mismatch());
            }
            out[k] = size / known;
        }
        None => {
            if known != size {
                return Err(mismatch());
            }
        }
    }
    Ok(out)
}

impl Array {
    /// Wraps a buffer with a dtype and a layout, checking the layout against the buffer.
    ///
    /// # Errors
    /// `Value` when any reachable byte is outside the buffer; `Type` for an unsized dtype.
    pub fn try_new(buffer: Buffer, dtype: DType, shape: &[usize], strides: &[isize], offset: usize) -> Result<Array> {
        let layout = Layout::try_new(shape, strides, offset, dtype.itemsize(), buffer.len())?;
        Ok(Array { buffer, dtype, layout })
    }

    /// Wraps a buffer with a layout derived from a checked one.
    ///
    /// # Safety
    /// `layout` must only reach bytes inside `buffer` for elements of `dtype`.
    #[inline]
    pub unsafe fn from_parts_unchecked(buffer: Buffer, dtype: DType, layout: Layout) -> Array {
        debug_assert!(
            Layout::try_new(layout.shape(), layout.strides(), layout.offset(), dtype.itemsize(), buffer.len()).is_ok(),
            "unchecked layout out of bounds"
        );
        Array { buffer, dtype, layout }
    }

    /// A new zero-filled array in its own memory.
    ///
    /// # Errors
    /// `Value` for a shape that overflows; `Memory` when allocation fails.
    #[inline]
    pub fn zeros(dtype: DType, shape: &[usize], order: Order) -> Result<Array> {
        Array::allocate(dtype, shape, order, Buffer::zeroed)
    }

    /// A new array in its own memory whose contents are unspecified (but initialised): for
    /// results that are about to be overwritten completely. Large buffers may be recycled
    /// from arrays freed earlier, which saves the page faults of fresh memory.
    ///
    /// # Errors
    /// As for [`Array::zeros`].
    #[inline]
    pub fn empty(dtype: DType, shape: &[usize], order: Order) -> Result<Array> {
        Array::allocate(dtype, shape, order, Buffer::for_overwrite)
    }

    #[inline]
    fn allocate(dtype: DType, shape: &[usize], order: Order, alloc: fn(usize) -> Result<Buffer>) -> Result<Array> {
        let (layout, nbytes) = Layout::contiguous_sized(shape, dtype.itemsize(), order)?;
        let buffer = alloc(nbytes).map_err(|_| {
            crate::error::Error::Memory(format!(
                "Unable to allocate {} for an array with shape {} and data type {}",
                human_bytes(nbytes),
                shape_str(shape),
                dtype.name()
            ))
        })?;
        Ok(Array { buffer, dtype, layout })
    }

    /// A new array filled with one value.
    ///
    /// # Errors
    /// As for [`Array::zeros`].
    pub fn full(dtype: DType, shape: &[usize], order: Order, value: &Scalar) -> Result<Array> {
        let a = Array::empty(dtype, shape, order)?;
        a.fill(value)?;
        Ok(a)
    }

    /// The buffer.
    pub fn buffer(&self) -> &Buffer {
        &self.buffer
    }

    /// The element type.
    pub fn dtype(&self) -> DType {
        self.dtype
    }

    /// The layout.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Elements per axis.
    pub fn shape(&self) -> &[usize] {
        self.layout.shape()
    }

    /// Byte strides per axis.
    pub fn strides(&self) -> &[isize] {
        self.layout.strides()
    }

    /// Number of axes.
    pub fn ndim(&self) -> usize {
        self.layout.ndim()
    }

    /// Number of elements.
    pub fn size(&self) -> usize {
        self.layout.size()
    }

    /// Bytes per element.
    pub fn itemsize(&self) -> usize {
        self.dtype.itemsize()
    }

    /// `size * itemsize`.
    pub fn nbytes(&self) -> usize {
        self.size() * self.itemsize()
    }

    /// Address of the first element (index 0 on every axis).
    pub fn data_ptr(&self) -> *mut u8 {
        self.buffer.as_ptr().wrapping_add(self.layout.offset())
    }

    /// NumPy's C_CONTIGUOUS flag.
    pub fn is_c_contiguous(&self) -> bool {
        self.layout.is_c_contiguous(self.itemsize())
    }

    /// NumPy's F_CONTIGUOUS flag.
    pub fn is_f_contiguous(&self) -> bool {
        self.layout.is_f_contiguous(self.itemsize())
    }

    /// NumPy's ALIGNED flag.
    pub fn is_aligned(&self) -> bool {
        self.layout.is_aligned(self.buffer.as_ptr() as usize, self.dtype.alignment())
    }

    /// True when the memory may be written.
    pub fn is_writable(&self) -> bool {
        self.buffer.is_writable()
    }

    /// Another view of the same buffer.
    ///
    /// # Safety
    /// As for [`Array::from_parts_unchecked`].
    #[inline(always)]
    pub unsafe fn view_unchecked(&self, dtype: DType, layout: Layout) -> Array {
        // SAFETY: forwarded from the caller.
        unsafe { Array::from_parts_unchecked(self.buffer.clone(), dtype, layout) }
    }

    pub(crate) fn check_writable(&self) -> Result<()> {
        ensure!(self.buffer.is_writable(), Value, "assignment destination is read-only");
        Ok(())
    }

    /// The address of the element at a (non-negative, in-range) index.
    ///
    /// # Errors
    /// `Index` when the index has the wrong length or is out of range.
    pub fn element_ptr(&self, index: &[usize]) -> Result<*mut u8> {
        ensure!(index.len() == self.ndim(), Index, "wrong number of indices");
        let mut pos = self.layout.offset() as isize;
        for (k, (&i, (&d, &s))) in index.iter().zip(self.shape().iter().zip(self.strides())).enumerate() {
            ensure!(i < d, Index, "index {} is out of bounds for axis {} with size {}", i, k, d);
            pos += i as isize * s;
        }
        Ok(self.buffer.as_ptr().wrapping_offset(pos))
    }

    /// Reads one element.
    ///
    /// # Errors
    /// As for [`Array::element_ptr`].
    pub fn get(&self, index: &[usize]) -> Result<Scalar> {
        let p = self.element_ptr(index)?;
        // SAFETY: `p` is an in-range element of a checked layout, so its bytes are inside
        // the buffer.
        Ok(unsafe { Scalar::read(p, self.dtype) })
    }

    /// The element at `index`, one integer per axis, each counting from the end of its
    /// axis when negative (NumPy's `a[i, j]`), to read or write in place. Resolving the
    /// index first lets a caller raise NumPy's index errors before converting a value.
    ///
    /// # Errors
    /// `Index` with NumPy's message for a wrong number of indices or one out of range.
    #[inline]
    pub fn element(&self, index: &[isize]) -> Result<Element<'_>> {
        let nd = self.ndim();
        ensure!(
            index.len() == nd,
            Index,
            "too many indices for array: array is {}-dimensional, but {} were indexed",
            nd,
            index.len()
        );
        let mut pos = self.layout.offset() as isize;
        for (k, (&i, (&d, &s))) in index.iter().zip(self.shape().iter().zip(self.strides())).enumerate() {
            let n = d as isize;
            let j = if i < 0 { i + n } else { i };
            ensure!(j >= 0 && j < n, Index, "index {} is out of bounds for axis {} with size {}", i, k, d);
            pos += j * s;
        }
        Ok(Element { array: self, ptr: self.buffer.as_ptr().wrapping_offset(pos) })
    }

    /// Element `i` of a 1-D array, counting from the end when negative (the `a[i]` fast
    /// path).
    ///
    /// # Errors
    /// `Index` when the array is not 1-D or `i` is out of range.
    #[inline(always)]
    pub fn element_1d(&self, i: isize) -> Result<Element<'_>> {
        ensure!(self.ndim() == 1, Index, "wrong number of indices");
        let n = self.shape()[0] as isize;
        let j = if i < 0 { i + n } else { i };
        ensure!(j >= 0 && j < n, Index, "index {} is out of bounds for axis 0 with size {}", i, n);
        // `0 <= j < shape[0]` and the layout was checked against the buffer, so the
        // element's bytes lie inside it (the `Element` invariant).
        let pos = self.layout.offset() as isize + j * self.strides()[0];
        Ok(Element { array: self, ptr: self.buffer.as_ptr().wrapping_offset(pos) })
    }

    /// Reads element `i` of a 1-D array, counting from the end when negative.
    ///
    /// # Errors
    /// As for [`Array::element_1d`].
    #[inline]
    pub fn get_1d(&self, i: isize) -> Result<Scalar> {
        self.element_1d(i).map(|e| e.read())
    }

    /// Every element in C order (row-major), for printing, `tolist` and iteration.
    pub fn to_scalars(&self) -> Vec<Scalar> {
        let mut out = Vec::with_capacity(self.size());
        let dt = self.dtype;
        // SAFETY: the layout is checked against the buffer, so every address the C-order
        // walk produces is a readable element.
        unsafe {
            crate::strided::for_each_c_order(self.shape(), [self.data_ptr()], [self.strides()], |p, s, n| {
                for i in 0..n as isize {
                    out.push(Scalar::read(p[0].offset(i * s[0]), dt));
                }
            })
        };
        out
    }

    /// Writes one value into every element.
    ///
    /// # Errors
    /// `Value` when the memory is read-only.
    pub fn fill(&self, value: &Scalar) -> Result<()> {
        self.check_writable()?;
        let isz = self.itemsize();
        if self.size() == 1 {
            // SAFETY: the only element lies inside the buffer (checked layout), which may be
            // written (checked above).
            unsafe { value.write(self.data_ptr(), self.dtype) };
            return Ok(());
        }
        // One element on the stack (or the heap for long strings), copied everywhere.
        let mut small = [0u64; 8];
        let mut large: Vec<u8> = Vec::new();
        let elem: *mut u8 = if isz <= 64 {
            small.as_mut_ptr().cast()
        } else {
            large.resize(isz, 0);
            large.as_mut_ptr()
        };
        // SAFETY: `elem` holds at least `itemsize` bytes.
        unsafe { value.write(elem, self.dtype) };
        let zeros: Strides = SmallVec::from_elem(0, self.ndim());
        // SAFETY: the destination layout is checked; the source is one element read through
        // zero strides, in a local buffer, so they cannot overlap.
        unsafe { copy_strided(self.shape(), self.data_ptr(), self.strides(), elem, &zeros, isz, Swap::None) };
        Ok(())
    }

    /// A new C- or F-ordered array with the same elements in its own memory.
    ///
    /// # Errors
    /// `Memory` when allocation fails.
    pub fn copy(&self, order: Order) -> Result<Array> {
        self.copy_to_fresh(Array::empty(self.dtype, self.shape(), order)?)
    }

    /// A new array with the same elements in its own memory, laid out in this array's memory
    /// order (NumPy's `copy(order='K')`; see [`Array::empty_keep_order_shaped`]).
    ///
    /// # Errors
    /// `Memory` when allocation fails.
    pub fn copy_keep_order(&self) -> Result<Array> {
        self.copy_to_fresh(self.empty_keep_order_shaped(self.dtype, self.shape())?)
    }

    /// Copies the elements into `out`, a fresh array of this shape and dtype, and returns it.
    fn copy_to_fresh(&self, out: Array) -> Result<Array> {
        debug_assert!(out.shape() == self.shape() && out.dtype == self.dtype);
        // SAFETY: both layouts are checked; `out` is fresh memory, so no overlap.
        unsafe {
            copy_strided(
                self.shape(),
                out.data_ptr(),
                out.strides(),
                self.data_ptr(),
                self.strides(),
                self.itemsize(),
                Swap::None,
            )
        };
        Ok(out)
    }

    /// A new zero-filled array of this shape whose axes are laid out in the same memory
    /// order as this array's (NumPy's `order='K'`): axes sorted by decreasing absolute
    /// stride, densely packed, all strides positive.
    ///
    /// # Errors
    /// As for [`Array::zeros`].
    pub fn zeros_keep_order(&self, dtype: DType) -> Result<Array> {
        self.zeros_keep_order_shaped(dtype, self.shape())
    }

    /// As [`Array::zeros_keep_order`] with another shape of the same number of axes.
    ///
    /// # Errors
    /// As for [`Array::zeros`]; `Value` when `shape` has another number of axes.
    pub fn zeros_keep_order_shaped(&self, dtype: DType, shape: &[usize]) -> Result<Array> {
        self.allocate_keep_order(dtype, shape, Array::zeros)
    }

    /// As [`Array::zeros_keep_order_shaped`], with unspecified contents (see [`Array::empty`]).
    ///
    /// # Errors
    /// As for [`Array::zeros_keep_order_shaped`].
    pub fn empty_keep_order_shaped(&self, dtype: DType, shape: &[usize]) -> Result<Array> {
        self.allocate_keep_order(dtype, shape, Array::empty)
    }

    fn allocate_keep_order(
        &self,
        dtype: DType,
        shape: &[usize],
        alloc: fn(DType, &[usize], Order) -> Result<Array>,
    ) -> Result<Array> {
        let nd = self.ndim();
        ensure!(shape.len() == nd, Value, "shape must have as many axes as the prototype to keep its order");
        if nd <= 1 || self.is_c_contiguous() {
            return alloc(dtype, shape, Order::C);
        }
        if self.is_f_contiguous() {
            return alloc(dtype, shape, Order::F);
        }
        let mut perm: Vec<usize> = (0..nd).collect();
        perm.sort_by_key(|&k| std::cmp::Reverse(self.strides()[k].unsigned_abs()));
        Array::allocate_permuted(dtype, shape, &perm, alloc)
    }

    /// A new array of `shape` laid out in the memory order NumPy's iterator picks for the
    /// `operands` broadcast to `shape` (the `K` order of a ufunc's or `where`'s result):
    /// see [`crate::layout::iterator_order`]. Contents unspecified.
    ///
    /// # Errors
    /// `Value` when an operand does not broadcast to `shape`; `Memory` as [`Array::empty`].
    pub fn empty_keep_order_of(dtype: DType, shape: &[usize], operands: &[&Array]) -> Result<Array> {
        let nd = shape.len();
        if nd <= 1 {
            return Array::empty(dtype, shape, Order::C);
        }
        let mut strides: SmallVec<[Strides; 3]> = SmallVec::new();
        for a in operands {
            let lead = nd.checked_sub(a.ndim());
            ensure!(lead.is_some(), Value, "operand has more axes than the result");
            let lead = lead.unwrap_or(0);
            let mut s: Strides = SmallVec::from_elem(0, nd);
            for (k, (&n, &st)) in a.shape().iter().zip(a.strides()).enumerate() {
                ensure!(n == shape[lead + k] || n == 1, Value, "operand does not broadcast to the result shape");
                if n != 1 {
                    s[lead + k] = st;
                }
            }
            strides.push(s);
        }
        let perm = crate::layout::iterator_order(nd, &strides);
        Array::allocate_permuted(dtype, shape, &perm, Array::empty)
    }

    /// Allocates `shape` so that axis `perm[0]` is outermost in memory, `perm[nd-1]` innermost.
    fn allocate_permuted(
        dtype: DType,
        shape: &[usize],
        perm: &[usize],
        alloc: fn(DType, &[usize], Order) -> Result<Array>,
    ) -> Result<Array> {
        let nd = shape.len();
        if perm.iter().enumerate().all(|(i, &k)| i == k) {
            return alloc(dtype, shape, Order::C);
        }
        let permuted: Vec<usize> = perm.iter().map(|&k| shape[k]).collect();
        let base = alloc(dtype, &permuted, Order::C)?;
        let mut strides: Strides = SmallVec::from_elem(0, nd);
        for (pos, &k) in perm.iter().enumerate() {
            strides[k] = base.strides()[pos];
        }
        // SAFETY: the strides are a permutation of `base`'s C-contiguous strides over the
        // same axis lengths, so they reach exactly `base`'s bytes.
        let layout = unsafe { Layout::new_unchecked(shape.into(), strides, 0) };
        // SAFETY: see above.
        Ok(unsafe { base.view_unchecked(dtype, layout) })
    }

    /// A converted copy laid out like this array (`astype(..., order='K')`).
    ///
    /// # Errors
    /// As for [`Array::astype`].
    pub fn astype_keep_order(&self, dtype: DType) -> Result<Array> {
        let dtype = crate::kernels::cast::resolve_unsized(self.dtype, dtype);
        let out = self.empty_keep_order_shaped(dtype, self.shape())?;
        out.assign(self)?;
        Ok(out)
    }

    /// The order a `K`/`A` request resolves to for this array: F only when the array is
    /// F-contiguous and not C-contiguous.
    pub fn natural_order(&self) -> Order {
        if self.is_f_contiguous() && !self.is_c_contiguous() {
            Order::F
        } else {
            Order::C
        }
    }

    /// The raw bytes of every element in the given order.
    ///
    /// # Errors
    /// `Memory` when the copy cannot be allocated.
    pub fn to_bytes(&self, order: Order) -> Result<Vec<u8>> {
        let mut out = vec![0u8; self.nbytes()];
        self.copy_to_slice(&mut out, order)?;
        Ok(out)
    }

    /// Writes the raw bytes of every element in the given order into `out`, which must
    /// hold exactly `nbytes` bytes (`tobytes` writes straight into a Python bytes object).
    ///
    /// # Errors
    /// `Value` when `out` has the wrong length.
    pub fn copy_to_slice(&self, out: &mut [u8], order: Order) -> Result<()> {
        ensure!(out.len() == self.nbytes(), Value, "output holds {} bytes, the array {}", out.len(), self.nbytes());
        let dense = match order {
            Order::C => self.is_c_contiguous(),
            Order::F => self.is_f_contiguous(),
        };
        if dense && !crate::parallel::should_split(self.size(), crate::parallel::Cost::Memory) {
            // Small and already in the requested order: one block copy, without the walk.
            // SAFETY: a contiguous checked layout spans exactly `nbytes` bytes from its first
            // element; `out` holds `nbytes` bytes and, being an exclusive borrow, is not
            // memory the array views.
            unsafe { std::ptr::copy_nonoverlapping(self.data_ptr(), out.as_mut_ptr(), out.len()) };
            return Ok(());
        }
        let strides = crate::layout::contiguous_strides(self.shape(), self.itemsize(), order)?;
        // SAFETY: `out` holds `nbytes` bytes and the contiguous strides stay inside it; the
        // source layout is checked; `out` is an exclusive borrow, so it cannot be memory
        // the array views. `copy_strided` turns a contiguous source into block copies and
        // splits large copies across the pool.
        unsafe {
            copy_strided(
                self.shape(),
                out.as_mut_ptr(),
                &strides,
                self.data_ptr(),
                self.strides(),
                self.itemsize(),
                Swap::None,
            )
        };
        Ok(())
    }

    /// The byte-swapped copy (same dtype, swapped bytes), or swaps in place.
    ///
    /// # Errors
    /// `Value` for an in-place swap of read-only memory; `Memory` on allocation failure.
    pub fn byteswap(&self, inplace: bool) -> Result<Option<Array>> {
        let swap = swap_of(self.dtype);
        if inplace {
            self.check_writable()?;
            // SAFETY: source and destination are the same addresses element for element,
            // which `copy_strided` allows; the layout is checked.
            unsafe {
                copy_strided(
                    self.shape(),
                    self.data_ptr(),
                    self.strides(),
                    self.data_ptr(),
                    self.strides(),
                    self.itemsize(),
                    swap,
                )
            };
            return Ok(None);
        }
        let out = Array::empty(self.dtype, self.shape(), self.natural_order())?;
        // SAFETY: both layouts are checked; `out` is fresh memory.
        unsafe {
            copy_strided(
                self.shape(),
                out.data_ptr(),
                out.strides(),
                self.data_ptr(),
                self.strides(),
                self.itemsize(),
                swap,
            )
        };
        Ok(Some(out))
    }

    /// Copies `src` (broadcast to this shape, any dtype) into this array, converting as
    /// `astype` does. An overlapping source is copied first, so the result is as if every
    /// source element were read before any destination element is written.
    ///
    /// # Errors
    /// `Value` when the memory is read-only or `src` cannot be broadcast.
    pub fn assign(&self, src: &Array) -> Result<()> {
        self.check_writable()?;
        // Like NumPy, a source with extra leading length-1 axes may be assigned.
        let extra = src.ndim().saturating_sub(self.ndim());
        let src_layout = if src.shape() == self.shape() {
            // The common case of equal shapes needs no broadcast.
            src.layout.clone()
        } else if extra > 0 && src.shape()[..extra].iter().all(|&d| d == 1) {
            // SAFETY: dropping length-1 axes keeps exactly the same elements.
            let l = unsafe {
                Layout::new_unchecked(src.shape()[extra..].into(), src.strides()[extra..].into(), src.layout.offset())
            };
            l.broadcast_to(self.shape())?
        } else {
            src.layout.broadcast_to(self.shape())?
        };
        let mut src = Array { buffer: src.buffer.clone(), dtype: src.dtype, layout: src_layout };
        if self.overlaps(&src) && !(src.layout == self.layout && src.dtype == self.dtype) {
            src = src.copy(Order::C)?;
        }
        if src.dtype == self.dtype
            || (src.dtype.kind() == self.dtype.kind() && src.itemsize() == self.itemsize() && !self.dtype.is_numeric())
        {
            // SAFETY: both layouts are checked; overlap was resolved above (identical
            // addresses are allowed).
            unsafe {
                copy_strided(
                    self.shape(),
                    self.data_ptr(),
                    self.strides(),
                    src.data_ptr(),
                    src.strides(),
                    self.itemsize(),
                    Swap::None,
                )
            };
            return Ok(());
        }
        crate::kernels::cast::cast_into(self, &src)
    }

    /// NumPy's `concatenate(arrays, axis)` for arrays of one dtype: a new C-ordered array
    /// of their elements joined along `axis` (every other axis of one length).
    ///
    /// # Errors
    /// `Value` for no arrays, different dtypes or numbers of axes, an axis out of range or
    /// mismatched lengths on the other axes; `Memory` when allocation fails.
    pub fn concatenate(arrays: &[&Array], axis: usize) -> Result<Array> {
        let Some(first) = arrays.first() else { bail!(Value, "need at least one array to concatenate") };
        let (dtype, ndim) = (first.dtype, first.ndim());
        ensure!(axis < ndim, Value, "axis {axis} is out of bounds for array of dimension {ndim}");
        let mut shape: Shape = first.shape().into();
        shape[axis] = 0;
        for a in arrays {
            ensure!(a.dtype == dtype && a.ndim() == ndim, Value, "concatenate needs arrays of one dtype and rank");
            let same = a.shape().iter().zip(first.shape()).enumerate().all(|(k, (x, y))| k == axis || x == y);
            ensure!(same, Value, "all the input array dimensions except for the concatenation axis must match");
            shape[axis] = shape[axis].saturating_add(a.shape()[axis]);
        }
        let out = Array::empty(dtype, &shape, Order::C)?;
        let step = out.strides()[axis];
        let mut start = 0usize;
        for a in arrays {
            if a.size() > 0 {
                // SAFETY: `out` is fresh and C-ordered with `shape`; the block of axis positions
                // `start..start + a.shape()[axis]` has `a`'s shape and lies inside it, and `a`'s
                // layout is checked. Fresh memory overlaps no input.
                unsafe {
                    copy_strided(
                        a.shape(),
                        out.data_ptr().offset(start as isize * step),
                        out.strides(),
                        a.data_ptr(),
                        a.strides(),
                        a.itemsize(),
                        Swap::None,
                    )
                };
            }
            start += a.shape()[axis];
        }
        Ok(out)
    }

    /// True when the byte ranges of the two arrays intersect (NumPy's `may_share_memory`).
    pub fn overlaps(&self, other: &Array) -> bool {
        // Two of rawarray's own allocations (or mappings) that are not one buffer never
        // share bytes: a freed allocation is only reused after its last handle is gone.
        if self.buffer.is_owned() && other.buffer.is_owned() && !self.buffer.ptr_eq(&other.buffer) {
            return false;
        }
        let (Some((a0, a1)), Some((b0, b1))) =
            (self.layout.byte_bounds(self.itemsize()), other.layout.byte_bounds(other.itemsize()))
        else {
            return false;
        };
        let (pa, pb) = (self.buffer.as_ptr() as usize, other.buffer.as_ptr() as usize);
        pa + a0 < pb + b1 && pb + b0 < pa + a1
    }

    /// A converted copy with the given dtype and order (`astype`).
    ///
    /// # Errors
    /// `Value` for conversions NumPy refuses; `Memory` on allocation failure.
    pub fn astype(&self, dtype: DType, order: Order) -> Result<Array> {
        let dtype = crate::kernels::cast::resolve_unsized(self.dtype, dtype);
        let out = Array::empty(dtype, self.shape(), order)?;
        out.assign(self)?;
        Ok(out)
    }

    /// The same elements with another shape: a view when the layout allows it, else a copy.
    /// Returns the array and whether it is a copy.
    ///
    /// # Errors
    /// `Value` when the sizes differ or the shape is malformed.
    pub fn reshape(&self, shape: &[isize], order: Order) -> Result<(Array, bool)> {
        let new_shape = resolve_shape(shape, self.size(), self.shape())?;
        if let Some(layout) = self.layout.reshaped(&new_shape, order, self.itemsize()) {
            // SAFETY: `reshaped` reaches exactly the bytes of the old layout.
            return Ok((unsafe { self.view_unchecked(self.dtype, layout) }, false));
        }
        let copy = self.copy(order)?;
        let layout = Layout::contiguous(&new_shape, self.itemsize(), order)?;
        // SAFETY: `copy` is contiguous in `order` with the same element count.
        Ok((unsafe { copy.view_unchecked(self.dtype, layout) }, true))
    }

    /// The elements of an array contiguous in `order`, read in that order into `new_shape`
    /// of the same size: a view (the commonest `reshape`, which then needs no search for
    /// strides).
    ///
    /// # Panics
    /// Unless the array is contiguous in `order` and `new_shape` holds its size.
    #[inline]
    pub fn contiguous_reshaped(&self, new_shape: &[usize], order: Order) -> Array {
        let dense = match order {
            Order::C => self.is_c_contiguous(),
            Order::F => self.is_f_contiguous(),
        };
        assert!(
            dense && crate::layout::checked_size(new_shape) == Some(self.size()),
            "contiguous_reshaped of a non-contiguous array or to another size"
        );
        let strides = crate::layout::contiguous_strides(new_shape, self.itemsize(), order)
            .expect("the array's own byte size fits");
        // SAFETY: the array's elements fill `size * itemsize` bytes from its offset in
        // `order`, and contiguous strides for a shape of the same size reach exactly those.
        let layout = unsafe { Layout::new_unchecked(Shape::from_slice(new_shape), strides, self.layout.offset()) };
        // SAFETY: the same bytes, as above.
        unsafe { self.view_unchecked(self.dtype, layout) }
    }

    /// All elements as one axis, in memory order: `ravel` of a contiguous array, a view.
    ///
    /// # Panics
    /// Unless the array is C- or F-contiguous.
    #[inline]
    pub fn contiguous_flat(&self) -> Array {
        assert!(self.is_c_contiguous() || self.is_f_contiguous(), "contiguous_flat of a non-contiguous array");
        let (n, item) = (self.size(), self.itemsize());
        let shape = crate::layout::Shape::from_buf_and_len([n, 0, 0, 0], 1);
        let strides = crate::layout::Strides::from_buf_and_len([item as isize, 0, 0, 0], 1);
        // SAFETY: a contiguous array's elements fill the `n * itemsize` bytes from its
        // offset (axes of length 1 aside, whose strides never move), so one axis of `n`
        // elements `itemsize` apart from the same offset reaches exactly those bytes.
        let layout = unsafe { Layout::new_unchecked(shape, strides, self.layout.offset()) };
        // SAFETY: the same bytes, as above.
        unsafe { self.view_unchecked(self.dtype, layout) }
    }

    /// A 1-D view of every element in memory order when the elements fill a dense block
    /// with positive strides (what `ravel('K')` can return without copying), else `None`.
    pub fn dense_flat_view(&self) -> Option<Array> {
        let mut axes: Vec<(usize, isize)> =
            self.shape().iter().zip(self.strides()).filter(|(&d, _)| d != 1).map(|(&d, &s)| (d, s)).collect();
        if axes.iter().any(|&(d, _)| d == 0) {
            return None;
        }
        axes.sort_by_key(|&(_, s)| std::cmp::Reverse(s));
        let mut expected = self.itemsize() as isize;
        for &(d, s) in axes.iter().rev() {
            if s != expected {
                return None;
            }
            expected *= d as isize;
        }
        let layout = Layout::try_new(
            &[self.size()],
            &[self.itemsize() as isize],
            self.layout.offset(),
            self.itemsize(),
            self.buffer.len(),
        )
        .ok()?;
        Some(Array { buffer: self.buffer.clone(), dtype: self.dtype, layout })
    }

    /// The axes reversed (`.T`), a view.
    #[inline]
    pub fn t(&self) -> Array {
        // SAFETY: a permutation reaches the same bytes.
        unsafe { self.view_unchecked(self.dtype, self.layout.reversed()) }
    }

    /// The axes permuted (`transpose(axes)`), or reversed when `axes` is `None`.
    ///
    /// # Errors
    /// `Value` unless `axes` is a permutation.
    pub fn transpose(&self, axes: Option<&[usize]>) -> Result<Array> {
        let Some(axes) = axes else { return Ok(self.t()) };
        let layout = self.layout.permuted(axes)?;
        // SAFETY: a permutation reaches the same bytes.
        Ok(unsafe { self.view_unchecked(self.dtype, layout) })
    }

    /// The same memory read as another dtype (`view(dtype)`), with NumPy's rules: equal
    /// item sizes keep the layout; otherwise the last axis must be contiguous and its byte
    /// length divisible by the new item size.
    ///
    /// # Errors
    /// `Value` with NumPy's messages when the itemsize change is not possible.
    pub fn view_as(&self, dtype: DType) -> Result<Array> {
        ensure!(
            !dtype.is_unsized() || self.itemsize() == 0,
            Type,
            "data type '{}' has no size; it cannot be used in a view",
            dtype.repr_spec()
        );
        let (old, new) = (self.itemsize(), dtype.itemsize());
        if old == new {
            // SAFETY: same item size, same layout: the same bytes.
            return Ok(unsafe { self.view_unchecked(dtype, self.layout.clone()) });
        }
        ensure!(
            self.ndim() > 0,
            Value,
            "Changing the dtype of a 0d array is only supported if the itemsize is unchanged"
        );
        let last = self.ndim() - 1;
        let (d, s) = (self.shape()[last], self.strides()[last]);
        ensure!(
            d == 1 || self.size() == 0 || s == old as isize,
            Value,
            "To change to a dtype of a different size, the last axis must be contiguous"
        );
        let bytes = d * old;
        let new_d = if new > old {
            ensure!(
                bytes % new == 0,
                Value,
                "When changing to a larger dtype, its size must be a divisor of the total size in bytes of the last axis of the array."
            );
            bytes / new
        } else {
            ensure!(
                old % new == 0,
                Value,
                "When changing to a smaller dtype, its size must be a divisor of the size of original dtype"
            );
            bytes / new
        };
        let mut shape: Shape = self.shape().into();
        let mut strides: Strides = self.strides().into();
        shape[last] = new_d;
        strides[last] = new as isize;
        let layout = Layout::try_new(&shape, &strides, self.layout.offset(), new, self.buffer.len())?;
        Ok(Array { buffer: self.buffer.clone(), dtype, layout })
    }

    /// Writes `src` elements into the positions where `mask` is true, in C order
    /// (boolean-mask assignment). `src` is either one element (broadcast) or has exactly
    /// as many elements as the mask has true values.
    ///
    /// # Errors
    /// `Value` for a read-only array or a size mismatch; `Index` when the mask's shape differs;
    /// `Type` for a `src` of more than one dimension.
    pub fn mask_assign(&self, mask: &Array, src: &Array) -> Result<()> {
        self.check_writable()?;
        crate::index::check_mask(self, mask)?;
        ensure!(
            src.ndim() <= 1,
            Type,
            "NumPy boolean array indexing assignment requires a 0 or 1-dimensional input, input has {} dimensions",
            src.ndim()
        );
        // A mask that shares memory with `self` would change under the writes.
        let mask = if self.overlaps(mask) { mask.copy(Order::C)? } else { mask.clone() };
        let isz = self.itemsize();
        let may_split = crate::strided::writes_are_disjoint(self.shape(), self.strides(), isz);
        // SAFETY: the mask layout is checked and has this array's shape; nothing writes it
        // before `expand` below (it does not overlap `self`).
        let walk = unsafe { MaskWalk::new(self.shape(), self.strides(), mask.data_ptr(), mask.strides(), may_split) };
        let n = walk.count();
        ensure!(
            src.size() == 1 || src.size() == n,
            Value,
            "NumPy boolean array indexing assignment cannot assign {} input values to the {} output values where the mask is true",
            src.size(),
            n
        );
        // Dense elements of this dtype that do not overlap `self` are used as they are;
        // anything else becomes a fresh converted copy.
        let usable = src.dtype() == self.dtype && src.is_c_contiguous() && !self.overlaps(src);
        let src = if usable { src.clone() } else { src.astype(self.dtype, Order::C)? };
        let step = if src.size() == 1 { 0 } else { isz };
        // SAFETY: `self` is writable with a checked layout, split only when its elements are
        // disjoint; `src` holds one element per true mask byte (or one, repeated with step 0)
        // densely and overlaps neither `self` nor the mask (a copy of it or foreign to it).
        unsafe { walk.expand(self.data_ptr(), mask.data_ptr(), src.data_ptr(), step, isz) };
        Ok(())
    }

    /// The elements where `mask` is true, in C order, as a new 1-D array.
    ///
    /// # Errors
    /// `Index` when the mask's shape differs from the array's.
    pub fn mask_select(&self, mask: &Array) -> Result<Array> {
        crate::index::check_mask(self, mask)?;
        // SAFETY: the mask layout is checked and has this array's shape; nothing writes it.
        let walk = unsafe { MaskWalk::new(self.shape(), self.strides(), mask.data_ptr(), mask.strides(), true) };
        let n = walk.count();
        let isz = self.itemsize();
        let nbytes =
            n.checked_mul(isz).ok_or_else(|| crate::error::Error::Memory("mask selection too large".into()))?;
        // Every selected element is written.
        let buffer = Buffer::for_overwrite(nbytes)?;
        // SAFETY: the buffer holds `n` elements; the source and mask layouts are checked,
        // and the buffer is fresh, so it does not overlap the source.
        unsafe { walk.compress(self.data_ptr(), mask.data_ptr(), buffer.as_ptr(), isz) };
        Array::try_new(buffer, self.dtype, &[n], &[isz as isize], 0)
    }
}

/// The swap a byteswap of this dtype performs.
pub fn swap_of(dtype: DType) -> Swap {
    match dtype.kind() {
        Kind::Bytes | Kind::Void | Kind::Bool => Swap::None,
        _ if dtype.itemsize() == 1 => Swap::None,
        Kind::Complex => Swap::Units(dtype.itemsize() / 2),
        _ => Swap::Units(dtype.itemsize()),
    }
}

fn human_bytes(n: usize) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < units.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} bytes")
    } else {
        format!("{:.2} {}", v, units[u])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arange_f64(n: usize) -> Array {
        let a = Array::zeros(DType::FLOAT64, &[n], Order::C).unwrap();
        for i in 0..n {
            let p = a.element_ptr(&[i]).unwrap();
            // SAFETY: `p` is an element of `a`, which nothing else references.
            unsafe { Scalar::Float(i as f64).write(p, DType::FLOAT64) };
        }
        a
    }

    #[test]
    fn reshape_transpose_copy() {
        let a = arange_f64(6);
        let (b, copied) = a.reshape(&[2, -1], Order::C).unwrap();
        assert!(!copied);
        assert_eq!(b.shape(), &[2, 3]);
        let t = b.transpose(None).unwrap();
        assert_eq!(t.strides(), &[8, 24]);
        let (r, copied) = t.reshape(&[6], Order::C).unwrap();
        assert!(copied);
        let vals: Vec<f64> = r.to_scalars().iter().map(|s| s.as_f64()).collect();
        assert_eq!(vals, vec![0.0, 3.0, 1.0, 4.0, 2.0, 5.0]);
        assert!(a.reshape(&[4, -1], Order::C).is_err());
    }

    #[test]
    fn contiguous_views_match_the_general_reshape() {
        let a = arange_f64(12);
        let (b, _) = a.reshape(&[3, 4], Order::C).unwrap();
        let f = b.copy(Order::F).unwrap();
        for (arr, order) in [(&b, Order::C), (&f, Order::F)] {
            for shape in [&[12usize][..], &[2, 6], &[4, 3], &[2, 2, 3], &[12, 1]] {
                let dims: Vec<isize> = shape.iter().map(|&d| d as isize).collect();
                let (want, copied) = arr.reshape(&dims, order).unwrap();
                assert!(!copied);
                let got = arr.contiguous_reshaped(shape, order);
                assert_eq!((got.shape(), got.strides()), (want.shape(), want.strides()));
                assert_eq!(got.to_scalars(), want.to_scalars());
            }
            let flat = arr.contiguous_flat();
            assert_eq!((flat.shape(), flat.strides()), (&[12usize][..], &[8isize][..]));
        }
        // Memory order: the F copy's flat view reads down the columns.
        let col: Vec<f64> = f.contiguous_flat().to_scalars().iter().map(|s| s.as_f64()).collect();
        assert_eq!(&col[..4], &[0.0, 4.0, 8.0, 1.0]);
    }

    #[test]
    #[should_panic(expected = "non-contiguous")]
    fn contiguous_reshaped_refuses_a_strided_array() {
        let a = arange_f64(12);
        let (b, _) = a.reshape(&[3, 4], Order::C).unwrap();
        let _ = b.transpose(None).unwrap().contiguous_reshaped(&[12], Order::C);
    }

    #[test]
    fn get_1d_counts_from_the_end_and_checks_bounds() {
        let a = arange_f64(4);
        assert_eq!(a.get_1d(1).unwrap(), Scalar::Float(1.0));
        assert_eq!(a.get_1d(-1).unwrap(), Scalar::Float(3.0));
        assert!(a.get_1d(4).is_err() && a.get_1d(-5).is_err());
        let r = a.transpose(None).unwrap();
        assert_eq!(r.get_1d(2).unwrap(), a.get(&[2]).unwrap());
    }

    #[test]
    fn view_rules() {
        let a = arange_f64(3);
        let v = a.view_as(DType::INT32).unwrap();
        assert_eq!(v.shape(), &[6]);
        let t = a.reshape(&[3, 1], Order::C).unwrap().0;
        assert_eq!(t.view_as(DType::UINT8).unwrap().shape(), &[3, 8]);
        let z = Array::zeros(DType::FLOAT64, &[], Order::C).unwrap();
        assert!(z.view_as(DType::INT32).is_err());
    }

    #[test]
    fn byteswap_roundtrip() {
        let a = arange_f64(4);
        let b = a.byteswap(false).unwrap().unwrap();
        let back = b.view_as(DType::FLOAT64.new_byte_order("S").unwrap()).unwrap();
        assert_eq!(back.to_scalars(), a.to_scalars());
    }

    #[test]
    fn overlapping_assign_reads_first() {
        let a = arange_f64(5);
        let dst = Array::try_new(a.buffer().clone(), DType::FLOAT64, &[4], &[8], 8).unwrap();
        let src = Array::try_new(a.buffer().clone(), DType::FLOAT64, &[4], &[8], 0).unwrap();
        dst.assign(&src).unwrap();
        let vals: Vec<f64> = a.to_scalars().iter().map(|s| s.as_f64()).collect();
        assert_eq!(vals, vec![0.0, 0.0, 1.0, 2.0, 3.0]);
    }
}
