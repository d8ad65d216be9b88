//! Python objects to arrays and element values: the order in which memory protocols are
//! tried, nested-sequence discovery with NumPy's dtype inference, and the checked
//! conversion of Python numbers into typed elements.

use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyComplex, PyFloat, PyInt, PyList, PyString, PyTuple};
use rawarray_core::array::Array;
use rawarray_core::dtype::{DType, Kind};
use rawarray_core::layout::Order;
use rawarray_core::parallel::Cost;
use rawarray_core::scalar::Scalar;

use crate::errors::IntoPy;
use crate::ndarray::ArrayRef;
use crate::ndarray::{make_owned, PyNdArray};

/// NumPy 2's `copy=` argument.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CopyMode {
    /// `copy=True`: always copy.
    Always,
    /// `copy=None`: copy only when needed.
    IfNeeded,
    /// `copy=False`: never copy; raise when a copy is needed.
    Never,
}

impl CopyMode {
    /// Reads `True`, `False` or `None`.
    pub fn from_py(obj: Option<&Bound<'_, PyAny>>) -> PyResult<CopyMode> {
        match obj {
            None => Ok(CopyMode::IfNeeded),
            Some(o) if o.is_none() => Ok(CopyMode::IfNeeded),
            Some(o) => Ok(if o.is_truthy()? { CopyMode::Always } else { CopyMode::Never }),
        }
    }
}

/// The requested memory order of a result: `C`, `F`, `A` (F if the input is F-contiguous
/// and not C-contiguous) or `K` (keep as close as possible).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum OrderArg {
    /// Row-major.
    C,
    /// Column-major.
    F,
    /// Like the input when it is Fortran-ordered.
    A,
    /// Keep.
    K,
}

impl OrderArg {
    /// Parses `'C'`, `'F'`, `'A'`, `'K'` (or `None` = `default`).
    pub fn parse(s: Option<&str>, default: OrderArg) -> PyResult<OrderArg> {
        Ok(match s {
            None => default,
            Some("C") | Some("c") => OrderArg::C,
            Some("F") | Some("f") => OrderArg::F,
            Some("A") | Some("a") => OrderArg::A,
            Some("K") | Some("k") => OrderArg::K,
            Some(o) => {
                return Err(PyValueError::new_err(format!("order must be one of 'C', 'F', 'A', or 'K' (got '{o}')")))
            }
        })
    }

    /// A new zero-filled array shaped like `a` in this order (`K` keeps `a`'s axis order).
    pub fn zeros_like(self, a: &Array, dtype: DType) -> rawarray_core::Result<Array> {
        match self {
            OrderArg::K => a.zeros_keep_order(dtype),
            other => Array::zeros(dtype, a.shape(), other.resolve(a)),
        }
    }

    /// The concrete order for a new array made from `a` (`K` approximated by `A`).
    pub fn resolve(self, a: &Array) -> Order {
        match self {
            OrderArg::C => Order::C,
            OrderArg::F => Order::F,
            OrderArg::A | OrderArg::K => a.natural_order(),
        }
    }

    /// True when `a` already satisfies the order.
    pub fn satisfied_by(self, a: &Array) -> bool {
        match self {
            OrderArg::C => a.is_c_contiguous(),
            OrderArg::F => a.is_f_contiguous(),
            OrderArg::A | OrderArg::K => true,
        }
    }
}

fn no_copy_error() -> PyErr {
    PyValueError::new_err(
        "Unable to avoid copy while creating an array as requested.\nIf using `np.array(obj, copy=False)` replace it with `np.asarray(obj)` to allow a copy when needed (no behavior change in NumPy 1.x).\nFor more details, see https://numpy.org/devdocs/numpy_2_0_migration_guide.html#adapting-to-changes-in-the-copy-keyword.",
    )
}

/// Applies `dtype=`, `copy=` and `order=` to an existing array object.
pub fn finish<'py>(
    arr: Bound<'py, PyNdArray>,
    dtype: Option<DType>,
    copy: CopyMode,
    order: OrderArg,
) -> PyResult<Bound<'py, PyNdArray>> {
    let py = arr.py();
    let out = {
        let a_pin = arr.arr();
        let a = &*a_pin;
        finish_copy(py, a, dtype, copy, order)?
    };
    match out {
        Some(out) => make_owned(py, out),
        None => Ok(arr),
    }
}

