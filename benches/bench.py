"""rawarray against NumPy in one process: per-operation median times and ratios.

Usage: python benches/bench.py [--quick] [--markdown]

Each operation runs on both libraries at 10, 1000 and 10**7 elements; the index and joining
rows (take, mask selections, concatenate) also at 10**6. Timings are the
median of several repeats of a timeit loop; the ratio is rawarray / NumPy (below 1 means
rawarray is faster). The machines are shared and noisy: read ratios, not absolute times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import timeit

import numpy as np

import rawarray as ra

SIZES = [10, 1000, 10**7]
# Rows that are also measured at these extra sizes.
EXTRA = {
    10**6: (
        "mask select",
        "mask select random",
        "mask select 10%",
        "mask assign random",
        "take a[idx]",
        "take(a, idx)",
        "concatenate",
    ),
    # Square matrices of about n elements: 3x3, 31x31 and 316x316 (not 10^7: a 3162x3162
    # product is seconds per call).
    10**5: ("matmul f64", "matmul f32", "matmul i64", "matmul c128"),
}


def hashed_mask(lib, n, percent):
    """A fixed scattered mask, true for about `percent` % of the elements: a deterministic
    integer hash of the index (the same bits on both sides), so branch predictors cannot
    learn it as they learn the single run of `a > n/2`."""
    x = lib.arange(n, dtype="uint64") * lib.uint64(0x9E3779B97F4A7C15)
    x = x ^ (x >> lib.uint64(29))
    x = x * lib.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> lib.uint64(32))
    return (x >> lib.uint64(32)) < lib.uint64(percent * 2**32 // 100)


def cases(lib, n):
    """Operations as (name, setup-free callable) for one library at size n."""
    a = lib.arange(n, dtype="float64") * 1.0 if lib is np else lib.arange(n, dtype="float64")
    i8 = lib.arange(n, dtype="int64")
    buf = bytearray(8 * n)
    mask = a > (n / 2)
    rmask = hashed_mask(lib, n, 50)
    smask = hashed_mask(lib, n, 10)
    dst = a.copy()
    # A fixed scattered index array (the same values on both sides).
    idx = lib.asarray([(i * 7919) % n for i in range(n)], dtype="int64")

    b = a + 1.0 if lib is np else lib.arange(n, dtype="float64") + 1.0
    c = lib.empty(n)
    f4 = a.astype("float32")
    f4b = b.astype("float32")
    data = bytes(8 * n)
    twod = a.reshape(2, n // 2) if n % 2 == 0 else a.reshape(1, n)
    out = [
        ("zeros", lambda: lib.zeros(n)),
        ("frombuffer", lambda: lib.frombuffer(data, dtype="float64")),
        ("slice a[1:-1:2]", lambda: a[1:-1:2]),
        ("byteswap", lambda: a.byteswap()),
        ("view int32", lambda: a.view("int32")),
        ("astype f8->i4", lambda: a.astype("int32")),
        ("astype i8->f4", lambda: i8.astype("float32")),
        ("a > scalar", lambda: a > 3.0),
        ("a == b", lambda: a == a),
        ("mask select", lambda: a[mask]),
        ("mask select random", lambda: a[rmask]),
        ("mask select 10%", lambda: a[smask]),
        ("mask assign random", lambda: dst.__setitem__(rmask, 1.0)),
        ("take a[idx]", lambda: a[idx]),
        ("take(a, idx)", lambda: lib.take(a, idx)),
        ("concatenate", lambda: lib.concatenate([a, a[::-1], a])),
        ("tobytes", lambda: a.tobytes()),
        ("copy transposed", lambda: twod.T.copy()),
        ("element a[5]", lambda: a[5]),
        ("element b[0, 1]", lambda: twod[0, 1]),
        ("row view b[0]", lambda: twod[0]),
        ("set a[5] = 1.0", lambda: dst.__setitem__(5, 1.0)),
        ("scalar a[5] + 1.0", (lambda x: lambda: x + 1.0)(a[5])),
        ("a + b", lambda: a + b),
        ("a * 2.0", lambda: a * 2.0),
        ("add(a, b, out=c)", lambda: lib.add(a, b, out=c)),
        ("sqrt(a)", lambda: lib.sqrt(a)),
        ("a / b", lambda: a / b),
        ("f4 + f4", lambda: f4 + f4b),
        ("f4 * f4", lambda: f4 * f4b),
        ("f4 / f4", lambda: f4 / f4b),
        ("a < b", lambda: a < b),
        ("f4 == f4", lambda: f4 == f4b),
        ("i8 + i8", lambda: i8 + i8),
        ("clip f64", lambda: lib.clip(a, 3.0, 7.0)),
        ("reshape", lambda: a.reshape(-1, 1)),
    ]
    f4 = a.astype("float32")
    # Inputs for the transcendental rows (issue 4: exp, log, sin, sqrt at least 2x faster at
    # 10^7): the same values on both sides, in ranges where the results are finite.
    sym = a * (20.0 / n) - 10.0  # [-10, 10): exp, sin
    pos = a * (10.0 / n) + 0.001  # (0, 10]: log, sqrt
    sym4, pos4 = sym.astype("float32"), pos.astype("float32")
    out += [
        ("exp f64", lambda: lib.exp(sym)),
        ("log f64", lambda: lib.log(pos)),
        ("sin f64", lambda: lib.sin(sym)),
        ("sqrt f64", lambda: lib.sqrt(pos)),
        ("exp f32", lambda: lib.exp(sym4)),
        ("log f32", lambda: lib.log(pos4)),
        ("sin f32", lambda: lib.sin(sym4)),
        ("sqrt f32", lambda: lib.sqrt(pos4)),
    ]
    side = 3162 if n == 10**7 else max(1, int(n**0.5))
    sq = lib.arange(side * side, dtype="float64").reshape(side, side)
    out += [
        ("sum f64", lambda: a.sum()),
        ("sum f32", lambda: f4.sum()),
        ("sum i64", lambda: i8.sum()),
        ("prod f64", lambda: a.prod()),
        ("prod i64", lambda: i8.prod()),
        ("min f64", lambda: a.min()),
        ("max f64", lambda: a.max()),
        ("max f32", lambda: f4.max()),
        ("max i64", lambda: i8.max()),
        ("argmax f64", lambda: a.argmax()),
        ("argmax f32", lambda: f4.argmax()),
        ("argmax i64", lambda: i8.argmax()),
        ("mean f64", lambda: a.mean()),
        ("mean f32", lambda: f4.mean()),
        ("mean i64", lambda: i8.mean()),
        ("any f64", lambda: a.any()),
        ("any i64", lambda: i8.any()),
        ("sum 2d axis=0", lambda: sq.sum(axis=0)),
        ("sum 2d axis=1", lambda: sq.sum(axis=1)),
        ("std f64", lambda: a.std()),
        ("cumsum f64", lambda: a.cumsum()),
    ]
    if n <= 10**5:
        side = max(1, int(n**0.5))
        base = lib.arange(side * side, dtype="int64").reshape(side, side) % 17
        mats = {code: base.astype(code) for code in ("f8", "f4", "i8", "c16")}
        out += [
            ("matmul f64", lambda: mats["f8"] @ mats["f8"]),
            ("matmul f32", lambda: mats["f4"] @ mats["f4"]),
            ("matmul i64", lambda: mats["i8"] @ mats["i8"]),
            ("matmul c128", lambda: mats["c16"] @ mats["c16"]),
        ]
    if n <= 1000:
        out.append(("iterate", lambda: [x for x in a]))
        out.append(("array(list)", (lambda lst: lambda: lib.array(lst))(list(range(n)))))
        out.append(("tolist", lambda: a.tolist()))
    del buf
    return out


def measure(fn, budget: float) -> float:
    """Median seconds per call over repeats of a loop sized to about `budget` seconds."""
    t = timeit.Timer(fn)
    number, _ = t.autorange()
    number = max(1, int(number * budget / 0.2))
    runs = t.repeat(repeat=5, number=number)
    return statistics.median(runs) / number


def fmt(sec: float) -> str:
    for unit, scale in (("s", 1), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if sec >= scale:
            return f"{sec / scale:.3g} {unit}"
    return f"{sec * 1e9:.3g} ns"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller time budget")
    ap.add_argument("--markdown", action="store_true", help="print a markdown table")
    ap.add_argument("--only", default="", help="run only rows whose name contains this text")
    args = ap.parse_args()
    budget = 0.02 if args.quick else 0.1
    rows = []
    plan = [(n, None) for n in SIZES] + [(n, names) for n, names in EXTRA.items()]
    for n, only in sorted(plan, key=lambda p: p[0]):
        rc, nc = cases(ra, n), cases(np, n)
        for (name, rf), (_, nf) in zip(rc, nc):
            if (only is not None and name not in only) or (args.only and args.only not in name):
                continue
            tr = measure(rf, budget)
            tn = measure(nf, budget)
            rows.append((name, n, tr, tn, tr / tn))
            if not args.markdown:
                print(f"{name:18s} n={n:<9d} rawarray {fmt(tr):>10s}  numpy {fmt(tn):>10s}  ratio {tr / tn:6.2f}", flush=True)
    if args.markdown:
        print("| operation | n | rawarray | NumPy | ratio |")
        print("|---|---:|---:|---:|---:|")
        for name, n, tr, tn, r in rows:
            print(f"| {name} | {n:,} | {fmt(tr)} | {fmt(tn)} | {r:.2f} |")
    ratios = [r for *_, r in rows]
    gm = statistics.geometric_mean(ratios)
    print(f"\ngeometric mean ratio (rawarray / NumPy) over {len(ratios)} rows: {gm:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
