from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import webrtcvad

from callwarden.audio.pcm import float_to_int16
from callwarden.audio.vad import SpeechPiece, VadSegmenter, detect_segments, segments
from callwarden.errors import AudioError
from callwarden.settings import VadSettings

ALLISON = Path("/usr/share/asterisk/sounds/en_US_f_Allison")


def speech_like(rate_hz: int, duration_s: float, f0_hz: float = 150.0) -> np.ndarray:
    """Harmonics of a wobbling ~150 Hz pitch, shaped by three formants, pulsed at 4 Hz."""
    t = np.arange(round(rate_hz * duration_s)) / rate_hz
    phase = 2 * np.pi * np.cumsum(f0_hz * (1 + 0.05 * np.sin(2 * np.pi * 3 * t))) / rate_hz
    x = np.zeros_like(t)
    for h in range(1, int(min(3800, rate_hz / 2 - 200) / f0_hz)):
        formants = [(500, 1.0), (1500, 0.5), (2500, 0.25)]
        amp = 0.05 + sum(g * np.exp(-(((h * f0_hz - f) / 150) ** 2)) for f, g in formants)
        x += amp * np.sin(h * phase)
    x *= 0.5 * (1 - np.cos(2 * np.pi * 4 * t))
    return (0.3 * x / np.max(np.abs(x))).astype(np.float32)


def silence(rate_hz: int, duration_s: float) -> np.ndarray:
    return np.zeros(round(rate_hz * duration_s), np.float32)


def one_speech_burst(rate_hz: int) -> np.ndarray:
    return np.concatenate([silence(rate_hz, 1), speech_like(rate_hz, 2), silence(rate_hz, 1)])


def frame_string(x: np.ndarray, rate_hz: int, frame_ms: int = 20, mode: int = 2) -> str:
    vad, n = webrtcvad.Vad(mode), rate_hz * frame_ms // 1000
    frames = [x[i : i + n] for i in range(0, len(x) - n + 1, n)]
    return "".join(
        "1" if vad.is_speech(float_to_int16(f).tobytes(), rate_hz) else "_" for f in frames
    )


class ScriptedVad:
    """Stands in for webrtcvad.Vad: answers frame after frame from a '1'/'_' script."""

    def __init__(self, script: str) -> None:
        self._answers = iter(script)

    def is_speech(self, pcm: bytes, rate_hz: int) -> bool:
        return next(self._answers) == "1"


def scripted(script: str, **kwargs: int | float) -> tuple[VadSegmenter, np.ndarray]:
    segmenter = VadSegmenter(8000, frame_ms=20, **kwargs)  # type: ignore[arg-type]
    segmenter._vad = ScriptedVad(script)
    # Frame i holds the value i / 1000, so pieces can be traced back to frames.
    samples = np.repeat(np.arange(len(script), dtype=np.float32) / 1000, 160)
    return segmenter, samples


def frames_of(piece: SpeechPiece) -> list[int]:
    return sorted({round(v * 1000) for v in piece.samples})


def test_collector_follows_the_ring_buffer_exactly() -> None:
    script = "__1_111_1_____111___1111"
    segmenter, x = scripted(script, padding_ms=100, min_speech_ms=60)
    pieces = segmenter.push(np.concatenate([x, np.zeros(50, np.float32)])) + segmenter.flush()
    got = [(p.segment_index, p.is_last, frames_of(p), round(p.start_s, 6)) for p in pieces]
    assert got == [
        (0, False, [2, 3, 4, 5, 6], 0.04),  # 4 of 5 voiced > 0.6: the ring is emitted
        *[(0, False, [i], round(i * 0.02, 6)) for i in range(7, 14)],  # then frame by frame
        (0, True, [], 0.28),  # frames 9-13 unvoiced (5 of 5 > 0.9): the segment ends
        (1, False, [19, 20, 21, 22, 23], 0.38),  # 14-16 never reach 4 of 5
        (1, True, [], 0.48),  # flush closes the open segment; the partial frame is dropped
    ]