/// `astype(to, casting='same_value')`: NumPy 2.4's checked numeric cast (see
/// [`rawarray_core::kernels::cast::same_value`]); `self` when nothing changes and a copy
/// is not asked for. The ComplexWarning comes before a failure's ValueError, as NumPy's.
///
/// # Errors
/// TypeError for bytes or void; ValueError for a value the cast changes.
pub fn finish_same_value<'py>(
    arr: &Bound<'py, PyNdArray>,
    to: DType,
    copy: CopyMode,
    order: OrderArg,
) -> PyResult<Bound<'py, PyNdArray>> {
    use rawarray_core::kernels::cast::same_value;
    let py = arr.py();
    let a_pin = arr.arr();
    let a = &*a_pin;
    if !same_value::allowed(a.dtype(), to) {
        let m = same_value::refusal(a.dtype(), to).to_string();
        // NumPy words the refusal for a 0-d array as a scalar cast.
        let m = if a.ndim() == 0 { m.replacen("array data", "scalar", 1) } else { m };
        return Err(PyTypeError::new_err(m));
    }
    if copy != CopyMode::Always && to == a.dtype() && order.satisfied_by(a) {
        return Ok(arr.clone());
    }
    let keep = (order != OrderArg::K).then(|| order.resolve(a));
    let out = crate::threads::run(py, a.size(), Cost::Memory, || same_value::astype_same_value(a, to, keep));
    crate::errstate::report_cast(py)?;
    make_owned(py, out.py()?)
}

/// The copy `finish` makes, if any.
fn finish_copy(
    py: Python<'_>,
    a: &Array,
    dtype: Option<DType>,
    copy: CopyMode,
    order: OrderArg,
) -> PyResult<Option<Array>> {
    let want = dtype.map(|d| rawarray_core::kernels::cast::resolve_unsized(a.dtype(), d)).unwrap_or(a.dtype());
    let needs = want != a.dtype() || !order.satisfied_by(a);
    if copy == CopyMode::Never && needs {
        return Err(no_copy_error());
    }
    if copy == CopyMode::Always || needs {
        let out = crate::threads::run(py, a.size(), Cost::Memory, || {
            if order == OrderArg::K {
                a.astype_keep_order(want)
            } else {
                a.astype(want, order.resolve(a))
            }
        });
        let out = out.py()?;
        crate::errstate::report_cast(py)?;
        return Ok(Some(out));
    }
    Ok(None)
}

/// Converts any object to an array: an ndarray as it is, then the explicit memory
/// protocols, then the buffer protocol, then nested sequences and scalars.
pub fn array_from_py<'py>(
    obj: &Bound<'py, PyAny>,
    dtype: Option<DType>,
    copy: CopyMode,
    order: OrderArg,
) -> PyResult<Bound<'py, PyNdArray>> {
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return finish(a.clone(), dtype, copy, order);
    }
    if let Some(a) = crate::protocols::wrap_foreign(obj)? {
        return finish(a, dtype, copy, order);
    }
    if copy == CopyMode::Never {
        return Err(no_copy_error());
    }
    let a = from_nested(obj, dtype, order)?;
    Ok(a)
}

/// One leaf of a nested sequence after inspection.
struct Leaf {
    value: Scalar,
    dtype: DType,
    /// Where the value came from: NumPy checks Python numbers when it stores them, takes
    /// typed scalars partly as Python numbers, and casts the elements of arrays.
    from: LeafFrom,
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum LeafFrom {
    /// A Python `int`/`float`/`bool`/`complex`/`bytes`.
    Python,
    /// A typed scalar (`rawarray.float64(...)`).
    Scalar,
    /// An element of an ndarray (0-d or inside a nested list).
    Array,
    /// A Python `int` beyond 64 bits, held as the nearest double: NumPy stores it into
    /// float dtypes, refuses it for integer dtypes and would infer an object array.
    HugeInt,
    /// A Python `str`, held as its ASCII bytes: stored into `S` (and parsed into numbers)
    /// as NumPy does, but rawarray has no `U` dtype to infer for it.
    Str,
}

impl Leaf {
    /// A Python number (checked when stored).
    fn is_python(&self) -> bool {
        matches!(self.from, LeafFrom::Python | LeafFrom::HugeInt | LeafFrom::Str)
    }
}

/// What array discovery (NumPy's `PyArray_DiscoverDTypeAndShape`) makes of one object of
/// a nested sequence.
enum Node<'py> {
    /// An ndarray, or an object exporting memory (a NumPy array, a `memoryview`, an
    /// `array.array`, ...) wrapped as one: its shape continues the nested shape.
    Array(Bound<'py, PyNdArray>),
    /// A list or tuple, or another sequence read as a list (`range`, `deque`, ...).
    Seq(Bound<'py, PyAny>),
    /// Anything else: one element.
    Leaf,
}

/// Classifies `obj` as NumPy does: arrays and array-likes first, then sequences (a
/// sequence whose length cannot be read is an element, as NumPy takes it), then elements.
fn node<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Node<'py>> {
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return Ok(Node::Array(a.clone()));
    }
    if is_list_or_tuple(obj) {
        return Ok(Node::Seq(obj.clone()));
    }
    if is_element(obj) {
        return Ok(Node::Leaf);
    }
    if let Some(a) = crate::protocols::wrap_foreign(obj)? {
        // A 0-d array-like (a NumPy scalar) is one element, read by `leaf`.
        return Ok(if a.arr().ndim() > 0 { Node::Array(a) } else { Node::Leaf });
    }
    if is_sequence(obj) {
        if let Ok(seq) = obj.cast::<pyo3::types::PySequence>() {
            if let Ok(list) = seq.to_list() {
                return Ok(Node::Seq(list.into_any()));
            }
        }
    }
    Ok(Node::Leaf)
}

