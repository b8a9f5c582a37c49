import warnings
from collections.abc import Callable

import numpy as np
import pytest

from callwarden.audio.pcm import (
    alaw_decode,
    alaw_encode,
    float_to_int16,
    int16_to_float,
    ulaw_decode,
    ulaw_encode,
)
from callwarden.errors import AudioError

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

Decode = Callable[[bytes], np.ndarray]
Encode = Callable[[np.ndarray], bytes]
Reference = Callable[[bytes, int], bytes]

ALL_CODES = bytes(range(256))
ALL_INT16 = np.arange(-32768, 32768, dtype=np.int16)


def test_int16_float_scaling() -> None:
    x = np.array([-32768, -1, 0, 1, 16384, 32767], dtype=np.int16)
    f = int16_to_float(x)
    assert f.dtype == np.float32
    np.testing.assert_array_equal(f, x / 32768.0)
    np.testing.assert_array_equal(float_to_int16(f), x)


def test_float_to_int16_clips_and_rounds() -> None:
    out = float_to_int16(np.array([-2.0, -1.0, 1.0, 2.0, 0.4 / 32768, 0.6 / 32768]))
    np.testing.assert_array_equal(out, [-32768, -32768, 32767, 32767, 0, 1])
    assert out.dtype == np.int16


def test_float_to_int16_rejects_nan() -> None:
    with pytest.raises(AudioError, match="NaN"):
        float_to_int16(np.array([0.0, np.nan]))


@pytest.mark.parametrize(
    ("decode", "reference"), [(ulaw_decode, audioop.ulaw2lin), (alaw_decode, audioop.alaw2lin)]
)
def test_decode_matches_audioop_for_all_codes(decode: Decode, reference: Reference) -> None:
    expected = np.frombuffer(reference(ALL_CODES, 2), dtype=np.int16)
    got = decode(ALL_CODES)
    assert got.dtype == np.float32
    assert got.shape == (256,)
    np.testing.assert_array_equal(float_to_int16(got), expected)


@pytest.mark.parametrize(
    ("encode", "reference"), [(ulaw_encode, audioop.lin2ulaw), (alaw_encode, audioop.lin2alaw)]
)
def test_encode_matches_audioop_for_all_int16(encode: Encode, reference: Reference) -> None:
    expected = reference(ALL_INT16.tobytes(), 2)
    got = encode(int16_to_float(ALL_INT16))
    assert len(got) == len(expected)
    mismatch = np.flatnonzero(np.frombuffer(got, np.uint8) != np.frombuffer(expected, np.uint8))
    assert mismatch.size == 0, f"first mismatch at int16 {ALL_INT16[mismatch[0]]}"


@pytest.mark.parametrize(
    ("encode", "decode"), [(ulaw_encode, ulaw_decode), (alaw_encode, alaw_decode)]
)
def test_codes_round_trip(encode: Encode, decode: Decode) -> None:
    # Every code decodes to a level that encodes back to itself, except u-law's two zeros.
    back = encode(decode(ALL_CODES))
    same = [a == b for a, b in zip(back, ALL_CODES, strict=True)]
    if encode is ulaw_encode:
        assert back[0x7F] == 0xFF  # negative zero encodes as positive zero
        same[0x7F] = True
    assert all(same)


@pytest.mark.parametrize(
    ("encode", "decode"), [(ulaw_encode, ulaw_decode), (alaw_encode, alaw_decode)]
)
def test_signal_round_trip_error_is_small(encode: Encode, decode: Decode) -> None:
    t = np.arange(8000) / 8000
    x = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    y = decode(encode(x))
    snr_db = 10 * np.log10(np.sum(x**2) / np.sum((x - y) ** 2))
    assert snr_db > 30  # G.711 gives ~38 dB on a loud tone


def test_encode_clips_out_of_range() -> None:
    assert ulaw_encode(np.array([5.0, -5.0], np.float32)) == ulaw_encode(
        np.array([1.0, -1.0], np.float32)
    )


def test_encode_rejects_2d() -> None:
    with pytest.raises(AudioError, match="shape"):
        ulaw_encode(np.zeros((2, 2), np.float32))
