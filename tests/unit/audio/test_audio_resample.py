import itertools

import numpy as np
import pytest

from callwarden.audio.resample import StreamResampler, resample
from callwarden.errors import AudioError

RATES = (8000, 16000, 32000, 48000)
PAIRS = [(a, b) for a, b in itertools.product(RATES, RATES) if a != b]


def tone(freq_hz: float, rate_hz: int, duration_s: float, amp: float = 0.5) -> np.ndarray:
    t = np.arange(round(duration_s * rate_hz)) / rate_hz
    return (amp * np.sin(2 * np.pi * freq_hz * t)).astype(np.float32)


def peak_hz(x: np.ndarray, rate_hz: int) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.argmax(spectrum) * rate_hz / len(x))


def level_db(x: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(x.astype(np.float64) ** 2)) + 1e-20))


def random_chunks(x: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    chunks, i = [], 0
    while i < len(x):
        size = int(rng.choice([0, 1, 2, 7, 160, 333, 1000]))
        chunks.append(x[i : i + size])
        i += size
    return chunks


@pytest.mark.parametrize(("from_hz", "to_hz"), PAIRS)
def test_stream_equals_whole_for_random_chunking(from_hz: int, to_hz: int) -> None:
    rng = np.random.default_rng(from_hz + to_hz)
    x = rng.uniform(-1, 1, size=from_hz // 4 + 17).astype(np.float32)
    whole = resample(x, from_hz, to_hz)
    for _ in range(2):
        stream = StreamResampler(from_hz, to_hz)
        parts = [stream.push(c) for c in random_chunks(x, rng)] + [stream.flush()]
        streamed = np.concatenate(parts)
        assert streamed.dtype == np.float32
        assert streamed.shape == whole.shape
        np.testing.assert_allclose(streamed, whole, atol=1e-6)


@pytest.mark.parametrize(("from_hz", "to_hz"), PAIRS)
@pytest.mark.parametrize("n_in", [0, 1, 5, 999, 4001])
def test_output_length(from_hz: int, to_hz: int, n_in: int) -> None:
    out = resample(np.zeros(n_in, np.float32), from_hz, to_hz)
    assert abs(len(out) - round(n_in * to_hz / from_hz)) <= 1


@pytest.mark.parametrize(
    ("from_hz", "to_hz"), [(8000, 16000), (16000, 8000), (48000, 8000), (8000, 48000)]
)
@pytest.mark.parametrize("freq_hz", [440.0, 1000.0])
def test_tone_keeps_frequency_and_level(from_hz: int, to_hz: int, freq_hz: float) -> None:
    y = resample(tone(freq_hz, from_hz, 1.0), from_hz, to_hz)
    assert abs(peak_hz(y, to_hz) - freq_hz) <= 2.0
    assert abs(level_db(y[to_hz // 10 : -to_hz // 10]) - level_db(tone(freq_hz, to_hz, 1.0))) < 0.1


@pytest.mark.parametrize(("from_hz", "to_hz"), [(8000, 16000), (16000, 8000), (48000, 8000)])
def test_group_delay_is_compensated(from_hz: int, to_hz: int) -> None:
    # Output sample k must be the input signal at time k / to_hz: compare with the ideal tone.
    y = resample(tone(440.0, from_hz, 0.5), from_hz, to_hz)
    expected = tone(440.0, to_hz, 0.5)
    inner = slice(to_hz // 20, -to_hz // 20)
    np.testing.assert_allclose(y[inner], expected[inner], atol=2e-3)


def test_anti_aliasing_16k_to_8k() -> None:
    passband = resample(tone(3500.0, 16000, 1.0), 16000, 8000)[800:-800]
    stopband = resample(tone(6000.0, 16000, 1.0), 16000, 8000)[800:-800]
    reference = level_db(tone(3500.0, 8000, 1.0))
    assert level_db(passband) > reference - 1.0  # 3.5 kHz survives
    assert level_db(stopband) < reference - 40.0  # 6 kHz (would alias to 2 kHz) is removed


def test_identity_returns_input_unchanged() -> None:
    x = tone(440.0, 8000, 0.1)
    stream = StreamResampler(8000, 8000)
    assert stream.push(x) is x
    assert len(stream.flush()) == 0


def test_flush_resets_for_a_new_stream() -> None:
    x = tone(440.0, 8000, 0.3)
    stream = StreamResampler(8000, 16000)
    first = np.concatenate([stream.push(x), stream.flush()])
    second = np.concatenate([stream.push(x), stream.flush()])
    np.testing.assert_array_equal(first, second)


def test_memory_stays_bounded() -> None:
    stream = StreamResampler(48000, 8000)
    for _ in range(200):
        stream.push(np.zeros(960, np.float32))
    assert len(stream._buf) < 2000


@pytest.mark.parametrize("rate", [11025, 44100, 0])
def test_unsupported_rate(rate: int) -> None:
    with pytest.raises(AudioError, match=f"{rate} Hz"):
        StreamResampler(rate, 8000)


def test_rejects_2d() -> None:
    with pytest.raises(AudioError, match="shape"):
        StreamResampler(8000, 16000).push(np.zeros((10, 2), np.float32))
