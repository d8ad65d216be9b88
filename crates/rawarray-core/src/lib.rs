//! rawarray-core: a pure-Rust toolkit over raw memory in NumPy's model.
//!
//! Five nouns: [`dtype::DType`] (what the bytes mean), [`buffer::Buffer`] (where they live
//! and who frees them), [`layout::Layout`] (shape, byte strides and offset, checked once
//! against the buffer), [`array::Array`] (all three together; views share a buffer) and
//! [`scalar::Scalar`] (one element's value). Kernels in [`kernels`] walk layouts through the
//! one strided driver in [`strided`].
//!
//! ```
//! use rawarray_core::{array::Array, dtype::DType, layout::Order};
//! let a = Array::zeros(DType::parse(">i4").unwrap(), &[2, 3], Order::C).unwrap();
//! let t = a.transpose(None).unwrap();
//! assert_eq!(t.strides(), &[4, 12]);
//! assert!(t.is_f_contiguous());
//! ```

pub mod error;

pub mod array;
pub mod buffer;
pub mod dtype;
pub mod format;
pub mod fpe;
pub mod index;
pub mod kernels;
pub mod layout;
pub mod overlap;
pub mod parallel;
pub mod promote;
pub mod reduce;
pub mod scalar;
pub mod scalar_ops;
pub mod strided;
pub mod ufunc;
pub mod views;

pub use error::{Error, Result};
