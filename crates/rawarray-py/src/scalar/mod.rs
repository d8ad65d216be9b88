//! Typed scalars: what reading one element returns (`rawarray.float64`, `rawarray.uint8`, ...).
//!
//! The classes are PyO3 pyclasses in NumPy's hierarchy (`generic > number > integer >
//! signedinteger`, ...). Only `generic` holds data (the core `Scalar` and its native
//! `DType`); every other class is an empty marker, so making a scalar is one allocation.
//! Invariant: a scalar's value is exact for its dtype (ints in range, floats rounded).
//! Arithmetic and comparisons live in `arith.rs`; constructors in `construct.rs`.

mod arith;
mod construct;
mod sequence_new;

use std::mem::MaybeUninit;

use pyo3::exceptions::{PyRuntimeWarning, PyTypeError};
use pyo3::prelude::*;
use pyo3::pyclass::PyClass;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyTuple};
use pyo3::PyClassInitializer;
use rawarray_core::array::{Array, Element};
use rawarray_core::dtype::{DType, Kind};
use rawarray_core::layout::Order;
use rawarray_core::scalar::Scalar;

use crate::dtype::PyDType;
use crate::errors::IntoPy;
use crate::objects::Placement;

pyo3::create_exception!(
    rawarray,
    ComplexWarning,
    PyRuntimeWarning,
    "Warned when a complex value is cast to a real type, discarding the imaginary part."
);

/// The base of every rawarray scalar: the value and its native dtype.
#[pyclass(name = "generic", module = "rawarray", subclass, frozen, mapping)]
pub struct PyGeneric {
    /// The value, exact for `dtype`.
    pub value: Scalar,
    /// The native dtype (`S{n}`/`V{n}` sized by the value for bytes and void).
    pub dtype: DType,
}

/// Builds the initializer chain from `generic` down to a class.
pub trait Chain: PyClass {
    /// The initializer of this class around the data-holding base.
    fn chain(g: PyGeneric) -> PyClassInitializer<Self>;
}

impl Chain for PyGeneric {
    fn chain(g: PyGeneric) -> PyClassInitializer<Self> {
        PyClassInitializer::from(g)
    }
}

macro_rules! abstract_scalar {
    ($rust:ident, $name:literal, $base:ty, $doc:literal) => {
        #[doc = $doc]
        #[pyclass(name = $name, module = "rawarray", extends = $base, subclass, frozen)]
        pub struct $rust;

        impl Chain for $rust {
            fn chain(g: PyGeneric) -> PyClassInitializer<Self> {
                <$base as Chain>::chain(g).add_subclass($rust)
            }
        }
    };
}

abstract_scalar!(PyNumber, "number", PyGeneric, "Abstract base of the numeric scalars.");
abstract_scalar!(PyInteger, "integer", PyNumber, "Abstract base of the integer scalars.");
abstract_scalar!(PySignedInteger, "signedinteger", PyInteger, "Abstract base of the signed integers.");
abstract_scalar!(PyUnsignedInteger, "unsignedinteger", PyInteger, "Abstract base of the unsigned integers.");
abstract_scalar!(PyInexact, "inexact", PyNumber, "Abstract base of the float and complex scalars.");
abstract_scalar!(PyFloating, "floating", PyInexact, "Abstract base of the float scalars.");
abstract_scalar!(PyComplexFloating, "complexfloating", PyInexact, "Abstract base of the complex scalars.");
abstract_scalar!(PyFlexible, "flexible", PyGeneric, "Abstract base of the bytes and void scalars.");

/// A scalar class with instances: where their `PyGeneric` sits (see [`crate::objects`]).
pub trait Concrete: Chain {
    /// The class's placement record.
    fn placement() -> &'static Placement;
}

