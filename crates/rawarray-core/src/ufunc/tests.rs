//! Resolution and execution checks in Rust (the full comparison with NumPy is in the
//! Python tests).

use super::*;
use crate::array::Array;
use crate::layout::Order;
use crate::scalar::Scalar;

fn arr(d: DType, v: &[f64]) -> Array {
    let a = Array::zeros(d, &[v.len()], Order::C).unwrap();
    for (i, x) in v.iter().enumerate() {
        // SAFETY: index `i` is inside the fresh array.
        unsafe { Scalar::Float(*x).cast(d).write(a.element_ptr(&[i]).unwrap(), d) };
    }
    a
}

fn call(name: &str, ins: &[Array]) -> Array {
    let uf = get(name).unwrap();
    let types: Vec<InType> = ins.iter().map(|a| InType::Typed(a.dtype())).collect();
    let r = uf.resolve(&types, None, Casting::SameKind).unwrap();
    let ins: Vec<&Array> = ins.iter().collect();
    let (out, _) = execute(&ExecArgs {
        ufunc: uf,
        index: r.index,
        inputs: &ins,
        outs: &[],
        mask: None,
        casting: Casting::SameKind,
        order: OutOrder::K,
    })
    .unwrap();
    out[0].clone()
}

#[test]
fn resolves_like_numpy() {
    let add = get("add").unwrap();
    let t = |a: DType, b: DType| {
        add.loops[add.resolve(&[InType::Typed(a), InType::Typed(b)], None, Casting::SameKind).unwrap().index].types
    };
    assert_eq!(t(DType::INT8, DType::UINT8), "hh->h");
    assert_eq!(t(DType::INT64, DType::UINT64), "dd->d");
    let div = get("divide").unwrap();
    let r = div.resolve(&[InType::Typed(DType::INT8), InType::Typed(DType::INT8)], None, Casting::SameKind).unwrap();
    assert_eq!(div.loops[r.index].types, "dd->d");
    let sqrt = get("sqrt").unwrap();
    let r = sqrt.resolve(&[InType::Typed(DType::INT8)], None, Casting::SameKind).unwrap();
    assert_eq!(sqrt.loops[r.index].types, "e->e");
    let band = get("bitwise_and").unwrap();
    let e = band.resolve(&[InType::Typed(DType::FLOAT64), InType::Typed(DType::INT8)], None, Casting::SameKind);
    assert!(matches!(e, Err(Error::Type(m)) if m.contains("not supported for the input types")));
    let r =
        add.resolve(&[InType::Typed(DType::UINT8), InType::Weak(PyScalarKind::Int)], None, Casting::SameKind).unwrap();
    assert_eq!(r.weak_dtypes[1], DType::UINT8);
}

#[test]
fn computes() {
    let a = arr(DType::FLOAT64, &[1.0, 2.0, 3.0]);
    let b = arr(DType::INT32, &[4.0, 0.0, -1.0]);
    let r = call("add", &[a.clone(), b.clone()]);
    assert_eq!(r.to_scalars(), vec![Scalar::Float(5.0), Scalar::Float(2.0), Scalar::Float(2.0)]);
    let i = arr(DType::INT32, &[7.0, -7.0, 3.0]);
    let r = call("floor_divide", &[i, b]);
    assert_eq!(r.to_scalars(), vec![Scalar::Int(1), Scalar::Int(0), Scalar::Int(-3)]);
}

#[test]
fn type_errors_say_which_ufunc_error() {
    use crate::error::UFuncErrorKind;
    let add = get("add").unwrap();
    let u1 = DType::bytes(1);
    match add.resolve(&[InType::Typed(u1), InType::Typed(DType::INT64)], None, Casting::SameKind) {
        Err(Error::UFuncType(e)) => {
            assert_eq!(e.ufunc, "add");
            assert_eq!(e.kind, UFuncErrorKind::NoLoop { dtypes: vec![u1, DType::INT64], nout: 1 });
        }
        other => panic!("{other:?}"),
    }
    let f8 = InType::Typed(DType::FLOAT64);
    match add.resolve(&[f8, f8], Some(DType::INT32), Casting::SameKind) {
        Err(Error::UFuncType(e)) => assert!(matches!(
            e.kind,
            UFuncErrorKind::InputCasting {
                from: DType::FLOAT64,
                to: DType::INT32,
                index: 0,
                casting: Casting::SameKind
            }
        )),
        other => panic!("{other:?}"),
    }
    let divmod = get("divmod").unwrap();
    let i = divmod.resolve(&[f8, f8], None, Casting::SameKind).unwrap().index;
    let e = divmod.check_output(i, 1, DType::INT64, Casting::SameKind).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Cannot cast ufunc 'divmod' output 3 from dtype('float64') to dtype('int64') with casting rule 'same_kind'"
    );
    let dd = add.loops.iter().position(|l| l.types == "dd->d").unwrap();
    let e = add.check_output(dd, 0, DType::INT64, Casting::Safe).unwrap_err();
    assert!(matches!(&e, Error::UFuncType(u) if matches!(u.kind, UFuncErrorKind::OutputCasting { index: 2, .. })));
}

#[test]
fn small_path_matches_general_path() {
    // The stack-scalar path and the 0-d array path give the same bytes.
    let a = arr(DType::FLOAT32, &[1.5, -2.0, 3.25]);
    let mul = get("multiply").unwrap();
    let types = [InType::Typed(DType::FLOAT32), InType::Weak(crate::promote::PyScalarKind::Float)];
    let r = mul.resolve(&types, None, Casting::SameKind).unwrap();
    let v = Scalar::Float(0.1);
    let small = execute_small_scalar(mul, r.index, &a, 1, &v, None, OutOrder::K).unwrap().unwrap();
    let x = Array::full(r.weak_dtypes[1], &[], Order::C, &v).unwrap();
    let general = call("multiply", &[a.clone(), x]);
    let small = small.result.unwrap();
    assert_eq!(small.dtype(), general.dtype());
    assert_eq!(small.to_bytes(Order::C).unwrap(), general.to_bytes(Order::C).unwrap());
}