def test_min_speech_delays_the_trigger() -> None:
    script = "1_1_1_1_"
    segmenter, x = scripted(script, padding_ms=300, start_ratio=0.01, min_speech_ms=80)
    pieces = segmenter.push(x)
    assert frames_of(pieces[0]) == [0, 1, 2, 3, 4, 5, 6]  # 4 voiced frames = 80 ms
    assert [frames_of(p) for p in pieces[1:]] == [[7]]


def test_synthetic_speech_golden_frames_and_segment() -> None:
    x = one_speech_burst(8000)
    assert frame_string(x, 8000) == "_" * 50 + "1" * 104 + "_" * 46
    [segment] = detect_segments(x, 8000)
    # Triggered at frame 59 with frames 45-59 in the ring; ended when 14 of 15 were unvoiced.
    assert segment.start_s == pytest.approx(0.9)
    assert segment.end_s == pytest.approx(3.36)
    assert len(segment.samples) == round((3.36 - 0.9) * 8000)
    np.testing.assert_array_equal(segment.samples, x[7200:26880])


@pytest.mark.parametrize("rate_hz", [8000, 16000, 32000, 48000])
def test_one_segment_at_every_rate(rate_hz: int) -> None:
    [segment] = detect_segments(one_speech_burst(rate_hz), rate_hz)
    padding_s = VadSettings().padding_ms / 1000
    assert abs(segment.start_s - 1.0) <= padding_s
    assert abs(segment.end_s - 3.0) <= padding_s + 0.1  # + WebRTC VAD's own hangover
    assert segment.sample_rate_hz == rate_hz


def test_streaming_in_random_chunks_equals_whole() -> None:
    x = np.concatenate([one_speech_burst(8000), speech_like(8000, 0.7), silence(8000, 0.5)])
    whole = VadSegmenter(8000)
    expected = whole.push(x) + whole.flush()
    rng = np.random.default_rng(7)
    stream, pieces, i = VadSegmenter(8000), [], 0
    while i < len(x):
        size = int(rng.choice([0, 1, 3, 159, 160, 161, 1000, 4000]))
        pieces += stream.push(x[i : i + size])
        i += size
    pieces += stream.flush()
    assert len(pieces) == len(expected) > 100
    for got, want in zip(pieces, expected, strict=True):
        assert (got.segment_index, got.is_last, got.start_s) == (
            want.segment_index,
            want.is_last,
            pytest.approx(want.start_s),
        )
        np.testing.assert_array_equal(got.samples, want.samples)
    times = [t for s in segments(pieces) for t in (s.start_s, s.end_s)]
    assert times == pytest.approx([t for s in segments(expected) for t in (s.start_s, s.end_s)])
    assert len(times) == 4


def test_pieces_arrive_live() -> None:
    segmenter = VadSegmenter(8000)
    assert segmenter.push(silence(8000, 1.0)) == []
    pieces = segmenter.push(speech_like(8000, 0.5))
    assert pieces and not any(p.is_last for p in pieces)
    assert sum(len(p.samples) for p in pieces) >= 0.3 * 8000


def test_stated_start_time_moves_the_clock() -> None:
    segmenter = VadSegmenter(8000)
    pieces = segmenter.push(np.zeros(0, np.float32), start_s=100.0)
    pieces += segmenter.push(one_speech_burst(8000)) + segmenter.flush()
    [segment] = segments(pieces)
    assert segment.start_s == pytest.approx(100.9)
    assert segment.end_s == pytest.approx(103.36)


def test_gap_before_speech_is_not_bridged() -> None:
    segmenter = VadSegmenter(8000)
    pieces = segmenter.push(silence(8000, 1.01))  # ends inside a frame
    pieces += segmenter.push(speech_like(8000, 2.0), start_s=10.0)
    pieces += segmenter.push(silence(8000, 1.0)) + segmenter.flush()
    [segment] = segments(pieces)
    assert segment.start_s == pytest.approx(10.0)  # the ring held nothing from before the gap
    assert pieces[0].start_s == pytest.approx(10.0)