/// Python numbers, text and our typed scalars: elements without asking further.
fn is_element(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyFloat>()
        || obj.is_instance_of::<PyInt>()
        || obj.is_instance_of::<PyComplex>()
        || obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<crate::scalar::PyGeneric>()
        || obj.is_none()
}

fn discover_shape(obj: &Bound<'_, PyAny>) -> PyResult<Vec<usize>> {
    let mut shape = vec![];
    let mut cur = obj.clone();
    loop {
        match node(&cur)? {
            Node::Array(a) => {
                shape.extend_from_slice(a.arr().shape());
                return Ok(shape);
            }
            Node::Seq(seq) => {
                let n = seq.len()?;
                shape.push(n);
                if n == 0 {
                    return Ok(shape);
                }
                cur = seq.get_item(0)?;
            }
            Node::Leaf => return Ok(shape),
        }
    }
}

/// A sequence NumPy reads as nested array data: a list or tuple, or any other object
/// passing Python's sequence check (`range`, `collections.deque`, ...) except text.
/// Objects exporting memory pass it too, so callers try the memory protocols first.
pub fn is_sequence(obj: &Bound<'_, PyAny>) -> bool {
    if is_list_or_tuple(obj) {
        return true;
    }
    if is_element(obj) {
        return false;
    }
    // SAFETY: `obj` is a live object and the GIL is held (we hold a `Bound`);
    // `PySequence_Check` only reads its type's slots and never fails.
    unsafe { pyo3::ffi::PySequence_Check(obj.as_ptr()) == 1 }
}

/// A list or tuple (no look-ups: the common nested data, tried before the memory
/// protocols).
pub fn is_list_or_tuple(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>()
}

fn inhomogeneous(depth: usize, shape: &[usize]) -> PyErr {
    let dims: Vec<String> = shape[..depth].iter().map(|d| d.to_string()).collect();
    let detected = if depth == 1 { format!("({},)", dims[0]) } else { format!("({})", dims.join(", ")) };
    PyValueError::new_err(format!(
        "setting an array element with a sequence. The requested array has an inhomogeneous shape after {depth} dimensions. The detected shape was {detected} + inhomogeneous part."
    ))
}

fn collect(obj: &Bound<'_, PyAny>, depth: usize, shape: &[usize], out: &mut Vec<Leaf>) -> PyResult<()> {
    let n = node(obj)?;
    if depth == shape.len() {
        match n {
            Node::Seq(_) => return Err(inhomogeneous(depth, shape)),
            Node::Array(a) if a.arr().ndim() > 0 => return Err(inhomogeneous(depth, shape)),
            _ => {}
        }
        out.push(leaf(obj)?);
        return Ok(());
    }
    match n {
        Node::Array(a) => {
            let arr_pin = a.arr();
            let arr = &*arr_pin;
            if arr.shape() != &shape[depth..] {
                return Err(inhomogeneous(depth, shape));
            }
            let dt = arr.dtype();
            out.extend(arr.to_scalars().into_iter().map(|value| Leaf {
                value,
                dtype: dt.to_native(),
                from: LeafFrom::Array,
            }));
            Ok(())
        }
        Node::Seq(seq) if seq.len()? == shape[depth] => {
            for item in seq.try_iter()? {
                collect(&item?, depth + 1, shape, out)?;
            }
            Ok(())
        }
        _ => Err(inhomogeneous(depth, shape)),
    }
}

