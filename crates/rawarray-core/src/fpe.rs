//! Floating-point exceptions: the flags an operation raised, and the processor's sticky
//! status flags that record them.
//!
//! NumPy reports IEEE exceptions (divide by zero, overflow, underflow, invalid) by reading
//! the floating-point status word after a loop; the caller then turns the flags into
//! warnings or errors according to `errstate`. Kernels here do the same: [`clear`] before a
//! loop, [`raised`] after it, on the thread that ran the loop (the status word is per
//! thread, so each pool task reads its own and the results are OR-ed). Kernels whose
//! exceptions are not IEEE ones (integer division by zero) or whose code may set spurious
//! flags (vectorised polynomial approximations) set [`FpFlags`] explicitly instead.
//!
//! Platforms without a known status-word layout report no flags from [`raised`].

/// The floating-point exceptions one operation raised (NumPy's `np.errstate` categories).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct FpFlags {
    /// "divide by zero encountered in ..."
    pub divide: bool,
    /// "overflow encountered in ..."
    pub overflow: bool,
    /// "invalid value encountered in ..."
    pub invalid: bool,
    /// "underflow encountered in ..." (NumPy ignores it by default).
    pub underflow: bool,
}

impl FpFlags {
    /// True when divide, overflow or invalid is set (the categories NumPy reports by
    /// default; underflow is ignored unless asked for).
    pub fn any(self) -> bool {
        self.divide || self.overflow || self.invalid
    }

    /// The union of two sets of flags.
    #[must_use]
    pub fn union(self, other: FpFlags) -> FpFlags {
        FpFlags {
            divide: self.divide || other.divide,
            overflow: self.overflow || other.overflow,
            invalid: self.invalid || other.invalid,
            underflow: self.underflow || other.underflow,
        }
    }

    /// NumPy's RuntimeWarning texts for the raised flags (underflow excluded), in the order
    /// NumPy emits them: "... encountered in scalar add" from its scalar math, "...
    /// encountered in add" from the generic ufunc path.
    pub fn messages(self, ufunc: &str, scalar_math: bool) -> Vec<String> {
        let place = if scalar_math { format!("scalar {ufunc}") } else { ufunc.to_string() };
        let mut out = Vec::new();
        if self.divide {
            out.push(format!("divide by zero encountered in {place}"));
        }
        if self.overflow {
            out.push(format!("overflow encountered in {place}"));
        }
        if self.invalid {
            out.push(format!("invalid value encountered in {place}"));
        }
        out
    }
}

#[cfg(all(target_os = "linux", target_arch = "aarch64"))]
mod status {
    pub const INVALID: i32 = 0x01;
    pub const DIVBYZERO: i32 = 0x02;
    pub const OVERFLOW: i32 = 0x04;
    pub const UNDERFLOW: i32 = 0x08;
}

/// x86-64: Rust's float arithmetic runs on SSE, whose sticky flags live in MXCSR (bits 0-5:
/// invalid, denormal, divide, overflow, underflow, precision). Reading and writing that
/// register directly costs a few cycles; the C library's `fetestexcept` also reads the x87
/// status word and costs tens of nanoseconds, which shows at 10-element ufunc calls.
#[cfg(target_arch = "x86_64")]
mod imp {
    use super::FpFlags;

    const INVALID: u32 = 1 << 0;
    const DIVBYZERO: u32 = 1 << 2;
    const OVERFLOW: u32 = 1 << 3;
    const UNDERFLOW: u32 = 1 << 4;
    const ALL: u32 = INVALID | DIVBYZERO | OVERFLOW | UNDERFLOW;

    fn read() -> u32 {
        let mut csr: u32 = 0;
        // SAFETY: `stmxcsr` stores the 32-bit MXCSR register of this thread into `csr`, a
        // valid, writable, 4-byte location; it has no other effect.
        unsafe { core::arch::asm!("stmxcsr [{}]", in(reg) &mut csr, options(nostack, preserves_flags)) };
        csr
    }

