//! Universal functions: a registry of NumPy's elementwise functions with their typed loops
//! in NumPy's order (`ufunc.types`), NumPy 2's type resolution (NEP 50 weak Python
//! scalars, the first loop every input casts to safely, special resolvers), `casting=`
//! and `dtype=` checks, and the execution engine in [`exec`].
//!
//! Invariant: a loop is only ever called with operands of exactly its dtypes (native byte
//! order, any alignment); conversion happens before (inputs) or after (outputs) the loop.

mod clip;
mod cmath;
pub mod exec;
mod float_parts;
mod loops;
pub mod methods;
mod npiter;
pub(crate) mod ops;
pub mod parts;
mod table;
mod vmath_hook;

use std::sync::OnceLock;

pub use crate::promote::{can_cast, Casting};
pub use exec::{execute, execute_small, execute_small_scalar, ExecArgs, OutOrder, Small};
pub use table::registry;

use crate::dtype::{DType, Kind};
use crate::error::{Error, Result, UFuncErrorKind};
use crate::fpe::FpFlags;
use crate::parallel::Cost;
use crate::promote::{promote_types, result_type_weak, PyScalarKind};

/// What a loop reports besides floating-point flags.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Status {
    /// Explicit floating-point flags (integer division by zero, ...).
    pub flags: FpFlags,
    /// An integer was raised to a negative integer power (NumPy raises ValueError).
    pub negative_power: bool,
}

impl Status {
    /// The union of two statuses.
    #[must_use]
    pub fn union(self, o: Status) -> Status {
        Status { flags: self.flags.union(o.flags), negative_power: self.negative_power || o.negative_power }
    }
}

/// The inner-loop ABI: operand pointers and byte strides in NumPy's order (inputs, then
/// outputs; unused slots are ignored) and the element count.
///
/// # Safety
/// For every operand `k < nin + nout`, `n` elements of the loop's dtype `k` at
/// `args[k] + i * strides[k]` must be readable (inputs) or writable (outputs). Outputs may
/// coincide exactly with an input (same address and stride) but must not overlap one
/// otherwise.
pub type LoopFn = unsafe fn(args: &[*mut u8; 4], strides: &[isize; 4], n: usize) -> Status;

/// One typed loop: NumPy's type signature (`"ff->f"`), the function, and the operand dtypes
/// the signature names (decoded once, when the loop is built).
#[derive(Copy, Clone)]
pub struct Loop {
    /// The signature in NumPy's type characters.
    pub types: &'static str,
    /// The inner loop.
    pub func: LoopFn,
    /// The dtype of each operand (inputs, then outputs); unused slots are float64.
    dtypes: [DType; 4],
}

impl std::fmt::Debug for Loop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.types)
    }
}

impl Loop {
    /// A loop with signature `types` (NumPy's type characters, `"ff->f"`).
    pub const fn new(types: &'static str, func: LoopFn) -> Loop {
        let b = types.as_bytes();
        let mut dtypes = [DType::FLOAT64; 4];
        let (mut i, mut k) = (0, 0);
        while i < b.len() && k < 4 {
            if b[i] != b'-' && b[i] != b'>' {
                dtypes[k] = char_dtype(b[i] as char);
                k += 1;
            }
            i += 1;
        }
        Loop { types, func, dtypes }
    }

    /// The dtype of operand `k` (inputs, then outputs).
    #[inline]
    pub fn dtype(&self, k: usize) -> DType {
        self.dtypes.get(k).copied().unwrap_or(DType::FLOAT64)
    }
}

/// The dtype of a NumPy type character in a loop signature (the one-letter codes of
/// [`crate::format::typestr`]; `d` and anything else float64).
pub const fn char_dtype(c: char) -> DType {
    match crate::format::typestr::by_code(c) {
        Some(d) => d,
        None => DType::FLOAT64,
    }
}

/// A ufunc's identity (for reductions).
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Identity {
    /// No identity (`None`).
    None,
    /// An integer (`0`, `1`, `-1`).
    Int(i64),
    /// A bool (`True` for logical_and).
    Bool(bool),
    /// A float (`-inf` for logaddexp).
    Float(f64),
}

