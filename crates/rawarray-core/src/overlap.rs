//! Memory overlap between arrays: NumPy's `may_share_memory`, `shares_memory` and
//! `byte_bounds`, on addresses (two arrays on different [`crate::buffer::Buffer`]s may still
//! alias the same memory).
//!
//! `shares_memory` is exact. The bytes of a strided array are
//! `low + {Σ |s_k|·x_k + y : 0 ≤ x_k < shape_k, 0 ≤ y < itemsize}` (a negative stride
//! reflects its axis, which leaves the set unchanged). Reflecting the second array's set
//! about its centre, a common byte exists iff the bounded linear Diophantine equation
//! `Σ a_i·x_i = rhs, 0 ≤ x_i ≤ ub_i` with non-negative coefficients has a solution, where
//! the terms are both arrays' axes and item bytes and `rhs = min(end_b - 1 - low_a,
//! end_a - 1 - low_b)` (the formulation of NumPy's `mem_overlap.c`). The solver
//! normalises the terms (drops empty ones, merges equal coefficients, divides out the
//! common gcd), answers "dense" suffixes in closed form (coefficients that chain, each at
//! most the reach of the smaller ones plus their gcd, hit every multiple of the gcd up to
//! their reach) as well as two-term problems (extended Euclid) and two terms plus a short
//! run of unit terms, and otherwise searches depth-first, largest coefficient first, only
//! over values congruent modulo the gcd of the remaining coefficients. Every value tried
//! at a search level is one unit of work; exceeding `max_work` gives [`Error::TooHard`].

use crate::array::Array;
use crate::error::{Error, Result};

/// The lowest and one-past-highest address of the bytes of `a`'s elements; `(p, p)` with
/// `p` the data address for an empty array (NumPy's `byte_bounds`).
pub fn byte_bounds(a: &Array) -> (usize, usize) {
    extents(a).unwrap_or_else(|| {
        let p = a.data_ptr() as usize;
        (p, p)
    })
}

/// Address bounds of a non-empty array.
fn extents(a: &Array) -> Option<(usize, usize)> {
    let base = a.buffer().as_ptr() as usize;
    a.layout().byte_bounds(a.itemsize()).map(|(lo, hi)| (base + lo, base + hi))
}

/// True when the byte bounds of the arrays intersect; empty arrays never share.
pub fn may_share_memory(a: &Array, b: &Array) -> bool {
    match (extents(a), extents(b)) {
        (Some((s1, e1)), Some((s2, e2))) => s1 < e2 && s2 < e1,
        _ => false,
    }
}

fn too_hard() -> Error {
    Error::TooHard("Exceeded max_work".into())
}

/// True when some byte belongs to an element of both arrays.
///
/// `max_work` bounds the number of candidate values the search may try (`None`: no bound);
/// `Some(0)` only compares the bounds, as NumPy does.
///
/// # Errors
/// `TooHard` when the bounds intersect and the answer needs more than `max_work` work.
pub fn shares_memory(a: &Array, b: &Array, max_work: Option<usize>) -> Result<bool> {
    let (Some((s1, e1)), Some((s2, e2))) = (extents(a), extents(b)) else {
        return Ok(false);
    };
    if !(s1 < e2 && s2 < e1) {
        return Ok(false);
    }
    if max_work == Some(0) {
        return Err(too_hard());
    }
    // The lowest (or highest) bytes coincide, or both arrays start at the same element.
    if s1 == s2 || e1 == e2 || a.data_ptr() == b.data_ptr() {
        return Ok(true);
    }
    let rhs = (e2 - 1 - s1).min(e1 - 1 - s2) as u128;
    let mut terms = Vec::with_capacity(a.ndim() + b.ndim() + 2);
    for x in [a, b] {
        for (&d, &s) in x.shape().iter().zip(x.strides()) {
            terms.push(Term { a: s.unsigned_abs() as u128, ub: d.saturating_sub(1) as u128 });
        }
        terms.push(Term { a: 1, ub: x.itemsize().saturating_sub(1) as u128 });
    }
    solve(terms, rhs, max_work)
}

/// One term `a·x` with `0 ≤ x ≤ ub`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct Term {
    a: u128,
    ub: u128,
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The inverse of `a` modulo `m` (`gcd(a, m) = 1`, `m ≥ 1`).
fn inverse_mod(a: u128, m: u128) -> u128 {
    if m == 1 {
        return 0;
    }
    // Extended Euclid on signed values; all magnitudes stay below `m` < 2^127.
    let (mut r0, mut r1) = (m as i128, (a % m) as i128);
    let (mut t0, mut t1) = (0i128, 1i128);
    while r1 != 0 {
        let q = r0 / r1;
        (r0, r1) = (r1, r0 - q * r1);
        (t0, t1) = (t1, t0 - q * t1);
    }
    t0.rem_euclid(m as i128) as u128
}

