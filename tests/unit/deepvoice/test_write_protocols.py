"""``build.write_protocols``: a corpus copied with hard links keeps its own protocols."""

import os
from pathlib import Path

from corpus.build import write_protocols
from corpus.protocol import read_split


def _meta(utt: str, split: str, family: str = "bonafide") -> dict[str, object]:
    label = "bonafide" if family == "bonafide" else "spoof"
    return {"speaker": "s1", "utt_id": utt, "split": split, "family": family, "label": label}


def test_rebuilding_a_hard_linked_copy_leaves_the_original_protocols_alone(
    tmp_path: Path,
) -> None:
    first, copy = tmp_path / "first", tmp_path / "copy"
    first.mkdir()
    write_protocols([_meta("a", "train"), _meta("b", "eval", "espeak")], first)
    (copy / "protocols").mkdir(parents=True)
    for f in (first / "protocols").iterdir():
        os.link(f, copy / "protocols" / f.name)  # what ``cp -al`` makes

    write_protocols([_meta("a", "train"), _meta("c", "train", "lpc10")], copy)

    assert [i.utt_id for i in read_split(first, "train")] == ["a"]
    assert [i.utt_id for i in read_split(first, "eval")] == ["b"]
    assert [(i.utt_id, i.system) for i in read_split(copy, "train")] == [
        ("a", "-"),
        ("c", "lpc10"),
    ]
    assert read_split(copy, "eval") == []
    assert not list((copy / "protocols").glob(".*"))  # no temporary files left
