import numpy as np
import pytest

from callwarden.audio.windows import SlidingWindower
from callwarden.errors import AudioError
from callwarden.frames import AnalysisWindow

RATE = 8000


def ramp(duration_s: float, offset: int = 0) -> np.ndarray:
    """Speech stand-in whose values name their speech index (exact in float32 below 2**24)."""
    return (np.arange(round(duration_s * RATE)) + offset).astype(np.float32)


def summary(windows: list[AnalysisWindow]) -> list[tuple[float, float, float, float]]:
    return [
        (round(w.start_s, 6), round(w.end_s, 6), round(w.speech_s, 6), len(w.samples) / RATE)
        for w in windows
    ]


def run(pushes: list[tuple[np.ndarray, float]], **kwargs: float) -> list[AnalysisWindow]:
    windower = SlidingWindower(
        RATE, **{"window_s": 2.0, "hop_s": 1.0, "min_window_s": 0.5, **kwargs}
    )
    out = [w for samples, start_s in pushes for w in windower.push(samples, start_s)]
    return out + windower.flush()


def test_windows_every_hop_once_a_window_has_accumulated() -> None:
    windows = run([(ramp(5.0), 10.0)])
    assert summary(windows) == [
        (10.0, 12.0, 2.0, 2.0),
        (11.0, 13.0, 3.0, 2.0),
        (12.0, 14.0, 4.0, 2.0),
        (13.0, 15.0, 5.0, 2.0),
    ]
    np.testing.assert_array_equal(windows[2].samples, ramp(2.0, offset=2 * RATE))


def test_flush_adds_a_final_window_after_more_than_half_a_hop() -> None:
    assert summary(run([(ramp(5.6), 0.0)]))[-1] == (3.6, 5.6, 5.6, 2.0)
    assert len(run([(ramp(5.6), 0.0)])) == 5
    assert len(run([(ramp(5.4), 0.0)])) == 4  # 0.4 s of new speech is not worth a window


def test_short_speech_gives_one_short_window_at_flush() -> None:
    windower = SlidingWindower(RATE, window_s=2.0, hop_s=1.0, min_window_s=0.5)
    assert windower.push(ramp(0.7), 3.0) == []
    [window] = windower.flush()
    assert (window.start_s, window.end_s, window.speech_s) == pytest.approx((3.0, 3.7, 0.7))
    np.testing.assert_array_equal(window.samples, ramp(0.7))
    assert run([(ramp(0.3), 0.0)]) == []  # below min_window_s


def test_window_spans_a_pause_between_segments() -> None:
    windows = run([(ramp(1.5), 0.0), (ramp(1.5, offset=12000), 10.0)])
    assert summary(windows) == [(0.0, 10.5, 2.0, 2.0), (1.0, 11.5, 3.0, 2.0)]
    np.testing.assert_array_equal(windows[0].samples, ramp(2.0))


def test_chunking_does_not_change_windows() -> None:
    speech = [(ramp(2.3), 1.0), (ramp(3.1, offset=18400), 7.0), (ramp(0.9, offset=43200), 20.0)]
    whole = run(speech)
    rng = np.random.default_rng(5)
    chunked = []
    for samples, start_s in speech:
        cuts = np.sort(rng.integers(0, len(samples), size=12))
        for part, first in zip(np.split(samples, cuts), [0, *cuts], strict=True):
            chunked.append((part, start_s + first / RATE))
    streamed = run(chunked)
    assert len(streamed) == len(whole) == 5  # 6.3 s of speech: ends at 2..6 s, tail 0.3 s
    assert summary(streamed) == summary(whole)
    for a, b in zip(streamed, whole, strict=True):
        np.testing.assert_array_equal(a.samples, b.samples)


def test_memory_stays_bounded() -> None:
    windower = SlidingWindower(RATE, window_s=2.0, hop_s=0.5, min_window_s=0.5)
    count = 0
    for i in range(3000):  # 60 s in 20 ms pieces
        count += len(windower.push(np.zeros(160, np.float32), i * 0.02))
        assert len(windower._buf) <= (2.0 + 0.5) * RATE + 160
        assert len(windower._runs) == 1
    assert count == (60 - 2) * 2 + 1


def test_flush_resets() -> None:
    windower = SlidingWindower(RATE, window_s=1.0, hop_s=1.0, min_window_s=0.1)
    windower.push(ramp(1.5), 0.0)
    windower.flush()
    [window] = windower.push(ramp(1.0), 50.0)
    assert (window.start_s, window.speech_s) == (50.0, 1.0)


@pytest.mark.parametrize(
    "args", [(0, 2.0, 1.0, 0.5), (RATE, 0.0, 1.0, 0.5), (RATE, 2.0, -1.0, 0.5), (RATE, 2, 1, -1)]
)
def test_bad_parameters(args: tuple[int, float, float, float]) -> None:
    with pytest.raises(AudioError, match="positive"):
        SlidingWindower(*args)


def test_rejects_2d() -> None:
    with pytest.raises(AudioError, match="shape"):
        SlidingWindower(RATE, 2.0, 1.0, 0.5).push(np.zeros((4, 2), np.float32), 0.0)