/// The values `x` with `a·x ≡ r (mod g)`, as `(x0, step)` with `0 ≤ x0 < step`, or `None`.
fn congruence(a: u128, r: u128, g: u128) -> Option<(u128, u128)> {
    let h = gcd(a, g);
    if !r.is_multiple_of(h) {
        return None;
    }
    let m = g / h;
    let x0 = ((r / h) % m) * inverse_mod((a / h) % m, m) % m;
    Some((x0, m))
}

/// Is there `x` in `lo..=hi` with `a·x + b·y = r`, `0 ≤ y ≤ ub_b`, i.e. a two-term solution.
fn two_terms(t: Term, u: Term, r: u128) -> bool {
    let hi = t.ub.min(r / t.a);
    let need = r.saturating_sub(u.a * u.ub);
    let lo = need.div_ceil(t.a);
    if lo > hi {
        return false;
    }
    match congruence(t.a, r, u.a) {
        None => false,
        Some((x0, m)) => {
            // The smallest x ≥ lo with x ≡ x0 (mod m).
            let x = lo + (x0 + m - lo % m) % m;
            x <= hi
        }
    }
}

/// Per-suffix facts: gcd, reach (`Σ a·ub`) and whether every multiple of the gcd up to the
/// reach is a sum.
struct Suffix {
    g: u128,
    reach: u128,
    dense: bool,
}

struct Solver {
    terms: Vec<Term>,
    suffix: Vec<Suffix>,
    work: usize,
    max_work: Option<usize>,
}

fn solve(terms: Vec<Term>, rhs: u128, max_work: Option<usize>) -> Result<bool> {
    // Normalise: drop empty terms, cap upper bounds by rhs, merge equal coefficients.
    let mut terms: Vec<Term> = terms.into_iter().filter(|t| t.a != 0 && t.ub != 0).collect();
    terms.sort_by_key(|t| std::cmp::Reverse(t.a));
    let mut merged: Vec<Term> = Vec::with_capacity(terms.len());
    for t in terms {
        match merged.last_mut() {
            Some(last) if last.a == t.a => last.ub += t.ub,
            _ => merged.push(t),
        }
    }
    let mut terms: Vec<Term> =
        merged.into_iter().map(|t| Term { a: t.a, ub: t.ub.min(rhs / t.a) }).filter(|t| t.ub != 0).collect();
    if terms.is_empty() {
        return Ok(rhs == 0);
    }
    let g = terms.iter().fold(0, |g, t| gcd(g, t.a));
    if !rhs.is_multiple_of(g) {
        return Ok(false);
    }
    let rhs = rhs / g;
    terms.iter_mut().for_each(|t| t.a /= g);
    let n = terms.len();
    let mut suffix: Vec<Suffix> = Vec::with_capacity(n);
    for (j, t) in terms.iter().enumerate().rev() {
        let s = if j == n - 1 {
            Suffix { g: t.a, reach: t.a * t.ub, dense: true }
        } else {
            let next = suffix.last().expect("suffix after j");
            Suffix {
                g: gcd(next.g, t.a),
                reach: next.reach + t.a * t.ub,
                dense: next.dense && t.a % next.g == 0 && t.a <= next.reach + next.g,
            }
        };
        suffix.push(s);
    }
    suffix.reverse();
    if suffix[0].reach < rhs {
        return Ok(false);
    }
    let mut solver = Solver { terms, suffix, work: 0, max_work };
    solver.search(0, rhs)
}