/// Reads one Python value with the dtype NumPy would infer for it.
fn leaf(obj: &Bound<'_, PyAny>) -> PyResult<Leaf> {
    if obj.is_instance_of::<PyBool>() {
        return Ok(Leaf { value: Scalar::Bool(obj.is_truthy()?), dtype: DType::BOOL, from: LeafFrom::Python });
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        if let Ok(v) = i.extract::<i64>() {
            return Ok(Leaf { value: Scalar::Int(v), dtype: DType::INT64, from: LeafFrom::Python });
        }
        if let Ok(v) = i.extract::<u64>() {
            return Ok(Leaf { value: Scalar::UInt(v), dtype: DType::UINT64, from: LeafFrom::Python });
        }
        // Beyond 64 bits: kept as the nearest double ("int too large to convert to float"
        // beyond those), for float dtypes; integer dtypes refuse it as NumPy does.
        let f: f64 = i.extract()?;
        return Ok(Leaf { value: Scalar::Float(f), dtype: DType::FLOAT64, from: LeafFrom::HugeInt });
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(Leaf { value: Scalar::Float(f.value()), dtype: DType::FLOAT64, from: LeafFrom::Python });
    }
    if let Ok(c) = obj.cast::<PyComplex>() {
        return Ok(Leaf {
            value: Scalar::Complex(c.real(), c.imag()),
            dtype: DType::COMPLEX128,
            from: LeafFrom::Python,
        });
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        let v = b.as_bytes().to_vec();
        return Ok(Leaf { dtype: DType::bytes(v.len().max(1)), value: Scalar::Bytes(v), from: LeafFrom::Python });
    }
    if let Some((value, dtype)) = crate::scalar::typed_scalar_value(obj)? {
        return Ok(Leaf { value, dtype, from: LeafFrom::Scalar });
    }
    if let Ok(a) = obj.cast::<PyNdArray>() {
        let arr_pin = a.arr();
        let arr = &*arr_pin;
        let v = arr.get(&[]).py()?;
        return Ok(Leaf { value: v, dtype: arr.dtype().to_native(), from: LeafFrom::Array });
    }
    if obj.is_instance_of::<PyString>() {
        // NumPy encodes text stored into `S` as ASCII (UnicodeEncodeError otherwise).
        let encoded = obj.call_method1("encode", ("ascii",))?;
        let v = encoded.cast::<PyBytes>()?.as_bytes().to_vec();
        return Ok(Leaf { dtype: DType::bytes(v.len().max(1)), value: Scalar::Bytes(v), from: LeafFrom::Str });
    }
    // Objects with __index__ or __float__ (NumPy scalars, Fractions, ...).
    if let Ok(v) = obj.call_method0("__index__") {
        return leaf(&v);
    }
    if obj.hasattr("__array_interface__")? || obj.hasattr("dtype")? {
        if let Ok(item) = obj.call_method0("item") {
            if !item.is(obj) {
                return leaf(&item);
            }
        }
    }
    if let Ok(v) = obj.call_method0("__float__") {
        return leaf(&v);
    }
    Err(PyTypeError::new_err(format!(
        "rawarray cannot make an array element from an object of type '{}'",
        obj.get_type().name()?
    )))
}

/// A leaf in the form it is stored into `to`: a number becomes NumPy's text for an `S`
/// element; text becomes the number it spells for a numeric dtype (NumPy's ValueError when
/// it spells none).
fn text_converted(l: Leaf, to: DType) -> PyResult<Leaf> {
    use rawarray_core::kernels::cast::text::{number_text, parse_text};
    Ok(match (&l.value, to.kind()) {
        (Scalar::Bytes(_) | Scalar::Void(_), Kind::Bytes | Kind::Void) => l,
        (Scalar::Bytes(b), _) => match parse_text(b, to.to_native()) {
            Ok(value) => Leaf { value, dtype: to.to_native(), from: l.from },
            Err(rawarray_core::error::Error::Value(msg)) if l.from == LeafFrom::Str => {
                // The text came as a `str`: NumPy's message shows it as one ('x', not b'x').
                let shown = rawarray_core::format::print::bytes_repr(b);
                let msg = msg.replace(&format!("np.bytes_({shown})"), &shown[1..]).replace(&shown, &shown[1..]);
                return Err(PyValueError::new_err(msg));
            }
            Err(e) => return Err(e).py(),
        },
        (_, Kind::Bytes) => Leaf { value: Scalar::Bytes(number_text(&l.value, l.dtype).into_bytes()), ..l },
        _ => l,
    })
}

/// True for a `str`, or a list or tuple whose first element (at any depth) is one.
pub fn holds_text(obj: &Bound<'_, PyAny>) -> bool {
    let mut cur = obj.clone();
    loop {
        if cur.is_instance_of::<PyString>() {
            return true;
        }
        if !is_sequence(&cur) {
            return false;
        }
        match cur.get_item(0) {
            Ok(first) => cur = first,
            Err(_) => return false,
        }
    }
}

/// Text with no `S` dtype asked for: NumPy would make a `U` array.
fn unicode_unsupported() -> PyErr {
    PyTypeError::new_err("rawarray does not support unicode (U) arrays; pass bytes instead")
}

