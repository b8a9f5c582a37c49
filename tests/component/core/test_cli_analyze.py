"""`callwarden analyze` end to end on real recordings, and every kind of bad input."""

import gc
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from callwarden.audio.pcm import ulaw_encode
from callwarden.cli import main

SOUNDS = Path("/usr/share/asterisk/sounds")
ALLISON = SOUNDS / "en_US_f_Allison"
pytestmark = pytest.mark.skipif(not ALLISON.is_dir(), reason="asterisk sounds not installed")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    config = root / "site.yaml"
    config.write_text(
        f"subscribers:\n  store_path: {root / 'cw.db'}\naudit:\n  path: {root / 'audit.jsonl'}\n"
    )
    consent = root / "consent.yaml"
    consent.write_text("subscriber: allison\nconsent: yes\nsigned_by: A\ndate: 2026-11-01\n")
    wavs = [str(ALLISON / n) for n in ("vm-options.wav", "dir-intro.wav", "vm-msginstruct.wav")]
    argv = ["enroll", "--config", str(config), "--subscriber", "allison", "--consent"]
    assert main([*argv, str(consent), *wavs]) == 0
    return config


def _analyze(site: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["analyze", "--config", str(site), *args])
    out = capsys.readouterr()
    return status, out.out, out.err


def _digest(root: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.iterdir())}


def test_json_contract_and_verdicts(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wav = str(ALLISON / "demo-congrats.wav")
    status, out, _ = _analyze(site, capsys, wav, "--subscriber", "allison", "--json")
    genuine = json.loads(out)
    assert status == 0 and genuine["verdict"] == "clear"
    assert 0.83 < genuine["scores"]["speaker"] <= 1.0
    times = [w["end_s"] for w in genuine["timeline"]]
    assert len(times) > 20 and times == sorted(times)

    impostor = SOUNDS / "it_IT_m_Carlo" / "demo-congrats.wav"
    plot = tmp_path / "impostor.png"
    status, out, _ = _analyze(
        site, capsys, str(impostor), "--subscriber", "allison", "--json", "--plot", str(plot)
    )
    result = json.loads(out)
    assert result["verdict"] == "mismatch" and "below threshold" in result["reason"]
    assert result["scores"]["speaker"] < genuine["scores"]["speaker"] - 0.1
    assert plot.read_bytes().startswith(b"\x89PNG")
    records = (site.parent / "audit.jsonl").read_text().splitlines()
    assert json.loads(records[-1])["data"]["verdict"] == "mismatch"


def test_readable_timeline_and_other_formats(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    audio, rate = sf.read(ALLISON / "dir-intro.wav", dtype="float32")
    resampled = np.interp(np.arange(0, len(audio), rate / 44100), np.arange(len(audio)), audio)
    wav44 = tmp_path / "call44k.wav"
    sf.write(wav44, resampled.astype(np.float32), 44100)
    status, out, _ = _analyze(site, capsys, str(wav44), "--subscriber", "allison")
    assert status == 0 and "VERDICT: CLEAR" in out and "speaker" in out

    raw = tmp_path / "call.ulaw"
    raw.write_bytes(ulaw_encode(audio))
    status, out, _ = _analyze(site, capsys, str(raw), "--subscriber", "allison", "--json")
    assert status == 0 and json.loads(out)["verdict"] == "clear"


def _bad_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    rate = 8000
    t = np.arange(rate * 2) / rate
    good = ALLISON / "dir-intro.wav"
    truncated = tmp / "truncated.wav"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    empty = tmp / "empty.wav"
    empty.write_bytes(b"")
    text = tmp / "notes.wav"
    text.write_text("this is not audio\n" * 50)
    silent = tmp / "silent.wav"
    sf.write(silent, np.zeros(rate * 2, np.float32), rate)
    clipped = tmp / "clipped.wav"
    sf.write(clipped, np.clip(3 * np.sin(2 * np.pi * 300 * t), -1, 1).astype(np.float32), rate)
    low_rate = tmp / "low.wav"
    sf.write(low_rate, (0.3 * np.sin(2 * np.pi * 300 * t[:8000])).astype(np.float32), 4000)
    return {
        "empty": (empty, "empty"),
        "text": (text, "not"),
        "truncated": (truncated, "truncated"),
        "silent": (silent, "silent"),
        "clipped": (clipped, "clipped"),
        "rate": (low_rate, "Hz"),
        "missing": (tmp / "absent.wav", "absent.wav"),
    }


def test_bad_audio_is_one_clear_line_and_nothing_stored_changes(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _digest(site.parent)
    for name, (path, words) in _bad_files(tmp_path).items():
        status, _out, err = _analyze(site, capsys, str(path), "--subscriber", "allison")
        assert status == 2, name
        assert err.startswith("callwarden: error:") and words in err, (name, err)
        assert "Traceback" not in err and err.count("\n") == 1, name
    assert _digest(site.parent) == before


def test_unknown_subscriber_bad_config_and_corrupt_weights(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    wav = str(ALLISON / "dir-intro.wav")
    before = _digest(site.parent)
    status, _, err = _analyze(site, capsys, wav, "--subscriber", "mallory")
    assert status == 2 and "mallory" in err and "enrolled" in err

    bad = tmp_path / "bad.yaml"
    bad.write_text("detectors:\n  speaker:\n    treshold: 0.8\n")
    status = main(["analyze", "--config", str(bad), wav])
    err = capsys.readouterr().err
    assert status == 2 and "detectors.speaker.treshold (line 3)" in err

    models = tmp_path / "models"
    models.mkdir()
    manifest = (Path(__file__).resolve().parents[3] / "models" / "manifest.yaml").read_text()
    (models / "manifest.yaml").write_text(manifest.replace("sha256: 3", "sha256: 4", 1))
    monkeypatch.setenv("CALLWARDEN_MODELS_DIR", str(models))
    status, _, err = _analyze(site, capsys, wav, "--subscriber", "allison")
    assert status == 2 and "do not match the sha256" in err and err[-1] == "\n"
    assert _digest(site.parent) == before


def test_analyze_closes_the_attempts_database_before_it_returns(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # SQLite deletes the write-ahead side files when the last connection closes; a
    # connection left to the garbage collector kept them for as long as a cycle lived
    wal = site.parent / "cw.db-wal"
    gc.collect()
    gc.disable()
    try:
        for subscriber in ("allison", "mallory"):  # a verdict, then an error
            _analyze(site, capsys, str(ALLISON / "dir-intro.wav"), "--subscriber", subscriber)
            assert not wal.exists(), subscriber
    finally:
        gc.enable()
