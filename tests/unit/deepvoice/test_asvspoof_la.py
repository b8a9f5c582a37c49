"""The ASVspoof 2019 LA loader on a tiny stand-in laid out like the real dataset."""

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from corpus.dataset import load_split
from corpus.protocol import layout, read_split

SPLITS = {"train": "train.trn", "dev": "dev.trl", "eval": "eval.trl"}


def make_la(root: Path, per_split: int = 4) -> Path:
    """LA/ASVspoof2019_LA_{split}/flac/*.flac at 16 kHz plus the cm protocol files."""
    la = root / "LA"
    protocols = la / "ASVspoof2019_LA_cm_protocols"
    protocols.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for split, tag in SPLITS.items():
        flac = la / f"ASVspoof2019_LA_{split}" / "flac"
        flac.mkdir(parents=True)
        lines = []
        for i in range(per_split):
            utt = f"LA_{split[0].upper()}_{1000000 + i}"
            spoof = i % 2 == 1
            tone = np.sin(2 * np.pi * (150 + 50 * i) * np.arange(24000) / 16000)
            x = 0.3 * tone + (0.05 if spoof else 0.01) * rng.standard_normal(24000)
            sf.write(str(flac / f"{utt}.flac"), x.astype(np.float32), 16000)
            system = f"A0{i % 6 + 1}" if spoof else "-"
            lines.append(f"LA_00{i % 2 + 79} {utt} - {system} {'spoof' if spoof else 'bonafide'}")
        (protocols / f"ASVspoof2019.LA.cm.{tag}.txt").write_text("\n".join(lines) + "\n")
    return root


def test_layout_and_protocol_entries(tmp_path: Path) -> None:
    root = make_la(tmp_path)
    assert layout(root) == "asvspoof2019_la"
    items = read_split(root, "train")
    assert [it.label for it in items] == ["bonafide", "spoof", "bonafide", "spoof"]
    assert items[1].system == "A02" and items[0].system == "-"
    assert items[0].path == root / "LA/ASVspoof2019_LA_train/flac/LA_T_1000000.flac"
    assert all(it.path.exists() for it in items)


def test_loader_caches_clips_at_8khz(tmp_path: Path) -> None:
    root = make_la(tmp_path)
    split = load_split(root, "eval", tmp_path / "cache")
    assert len(split) == 4 and split.is_spoof.tolist() == [False, True, False, True]
    assert len(split.clip(0)) == 12000  # 1.5 s at 8 kHz
    again = load_split(root, "eval", tmp_path / "cache")  # read back from the cache
    assert np.array_equal(again.audio, split.audio)


def test_malformed_protocol_line_is_named(tmp_path: Path) -> None:
    root = make_la(tmp_path)
    proto = root / "LA/ASVspoof2019_LA_cm_protocols/ASVspoof2019.LA.cm.dev.trl.txt"
    proto.write_text("LA_0079 LA_D_1 - A01\n")
    with pytest.raises(ValueError, match=":1:"):
        read_split(root, "dev")


def test_train_and_eval_scripts_run_on_the_stand_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util
    import sys

    scripts = Path(__file__).resolve().parents[3] / "scripts"
    root = make_la(tmp_path)
    for name in ("train_deepvoice", "eval_deepvoice"):
        spec = importlib.util.spec_from_file_location(name, scripts / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    common = ["--data", str(root), "--cache-dir", str(tmp_path / "cache")]
    model = tmp_path / "m.pt"
    assert (
        sys.modules["train_deepvoice"].main(
            [*common, "--out", str(model), "--epochs", "1", "--steps", "1", "--batch", "4"]
        )
        == 0
    )
    assert (
        sys.modules["eval_deepvoice"].main(
            [*common, "--model", str(model), "--report", str(tmp_path / "rep"), "--rtf-s", "2"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "all" in out and "EER" in out and "RTF" in out
    assert (tmp_path / "rep" / "det.png").exists()
