import json
from collections.abc import Callable
from pathlib import Path

import pytest

from callwarden import cli
from callwarden.detectors.speaker.encoder import SpeakerEncoder
from callwarden.enrol.store import VoiceprintStore


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "site.yaml"
    path.write_text(f"subscribers:\n  store_path: {tmp_path / 'var' / 'cw.db'}\n")
    return path


@pytest.fixture
def fake_weights(monkeypatch: pytest.MonkeyPatch, encoder) -> None:
    monkeypatch.setattr(SpeakerEncoder, "load", classmethod(lambda cls, models_dir: encoder))


def test_enroll_list_delete(
    config: Path, voice_wav: Callable[..., Path], consent: Callable[..., Path],
    fake_weights: None, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:  # fmt: skip
    wavs = [str(voice_wav(f"t{i}", seed=i)) for i in range(3)]
    args = ["enroll", "--config", str(config), "--subscriber", "alice"]
    assert cli.main([*args, "--consent", str(consent()), *wavs, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["subscriber_id"] == "alice" and len(report["files"]) == 3
    assert VoiceprintStore(tmp_path / "var" / "cw.db").list() == ["alice"]

    assert cli.main(["subscribers", "--config", str(config), "list"]) == 0
    assert capsys.readouterr().out.strip() == "alice"
    assert cli.main(["subscribers", "delete", "alice", "--config", str(config)]) == 0
    assert "erased" in capsys.readouterr().out
    assert cli.main(["subscribers", "list", "--config", str(config), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"subscribers": []}


def test_refusal_is_one_line_and_exit_2(
    config: Path, voice_wav: Callable[..., Path], consent: Callable[..., Path],
    fake_weights: None, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    wav = str(voice_wav("only"))
    argv = ["enroll", "--config", str(config), "--subscriber", "alice"]
    assert cli.main([*argv, "--consent", str(consent()), wav]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "at least 3 recordings, got 1" in err


def test_delete_unknown_subscriber(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["subscribers", "delete", "nobody", "--config", str(config)]) == 2
    assert "not enrolled" in capsys.readouterr().err


def test_readable_report(
    config: Path, voice_wav: Callable[..., Path], consent: Callable[..., Path],
    fake_weights: None, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    wavs = [str(voice_wav(f"t{i}", seed=i)) for i in range(3)]
    argv = ["enroll", "--config", str(config), "--subscriber", "alice", "--calibrate-threshold"]
    assert cli.main([*argv, "--consent", str(consent()), *wavs]) == 0
    out = capsys.readouterr().out
    assert out.startswith("enrolled 'alice' with 3 recordings")
    assert "threshold: calibrated 0.870" in out
