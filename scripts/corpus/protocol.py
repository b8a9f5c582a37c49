"""Read ASVspoof-style protocols: our corpus and the ASVspoof 2019 LA layout.

A protocol line is ``speaker utt_id - system label`` (``system`` is ``-`` for bona fide).
Our corpus keeps ``protocols/cm.<split>.txt`` and ``flac/<utt>.flac``; ASVspoof 2019 LA
keeps ``ASVspoof2019_LA_cm_protocols/ASVspoof2019.LA.cm.<split>.txt`` and
``ASVspoof2019_LA_<split>/flac/<utt>.flac``, under ``LA/`` or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SPLITS = {"train": "train.trn", "dev": "dev.trl", "eval": "eval.trl"}
TWIN_MARK = "twin_"  # a bona fide twin's id (``build.py --twins``): this, then its clip's id


@dataclass(frozen=True)
class Item:
    """One protocol entry with the path of its audio."""

    speaker: str
    utt_id: str
    system: str
    label: str
    path: Path

    @property
    def is_spoof(self) -> bool:
        """True for spoofed (synthetic) audio."""
        return self.label == "spoof"


def _la_root(root: Path) -> Path | None:
    for base in (root, root / "LA"):
        if (base / "ASVspoof2019_LA_cm_protocols").is_dir():
            return base
    return None


def layout(root: Path) -> str:
    """``asvspoof2019_la`` or ``callwarden`` (raises when neither is found)."""
    if _la_root(root) is not None:
        return "asvspoof2019_la"
    if (root / "protocols").is_dir():
        return "callwarden"
    raise FileNotFoundError(f"{root}: no protocols/ nor ASVspoof2019_LA_cm_protocols/")


def protocol_paths(root: Path, split: str) -> tuple[Path, Path]:
    """(protocol file, audio folder) of ``split`` (train, dev or eval) under ``root``."""
    tag = SPLITS[split]
    la = _la_root(root)
    if la is not None:
        return (
            la / "ASVspoof2019_LA_cm_protocols" / f"ASVspoof2019.LA.cm.{tag}.txt",
            la / f"ASVspoof2019_LA_{split}" / "flac",
        )
    layout(root)
    return root / "protocols" / f"cm.{tag}.txt", root / "flac"


def read_split(root: Path, split: str) -> list[Item]:
    """Every entry of one split, in protocol order.

    Raises:
        FileNotFoundError: no protocol for the split.
        ValueError: a malformed line (quoted with its number).
    """
    proto, audio = protocol_paths(root, split)
    items = []
    for number, line in enumerate(proto.read_text().splitlines(), 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 5 or fields[4] not in ("bonafide", "spoof"):
            raise ValueError(f"{proto}:{number}: expected 'speaker utt - system label': {line}")
        speaker, utt, _, system, label = fields
        items.append(Item(speaker, utt, system, label, audio / f"{utt}.flac"))
    return items
