import pytest

from callwarden.audio.clock import SampleClock


def test_counts_from_zero_by_default() -> None:
    clock = SampleClock(8000)
    clock.advance(8000)
    assert clock.n_samples == 8000
    assert clock.time_of(0) == 0.0
    assert clock.time_of(4000) == pytest.approx(0.5)


def test_stated_times_re_anchor() -> None:
    clock = SampleClock(8000)
    clock.advance(0, start_s=100.0)  # an empty push that only sets the time
    clock.advance(800)
    clock.advance(800, start_s=200.0)  # a gap
    assert clock.time_of(799) == pytest.approx(100.0 + 799 / 8000)
    assert clock.time_of(800) == pytest.approx(200.0)
    assert clock.time_of(1600) == pytest.approx(200.1)


def test_forgetting_keeps_times_and_bounds_anchors() -> None:
    clock = SampleClock(1000)
    for i in range(100):
        clock.advance(10, start_s=i * 1.0)
        clock.forget_before(clock.n_samples - 5)
        assert len(clock._anchors) <= 2
    assert clock.time_of(clock.n_samples - 5) == pytest.approx(99.005)
