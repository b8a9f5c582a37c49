"""Call times of a stream's samples, re-anchored whenever the caller states a time."""

from __future__ import annotations


class SampleClock:
    """Maps sample indexes of one stream to call times.

    Samples count at ``sample_rate_hz`` from the latest anchor at or before them. The first
    sample is at 0 s unless the first ``advance`` states a time; a later stated time (e.g.
    after an RTP gap) re-anchors the clock from that sample on.

    Args:
        sample_rate_hz: rate of the stream.
    """

    def __init__(self, sample_rate_hz: int) -> None:
        self.sample_rate_hz = sample_rate_hz
        self._anchors: list[tuple[int, float]] = [(0, 0.0)]
        self._n_samples = 0

    @property
    def n_samples(self) -> int:
        """Samples counted so far."""
        return self._n_samples

    def advance(self, n_samples: int, start_s: float | None = None) -> None:
        """Count ``n_samples`` new samples, the first of them at ``start_s`` if given.

        Args:
            n_samples: how many samples arrived.
            start_s: call time of the first of them; ``None`` continues the running clock.
        """
        if start_s is not None:
            if self._anchors[-1][0] == self._n_samples:
                self._anchors.pop()
            self._anchors.append((self._n_samples, float(start_s)))
        self._n_samples += n_samples

    def time_of(self, index: int) -> float:
        """Call time in seconds of the sample at ``index`` (counted from the stream's start)."""
        for anchor_index, anchor_s in reversed(self._anchors):
            if anchor_index <= index:
                return anchor_s + (index - anchor_index) / self.sample_rate_hz
        anchor_index, anchor_s = self._anchors[0]
        return anchor_s + (index - anchor_index) / self.sample_rate_hz

    def forget_before(self, index: int) -> None:
        """Drop anchors that no sample at or after ``index`` needs (keeps memory bounded)."""
        while len(self._anchors) > 1 and self._anchors[1][0] <= index:
            self._anchors.pop(0)