macro_rules! concrete_scalar {
    ($rust:ident, $name:literal, $base:ty, $dtype:expr, $spec:literal) => {
        #[doc = concat!("The `", $name, "` scalar type.")]
        #[pyclass(name = $name, module = "rawarray", extends = $base, subclass, frozen)]
        pub struct $rust;

        impl Chain for $rust {
            fn chain(g: PyGeneric) -> PyClassInitializer<Self> {
                <$base as Chain>::chain(g).add_subclass($rust)
            }
        }

        impl Concrete for $rust {
            fn placement() -> &'static Placement {
                static PLACE: Placement = Placement::new();
                &PLACE
            }
        }

        #[pymethods]
        impl $rust {
            /// The dtype spelling `rawarray.dtype(cls)` reads.
            #[classattr]
            fn _rawarray_dtype() -> &'static str {
                $spec
            }

            #[new]
            #[pyo3(signature = (*args))]
            fn new(args: &Bound<'_, PyTuple>) -> PyResult<PyClassInitializer<Self>> {
                let (value, dtype) = construct::construct($dtype, $name, args)?;
                Ok(<Self as Chain>::chain(PyGeneric { value, dtype }))
            }
        }
    };
}

concrete_scalar!(PyBoolScalar, "bool", PyGeneric, DType::BOOL, "bool");
concrete_scalar!(PyInt8, "int8", PySignedInteger, DType::INT8, "int8");
concrete_scalar!(PyInt16, "int16", PySignedInteger, DType::INT16, "int16");
concrete_scalar!(PyInt32, "int32", PySignedInteger, DType::INT32, "int32");
concrete_scalar!(PyInt64, "int64", PySignedInteger, DType::INT64, "int64");
concrete_scalar!(PyUInt8, "uint8", PyUnsignedInteger, DType::UINT8, "uint8");
concrete_scalar!(PyUInt16, "uint16", PyUnsignedInteger, DType::UINT16, "uint16");
concrete_scalar!(PyUInt32, "uint32", PyUnsignedInteger, DType::UINT32, "uint32");
concrete_scalar!(PyUInt64, "uint64", PyUnsignedInteger, DType::UINT64, "uint64");
concrete_scalar!(PyFloat16, "float16", PyFloating, DType::FLOAT16, "float16");
concrete_scalar!(PyFloat32, "float32", PyFloating, DType::FLOAT32, "float32");
concrete_scalar!(PyFloat64, "float64", PyFloating, DType::FLOAT64, "float64");
concrete_scalar!(PyComplex64, "complex64", PyComplexFloating, DType::COMPLEX64, "complex64");
concrete_scalar!(PyComplex128, "complex128", PyComplexFloating, DType::COMPLEX128, "complex128");
concrete_scalar!(PyBytesScalar, "bytes_", PyFlexible, DType::bytes(0), "S");
concrete_scalar!(PyVoidScalar, "void", PyFlexible, DType::void(0), "V");

/// `rawarray.True_` and `rawarray.False_`: NumPy's bool scalars are singletons.
static BOOLS: PyOnceLock<[Py<PyAny>; 2]> = PyOnceLock::new();

fn bool_scalar(py: Python<'_>, b: bool) -> PyResult<Bound<'_, PyAny>> {
    let pair = BOOLS.get_or_try_init(py, || -> PyResult<_> {
        let mk = |v| -> PyResult<Py<PyAny>> {
            let g = PyGeneric { value: Scalar::Bool(v), dtype: DType::BOOL };
            Ok(crate::objects::new_untracked(py, PyBoolScalar::chain(g))?.into_any().unbind())
        };
        Ok([mk(false)?, mk(true)?])
    })?;
    Ok(pair[b as usize].bind(py).clone())
}

/// A new scalar of class `T` holding what `init` writes (in the new object's memory).
#[inline]
fn mk_with<T: Concrete>(
    py: Python<'_>,
    init: impl FnOnce(&mut MaybeUninit<PyGeneric>) -> &mut PyGeneric,
) -> PyResult<Bound<'_, PyAny>> {
    let locate = |obj: &Bound<'_, T>| match obj.as_any().cast::<PyGeneric>() {
        Ok(g) => g.get() as *const PyGeneric,
        Err(_) => std::ptr::null(),
    };
    Ok(crate::objects::new_placed(py, T::placement(), init, T::chain, locate)?.into_any())
}