/// The length of the `S` element NumPy makes for one leaf of `array(..., dtype='S')`: the
/// bytes themselves, `str()` of a Python number, the fixed width of a typed value.
fn bytes_len(py: Python<'_>, l: &Leaf) -> PyResult<usize> {
    Ok(match (&l.value, l.from) {
        (Scalar::Bytes(b), _) => b.len(),
        (v, LeafFrom::Python) => crate::ndarray::item_to_py(py, v)?.bind(py).str()?.len()?,
        (v, _) => text_len(v, l.dtype),
    })
}

/// The dtype NumPy infers for a mix of leaf dtypes.
fn infer(leaves: &[Leaf]) -> PyResult<DType> {
    if leaves.iter().any(|l| l.from == LeafFrom::Str) {
        return Err(unicode_unsupported());
    }
    if leaves.iter().any(|l| l.from == LeafFrom::HugeInt) {
        // NumPy infers an object array, which rawarray does not have.
        return Err(PyOverflowError::new_err("Python int too large to convert to C long"));
    }
    let mut it = leaves.iter();
    let Some(first) = it.next() else { return Ok(DType::FLOAT64) };
    let mut d = first.dtype;
    for l in it {
        if l.dtype != d {
            d = rawarray_core::promote::promote_types(d, l.dtype).py()?;
        }
    }
    Ok(d)
}

/// Builds a new array from nested lists/tuples and scalars.
pub fn from_nested<'py>(
    obj: &Bound<'py, PyAny>,
    dtype: Option<DType>,
    order: OrderArg,
) -> PyResult<Bound<'py, PyNdArray>> {
    let py = obj.py();
    // A flat list of exact ints or floats, wanted as what it infers to (int64, float64):
    // every value is already checked by its extraction.
    if dtype.is_none_or(|d| d == DType::INT64 || d == DType::FLOAT64) {
        if let Some(a) = flat_number_list(obj)? {
            if dtype.is_none_or(|d| d == a.dtype()) {
                return make_owned(py, a);
            }
        }
    }
    let shape = discover_shape(obj)?;
    let mut leaves = Vec::new();
    collect(obj, 0, &shape, &mut leaves)?;
    let dt = match dtype {
        Some(d) if d.is_unsized() && d.kind() == Kind::Bytes => {
            let lens = leaves.iter().map(|l| bytes_len(py, l)).collect::<PyResult<Vec<_>>>()?;
            DType::bytes(lens.into_iter().max().unwrap_or(1).max(1))
        }
        Some(d) if d.is_unsized() => {
            let inferred = infer(&leaves)?;
            if inferred.kind() == d.kind() {
                inferred
            } else {
                let n = leaves.iter().map(|l| text_len(&l.value, l.dtype)).max().unwrap_or(1).max(1);
                if d.kind() == Kind::Bytes {
                    DType::bytes(n)
                } else {
                    DType::void(n)
                }
            }
        }
        Some(d) => d,
        None => infer(&leaves)?,
    };
    let ord = match order {
        OrderArg::F => Order::F,
        _ => Order::C,
    };
    let out = Array::zeros(dt, &shape, ord).py()?;
    // Check every value first, so a failure leaves nothing half-written (the array is new
    // anyway, but the same checks serve assignment).
    let values: Vec<Scalar> = leaves
        .into_iter()
        .map(|l| {
            let l = text_converted(l, dt)?;
            match (dtype, l.from) {
                // NumPy stores the elements of a nested sequence as `setitem` does; a lone
                // typed scalar (`array(np.float64(x), dtype=...)`) is cast.
                (Some(_), _) if !shape.is_empty() => item_value(l, dt),
                _ if l.is_python() => check_leaf(l, dt),
                (Some(_), _) => Ok(cast_value(l.value, dt)),
                (None, _) => Ok(l.value),
            }
        })
        .collect::<PyResult<_>>()?;
    write_c_order(&out, &values);
    if dtype.is_some() && dt.is_numeric() {
        // An explicit dtype may be narrower than the values ("overflow encountered in cast").
        values.iter().for_each(|v| record_overflow(v, dt));
        crate::errstate::report_cast(py)?;
    }
    make_owned(py, out)
}