/// How the type of a call is resolved beyond NumPy's default linear search.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Resolver {
    /// The first loop every input casts to safely.
    Default,
    /// `true_divide`: integer and bool inputs compute in float64.
    TrueDivide,
    /// `negative`: boolean input refused with NumPy's message.
    Negative,
    /// `subtract`: boolean inputs refused with NumPy's message.
    Subtract,
    /// `positive`, `sign`: boolean input has no loop (NumPy refuses it rather than
    /// casting to int8).
    NoBool,
    /// `gcd`, `lcm`: the inputs' common dtype must have a loop of its own (NumPy's
    /// uniform-operation resolver: bools, or an int64 with a uint64, have none).
    Uniform,
    /// `logical_and`/`or`/`xor`: inputs of different DTypes (a Python number beside an
    /// array too) take the bool loop, converted by truth value with no casting check
    /// (NumPy 2's logical promoter); inputs of one DType take their own loop.
    Logical,
    /// `ldexp`: NumPy's legacy type resolver, whose search lets a Python int into any
    /// integer slot.
    Legacy,
}

/// A universal function.
#[derive(Debug)]
pub struct Ufunc {
    /// NumPy's name (`add`).
    pub name: &'static str,
    /// Number of inputs.
    pub nin: usize,
    /// Number of outputs.
    pub nout: usize,
    /// The identity.
    pub identity: Identity,
    /// Loops in NumPy's order.
    pub loops: Vec<Loop>,
    /// Whether the loops' floating-point exceptions are read from the status word (IEEE
    /// operations); otherwise only the flags loops return are reported (comparisons and
    /// min/max clear spurious signalling-compare flags, as NumPy does).
    pub hardware_fpe: bool,
    /// The cost per element, for the parallel split.
    pub cost: Cost,
    /// Special type resolution.
    pub resolver: Resolver,
    /// Comparisons: a Python int that does not fit the other operand's integer dtype is
    /// compared exactly instead of raising OverflowError.
    pub compare: bool,
}

/// An input's type for resolution: a typed array/scalar, or a weak Python scalar.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum InType {
    /// An array or typed scalar of this dtype.
    Typed(DType),
    /// A Python bool/int/float/complex (NEP 50).
    Weak(PyScalarKind),
}

/// The outcome of type resolution.
#[derive(Copy, Clone, Debug)]
pub struct Resolved {
    /// Index of the loop in [`Ufunc::loops`].
    pub index: usize,
    /// The dtype each weak input takes (NEP 50), or the loop dtype for typed inputs.
    pub weak_dtypes: [DType; 3],
}

fn dtype_repr(d: DType) -> String {
    format!("dtype('{}')", d.repr_spec())
}

/// Whether a weak Python scalar of `kind` converts to `d` without changing kind downwards
/// (a float into an integer loop does not).
fn weak_fits(kind: PyScalarKind, d: DType) -> bool {
    match kind {
        PyScalarKind::Bool => true,
        PyScalarKind::Int => d.kind() != Kind::Bool,
        PyScalarKind::Float => matches!(d.kind(), Kind::Float | Kind::Complex),
        PyScalarKind::Complex => d.kind() == Kind::Complex,
    }
}

/// Whether the inputs share one NumPy DType class (byte order aside); a Python int, float
/// or complex is a class of its own (a Python bool is `bool_`'s).
fn same_dtype_class(ins: &[InType]) -> bool {
    let class = |t: &InType| match *t {
        InType::Typed(d) => InType::Typed(d.to_native()),
        InType::Weak(PyScalarKind::Bool) => InType::Typed(DType::BOOL),
        weak => weak,
    };
    ins.windows(2).all(|w| class(&w[0]) == class(&w[1]))
}

/// NumPy's DType class of an input for its messages: a typed input's dtype's class, a
/// Python int, float or complex its abstract class (a Python bool is `bool_`'s).
fn input_class(t: InType, d: DType) -> String {
    match t {
        InType::Weak(PyScalarKind::Int) => "<class 'numpy.dtypes._PyLongDType'>".to_string(),
        InType::Weak(PyScalarKind::Float) => "<class 'numpy.dtypes._PyFloatDType'>".to_string(),
        InType::Weak(PyScalarKind::Complex) => "<class 'numpy.dtypes._PyComplexDType'>".to_string(),
        InType::Weak(PyScalarKind::Bool) => crate::promote::dtype_class(DType::BOOL),
        InType::Typed(_) => crate::promote::dtype_class(d),
    }
}

fn default_weak(k: PyScalarKind) -> DType {
    match k {
        PyScalarKind::Bool => DType::BOOL,
        PyScalarKind::Int => DType::INT64,
        PyScalarKind::Float => DType::FLOAT64,
        PyScalarKind::Complex => DType::COMPLEX128,
    }
}