/// The typed scalar of one array element. A float64 element is read straight into the new
/// object (no `Scalar` returned through memory on the way: `a[i]`'s commonest case).
#[inline]
pub fn element_scalar<'py>(py: Python<'py>, e: &Element<'_>) -> PyResult<Bound<'py, PyAny>> {
    let dtype = e.dtype();
    if dtype == DType::FLOAT64 {
        return mk_with::<PyFloat64>(py, |slot| slot.write(PyGeneric { value: e.read(), dtype }));
    }
    new_scalar(py, e.read(), dtype)
}

/// A new typed scalar holding `value` as an element of `dtype` (any byte order; the
/// scalar's dtype is native). The value must already be exact for `dtype`.
pub fn new_scalar(py: Python<'_>, value: Scalar, dtype: DType) -> PyResult<Bound<'_, PyAny>> {
    #[inline]
    fn mk<T: Concrete>(py: Python<'_>, g: PyGeneric) -> PyResult<Bound<'_, PyAny>> {
        mk_with::<T>(py, |slot| slot.write(g))
    }
    if dtype == DType::FLOAT64 {
        // The most common element type first.
        return mk::<PyFloat64>(py, PyGeneric { value, dtype });
    }
    let d = dtype.to_native();
    let g = PyGeneric { value, dtype: d };
    match (d.kind(), d.itemsize()) {
        (Kind::Bool, _) => bool_scalar(py, g.value.is_truthy()),
        (Kind::Int, 1) => mk::<PyInt8>(py, g),
        (Kind::Int, 2) => mk::<PyInt16>(py, g),
        (Kind::Int, 4) => mk::<PyInt32>(py, g),
        (Kind::Int, _) => mk::<PyInt64>(py, g),
        (Kind::UInt, 1) => mk::<PyUInt8>(py, g),
        (Kind::UInt, 2) => mk::<PyUInt16>(py, g),
        (Kind::UInt, 4) => mk::<PyUInt32>(py, g),
        (Kind::UInt, _) => mk::<PyUInt64>(py, g),
        (Kind::Float, 2) => mk::<PyFloat16>(py, g),
        (Kind::Float, 4) => mk::<PyFloat32>(py, g),
        (Kind::Float, _) => mk::<PyFloat64>(py, g),
        (Kind::Complex, 8) => mk::<PyComplex64>(py, g),
        (Kind::Complex, _) => mk::<PyComplex128>(py, g),
        (Kind::Bytes, _) => {
            // An `S` element's scalar is sized by its value (NUL padding already stripped).
            let n = match &g.value {
                Scalar::Bytes(b) => b.len(),
                _ => d.itemsize(),
            };
            mk::<PyBytesScalar>(py, PyGeneric { dtype: DType::bytes(n), ..g })
        }
        (Kind::Void, _) => mk::<PyVoidScalar>(py, g),
    }
}

/// The Python object for one element of type `dtype`: a typed scalar.
pub fn scalar_to_py(py: Python<'_>, value: &Scalar, dtype: DType) -> PyResult<Py<PyAny>> {
    Ok(new_scalar(py, value.clone(), dtype)?.unbind())
}

/// The scalar type of a dtype (`dtype.type`), e.g. `rawarray.float64`.
pub fn scalar_type(py: Python<'_>, dtype: DType) -> PyResult<Bound<'_, PyAny>> {
    let t = match (dtype.kind(), dtype.itemsize()) {
        (Kind::Bool, _) => py.get_type::<PyBoolScalar>(),
        (Kind::Int, 1) => py.get_type::<PyInt8>(),
        (Kind::Int, 2) => py.get_type::<PyInt16>(),
        (Kind::Int, 4) => py.get_type::<PyInt32>(),
        (Kind::Int, _) => py.get_type::<PyInt64>(),
        (Kind::UInt, 1) => py.get_type::<PyUInt8>(),
        (Kind::UInt, 2) => py.get_type::<PyUInt16>(),
        (Kind::UInt, 4) => py.get_type::<PyUInt32>(),
        (Kind::UInt, _) => py.get_type::<PyUInt64>(),
        (Kind::Float, 2) => py.get_type::<PyFloat16>(),
        (Kind::Float, 4) => py.get_type::<PyFloat32>(),
        (Kind::Float, _) => py.get_type::<PyFloat64>(),
        (Kind::Complex, 8) => py.get_type::<PyComplex64>(),
        (Kind::Complex, _) => py.get_type::<PyComplex128>(),
        (Kind::Bytes, _) => py.get_type::<PyBytesScalar>(),
        (Kind::Void, _) => py.get_type::<PyVoidScalar>(),
    };
    Ok(t.into_any())
}

/// The dtype of a concrete rawarray scalar type (`rawarray.float32` as in `astype`), found by
/// identity against [`scalar_type`] with no attribute lookup; `None` for any other type
/// (subclasses included, which the caller resolves the slow way).
pub fn scalar_type_dtype(t: &Bound<'_, pyo3::types::PyType>) -> Option<DType> {
    // The numeric dtypes, commonest first.
    const NUMERIC: [DType; 14] = [
        DType::FLOAT64,
        DType::FLOAT32,
        DType::INT64,
        DType::INT32,
        DType::UINT8,
        DType::BOOL,
        DType::COMPLEX128,
        DType::COMPLEX64,
        DType::FLOAT16,
        DType::INT8,
        DType::INT16,
        DType::UINT16,
        DType::UINT32,
        DType::UINT64,
    ];
    NUMERIC.into_iter().find(|&d| scalar_type(t.py(), d).is_ok_and(|s| t.as_any().is(&s)))
}

/// The value and dtype of a rawarray typed scalar, or `None` for other objects.
pub fn typed_scalar_value(obj: &Bound<'_, PyAny>) -> PyResult<Option<(Scalar, DType)>> {
    Ok(obj.cast::<PyGeneric>().ok().map(|g| {
        let g = g.get();
        (g.value.clone(), g.dtype)
    }))
}

/// Adds the scalar classes, NumPy's aliases and `ComplexWarning` to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyGeneric>()?;
    m.add_class::<PyNumber>()?;
    m.add_class::<PyInteger>()?;
    m.add_class::<PySignedInteger>()?;
    m.add_class::<PyUnsignedInteger>()?;
    m.add_class::<PyInexact>()?;
    m.add_class::<PyFloating>()?;
    m.add_class::<PyComplexFloating>()?;
    m.add_class::<PyFlexible>()?;
    m.add_class::<PyBoolScalar>()?;
    m.add_class::<PyInt8>()?;
    m.add_class::<PyInt16>()?;
    m.add_class::<PyInt32>()?;
    m.add_class::<PyInt64>()?;
    m.add_class::<PyUInt8>()?;
    m.add_class::<PyUInt16>()?;
    m.add_class::<PyUInt32>()?;
    m.add_class::<PyUInt64>()?;
    m.add_class::<PyFloat16>()?;
    m.add_class::<PyFloat32>()?;
    m.add_class::<PyFloat64>()?;
    m.add_class::<PyComplex64>()?;
    m.add_class::<PyComplex128>()?;
    m.add_class::<PyBytesScalar>()?;
    m.add_class::<PyVoidScalar>()?;
    let py = m.py();
    sequence_new::install(&[
        py.get_type::<PyBoolScalar>(),
        py.get_type::<PyInt8>(),
        py.get_type::<PyInt16>(),
        py.get_type::<PyInt32>(),
        py.get_type::<PyInt64>(),
        py.get_type::<PyUInt8>(),
        py.get_type::<PyUInt16>(),
        py.get_type::<PyUInt32>(),
        py.get_type::<PyUInt64>(),
        py.get_type::<PyFloat16>(),
        py.get_type::<PyFloat32>(),
        py.get_type::<PyFloat64>(),
        py.get_type::<PyComplex64>(),
        py.get_type::<PyComplex128>(),
    ])?;
    // NumPy 2's aliases (C names on a 64-bit Linux ABI).
    for (alias, target) in [
        ("bool_", "bool"),
        ("byte", "int8"),
        ("ubyte", "uint8"),
        ("short", "int16"),
        ("ushort", "uint16"),
        ("intc", "int32"),
        ("uintc", "uint32"),
        ("int_", "int64"),
        ("intp", "int64"),
        ("uintp", "uint64"),
        ("long", "int64"),
        ("ulong", "uint64"),
        ("longlong", "int64"),
        ("ulonglong", "uint64"),
        ("half", "float16"),
        ("single", "float32"),
        ("double", "float64"),
        ("csingle", "complex64"),
        ("cdouble", "complex128"),
    ] {
        m.add(alias, m.getattr(target)?)?;
    }
    m.add("True_", bool_scalar(py, true)?)?;
    m.add("False_", bool_scalar(py, false)?)?;
    m.add("ComplexWarning", py.get_type::<ComplexWarning>())?;
    Ok(())
}

/// Emits a warning of `category` with `message` (an error when warnings are errors).
pub fn warn(py: Python<'_>, category: &Bound<'_, PyAny>, message: &str) -> PyResult<()> {
    let msg = std::ffi::CString::new(message).unwrap_or_default();
    PyErr::warn(py, category, &msg, 1)
}

/// NumPy's ComplexWarning for a cast from complex to a real dtype.
pub fn complex_warning(py: Python<'_>) -> PyResult<()> {
    warn(py, &py.get_type::<ComplexWarning>(), "Casting complex values to real discards the imaginary part")
}

fn complex_to_real_warning(py: Python<'_>, v: &Scalar) -> PyResult<()> {
    if matches!(v, Scalar::Complex(..)) {
        complex_warning(py)?;
    }
    Ok(())
}

fn zero_of(d: DType) -> Scalar {
    match d.kind() {
        Kind::Bool => Scalar::Bool(false),
        Kind::Int => Scalar::Int(0),
        Kind::UInt => Scalar::UInt(0),
        Kind::Float => Scalar::Float(0.0),
        Kind::Complex => Scalar::Complex(0.0, 0.0),
        Kind::Bytes => Scalar::Bytes(vec![]),
        Kind::Void => Scalar::Void(vec![0; d.itemsize()]),
    }
}

impl PyGeneric {
    /// The value as a new 0-d array of its dtype.
    fn zero_d(&self) -> PyResult<Array> {
        Array::full(self.dtype, &[], Order::C, &self.value).py()
    }
}

#[pymethods]
impl PyGeneric {
    /// The dtype of the value.
    #[getter]
    fn dtype<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDType>> {
        crate::dtype::dtype_object(py, self.dtype)
    }

    /// Bytes of the value.
    #[getter]
    fn itemsize(&self) -> usize {
        self.dtype.itemsize()
    }

    /// Bytes of the value (one element).
    #[getter]
    fn nbytes(&self) -> usize {
        self.dtype.itemsize()
    }

    /// `0`: a scalar has no axes.
    #[getter]
    fn ndim(&self) -> usize {
        0
    }

    /// `()`.
    #[getter]
    fn shape<'py>(&self, py: Python<'py>) -> Bound<'py, PyTuple> {
        PyTuple::empty(py)
    }

    /// `1`.
    #[getter]
    fn size(&self) -> usize {
        1
    }

    /// The real part (the value itself for non-complex scalars).
    #[getter]
    fn real<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let g = slf.get();
        match g.value {
            Scalar::Complex(re, _) => new_scalar(slf.py(), Scalar::Float(re), complex_part(g.dtype)),
            _ => Ok(slf.clone().into_any()),
        }
    }

    /// The imaginary part (zero of the same type for non-complex scalars).
    #[getter]
    fn imag<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.value {
            Scalar::Complex(_, im) => new_scalar(py, Scalar::Float(im), complex_part(self.dtype)),
            _ => new_scalar(py, zero_of(self.dtype), self.dtype),
        }
    }

    /// The value as a Python object (`int`, `float`, `complex`, `bool` or `bytes`).
    fn item(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if let Scalar::Bytes(b) = &self.value {
            // An `S` value reads without its trailing NULs, as from an array.
            let end = b.iter().rposition(|&c| c != 0).map_or(0, |p| p + 1);
            return Ok(PyBytes::new(py, &b[..end]).into_any().unbind());
        }
        crate::ndarray::item_to_py(py, &self.value)
    }

    /// The scalar itself: a scalar has no axes to reverse.
    #[getter(T)]
    fn t(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    /// `None`: a scalar views no other object.
    #[getter]
    fn base(&self) -> Option<Py<PyAny>> {
        None
    }

    /// `()`.
    #[getter]
    fn strides<'py>(&self, py: Python<'py>) -> Bound<'py, PyTuple> {
        PyTuple::empty(py)
    }

    /// The value as a read-only 0-d array to NumPy and other consumers of the array
    /// interface: its bytes (native order) in a `bytes` object, which is the `data`.
    #[getter]
    fn __array_interface__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        let a = self.zero_d()?;
        let d = pyo3::types::PyDict::new(py);
        d.set_item("version", 3)?;
        d.set_item("shape", PyTuple::empty(py))?;
        d.set_item("typestr", self.dtype.str())?;
        d.set_item("data", PyBytes::new(py, &a.to_bytes(Order::C).py()?))?;
        Ok(d)
    }

    /// `x[()]` is the scalar; other keys index its 0-d array (`x[...]`, `x[None]`), and
    /// any key that cannot is NumPy's IndexError.
    fn __getitem__<'py>(slf: &Bound<'py, Self>, key: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        if key.cast::<PyTuple>().is_ok_and(|t| t.is_empty()) {
            return Ok(slf.clone().into_any());
        }
        let g = slf.get();
        let arr = crate::ndarray::make_owned(py, g.zero_d()?)?;
        arr.as_any().get_item(key).map_err(|e| {
            if e.is_instance_of::<pyo3::exceptions::PyIndexError>(py) {
                pyo3::exceptions::PyIndexError::new_err("invalid index to scalar variable.")
            } else {
                e
            }
        })
    }

    /// The array methods NumPy's scalars have (`astype`, `sum`, `reshape`, ...): looked up
    /// only when the scalar's own attributes lack `name`, and run on the scalar's 0-d array
    /// (`rawarray._scalar_methods`).
    fn __getattr__<'py>(slf: &Bound<'py, Self>, name: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let module = slf.py().import("rawarray._scalar_methods")?;
        module.getattr("scalar_attribute")?.call1((slf, name))
    }

    /// The raw bytes of the value in native byte order.
    #[pyo3(signature = (order = "C"))]
    fn tobytes<'py>(&self, py: Python<'py>, order: &str) -> PyResult<Bound<'py, PyBytes>> {
        let _ = order;
        if self.dtype.kind() == Kind::Bytes && self.dtype.itemsize() == 0 {
            // NumPy's empty bytes_ scalar hands out the NUL terminator of its storage.
            return Ok(PyBytes::new(py, b"\0"));
        }
        Ok(PyBytes::new(py, &self.zero_d()?.to_bytes(Order::C).py()?))
    }

    fn __repr__(&self) -> String {
        rawarray_core::format::print::scalar_repr(&self.value, self.dtype, "rawarray")
    }

    fn __str__(&self) -> String {
        rawarray_core::format::print::scalar_str(&self.value, self.dtype)
    }

    /// NumPy's `gentype_format`: the value as a Python bool, int, float or complex (so
    /// `f"{float32(0.1)}"` shows the float64 digits, `0.10000000149011612`), formatted by
    /// that type; bytes and void scalars format their `str`.
    fn __format__(slf: &Bound<'_, Self>, spec: &str) -> PyResult<String> {
        let py = slf.py();
        let g = slf.get();
        let value = if g.dtype.is_numeric() || g.dtype.kind() == Kind::Bool {
            g.item(py)?.into_bound(py)
        } else {
            slf.str()?.into_any()
        };
        value.call_method1("__format__", (spec,))?.extract()
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let item = slf.get().item(py)?;
        PyTuple::new(py, [slf.get_type().into_any(), PyTuple::new(py, [item])?.into_any()])
    }

    fn __copy__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __deepcopy__<'py>(slf: Bound<'py, Self>, memo: &Bound<'py, PyAny>) -> Bound<'py, Self> {
        let _ = memo;
        slf
    }

    /// `round(x)` gives a Python int; `round(x, n)` a scalar of the same type, rounded as
    /// `rawarray.round` (NumPy's scaling, so `round(float64(2.675), 2)` is 2.68).
    #[pyo3(signature = (ndigits = None))]
    fn __round__<'py>(slf: &Bound<'py, Self>, ndigits: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        if matches!(slf.get().dtype.kind(), Kind::Bool | Kind::Complex) {
            // NumPy's bool and complex scalars have no `__round__`: Python's wording.
            let name = slf.get_type().name()?;
            return Err(PyTypeError::new_err(format!("type rawarray.{name} doesn't define __round__ method")));
        }
        match ndigits.filter(|n| !n.is_none()) {
            None => {
                let item = slf.get().item(py)?.into_bound(py);
                py.import("builtins")?.getattr("round")?.call1((item,))
            }
            Some(n) => py.import("rawarray._ufuncs")?.getattr("round")?.call1((slf, n)),
        }
    }

    fn __bool__(&self) -> bool {
        self.value.is_truthy()
    }

    fn __int__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let int = py.get_type::<pyo3::types::PyInt>();
        match &self.value {
            Scalar::Int(i) => Ok(i.into_pyobject(py)?.into_any().unbind()),
            Scalar::UInt(u) => Ok(u.into_pyobject(py)?.into_any().unbind()),
            Scalar::Bool(b) => Ok((*b as i64).into_pyobject(py)?.into_any().unbind()),
            Scalar::Float(f) => Ok(int.call1((*f,))?.unbind()),
            Scalar::Complex(re, _) => {
                complex_to_real_warning(py, &self.value)?;
                Ok(int.call1((*re,))?.unbind())
            }
            Scalar::Bytes(b) | Scalar::Void(b) => Ok(int.call1((PyBytes::new(py, b),))?.unbind()),
        }
    }

    fn __float__(&self, py: Python<'_>) -> PyResult<f64> {
        match &self.value {
            Scalar::Bytes(b) | Scalar::Void(b) => {
                py.get_type::<pyo3::types::PyFloat>().call1((PyBytes::new(py, b),))?.extract()
            }
            v => {
                complex_to_real_warning(py, v)?;
                Ok(v.as_f64())
            }
        }
    }

    fn __complex__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyComplex>> {
        if !self.dtype.is_numeric() {
            return Err(PyTypeError::new_err(format!(
                "complex() argument must be a string or a number, not 'rawarray.{}'",
                if self.dtype.kind() == Kind::Bytes { "bytes_" } else { "void" }
            )));
        }
        let (re, im) = self.value.as_complex();
        Ok(pyo3::types::PyComplex::from_doubles(py, re, im))
    }
}

