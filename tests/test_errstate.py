"""errstate/seterr/geterr/seterrcall against NumPy, through the operations that raise
floating-point errors (typed scalar arithmetic here; ufuncs add their own tests)."""

import re
import warnings

import numpy as np
import pytest

import rawarray as ra


def outcome(mod, fn):
    """What running fn(mod) does: ('ok', value) / ('warn', messages) / ('raise', type, msg)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fn(mod)
        except FloatingPointError as e:
            return ("raise", str(e))
    msgs = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    return ("warn", msgs) if msgs else ("ok",)


CASES = [
    lambda m: m.float64(1.0) / m.float64(0.0),
    lambda m: m.float64(0.0) / m.float64(0.0),
    lambda m: m.float64(1e308) * m.float64(10.0),
    lambda m: m.float32(1e38) * m.float32(10.0),
    lambda m: m.int8(1) // m.int8(0),
]


def test_defaults_match_numpy():
    assert ra.geterr() == np.geterr()


@pytest.mark.parametrize("mode", ["ignore", "warn", "raise"])
@pytest.mark.parametrize("case", range(len(CASES)))
def test_modes_match_numpy(mode, case):
    fn = CASES[case]
    with np.errstate(all=mode):
        expected = outcome(np, fn)
    with ra.errstate(all=mode):
        got = outcome(ra, fn)
    assert got == expected
    assert ra.geterr() == np.geterr()


def test_errstate_restores_and_nests():
    before = ra.geterr()
    with ra.errstate(divide="ignore"):
        assert ra.geterr()["divide"] == "ignore"
        with ra.errstate(all="raise"):
            assert set(ra.geterr().values()) == {"raise"}
        assert ra.geterr()["divide"] == "ignore"
        assert ra.geterr()["over"] == before["over"]
    assert ra.geterr() == before


def test_errstate_as_decorator_and_on_exception():
    before = ra.geterr()

    @ra.errstate(invalid="ignore")
    def f():
        return ra.geterr()["invalid"]

    assert f() == "ignore"
    with pytest.raises(KeyError):
        with ra.errstate(invalid="raise"):
            raise KeyError
    assert ra.geterr() == before


def test_seterr_returns_old_and_validates():
    old = ra.seterr(over="raise")
    try:
        assert old == np.geterr()
        assert ra.geterr()["over"] == "raise"
    finally:
        ra.seterr(**old)
    for mod in (np, ra):
        with pytest.raises(ValueError, match="^invalid error mode 'sometimes'$"):
            mod.seterr(divide="sometimes")


@pytest.mark.parametrize("call", [
    lambda m: m.log2(m.zeros(2)),
    lambda m: m.float64(1.0) / m.float64(0.0),
    lambda m: m.sqrt(m.asarray([-1.0])),
])
def test_call_mode_without_a_callback_raises_name_error(call):
    messages = []
    for mod in (np, ra):
        with mod.errstate(all="call"), pytest.raises(NameError) as e:
            call(mod)
        messages.append(str(e.value))
    assert messages[1] == messages[0]


def test_bufsize_is_checked_and_restored_as_numpy():
    for mod in (np, ra):
        assert mod.getbufsize() == 8192
        with mod.errstate():
            assert mod.setbufsize(4096) == 8192
            assert mod.getbufsize() == 4096
            assert mod.setbufsize(np.int64(10_000_000)) == 4096
        assert mod.getbufsize() == 8192
    for bad in (-1, 0, 4, 5, 8200, 10_000_016, 8192.0, True):
        with pytest.raises(Exception) as n:
            np.setbufsize(bad)
        with pytest.raises(type(n.value), match=f"^{re.escape(str(n.value))}$"):
            ra.setbufsize(bad)
    assert ra.getbufsize() == np.getbufsize() == 8192


def test_call_mode_passes_numpy_arguments():
    seen = {}

    def np_cb(kind, flag):
        seen["np"] = (kind, flag)

    def ra_cb(kind, flag):
        seen["ra"] = (kind, flag)

    with np.errstate(divide="call", call=np_cb):
        np.float64(1.0) / np.float64(0.0)
    with ra.errstate(divide="call", call=ra_cb):
        ra.float64(1.0) / ra.float64(0.0)
    assert seen["ra"] == seen["np"]
    assert ra.geterrcall() is None


def test_log_mode_writes():
    class Log:
        def __init__(self):
            self.lines = []

        def write(self, s):
            self.lines.append(s)

    np_log, ra_log = Log(), Log()
    with np.errstate(over="log", call=np_log):
        np.float64(1e308) * np.float64(10.0)
    with ra.errstate(over="log", call=ra_log):
        ra.float64(1e308) * ra.float64(10.0)
    assert ra_log.lines == np_log.lines