impl Ufunc {
    /// NumPy's `ufunc.types`.
    pub fn types(&self) -> Vec<&'static str> {
        self.loops.iter().map(|l| l.types).collect()
    }

    /// Resolves the loop for inputs of these types (NumPy 2 with NEP 50).
    ///
    /// # Errors
    /// `UFuncType` with NumPy's messages when no loop fits or when `dtype=` forces a loop
    /// the inputs cannot be cast to under `casting`; `Type` for NumPy's refused boolean
    /// operations and the other plain TypeErrors NumPy raises.
    pub fn resolve(&self, ins: &[InType], dtype: Option<DType>, casting: Casting) -> Result<Resolved> {
        if let Some(r) = self.logical_of_text(ins, &[None, None, dtype])? {
            return Ok(r);
        }
        let eff = self.effective(ins)?;
        let eff = &eff[..ins.len().min(3)];
        // `dtype=` picks the loop itself: NumPy's refusals of boolean inputs (and the
        // uniform resolver's) are its type resolvers', which a forced loop bypasses
        // (`negative(bool_array, dtype='f8')` is `-1.0, -0.0`).
        if dtype.is_none() {
            self.special(ins, eff)?;
            if self.resolver == Resolver::Logical && !same_dtype_class(ins) {
                let index = self.loops.iter().position(|l| l.types == "??->?").unwrap_or(0);
                return Ok(Resolved { index, weak_dtypes: [DType::BOOL; 3] });
            }
        }
        let index = match dtype {
            Some(d) => self.resolve_forced(ins, eff, d, casting)?,
            None => {
                let index = self.resolve_search(ins, eff, casting)?;
                // NumPy picks the loop with 'safe' input casting whatever the rule, then
                // checks the inputs under the rule ('no', 'equiv' are stricter).
                self.check_inputs(ins, eff, index, casting)?;
                index
            }
        };
        Ok(self.resolved(ins, eff, index))
    }

    /// Resolves the loop under NumPy's `signature=`: one entry per operand (inputs, then
    /// outputs), `None` where the loop is free. Without a fixed input it is `dtype=` with
    /// the first fixed output; otherwise the first loop that has every fixed dtype and that
    /// the inputs reach safely, else the first they reach under `casting`.
    ///
    /// # Errors
    /// As for [`Ufunc::resolve`]; `UFuncType`-like `Type` ("No loop matching the specified
    /// signature and casting was found for ufunc add") when no loop fits.
    pub fn resolve_signature(&self, ins: &[InType], sig: &[Option<DType>], casting: Casting) -> Result<Resolved> {
        if let Some(r) = self.logical_of_text(ins, sig)? {
            return Ok(r);
        }
        let nin = self.nin.min(sig.len());
        if sig[..nin].iter().all(Option::is_none) {
            return self.resolve(ins, sig[nin..].iter().flatten().next().copied(), casting);
        }
        let eff = self.effective(ins)?;
        let eff = &eff[..ins.len().min(3)];
        let loops = (0..self.loops.len()).filter(|&i| {
            sig.iter().enumerate().all(|(k, s)| s.is_none_or(|d| self.loops[i].dtype(k) == d.to_native()))
        });
        let reach = |i: usize, c: Casting| (0..eff.len()).all(|k| self.reaches(ins, eff, k, self.loops[i].dtype(k), c));
        let index =
            loops.clone().find(|&i| reach(i, Casting::Safe)).or_else(|| loops.clone().find(|&i| reach(i, casting)));
        let Some(index) = index.or_else(|| loops.clone().next()) else {
            crate::bail!(
                Type,
                "No loop matching the specified signature and casting was found for ufunc {}",
                self.name
            );
        };
        // A loop with the signature's dtypes that the inputs cannot reach: NumPy's input
        // casting error for it.
        self.check_inputs(ins, eff, index, casting)?;
        Ok(self.resolved(ins, eff, index))
    }

    /// logical_and/or/xor with a bytes or void input: NumPy's logical promoter sends any
    /// inputs to the boolean loop, each cast to bool unchecked (bytes are true when not
    /// empty), unless `sig` (operands in order; `dtype=` is the output's) fixes another
    /// dtype. `None` for numeric inputs, resolved as usual.
    fn logical_of_text(&self, ins: &[InType], sig: &[Option<DType>]) -> Result<Option<Resolved>> {
        let text = ins.iter().any(|t| matches!(t, InType::Typed(d) if !d.is_numeric()));
        if self.resolver != Resolver::Logical || !text {
            return Ok(None);
        }
        let index = self.loops.iter().position(|l| l.types == "??->?");
        match index {
            Some(index) if sig.iter().flatten().all(|d| d.kind() == Kind::Bool) => {
                Ok(Some(Resolved { index, weak_dtypes: [DType::BOOL; 3] }))
            }
            _ => crate::bail!(
                Type,
                "No loop matching the specified signature and casting was found for ufunc {}",
                self.name
            ),
        }
    }

    /// The dtypes the inputs take for resolution: typed ones their own, weak Python scalars
    /// the NEP 50 result of meeting the typed inputs' common dtype.
    fn effective(&self, ins: &[InType]) -> Result<[DType; 3]> {
        if ins.iter().any(|t| matches!(t, InType::Typed(d) if !d.is_numeric())) {
            return Err(self.no_loop_non_numeric(ins));
        }
        // The typed inputs' common dtype decides what the weak ones become.
        let mut common: Option<DType> = None;
        for t in ins {
            if let InType::Typed(d) = t {
                common = Some(match common {
                    None => d.to_native(),
                    Some(c) => promote_types(c, *d)?,
                });
            }
        }
        let mut eff = [DType::FLOAT64; 3];
        for (k, t) in ins.iter().enumerate().take(3) {
            eff[k] = match (*t, common) {
                (InType::Typed(d), _) => d,
                // A Python bool is NumPy's bool_ (NEP 50 leaves it out of the weak scalars).
                (InType::Weak(PyScalarKind::Bool), _) => DType::BOOL,
                (InType::Weak(kind), Some(c)) => result_type_weak(c, kind)?,
                (InType::Weak(kind), None) => default_weak(kind),
            };
        }
        Ok(eff)
    }

    /// The resolution of loop `index`, with the dtype each weak input is converted to.
    fn resolved(&self, ins: &[InType], eff: &[DType], index: usize) -> Resolved {
        // NumPy converts a weak Python scalar straight to its operand's dtype in the chosen
        // loop: `add(uint8_array, -1, dtype='f8')` and `arctan2(uint8_array, 300)` (a
        // float16 loop) take the int as it is, `add(int8_array, -1, dtype='u1',
        // casting='unsafe')` raises OverflowError. A Python float or complex meeting a loop of
        // a lower kind (only under `casting='unsafe'`) keeps its own dtype and is cast.
        let mut weak_dtypes = [DType::FLOAT64; 3];
        for (k, t) in ins.iter().enumerate().take(3) {
            let ld = self.loops[index].dtype(k);
            weak_dtypes[k] = match t {
                InType::Weak(kind) if !weak_fits(*kind, ld) => eff[k],
                _ => ld,
            };
        }
        Resolved { index, weak_dtypes }
    }

    fn special(&self, ins: &[InType], eff: &[DType]) -> Result<()> {
        let all_bool = eff.iter().all(|d| d.kind() == Kind::Bool);
        match self.resolver {
            Resolver::Negative if all_bool => crate::bail!(
                Type,
                "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead."
            ),
            Resolver::Subtract if all_bool => crate::bail!(
                Type,
                "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead."
            ),
            Resolver::NoBool if all_bool => Err(Error::ufunc(
                self.name,
                UFuncErrorKind::NoLoop { dtypes: eff.to_vec(), nout: self.nout },
                format!(
                    "ufunc '{}' did not contain a loop with signature matching types {} -> None",
                    self.name,
                    crate::promote::dtype_class(DType::BOOL)
                ),
            )),
            Resolver::Uniform => {
                let common = eff.iter().skip(1).try_fold(eff[0].to_native(), |c, d| promote_types(c, *d))?;
                if self.loops.iter().any(|l| l.dtype(0) == common) {
                    return Ok(());
                }
                Err(self.no_loop_for_classes(ins, eff))
            }
            _ => Ok(()),
        }
    }

    /// NumPy's error for inputs of which one is not numeric (bytes, void). Which one NumPy
    /// raises depends on the ufunc's type resolver: comparisons fail in promotion and name
    /// the DType classes (`_PyLongDType` for a Python int); add, subtract, multiply, clip
    /// and the min/max family fail in their own resolvers and name dtype instances (a Python
    /// int as `dtype('int64')`); negative, absolute, positive and sign name the input's class;
    /// the other ufuncs give the default resolver's plain TypeError.
    fn no_loop_non_numeric(&self, ins: &[InType]) -> Error {
        let dtypes: Vec<DType> = ins
            .iter()
            .map(|t| match *t {
                InType::Typed(d) => d,
                InType::Weak(k) => default_weak(k),
            })
            .collect();
        let kind = UFuncErrorKind::NoLoop { dtypes: dtypes.clone(), nout: self.nout };
        let sig = |names: Vec<String>| {
            if names.len() == 1 {
                names.join("")
            } else {
                format!("({})", names.join(", "))
            }
        };
        let names: Vec<String> = if self.compare || matches!(self.name, "negative" | "absolute" | "positive" | "sign") {
            ins.iter().zip(&dtypes).map(|(t, d)| input_class(*t, *d)).collect()
        } else if matches!(
            self.name,
            "add" | "subtract" | "multiply" | "maximum" | "minimum" | "fmax" | "fmin" | "clip"
        ) {
            dtypes.iter().map(|d| dtype_repr(*d)).collect()
        } else {
            return Error::Type(format!(
                "ufunc '{}' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''",
                self.name
            ));
        };
        Error::ufunc(
            self.name,
            kind,
            format!(
                "ufunc '{}' did not contain a loop with signature matching types {} -> None",
                self.name,
                sig(names)
            ),
        )
    }

    /// NumPy's "did not contain a loop" error naming the inputs' DType classes (a Python
    /// int, float or complex as its own abstract class).
    fn no_loop_for_classes(&self, ins: &[InType], eff: &[DType]) -> Error {
        let classes: Vec<String> = ins.iter().zip(eff).map(|(t, d)| input_class(*t, *d)).collect();
        Error::ufunc(
            self.name,
            UFuncErrorKind::NoLoop { dtypes: eff.to_vec(), nout: self.nout },
            format!(
                "ufunc '{}' did not contain a loop with signature matching types ({}) -> None",
                self.name,
                classes.join(", ")
            ),
        )
    }

    fn no_loop(&self, ins: &[InType], eff: &[DType], casting: Casting) -> Error {
        if eff.iter().any(|d| !d.is_numeric()) || self.loops.is_empty() {
            return self.no_loop_for_classes(ins, eff);
        }
        let _ = casting;
        Error::Type(format!(
            "ufunc '{}' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''",
            self.name
        ))
    }

    fn resolve_search(&self, ins: &[InType], eff: &[DType], casting: Casting) -> Result<usize> {
        if eff.iter().any(|d| !d.is_numeric()) {
            return Err(self.no_loop(ins, eff, casting));
        }
        if self.resolver == Resolver::TrueDivide
            && eff.iter().all(|d| matches!(d.kind(), Kind::Bool | Kind::Int | Kind::UInt))
        {
            if let Some(i) = self.loops.iter().position(|l| l.types == "dd->d") {
                return Ok(i);
            }
        }
        // NumPy's promotion runs its type resolver under 'unsafe', which searches with
        // 'safe' input casting; `casting` is checked on the loop found. NumPy's legacy
        // resolver (ldexp) lets a Python int into any integer slot.
        let legacy = self.resolver == Resolver::Legacy;
        for (i, l) in self.loops.iter().enumerate() {
            let fits = |k: usize, d: DType| match ins.get(k) {
                Some(InType::Weak(PyScalarKind::Int))
                    if legacy && matches!(l.dtype(k).kind(), Kind::Int | Kind::UInt) =>
                {
                    true
                }
                _ => can_cast(d, l.dtype(k), Casting::Safe),
            };
            if eff.iter().enumerate().all(|(k, &d)| fits(k, d)) {
                return Ok(i);
            }
        }
        Err(self.no_loop(ins, eff, casting))
    }

    fn resolve_forced(&self, ins: &[InType], eff: &[DType], d: DType, casting: Casting) -> Result<usize> {
        let d = d.to_native();
        if eff.iter().any(|d| !d.is_numeric()) {
            return Err(self.no_loop(ins, eff, casting));
        }
        // NumPy: dtype= fixes the outputs; the inputs take the loop whose inputs match
        // best, i.e. the first with that output that the inputs reach safely, else the
        // first with that output.
        let with_out: Vec<usize> = (0..self.loops.len()).filter(|&i| self.loops[i].dtype(self.nin) == d).collect();
        let Some(&first) = with_out.first() else {
            crate::bail!(
                Type,
                "No loop matching the specified signature and casting was found for ufunc {}",
                self.name
            );
        };
        let pick = with_out
            .iter()
            .copied()
            .find(|&i| eff.iter().enumerate().all(|(k, &x)| can_cast(x, self.loops[i].dtype(k), Casting::Safe)))
            .or_else(|| with_out.iter().copied().find(|&i| self.loops[i].dtype(0) == d))
            .unwrap_or(first);
        self.check_inputs(ins, eff, pick, casting)?;
        Ok(pick)
    }

    /// Whether input `k` may be cast to `to` under `casting`. A weak Python int, float or
    /// complex that fits the loop's kind is converted straight to `to`, so NumPy checks no
    /// cast for it (`power(2, int64_array, dtype='u1')` fails on input 1) except under
    /// 'equiv', which it passes only into its own dtype (int64, float64, complex128); others,
    /// and Python bools (NumPy's `bool_`, not weak), are checked by their dtype.
    fn reaches(&self, ins: &[InType], eff: &[DType], k: usize, to: DType, casting: Casting) -> bool {
        match ins.get(k) {
            Some(InType::Weak(kind)) if *kind != PyScalarKind::Bool && weak_fits(*kind, to) => {
                // (Comparisons take a Python int as it is into an integer loop.)
                casting != Casting::Equiv
                    || to == default_weak(*kind)
                    || (self.compare && *kind == PyScalarKind::Int && matches!(to.kind(), Kind::Int | Kind::UInt))
            }
            _ => can_cast(eff[k], to, casting),
        }
    }

    /// NumPy's input casting error when an input of `eff` cannot be cast to loop `index`'s
    /// dtype under `casting`.
    fn check_inputs(&self, ins: &[InType], eff: &[DType], index: usize, casting: Casting) -> Result<()> {
        // Python scalars first: NumPy refuses them while finding their descriptors, before
        // it checks the arrays' casts.
        for (k, t) in ins.iter().enumerate().take(eff.len()) {
            let to = self.loops[index].dtype(k);
            if let InType::Weak(kind) = *t {
                if kind != PyScalarKind::Bool && weak_fits(kind, to) && !self.reaches(ins, eff, k, to, casting) {
                    let name = match kind {
                        PyScalarKind::Int => "int",
                        PyScalarKind::Float => "float",
                        _ => "complex",
                    };
                    crate::bail!(
                        Type,
                        "cannot cast Python {name} to {} under the casting rule '{}'",
                        to.name(),
                        casting.name()
                    );
                }
            }
        }
        for (k, &x) in eff.iter().enumerate() {
            let to = self.loops[index].dtype(k);
            if self.reaches(ins, eff, k, to, casting) {
                continue;
            }
            // (NumPy numbers the input only when there are several.)
            let input = if self.nin > 1 { format!("input {k}") } else { "input".to_string() };
            return Err(Error::ufunc(
                self.name,
                UFuncErrorKind::InputCasting { casting, from: x, to, index: k },
                format!(
                    "Cannot cast ufunc '{}' {input} from {} to {} with casting rule '{}'",
                    self.name,
                    dtype_repr(x),
                    dtype_repr(to),
                    casting.name()
                ),
            ));
        }
        Ok(())
    }

    /// Checks that output `k` of loop `index` may be written into an array of `to`.
    ///
    /// # Errors
    /// `UFuncType` (output casting) with NumPy's "Cannot cast ufunc 'add' output from ..."
    /// message.
    pub fn check_output(&self, index: usize, k: usize, to: DType, casting: Casting) -> Result<()> {
        let from = self.loops[index].dtype(self.nin + k);
        if can_cast(from, to, casting) {
            return Ok(());
        }
        // NumPy names the output's operand position only when there are several.
        let which = if self.nout > 1 { format!("output {}", self.nin + k) } else { "output".to_string() };
        Err(Error::ufunc(
            self.name,
            UFuncErrorKind::OutputCasting { casting, from, to: to.to_native(), index: self.nin + k },
            format!(
                "Cannot cast ufunc '{}' {} from {} to {} with casting rule '{}'",
                self.name,
                which,
                dtype_repr(from),
                dtype_repr(to),
                casting.name()
            ),
        ))
    }
}

/// Looks a ufunc up by name.
pub fn get(name: &str) -> Option<&'static Ufunc> {
    static INDEX: OnceLock<std::collections::HashMap<&'static str, &'static Ufunc>> = OnceLock::new();
    INDEX.get_or_init(|| registry().iter().map(|u| (u.name, u)).collect()).get(name).copied()
}

#[cfg(test)]
mod tests;