/// The direct path of `array([...])` for a non-empty flat list of exact Python ints that
/// all fit int64 (giving int64), or of exact Python floats (giving float64): the element
/// bytes are written straight into a buffer. `None` for anything else (the general path
/// infers, checks and reports).
fn flat_number_list(obj: &Bound<'_, PyAny>) -> PyResult<Option<Array>> {
    let Ok(list) = obj.cast_exact::<PyList>() else { return Ok(None) };
    let n = list.len();
    let Some(first) = list.iter().next() else { return Ok(None) };
    let mut bytes: Vec<u8> = Vec::with_capacity(n * 8);
    let dtype = if first.is_exact_instance_of::<PyInt>() {
        for item in list.iter() {
            if !item.is_exact_instance_of::<PyInt>() {
                return Ok(None);
            }
            let Ok(v) = item.extract::<i64>() else { return Ok(None) };
            bytes.extend_from_slice(&v.to_ne_bytes());
        }
        DType::INT64
    } else if first.is_exact_instance_of::<PyFloat>() {
        for item in list.iter() {
            let Ok(f) = item.cast_exact::<PyFloat>() else { return Ok(None) };
            bytes.extend_from_slice(&f.value().to_ne_bytes());
        }
        DType::FLOAT64
    } else {
        return Ok(None);
    };
    let buffer = rawarray_core::buffer::Buffer::from_bytes(&bytes).py()?;
    Ok(Some(Array::try_new(buffer, dtype, &[bytes.len() / 8], &[8], 0).py()?))
}

fn text_len(v: &Scalar, d: DType) -> usize {
    match v {
        Scalar::Bytes(b) | Scalar::Void(b) => b.len(),
        _ => rawarray_core::kernels::cast::resolve_unsized(d, DType::bytes(0)).itemsize(),
    }
}

/// Writes values in C order into a fresh array.
pub fn write_c_order(out: &Array, values: &[Scalar]) {
    let dt = out.dtype();
    let mut i = 0;
    // SAFETY: `out` is a checked layout over its own buffer; the C-order walk visits exactly
    // `values.len()` elements, each a writable element address.
    unsafe {
        rawarray_core::strided::for_each_c_order(out.shape(), [out.data_ptr()], [out.strides()], |p, s, n| {
            for k in 0..n as isize {
                values[i].write(p[0].offset(k * s[0]), dt);
                i += 1;
            }
        })
    };
}

/// NumPy 2's checks on a Python number stored as `to`: NaN and infinity cannot become
/// integers; an integer (a float truncated toward zero first) is taken as a C long (an
/// unsigned one for uint32 and uint64, negative values still as a C long), and OverflowError
/// names the range that fails: "Python int too large to convert to C long" outside that
/// type, "Python integer ... out of bounds for <dtype>" outside the dtype's own range.
fn check_value(v: Scalar, to: DType) -> PyResult<Scalar> {
    if !matches!(to.kind(), Kind::Int | Kind::UInt) {
        return Ok(v);
    }
    let x: i128 = match v {
        Scalar::Int(i) => i as i128,
        Scalar::UInt(u) => u as i128,
        Scalar::Float(f) if f.is_nan() => return Err(PyValueError::new_err("cannot convert float NaN to integer")),
        Scalar::Float(f) if f.is_infinite() => {
            return Err(PyOverflowError::new_err("cannot convert float infinity to integer"))
        }
        // Saturates for huge values, which the C long test below refuses.
        Scalar::Float(f) => f.trunc() as i128,
        other => return Ok(other),
    };
    check_python_int(x, to)?;
    Ok(match v {
        Scalar::Float(_) if x > i64::MAX as i128 => Scalar::UInt(x as u64),
        Scalar::Float(_) => Scalar::Int(x as i64),
        other => other,
    })
}

/// [`check_value`] for a leaf: a Python int beyond 64 bits (held as a double) fits no C
/// long, so no integer dtype.
/// NumPy's error storing a Python complex as an integer or float: that of Python's `int()`
/// or `float()`.
fn complex_refused(to: DType) -> PyErr {
    PyTypeError::new_err(if to.kind() == Kind::Float {
        "float() argument must be a string or a real number, not 'complex'"
    } else {
        "int() argument must be a string, a bytes-like object or a real number, not 'complex'"
    })
}

fn check_leaf(l: Leaf, to: DType) -> PyResult<Scalar> {
    if l.from == LeafFrom::Python
        && matches!(l.value, Scalar::Complex(..))
        && matches!(to.kind(), Kind::Int | Kind::UInt | Kind::Float)
    {
        return Err(complex_refused(to));
    }
    if l.from == LeafFrom::HugeInt && matches!(to.kind(), Kind::Int | Kind::UInt) {
        return Err(PyOverflowError::new_err("Python int too large to convert to C long"));
    }
    if l.from == LeafFrom::Str && to.kind() == Kind::Void {
        return Err(PyTypeError::new_err("a bytes-like object is required, not 'str'"));
    }
    check_value(l.value, to)
}