    pub fn clear() {
        let csr = read();
        if csr & ALL != 0 {
            let new = csr & !ALL;
            // SAFETY: `ldmxcsr` loads MXCSR from `new`, which is the current value with only
            // the sticky exception flags cleared (control and mask bits unchanged).
            unsafe { core::arch::asm!("ldmxcsr [{}]", in(reg) &new, options(nostack, preserves_flags)) };
        }
    }

    pub fn raised() -> FpFlags {
        let bits = read();
        FpFlags {
            divide: bits & DIVBYZERO != 0,
            overflow: bits & OVERFLOW != 0,
            invalid: bits & INVALID != 0,
            underflow: bits & UNDERFLOW != 0,
        }
    }
}

#[cfg(all(target_os = "linux", target_arch = "aarch64"))]
mod imp {
    use super::{status, FpFlags};

    const ALL: i32 = status::INVALID | status::DIVBYZERO | status::OVERFLOW | status::UNDERFLOW;

    extern "C" {
        // C99 <fenv.h>, provided by the C library every Rust program on Linux links.
        fn feclearexcept(excepts: i32) -> i32;
        fn fetestexcept(excepts: i32) -> i32;
    }

    pub fn clear() {
        // SAFETY: `feclearexcept` only clears bits of this thread's status word; the argument
        // is a valid mask for this platform.
        unsafe { feclearexcept(ALL) };
    }

    pub fn raised() -> FpFlags {
        // SAFETY: `fetestexcept` only reads this thread's status word.
        let bits = unsafe { fetestexcept(ALL) };
        FpFlags {
            divide: bits & status::DIVBYZERO != 0,
            overflow: bits & status::OVERFLOW != 0,
            invalid: bits & status::INVALID != 0,
            underflow: bits & status::UNDERFLOW != 0,
        }
    }
}

#[cfg(not(any(target_arch = "x86_64", all(target_os = "linux", target_arch = "aarch64"))))]
mod imp {
    use super::FpFlags;

    pub fn clear() {}

    pub fn raised() -> FpFlags {
        FpFlags::default()
    }
}

/// Whether [`raised`] reads a real status word on this platform (otherwise it reports no
/// flags, and callers that use the flags only as a hint must look for themselves).
pub const READABLE: bool = cfg!(any(target_arch = "x86_64", all(target_os = "linux", target_arch = "aarch64")));

/// Clears this thread's floating-point status flags (before a loop whose exceptions are
/// wanted).
pub fn clear() {
    imp::clear();
}

/// The floating-point exceptions raised on this thread since the last [`clear`].
pub fn raised() -> FpFlags {
    imp::raised()
}

/// Whether `op(x, y)` raises the underflow flag on this thread's floating-point unit (false
/// where [`raised`] reads no status word). For scalar math, whose other flags are read from
/// values: whether a tiny product or quotient was inexact is not visible in the rounded
/// result, so the operation is run again between a [`clear`] and a [`raised`]. The operands
/// and the result pass through `black_box`, which the compiler cannot move across the
/// status-word instructions, so the operation runs between them.
#[inline(never)]
pub fn raises_underflow<T: Copy>(x: T, y: T, op: impl FnOnce(T, T) -> T) -> bool {
    clear();
    let r = op(std::hint::black_box(x), std::hint::black_box(y));
    std::hint::black_box(r);
    raised().underflow
}

/// Bits of a compact flag set, as casts accumulate them per element (an OR over a `u8`
/// vectorises where a struct of bools would not).
pub mod bits {
    /// "invalid value encountered in cast"
    pub const INVALID: u8 = 1;
    /// "overflow encountered in cast"
    pub const OVERFLOW: u8 = 2;
    /// "underflow encountered in cast"
    pub const UNDERFLOW: u8 = 4;
    /// Not an IEEE exception: a complex to real cast dropped imaginary parts (NumPy's
    /// ComplexWarning, raised for the dtypes, whatever the values).
    pub const COMPLEX: u8 = 8;
}

impl FpFlags {
    /// The compact [`bits`] set of these flags (divide has no bit: casts never divide).
    pub fn to_bits(self) -> u8 {
        (if self.invalid { bits::INVALID } else { 0 })
            | (if self.overflow { bits::OVERFLOW } else { 0 })
            | (if self.underflow { bits::UNDERFLOW } else { 0 })
    }

