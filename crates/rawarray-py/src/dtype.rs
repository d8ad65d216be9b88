//! `rawarray.dtype`: the Python face of the core `DType`, and the one function that turns
//! any dtype spelling Python code may pass into a `DType`.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyList, PyString, PyTuple, PyType};
use rawarray_core::dtype::{ByteOrder, DType};

use crate::errors::IntoPy;

/// A dtype object (`rawarray.dtype`).
#[pyclass(name = "dtype", module = "rawarray", frozen)]
pub struct PyDType {
    /// The core dtype.
    pub dtype: DType,
}

/// Reads any dtype spelling: a `rawarray.dtype`, `None` (float64), a string, a Python type
/// (`float`, `int`, `bool`, `complex`, `bytes`), a rawarray scalar type, a ctypes simple type,
/// or an object with a NumPy-style `.str` typestr (a NumPy dtype).
///
/// # Errors
/// `TypeError` naming the spelling when it is not understood.
pub fn dtype_from_py(obj: &Bound<'_, PyAny>) -> PyResult<DType> {
    if let Ok(d) = obj.cast::<PyDType>() {
        return Ok(d.get().dtype);
    }
    if obj.is_none() {
        return Ok(DType::FLOAT64);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return DType::parse(s.to_str()?).py();
    }
    let py = obj.py();
    if let Ok(t) = obj.cast::<PyType>() {
        if let Some(d) = crate::scalar::scalar_type_dtype(t) {
            return Ok(d);
        }
        if t.is(py.get_type::<pyo3::types::PyFloat>()) {
            return Ok(DType::FLOAT64);
        }
        if t.is(py.get_type::<pyo3::types::PyBool>()) {
            return Ok(DType::BOOL);
        }
        if t.is(py.get_type::<pyo3::types::PyInt>()) {
            return Ok(DType::INT64);
        }
        if t.is(py.get_type::<pyo3::types::PyComplex>()) {
            return Ok(DType::COMPLEX128);
        }
        if t.is(py.get_type::<pyo3::types::PyBytes>()) {
            return Ok(DType::bytes(0));
        }
        if let Ok(spec) = t.getattr("_rawarray_dtype") {
            return DType::parse(spec.cast::<PyString>()?.to_str()?).py();
        }
        if let Some(d) = ctypes_dtype(t)? {
            return Ok(d);
        }
        // A NumPy scalar type such as numpy.float64: its name is a dtype name.
        if t.getattr("__module__").ok().and_then(|m| m.extract::<String>().ok()).as_deref() == Some("numpy") {
            let name: String = t.getattr("__name__")?.extract()?;
            if let Ok(d) = DType::parse(name.trim_end_matches('_')) {
                return Ok(d);
            }
        }
    } else if let Ok(s) = obj.getattr("str") {
        // A NumPy dtype (or anything else carrying an array-interface typestr).
        if let Ok(s) = s.cast::<PyString>() {
            return DType::parse(s.to_str()?).py();
        }
    }
    Err(PyTypeError::new_err(format!("Cannot interpret '{}' as a data type", obj.repr()?)))
}

/// The dtype of a ctypes simple type (`c_double`, `c_uint8`, their byte-swapped variants).
fn ctypes_dtype(t: &Bound<'_, PyType>) -> PyResult<Option<DType>> {
    let py = t.py();
    let ctypes = py.import("ctypes")?;
    let simple = ctypes.getattr("_SimpleCData")?;
    if !t.is_subclass(&simple)? {
        return Ok(None);
    }
    let code: String = t.getattr("_type_")?.extract()?;
    let base = match code.as_str() {
        "c" => DType::bytes(1),
        "z" | "Z" | "P" => DType::UINT64,
        "g" | "u" | "O" | "v" | "X" => {
            return Err(PyTypeError::new_err(format!("Cannot interpret '{}' as a data type", t.repr()?)))
        }
        _ => DType::parse(&code).py()?,
    };
    let swapped = DType::FLOAT64.byte_order().swapped();
    let attr = if swapped == ByteOrder::Big { "__ctype_be__" } else { "__ctype_le__" };
    let is_swapped = t.getattr(attr).map(|o| o.is(t)).unwrap_or(false) && base.itemsize() > 1;
    Ok(Some(if is_swapped { base.with_byte_order(swapped) } else { base }))
}

/// The builtin dtypes in native byte order and the unsized `S` and `V`: NumPy hands out one
/// object for each, so `a.dtype is b.dtype` holds for two float64 arrays, and `a.dtype`
/// costs no allocation.
const BUILTIN: [DType; 16] = [
    DType::BOOL,
    DType::INT8,
    DType::INT16,
    DType::INT32,
    DType::INT64,
    DType::UINT8,
    DType::UINT16,
    DType::UINT32,
    DType::UINT64,
    DType::FLOAT16,
    DType::FLOAT32,
    DType::FLOAT64,
    DType::COMPLEX64,
    DType::COMPLEX128,
    DType::bytes(0),
    DType::void(0),
];

