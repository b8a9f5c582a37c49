import re
import warnings
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from callwarden.audio.io import check_usable, read_audio
from callwarden.audio.pcm import alaw_encode, ulaw_encode
from callwarden.errors import AudioError

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop


def sine(rate_hz: int = 8000, duration_s: float = 1.0, amp: float = 0.5) -> np.ndarray:
    t = np.arange(round(rate_hz * duration_s)) / rate_hz
    return (amp * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def one_line_naming(path: Path, exc: pytest.ExceptionInfo[AudioError]) -> str:
    message = str(exc.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    return message


@pytest.mark.parametrize(
    ("suffix", "subtype"),
    [(".wav", "PCM_16"), (".wav", "PCM_24"), (".flac", "PCM_16"), (".ogg", "VORBIS")],
)
def test_reads_common_formats(tmp_path: Path, suffix: str, subtype: str) -> None:
    path = tmp_path / f"a{suffix}"
    sf.write(path, sine(16000), 16000, subtype=subtype)
    samples, rate = read_audio(path)
    assert rate == 16000
    assert samples.dtype == np.float32 and samples.shape == (16000,)
    tolerance = 0.05 if subtype == "VORBIS" else 1e-3
    np.testing.assert_allclose(samples[1000:-1000], sine(16000)[1000:-1000], atol=tolerance)


def test_mixes_channels_to_mono(tmp_path: Path) -> None:
    path = tmp_path / "stereo.wav"
    left = sine()
    sf.write(path, np.stack([left, np.zeros_like(left)], axis=1), 8000, subtype="FLOAT")
    samples, _ = read_audio(path)
    np.testing.assert_allclose(samples, left / 2, atol=1e-7)


@pytest.mark.parametrize("suffix", [".ulaw", ".ul", ".mulaw", ".PCMU", ".alaw", ".al", ".pcma"])
def test_reads_raw_g711_by_extension(tmp_path: Path, suffix: str) -> None:
    is_alaw = suffix.lower() in {".alaw", ".al", ".pcma"}
    x = sine()
    path = tmp_path / f"call{suffix}"
    path.write_bytes(alaw_encode(x) if is_alaw else ulaw_encode(x))
    samples, rate = read_audio(path)
    assert rate == 8000 and len(samples) == len(x)
    decode = audioop.alaw2lin if is_alaw else audioop.ulaw2lin
    expected = np.frombuffer(decode(path.read_bytes(), 2), np.int16) / 32768
    np.testing.assert_array_equal(samples, expected.astype(np.float32))


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.wav"
    with pytest.raises(AudioError) as exc:
        read_audio(path)
    assert one_line_naming(path, exc).endswith("no such file")


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    path.touch()
    with pytest.raises(AudioError) as exc:
        read_audio(path)
    assert "empty file (0 bytes)" in one_line_naming(path, exc)


def test_wav_without_samples(tmp_path: Path) -> None:
    path = tmp_path / "header-only.wav"
    sf.write(path, np.zeros(0, np.float32), 8000)
    with pytest.raises(AudioError) as exc:
        read_audio(path)
    assert "no audio samples" in one_line_naming(path, exc)


def test_text_renamed_wav(tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_text("these are meeting notes, not a recording\n" * 20)
    with pytest.raises(AudioError) as exc:
        read_audio(path)
    assert "not a readable audio file" in one_line_naming(path, exc)


def test_truncated_wav(tmp_path: Path) -> None:
    good = tmp_path / "good.wav"
    sf.write(good, sine(), 8000, subtype="PCM_16")
    data = good.read_bytes()
    path = tmp_path / "cut.wav"
    path.write_bytes(data[: len(data) // 2])
    assert len(sf.read(path)[0]) > 0  # libsndfile alone would accept the first half
    with pytest.raises(AudioError) as exc:
        read_audio(path)
    message = one_line_naming(path, exc)
    assert re.search(r"truncated: the header declares 16000 bytes of audio but only \d+", message)


@pytest.mark.parametrize("keep_bytes", [6, 30])
def test_wav_cut_inside_its_header(tmp_path: Path, keep_bytes: int) -> None:
    good = tmp_path / "good.wav"
    sf.write(good, sine(), 8000, subtype="PCM_16")
    path = tmp_path / "stub.wav"
    path.write_bytes(good.read_bytes()[:keep_bytes])
    with pytest.raises(AudioError) as exc:
        read_audio(path)
    assert "truncated" in one_line_naming(path, exc)


def test_streamed_wav_with_unknown_length_is_read(tmp_path: Path) -> None:
    path = tmp_path / "streamed.wav"
    sf.write(path, sine(), 8000, subtype="PCM_16")
    data = bytearray(path.read_bytes())
    data[40:44] = (0xFFFFFFFF).to_bytes(4, "little")  # data chunk size: unknown
    path.write_bytes(bytes(data))
    samples, _ = read_audio(path)
    assert len(samples) == 8000


def test_rate_below_8k(tmp_path: Path) -> None:
    path = tmp_path / "low.wav"
    sf.write(path, sine(4000), 4000)
    with pytest.raises(AudioError) as exc:
        read_audio(path)
    assert "sample rate 4000 Hz is too low" in one_line_naming(path, exc)


def test_usable_audio_passes() -> None:
    check_usable(sine(), 8000, "ok.wav")
    check_usable(sine(amp=0.004), 8000, "quiet.wav")  # -48 dBFS peak is still a signal


@pytest.mark.parametrize(
    ("samples", "message"),
    [
        (np.zeros(8000, np.float32), "no signal: the recording is silent (peak digital silence)"),
        (sine(amp=0.003), "no signal: the recording is silent (peak -50 dBFS)"),
        (sine(duration_s=0.05), "too short (0.050 s; at least 0.1 s is needed)"),
        (np.array([0.1, np.nan] * 4000, np.float32), "corrupt samples: the audio contains NaN"),
        (np.array([0.1, np.inf] * 4000, np.float32), "corrupt samples: the audio contains NaN"),
    ],
)
def test_unusable_audio(samples: np.ndarray, message: str) -> None:
    with pytest.raises(AudioError) as exc:
        check_usable(samples, 8000, "take1.wav")
    assert str(exc.value).startswith(f"take1.wav: {message}")


@pytest.mark.parametrize(("n_clipped", "percent"), [(81, "1.0%"), (400, "5.0%"), (4000, "50.0%")])
def test_clipping_reports_how_much(n_clipped: int, percent: str) -> None:
    x = sine(amp=0.5)
    x[:n_clipped] = -1.0
    with pytest.raises(AudioError) as exc:
        check_usable(x, 8000, "hot.wav")
    assert str(exc.value) == (
        f"hot.wav: clipped: {percent} of samples are at full scale; re-record at a lower input gain"
    )


def test_clipping_up_to_one_percent_is_tolerated() -> None:
    x = sine(amp=0.5)
    x[:80] = 1.0  # exactly 1 %
    check_usable(x, 8000, "hot.wav")


@pytest.mark.parametrize(
    ("samples", "message"),
    [
        (np.clip(sine(amp=2.0), -1, 1), r"clipped: 6\d\.\d% of samples are at full scale"),
        (np.zeros(8000, np.float32), "no signal: the recording is silent"),
    ],
)
def test_bad_recordings_from_disk(tmp_path: Path, samples: np.ndarray, message: str) -> None:
    path = tmp_path / "take.wav"
    sf.write(path, samples, 8000, subtype="PCM_16")
    audio, rate = read_audio(path)
    with pytest.raises(AudioError, match=f"^{re.escape(str(path))}: {message}"):
        check_usable(audio, rate, str(path))


def test_raw_gsm_is_decoded_at_8k(tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("sox") is None:
        pytest.skip("sox not installed")
    t = np.arange(8000) / 8000
    wav = tmp_path / "tone.wav"
    sf.write(wav, (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), 8000)
    gsm = tmp_path / "tone.gsm"
    subprocess.run(["sox", str(wav), str(gsm)], check=True)
    samples, rate = read_audio(gsm)
    assert rate == 8000 and abs(len(samples) - 8000) <= 160
    peak_hz = np.argmax(np.abs(np.fft.rfft(samples))) * rate / len(samples)
    assert abs(peak_hz - 440) < 10
    bad = tmp_path / "bad.gsm"
    bad.write_bytes(b"x")
    with pytest.raises(AudioError, match="GSM"):
        read_audio(bad)