/// NumPy's checks storing a Python integer `x` as the integer dtype `to`: the C long it
/// converts through (for uint32 and uint64 an unsigned long long) must hold it, then the
/// dtype's range must.
///
/// # Errors
/// OverflowError "Python int too large to convert to C long" or "Python integer 300 out of
/// bounds for uint8".
pub(crate) fn check_python_int(x: i128, to: DType) -> PyResult<()> {
    let unsigned_long = to.kind() == Kind::UInt && to.itemsize() >= 4;
    let hi = if unsigned_long { 1i128 << 64 } else { 1i128 << 63 };
    if x < -(1i128 << 63) || x >= hi {
        return Err(PyOverflowError::new_err("Python int too large to convert to C long"));
    }
    let (lo, hi) = rawarray_core::scalar_ops::int_range(to);
    if x < lo || x > hi {
        return Err(PyOverflowError::new_err(format!("Python integer {x} out of bounds for {}", to.name())));
    }
    Ok(())
}

/// The value of one leaf stored into an element of `to` the way NumPy's `setitem` stores
/// it (`a[i] = v`, `a[:] = v`, `fill`, the elements of a nested list): Python numbers are
/// checked ([`check_value`]); a typed float stored as a signed integer is taken as `int(v)`
/// and checked too; other typed values are cast, with the cast's warnings recorded.
fn item_value(l: Leaf, to: DType) -> PyResult<Scalar> {
    let python_like = l.from == LeafFrom::Scalar && l.dtype.kind() == Kind::Float && to.kind() == Kind::Int;
    if l.is_python() || python_like {
        return check_leaf(l, to);
    }
    Ok(cast_value(l.value, to))
}

/// A typed value cast to `to`: the value itself (the store converts it), with the cast's
/// warnings recorded for the caller to report.
fn cast_value(v: Scalar, to: DType) -> Scalar {
    if to.is_numeric() {
        let b = rawarray_core::kernels::cast::value_flags(&v, to).to_bits();
        rawarray_core::fpe::record_cast(b);
    }
    v
}

/// The value of an exact Python `int` that fits `isize`, else `None` (with no exception
/// left set). Read with `PyLong_AsSsize_t` directly: PyO3's extraction fetches and
/// normalises an error state whenever the value is -1, which doubles the cost of `a[-1]` or `reshape(-1)`.
#[inline]
pub fn exact_isize(o: &Bound<'_, PyAny>) -> Option<isize> {
    let i = o.cast_exact::<PyInt>().ok()?;
    // SAFETY: `i` is a live `int` object and the GIL is held (it is bound).
    let v = unsafe { pyo3::ffi::PyLong_AsSsize_t(i.as_ptr()) };
    // SAFETY: the GIL is held; this reads the thread's error indicator.
    if v == -1 && unsafe { !pyo3::ffi::PyErr_Occurred().is_null() } {
        // SAFETY: the GIL is held. The overflow error `PyLong_AsSsize_t` set is cleared;
        // the general path reports the key its own way.
        unsafe { pyo3::ffi::PyErr_Clear() };
        return None;
    }
    Some(v)
}

/// Converts one Python value for storage as `dtype` the way NumPy converts a value it casts
/// (`full`, `copyto`, `put`, mask and index-array assignment): Python numbers are checked,
/// typed values are cast (their cast warnings recorded).
///
/// # Errors
/// NumPy's OverflowError/ValueError/TypeError for values that do not fit.
pub fn py_to_scalar(obj: &Bound<'_, PyAny>, dtype: DType) -> PyResult<Scalar> {
    to_scalar(obj, dtype, false)
}

/// Converts one Python value for storage as `dtype` the way NumPy's `setitem` stores it
/// (`a[i] = v`, `a[:] = v`, `fill`): as [`py_to_scalar`], except that a typed float stored
/// as a signed integer is taken as `int(v)` (ValueError for NaN, OverflowError out of range).
///
/// # Errors
/// As for [`py_to_scalar`].
pub fn py_to_item(obj: &Bound<'_, PyAny>, dtype: DType) -> PyResult<Scalar> {
    to_scalar(obj, dtype, true)
}