static BUILTIN_OBJECTS: PyOnceLock<Vec<Py<PyDType>>> = PyOnceLock::new();

/// The dtype object for `dtype`: the shared one for a builtin native dtype, else a new one.
///
/// # Errors
/// As for creating any Python object (memory).
pub fn dtype_object(py: Python<'_>, dtype: DType) -> PyResult<Bound<'_, PyDType>> {
    let table = BUILTIN_OBJECTS.get_or_try_init(py, || {
        BUILTIN.iter().map(|&d| Py::new(py, PyDType { dtype: d })).collect::<PyResult<Vec<_>>>()
    })?;
    match BUILTIN.iter().position(|&d| d == dtype) {
        Some(k) => Ok(table[k].bind(py).clone()),
        None => crate::objects::new_untracked(py, PyDType { dtype }),
    }
}

#[pymethods]
impl PyDType {
    #[new]
    #[pyo3(signature = (dtype, align = false, copy = false))]
    fn new<'py>(dtype: &Bound<'py, PyAny>, align: bool, copy: bool) -> PyResult<Bound<'py, PyDType>> {
        let _ = align;
        let d = dtype_from_py(dtype)?;
        if copy {
            return crate::objects::new_untracked(dtype.py(), PyDType { dtype: d });
        }
        dtype_object(dtype.py(), d)
    }

    /// The kind character: `b`, `i`, `u`, `f`, `c`, `S`, `V`.
    #[getter]
    fn kind(&self) -> String {
        let c = match self.dtype.kind() {
            rawarray_core::dtype::Kind::Bool => 'b',
            k => k.char_code(),
        };
        c.to_string()
    }

    /// The one-letter type code.
    #[getter]
    fn char(&self) -> String {
        self.dtype.char().to_string()
    }

    /// The array-interface typestr, e.g. `<f8`.
    #[getter]
    fn str(&self) -> String {
        self.dtype.str()
    }

    /// The name, e.g. `float64`.
    #[getter]
    fn name(&self) -> String {
        self.dtype.name()
    }

    /// Bytes per element.
    #[getter]
    fn itemsize(&self) -> usize {
        self.dtype.itemsize()
    }

    /// Required alignment in bytes.
    #[getter]
    fn alignment(&self) -> usize {
        self.dtype.alignment()
    }

    /// `=` native, `<`/`>` non-native, `|` not applicable.
    #[getter]
    fn byteorder(&self) -> String {
        self.dtype.byteorder_char().to_string()
    }

    /// True unless the byte order is the non-native one.
    #[getter]
    fn isnative(&self) -> bool {
        self.dtype.is_native()
    }

    /// The array-interface description: `[('', typestr)]`.
    #[getter]
    fn descr<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, [PyTuple::new(py, ["", &self.dtype.str()])?])
    }

    /// `()`: these dtypes have no subarray shape.
    #[getter]
    fn shape<'py>(&self, py: Python<'py>) -> Bound<'py, PyTuple> {
        PyTuple::empty(py)
    }

    /// `0`: no subarray dimensions.
    #[getter]
    fn ndim(&self) -> usize {
        0
    }

    /// `None`: these dtypes have no fields.
    #[getter]
    fn fields(&self) -> Option<Py<PyAny>> {
        None
    }

    /// `None`: these dtypes have no fields.
    #[getter]
    fn names(&self) -> Option<Py<PyAny>> {
        None
    }

    /// `None`: these dtypes are not subarrays.
    #[getter]
    fn subdtype(&self) -> Option<Py<PyAny>> {
        None
    }

    /// Always false: rawarray has no object dtype.
    #[getter]
    fn hasobject(&self) -> bool {
        false
    }

    /// The dtype itself (no subarray base).
    #[getter]
    fn base(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    /// The scalar type of elements, e.g. `rawarray.float64`.
    #[getter]
    fn r#type<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::scalar::scalar_type(py, self.dtype)
    }

    /// The same dtype with another byte order (`S` swaps).
    #[pyo3(signature = (new_order = "S"))]
    fn newbyteorder(&self, new_order: &str) -> PyResult<Self> {
        Ok(PyDType { dtype: self.dtype.new_byte_order(new_order).py()? })
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        dtype_from_py(other).map(|d| d == self.dtype).unwrap_or(false)
    }

    fn __ne__(&self, other: &Bound<'_, PyAny>) -> bool {
        !self.__eq__(other)
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.dtype.hash(&mut h);
        h.finish()
    }

    fn __repr__(&self) -> String {
        format!("dtype('{}')", self.dtype.repr_spec())
    }

    fn __str__(&self) -> String {
        if self.dtype.is_numeric() && self.dtype.is_native() {
            self.dtype.name()
        } else {
            self.dtype.str()
        }
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let cls = py.get_type::<PyDType>();
        PyTuple::new(py, [cls.into_any(), PyTuple::new(py, [self.dtype.str()])?.into_any()])
    }
}