/// The real dtype of a complex dtype's parts.
fn complex_part(d: DType) -> DType {
    if d.itemsize() == 8 {
        DType::FLOAT32
    } else {
        DType::FLOAT64
    }
}

#[pymethods]
impl PyInteger {
    /// Integers can index sequences (`range(x)`, `chr(x)`, `list[x]`).
    fn __index__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        Self::generic(slf).__int__(slf.py())
    }
}

impl PyInteger {
    /// The data-holding base (`integer > number > generic`).
    fn generic<'a>(slf: &'a Bound<'_, Self>) -> &'a PyGeneric {
        slf.as_super().as_super().get()
    }
}

/// The methods of Python's `int` that NumPy's integer scalars have too.
#[pymethods]
impl PyInteger {
    /// `True`: an integer is integral (as `int.is_integer`).
    fn is_integer(&self) -> bool {
        true
    }

    /// The number of one bits in the absolute value (as `int.bit_count`).
    fn bit_count(slf: &Bound<'_, Self>) -> u32 {
        match Self::generic(slf).value {
            Scalar::Int(i) => i.unsigned_abs().count_ones(),
            Scalar::UInt(u) => u.count_ones(),
            _ => unreachable!("an integer scalar holds an Int or UInt"),
        }
    }

    /// The scalar itself (as `int.numerator`, keeping NumPy's type).
    #[getter]
    fn numerator<'py>(slf: &Bound<'py, Self>) -> Bound<'py, Self> {
        slf.clone()
    }

    /// `1` (as `int.denominator`).
    #[getter]
    fn denominator(&self) -> i64 {
        1
    }
}