def test_gap_inside_speech_keeps_pieces_contiguous() -> None:
    segmenter = VadSegmenter(8000)
    speech = speech_like(8000, 2.0)
    pieces = segmenter.push(speech[:8080])  # 1.01 s: 80 samples of a frame left over
    pieces += segmenter.push(speech[8080:], start_s=5.0)
    pieces += segmenter.flush()
    assert {p.segment_index for p in pieces} == {0}
    for p in pieces:
        end_s = p.start_s + len(p.samples) / 8000
        assert end_s <= 1.0 + 1e-9 or p.start_s >= 5.0 - 1e-9  # nothing straddles the gap
    assert any(p.start_s == pytest.approx(5.0) for p in pieces)


@pytest.mark.parametrize("rate_hz", [8000, 16000])
def test_silence_and_faint_noise_give_no_segments(rate_hz: int) -> None:
    noise = np.random.default_rng(3).standard_normal(rate_hz * 3) * 10 ** (-60 / 20)
    assert detect_segments(silence(rate_hz, 3), rate_hz) == []
    assert detect_segments(noise.astype(np.float32), rate_hz) == []


@pytest.mark.skipif(not ALLISON.is_dir(), reason="asterisk-core-sounds-en-wav not installed")
def test_real_speech_with_a_pause_gives_two_segments() -> None:
    first, rate = sf.read(ALLISON / "conf-getpin.wav", dtype="float32")
    second, _ = sf.read(ALLISON / "conf-invalidpin.wav", dtype="float32")
    x = np.concatenate([first, silence(rate, 1.5), second])
    found = detect_segments(x, rate)
    assert len(found) == 2
    pause_start_s, pause_end_s = len(first) / rate, len(first) / rate + 1.5
    assert found[0].start_s < 0.3
    assert pause_start_s - 0.1 < found[0].end_s < pause_start_s + 0.5
    assert pause_end_s - 0.5 < found[1].start_s < pause_end_s + 0.1


def test_from_settings_uses_every_field() -> None:
    settings = VadSettings(frame_ms=10, padding_ms=100, start_ratio=0.5, min_speech_ms=50)
    [segment] = detect_segments(one_speech_burst(16000), 16000, settings)
    # A 100 ms ring hugs the speech (1.0 s to 3.0 s) closer than the default 300 ms one.
    assert 0.95 < segment.start_s < 1.0
    assert 3.0 < segment.end_s < 3.25
    segmenter = VadSegmenter.from_settings(settings, 16000)
    assert segmenter._frame_len == 160
    assert segmenter._ring_len == 10


def test_segments_joins_pieces_per_index() -> None:
    a = np.ones(4, np.float32)
    pieces = [
        SpeechPiece(a, 8000, 1.0, 0, False),
        SpeechPiece(2 * a, 8000, 1.0005, 0, False),
        SpeechPiece(np.zeros(0, np.float32), 8000, 1.001, 0, True),
        SpeechPiece(3 * a, 8000, 5.0, 1, False),
    ]
    first, second = segments(pieces)
    np.testing.assert_array_equal(first.samples, [1, 1, 1, 1, 2, 2, 2, 2])
    assert (first.start_s, first.end_s) == (1.0, pytest.approx(1.001))
    assert (second.start_s, second.end_s) == (5.0, pytest.approx(5.0005))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sample_rate_hz": 22050}, "22050 Hz"),
        ({"sample_rate_hz": 8000, "frame_ms": 25}, "frame_ms"),
        ({"sample_rate_hz": 8000, "aggressiveness": 4}, "aggressiveness"),
        ({"sample_rate_hz": 8000, "padding_ms": 10}, "padding_ms"),
        ({"sample_rate_hz": 8000, "min_speech_ms": 400}, "never trigger"),
        ({"sample_rate_hz": 8000, "end_ratio": 0.0}, "ratio"),
    ],
)
def test_bad_parameters(kwargs: dict[str, int | float], message: str) -> None:
    with pytest.raises(AudioError, match=message):
        VadSegmenter(**kwargs)  # type: ignore[arg-type]


def test_rejects_2d_samples() -> None:
    with pytest.raises(AudioError, match="shape"):
        VadSegmenter(8000).push(np.zeros((160, 2), np.float32))