impl Solver {
    fn search(&mut self, k: usize, r: u128) -> Result<bool> {
        let n = self.terms.len();
        let s = &self.suffix[k];
        if r > s.reach || !r.is_multiple_of(s.g) {
            return Ok(false);
        }
        if s.dense {
            return Ok(true);
        }
        if n - k == 2 {
            return Ok(two_terms(self.terms[k], self.terms[k + 1], r));
        }
        if n - k == 3 && self.terms[k + 2].a == 1 && self.terms[k + 2].ub <= 64 {
            // Two terms plus a short run of unit terms: try each remainder.
            let (t, u, w) = (self.terms[k], self.terms[k + 1], self.terms[k + 2].ub);
            return Ok((r.saturating_sub(w)..=r).any(|q| two_terms(t, u, q)));
        }
        let t = self.terms[k];
        let next = &self.suffix[k + 1];
        let (g_next, reach_next) = (next.g, next.reach);
        let hi = t.ub.min(r / t.a);
        let lo = r.saturating_sub(reach_next).div_ceil(t.a);
        let Some((x0, m)) = congruence(t.a, r, g_next) else {
            return Ok(false);
        };
        if lo > hi {
            return Ok(false);
        }
        // The largest x ≤ hi with x ≡ x0 (mod m), then downwards.
        let Some(mut x) = hi.checked_sub((hi % m + m - x0) % m) else {
            return Ok(false);
        };
        while x >= lo {
            self.work += 1;
            if self.max_work.is_some_and(|w| self.work > w) {
                return Err(too_hard());
            }
            if self.search(k + 1, r - t.a * x)? {
                return Ok(true);
            }
            if x < m {
                break;
            }
            x -= m;
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::Buffer;
    use crate::dtype::DType;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn bytes_of(a: &Array) -> BTreeSet<usize> {
        let mut out = BTreeSet::new();
        let size = a.size();
        let mut idx = vec![0usize; a.ndim()];
        for _ in 0..size {
            let p = a.element_ptr(&idx).unwrap() as usize;
            out.extend(p..p + a.itemsize());
            for k in (0..a.ndim()).rev() {
                idx[k] += 1;
                if idx[k] < a.shape()[k] {
                    break;
                }
                idx[k] = 0;
            }
        }
        out
    }

    fn brute(a: &Array, b: &Array) -> bool {
        !bytes_of(a).is_disjoint(&bytes_of(b))
    }

    fn view(buf: &Buffer, dt: &str, shape: &[usize], strides: &[isize], offset: usize) -> Array {
        Array::try_new(buf.clone(), DType::parse(dt).unwrap(), shape, strides, offset).unwrap()
    }

    #[test]
    fn closed_forms_and_bounds() {
        let buf = Buffer::zeroed(80).unwrap();
        let a = view(&buf, "<f8", &[10], &[8], 0);
        let even = view(&buf, "<f8", &[5], &[16], 0);
        let odd = view(&buf, "<f8", &[5], &[16], 8);
        assert!(shares_memory(&a, &a, Some(1)).unwrap());
        assert!(!shares_memory(&even, &odd, Some(1)).unwrap());
        assert!(may_share_memory(&even, &odd));
        assert!(matches!(shares_memory(&even, &odd, Some(0)), Err(Error::TooHard(_))));
        let empty = view(&buf, "<f8", &[0], &[8], 8);
        assert!(!may_share_memory(&a, &empty) && !shares_memory(&a, &empty, Some(0)).unwrap());
        let p = buf.as_ptr() as usize;
        assert_eq!(byte_bounds(&empty), (p + 8, p + 8));
        assert_eq!(byte_bounds(&view(&buf, "<f8", &[5], &[-16], 64)), (p, p + 72));
        let bytes = view(&buf, "u1", &[4], &[1], 3);
        assert!(shares_memory(&bytes, &even, None).unwrap());
        assert!(!shares_memory(&view(&buf, "u1", &[4], &[1], 4), &view(&buf, "u1", &[3], &[1], 8), None).unwrap());
    }

    #[test]
    fn hard_problems_respect_max_work() {
        // Many axes with coprime strides over a big buffer: no closed form applies.
        let buf = Buffer::zeroed(1 << 16).unwrap();
        let a = view(&buf, "u1", &[7, 11, 13], &[1009, 997, 983], 0);
        let b = view(&buf, "u1", &[5, 9, 6], &[1013, 991, 977], 1);
        let exact = shares_memory(&a, &b, None).unwrap();
        assert_eq!(exact, brute(&a, &b));
        match shares_memory(&a, &b, Some(1)) {
            Ok(v) => assert_eq!(v, exact),
            Err(e) => assert!(matches!(e, Error::TooHard(_))),
        }
    }

    fn arb_view(len: usize) -> impl Strategy<Value = (String, Vec<usize>, Vec<isize>, usize)> {
        (
            prop::sample::select(vec!["u1", "<i2", "<i4", "<f8", "<c16"]),
            prop::collection::vec((0usize..6, -40isize..40), 0..4),
            0..len,
        )
            .prop_map(|(dt, dims, off)| {
                (dt.to_string(), dims.iter().map(|d| d.0).collect(), dims.iter().map(|d| d.1).collect(), off)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn exact_matches_brute_force(va in arb_view(160), vb in arb_view(160), mw in 1usize..6) {
            let buf = Buffer::zeroed(160).unwrap();
            let ta = DType::parse(&va.0).unwrap();
            let tb = DType::parse(&vb.0).unwrap();
            let (Ok(a), Ok(b)) = (
                Array::try_new(buf.clone(), ta, &va.1, &va.2, va.3),
                Array::try_new(buf.clone(), tb, &vb.1, &vb.2, vb.3),
            ) else {
                return Ok(());
            };
            let truth = brute(&a, &b);
            prop_assert_eq!(shares_memory(&a, &b, None).unwrap(), truth);
            prop_assert_eq!(shares_memory(&b, &a, None).unwrap(), truth);
            if truth {
                prop_assert!(may_share_memory(&a, &b));
            }
            match shares_memory(&a, &b, Some(mw)) {
                Ok(v) => prop_assert_eq!(v, truth),
                Err(e) => prop_assert!(matches!(e, Error::TooHard(_))),
            }
            let bytes = bytes_of(&a);
            let (lo, hi) = byte_bounds(&a);
            if let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) {
                prop_assert_eq!((lo, hi), (first, last + 1));
            } else {
                prop_assert_eq!(lo, hi);
            }
        }
    }
}