fn to_scalar(obj: &Bound<'_, PyAny>, dtype: DType, item: bool) -> PyResult<Scalar> {
    // The most common values first, with the general path's results: a Python float stored
    // as a float, and a Python int within 64 bits stored as an integer or a float.
    if let Ok(f) = obj.cast_exact::<PyFloat>() {
        if dtype.kind() == Kind::Float {
            let v = Scalar::Float(f.value());
            record_overflow(&v, dtype);
            return Ok(v);
        }
    } else if obj.is_exact_instance_of::<PyInt>() {
        if let (Some(x), Kind::Int | Kind::UInt | Kind::Float) = (exact_isize(obj).map(|x| x as i64), dtype.kind()) {
            if dtype.kind() != Kind::Float {
                check_python_int(x as i128, dtype)?;
            }
            let v = Scalar::Int(x);
            record_overflow(&v, dtype);
            return Ok(v);
        }
    }
    if let Ok(c) = obj.cast::<PyComplex>() {
        if dtype.kind() == Kind::Bool {
            // NumPy stores a Python complex as a bool by its truth value.
            return Ok(Scalar::Bool(c.real() != 0.0 || c.imag() != 0.0));
        }
        if matches!(dtype.kind(), Kind::Int | Kind::UInt | Kind::Float) {
            let _ = c;
            return Err(complex_refused(dtype));
        }
    }
    let l = text_converted(leaf(obj)?, dtype)?;
    let from = l.dtype;
    let v = match l.from {
        _ if l.is_python() => check_leaf(l, dtype)?,
        _ if item => item_value(l, dtype)?,
        _ => cast_value(l.value, dtype),
    };
    record_overflow(&v, dtype);
    if rawarray_core::kernels::cast::discards_imaginary(from, dtype) {
        // A typed complex scalar stored as a real dtype (Python complex numbers were refused
        // above).
        rawarray_core::fpe::record_cast(rawarray_core::fpe::bits::COMPLEX);
    }
    Ok(v)
}

/// Records "overflow encountered in cast" for a number that becomes infinite as `dtype`,
/// for the caller to report when done. NumPy reports only overflow when it stores Python
/// numbers (no underflow; out-of-range integers raise before).
fn record_overflow(v: &Scalar, dtype: DType) {
    let b = rawarray_core::kernels::cast::value_flags(v, dtype).to_bits();
    rawarray_core::fpe::record_cast(b & rawarray_core::fpe::bits::OVERFLOW);
}

/// The right-hand side of `a[key] = value` for an array of dtype `like`: an ndarray as it
/// is (cast by the assignment); a scalar converted as NumPy's `setitem` stores it for a
/// basic key (`item`) or as NumPy casts it for a mask or index arrays; a nested sequence
/// built as `like`, each element stored as `setitem` stores it (as NumPy does for both).
///
/// # Errors
/// NumPy's OverflowError/ValueError/TypeError for values that do not fit.
pub fn assign_operand<'py>(obj: &Bound<'py, PyAny>, like: DType, item: bool) -> PyResult<Bound<'py, PyNdArray>> {
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return Ok(a.clone());
    }
    if is_list_or_tuple(obj) {
        return from_nested(obj, Some(like), OrderArg::C);
    }
    if let Some(a) = crate::protocols::wrap_foreign(obj)? {
        return Ok(a);
    }
    if is_sequence(obj) {
        return from_nested(obj, Some(like), OrderArg::C);
    }
    let v = if item { py_to_item(obj, like)? } else { py_to_scalar(obj, like)? };
    make_owned(obj.py(), Array::full(like, &[], Order::C, &v).py()?)
}

/// The array for the right-hand side of an assignment or comparison: an ndarray as it is,
/// anything else converted with `dtype` as the hint for Python scalars.
/// The `where=` mask of a ufunc call or a reduction, as NumPy converts it
/// (`PyArray_FromAny(obj, bool)`): `None` for the default `True`; an array (rawarray's or
/// foreign) must be bool already, as NumPy casts it with the 'safe' rule; other objects
/// (lists, Python and typed scalars) become bool element by element, by truth value.
pub fn where_mask(w: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Array>> {
    let Some(w) = w else { return Ok(None) };
    if w.is_instance_of::<PyBool>() && w.is_truthy()? {
        return Ok(None);
    }
    let given = match w.cast::<PyNdArray>() {
        Ok(a) => Some(a.clone()),
        Err(_) if !is_list_or_tuple(w) => crate::protocols::wrap_foreign(w)?,
        Err(_) => None,
    };
    let Some(a) = given else {
        return Ok(Some(array_from_py(w, Some(DType::BOOL), CopyMode::IfNeeded, OrderArg::K)?.arr().clone()));
    };
    let a = a.arr().clone();
    if a.dtype().kind() != Kind::Bool {
        let what = if a.ndim() == 0 { "scalar" } else { "array data" };
        return Err(PyTypeError::new_err(format!(
            "Cannot cast {what} from dtype('{}') to dtype('bool') according to the rule 'safe'",
            a.dtype().repr_spec()
        )));
    }
    Ok(Some(a))
}

pub fn operand<'py>(obj: &Bound<'py, PyAny>, like: DType) -> PyResult<Bound<'py, PyNdArray>> {
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return Ok(a.clone());
    }
    if !is_list_or_tuple(obj) {
        if let Some(a) = crate::protocols::wrap_foreign(obj)? {
            return Ok(a);
        }
    }
    if !is_sequence(obj) {
        let v = py_to_scalar(obj, like)?;
        let a = Array::full(like, &[], Order::C, &v).py()?;
        return make_owned(obj.py(), a);
    }
    from_nested(obj, None, OrderArg::C)
}