impl PyFloating {
    /// The value (`floating > inexact > number > generic`).
    fn value(slf: &Bound<'_, Self>) -> f64 {
        slf.as_super().as_super().as_super().get().value.as_f64()
    }
}

/// The methods of Python's `float` that NumPy gives every float scalar.
#[pymethods]
impl PyFloating {
    /// Whether the value is finite and integral (as `float.is_integer`).
    fn is_integer(slf: &Bound<'_, Self>) -> bool {
        let v = Self::value(slf);
        v.is_finite() && v.fract() == 0.0
    }

    /// The exact value as a pair of Python ints (as `float.as_integer_ratio`; float16
    /// and float32 values are exact in a float64). Infinities and NaN raise as Python's.
    fn as_integer_ratio<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        pyo3::types::PyFloat::new(slf.py(), Self::value(slf)).call_method0("as_integer_ratio")
    }
}

/// What NumPy's float64, a subclass of Python's `float`, inherits from it.
#[pymethods]
impl PyFloat64 {
    /// The value in hexadecimal notation (as `float.hex`).
    fn hex<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        Self::as_float(slf).call_method0("hex")
    }

    /// `cls` of the value a hexadecimal string spells (as `float.fromhex`).
    #[classmethod]
    fn fromhex<'py>(cls: &Bound<'py, pyo3::types::PyType>, s: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let value = cls.py().get_type::<pyo3::types::PyFloat>().call_method1("fromhex", (s,))?;
        cls.call1((value,))
    }

    /// `math.floor(x)`: a Python int (OverflowError/ValueError for infinities and NaN).
    fn __floor__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        Self::as_float(slf).call_method0("__floor__")
    }

    /// `math.ceil(x)`: a Python int.
    fn __ceil__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        Self::as_float(slf).call_method0("__ceil__")
    }

    /// `math.trunc(x)`: a Python int.
    fn __trunc__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        Self::as_float(slf).call_method0("__trunc__")
    }

    /// `(float(x),)`, as `float.__getnewargs__`.
    fn __getnewargs__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(slf.py(), [Self::as_float(slf)])
    }
}

impl PyFloat64 {
    fn as_float<'py>(slf: &Bound<'py, Self>) -> Bound<'py, pyo3::types::PyFloat> {
        pyo3::types::PyFloat::new(slf.py(), PyFloating::value(slf.as_super()))
    }
}

/// What NumPy's complex128, a subclass of Python's `complex`, inherits from it.
#[pymethods]
impl PyComplex128 {
    /// `(x.real, x.imag)` as Python floats, as `complex.__getnewargs__`.
    fn __getnewargs__(slf: &Bound<'_, Self>) -> PyResult<(f64, f64)> {
        Ok(slf.as_any().cast::<PyGeneric>()?.get().value.as_complex())
    }
}
