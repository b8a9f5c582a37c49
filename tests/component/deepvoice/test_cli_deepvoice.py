"""`callwarden analyze --json` with the shipped deep-voice model at the dev-chosen threshold."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from callwarden.cli import main
from callwarden.settings import DeepVoiceSettings

# June (fr_CA) is a held-out test speaker: the model never trained on her voice.
HELD_OUT_REAL = Path("/usr/share/asterisk/sounds/fr_CA_f_June/vm-intro.wav")
# The operating threshold chosen on the corpus dev split (models/deepvoice_cnn.md).
THRESHOLD = DeepVoiceSettings().threshold
TEXT = "Hello, this is your bank calling about a payment. Please confirm the code we sent you."


@pytest.fixture
def site(tmp_path: Path) -> Path:
    config = tmp_path / "site.yaml"
    config.write_text(
        f"subscribers:\n  store_path: {tmp_path / 'cw.db'}\n"
        f"audit:\n  path: {tmp_path / 'audit.jsonl'}\n"
        f"detectors:\n  deep_voice:\n    enabled: true\n    threshold: {THRESHOLD}\n"
    )
    return config


def _analyze(site: Path, wav: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert main(["analyze", "--config", str(site), "--json", str(wav)]) == 0
    result: dict[str, object] = json.loads(capsys.readouterr().out)
    return result


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_espeak_clip_is_spoof(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wav = tmp_path / "espeak.wav"  # 22.05 kHz: analyze resamples it to 8 kHz
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(wav), TEXT], check=True)
    result = _analyze(site, wav, capsys)
    assert result["thresholds"] == {"deep_voice": THRESHOLD}
    assert result["verdict"] == "spoof"
    assert result["scores"]["deep_voice"] > THRESHOLD  # type: ignore[index]


@pytest.mark.skipif(not HELD_OUT_REAL.exists(), reason="asterisk-core-sounds-fr-wav not installed")
def test_held_out_real_clip_is_clear(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = _analyze(site, HELD_OUT_REAL, capsys)
    assert result["verdict"] == "clear"
    assert result["scores"]["deep_voice"] <= THRESHOLD  # type: ignore[index]