    /// The flags of a compact [`bits`] set.
    pub fn from_bits(b: u8) -> FpFlags {
        FpFlags {
            divide: false,
            overflow: b & bits::OVERFLOW != 0,
            invalid: b & bits::INVALID != 0,
            underflow: b & bits::UNDERFLOW != 0,
        }
    }
}

thread_local! {
    /// The cast exceptions recorded on this thread and not yet taken (see [`record_cast`]).
    static CAST: std::cell::Cell<u8> = const { std::cell::Cell::new(0) };
}

/// Records the exceptions (a [`bits`] set) a cast raised on this thread's behalf.
///
/// NumPy learns of cast exceptions the way it learns of arithmetic ones: from the status
/// word, which its C casts set and its callers read ("invalid value encountered in cast").
/// rawarray's casts find them in software instead (exact, and independent of how the
/// compiler lowered a conversion), and keep them here, sticky like the status word, until
/// the caller that reports warnings takes them with [`take_cast`]. A cast split across
/// the pool records on the thread that asked for it, after the parts are done.
pub fn record_cast(b: u8) {
    if b != 0 {
        CAST.with(|c| c.set(c.get() | b));
    }
}

/// Takes (and clears) the cast exceptions recorded on this thread since the last call
/// (without [`bits::COMPLEX`]; see [`take_cast_bits`]).
pub fn take_cast() -> FpFlags {
    FpFlags::from_bits(take_cast_bits())
}

/// Takes (and clears) everything recorded on this thread since the last call, as a
/// [`bits`] set.
pub fn take_cast_bits() -> u8 {
    CAST.with(|c| c.replace(0))
}

/// Runs `f` with this thread's cast record set aside: returns `f`'s result and the cast
/// exceptions it recorded, and restores what was recorded before (a ComplexWarning bit
/// `f` recorded stays recorded). For steps NumPy reports under a name of their own.
pub fn casts_of<R>(f: impl FnOnce() -> R) -> (R, FpFlags) {
    let earlier = take_cast_bits();
    let r = f();
    let during = take_cast_bits();
    record_cast(earlier | (during & bits::COMPLEX));
    (r, FpFlags::from_bits(during))
}

/// Runs `f` with cleared status flags and returns its result with the flags it raised.
pub fn track<R>(f: impl FnOnce() -> R) -> (R, FpFlags) {
    clear();
    let r = f();
    (r, raised())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underflow_is_read_from_the_hardware() {
        let mul = |a: f64, b: f64| a * b;
        if READABLE {
            // Tiny and inexact: underflow; tiny but exact, or normal: none.
            assert!(raises_underflow(1e-200, 1e-200, mul));
            assert!(raises_underflow(5e-324, 0.5, mul));
            assert!(raises_underflow(1.0f32, 3e38f32, |a, b| a / b));
        }
        assert!(!raises_underflow(5e-324, 1.0, mul));
        assert!(!raises_underflow(2.0f64.powi(-1070), 0.5, mul));
        assert!(!raises_underflow(1.5, 2.0, mul));
    }

    #[test]
    #[cfg(any(target_arch = "x86_64", all(target_os = "linux", target_arch = "aarch64")))]
    fn reads_the_status_word() {
        let zero = std::hint::black_box(0.0f64);
        let one = std::hint::black_box(1.0f64);
        let big = std::hint::black_box(f64::MAX);
        let (_, f) = track(|| std::hint::black_box(one / zero));
        assert!(f.divide && !f.overflow && !f.invalid);
        let (_, f) = track(|| std::hint::black_box(zero / zero));
        assert!(f.invalid && !f.divide);
        let (_, f) = track(|| std::hint::black_box(big * big));
        assert!(f.overflow);
        let (_, f) = track(|| std::hint::black_box(one + one));
        assert_eq!(f, FpFlags::default());
    }

    #[test]
    fn messages_follow_numpy() {
        let f = FpFlags { divide: true, invalid: true, ..FpFlags::default() };
        assert_eq!(
            f.messages("divide", false),
            ["divide by zero encountered in divide", "invalid value encountered in divide"]
        );
        assert!(!FpFlags { underflow: true, ..FpFlags::default() }.any());
    }
}
