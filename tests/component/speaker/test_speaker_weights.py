from pathlib import Path

import pytest
import yaml

from callwarden.detectors.speaker import SpeakerEncoder
from callwarden.errors import WeightsError
from callwarden.weights import default_models_dir, sha256_of


def test_checksum_mismatch_is_refused(tmp_path: Path) -> None:
    manifest = yaml.safe_load((default_models_dir() / "manifest.yaml").read_text())
    manifest["models"]["ge2e"]["sha256"] = "0" * 64
    (tmp_path / "manifest.yaml").write_text(yaml.safe_dump(manifest))
    with pytest.raises(WeightsError, match="do not match the sha256"):
        SpeakerEncoder.load(tmp_path)


def test_missing_weights_name_what_makes_them(tmp_path: Path) -> None:
    (tmp_path / "manifest.yaml").write_text(
        "models:\n  ge2e:\n    path: nowhere/pretrained.pt\n    sha256: abc\n"
        "    made_by: scripts/setup.sh\n"
    )
    with pytest.raises(WeightsError, match=r"missing.*scripts/setup\.sh"):
        SpeakerEncoder.load(tmp_path)


def test_a_file_that_is_not_a_checkpoint(tmp_path: Path) -> None:
    (tmp_path / "bogus.pt").write_bytes(b"not a torch file")
    digest = sha256_of(tmp_path / "bogus.pt")
    (tmp_path / "manifest.yaml").write_text(
        f"models:\n  ge2e:\n    path: bogus.pt\n    sha256: {digest}\n    made_by: x\n"
    )
    with pytest.raises(WeightsError, match="cannot load the GE2E weights"):
        SpeakerEncoder.load(tmp_path)
