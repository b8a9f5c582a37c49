"""Compact caches of a protocol split: every clip at 8 kHz, int16, in one ``.npz``.

A cache is a few tens of MB for an hour of audio, so training data moves easily (to a GPU
machine, say) and reading thousands of FLAC files happens once.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from .generators import to_rate
from .protocol import Item, protocol_paths, read_split

RATE_HZ = 8000


@dataclass(frozen=True)
class Split:
    """Clips of one split: concatenated int16 audio with offsets, labels and names."""

    audio: np.ndarray  # int16 (total_samples,)
    offsets: np.ndarray  # int64 (n + 1,)
    is_spoof: np.ndarray  # bool (n,)
    speakers: np.ndarray  # str (n,)
    systems: np.ndarray  # str (n,)
    utt_ids: np.ndarray  # str (n,)

    def __len__(self) -> int:
        return len(self.is_spoof)

    def clip(self, i: int) -> np.ndarray:
        """Clip ``i`` as float32 in [-1, 1]."""
        return self.audio[self.offsets[i] : self.offsets[i + 1]].astype(np.float32) / 32768.0

    def subset(self, keep: np.ndarray) -> Split:
        """The clips where ``keep`` (bool mask) is true."""
        clips = [self.audio[self.offsets[i] : self.offsets[i + 1]] for i in np.flatnonzero(keep)]
        lengths = np.array([len(c) for c in clips], dtype=np.int64)
        return Split(
            np.concatenate(clips) if clips else np.zeros(0, np.int16),
            np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
            self.is_spoof[keep],
            self.speakers[keep],
            self.systems[keep],
            self.utt_ids[keep],
        )

    def cropped(self, max_s: float, start_s: float = 0.0) -> Split:
        """Every clip cut to ``max_s`` seconds from ``start_s`` (smaller caches to carry).

        A clip shorter than ``start_s + max_s`` keeps its last ``max_s`` seconds.
        """
        n = int(max_s * RATE_HZ)
        sizes = np.diff(self.offsets)
        lengths = np.minimum(sizes, n)
        starts = self.offsets[:-1] + np.clip(int(start_s * RATE_HZ), 0, sizes - lengths)
        audio = np.concatenate(
            [self.audio[o : o + k] for o, k in zip(starts, lengths, strict=True)]
        )
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        return Split(audio, offsets, self.is_spoof, self.speakers, self.systems, self.utt_ids)

    def save(self, path: Path, compressed: bool = False) -> None:
        """Write the split as one ``.npz`` (zlib-compressed when ``compressed``)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {k: getattr(self, k) for k in Split.__dataclass_fields__}
        (np.savez_compressed if compressed else np.savez)(path, **arrays)


def concat(splits: list[Split]) -> Split:
    """One split holding every clip of ``splits`` in order."""
    starts = np.cumsum([0] + [len(s.audio) for s in splits[:-1]])
    offsets = [s.offsets[:-1] + k for s, k in zip(splits, starts, strict=True)]
    return Split(
        np.concatenate([s.audio for s in splits]),
        np.concatenate([*offsets, [sum(len(s.audio) for s in splits)]]).astype(np.int64),
        *(
            np.concatenate([getattr(s, k) for s in splits])
            for k in ("is_spoof", "speakers", "systems", "utt_ids")
        ),
    )


def read_npz(path: Path) -> Split:
    """A split saved by :meth:`Split.save`."""
    with np.load(path) as data:
        return Split(**{k: data[k] for k in Split.__dataclass_fields__})


def _read(item: Item) -> np.ndarray:
    import soundfile as sf

    x, rate = sf.read(str(item.path), dtype="float32", always_2d=False)
    return (np.clip(to_rate(x, int(rate)), -1, 1) * 32767).astype(np.int16)


def build(items: list[Item], path: Path) -> Split:
    """Read every item's audio into one cache file at ``path`` and return it."""
    clips = [_read(item) for item in tqdm(items, desc=f"cache {path.name}")]
    lengths = np.array([len(c) for c in clips], dtype=np.int64)
    split = Split(
        np.concatenate(clips) if clips else np.zeros(0, np.int16),
        np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        np.array([it.is_spoof for it in items], dtype=bool),
        np.array([it.speaker for it in items]),
        np.array([it.system for it in items]),
        np.array([it.utt_id for it in items]),
    )
    split.save(path)
    return split


def load_split(root: Path, split: str, cache_dir: Path, limit: int = 0) -> Split:
    """The cached split of the corpus (or ASVspoof LA) at ``root``; built on first use.

    ``limit`` > 0 keeps an evenly spread sample of that many items (quick runs).
    """
    proto, _ = protocol_paths(root, split)
    # the protocol's text and time: a rebuilt corpus (new audio, same ids) gets a new cache
    crc = zlib.crc32(proto.read_bytes() + str(proto.stat().st_mtime_ns).encode()) & 0xFFFF
    tag = f"{root.resolve().name}_{split}_{crc:04x}{f'_n{limit}' if limit else ''}"
    path = cache_dir / f"{tag}.npz"
    if path.exists():
        return read_npz(path)
    items = read_split(root, split)
    if limit and len(items) > limit:
        items = [items[i] for i in np.linspace(0, len(items) - 1, limit).astype(int)]
    return build(items, path)


def added_noise(root: Path, split: Split) -> np.ndarray | None:
    """The noise each clip's channel added (``corpus/meta``), or None without metadata."""
    meta = root / "meta"
    if not all((meta / f"{u}.json").exists() for u in split.utt_ids):
        return None
    return np.array([json.loads((meta / f"{u}.json").read_text())["noise"] for u in split.utt_ids])


def cached_by_clip(
    path: Path, split: Split, compute: Callable[[], dict[str, np.ndarray]]
) -> dict[str, np.ndarray]:
    """Arrays about ``split``'s clips, computed once into ``path`` (npz).

    The file keeps the clip ids; a cache made for other clips is computed afresh.
    """
    if path.exists():
        with np.load(path) as cached:
            if np.array_equal(cached["utt_ids"], split.utt_ids):
                return {k: cached[k] for k in cached.files if k != "utt_ids"}
    out = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, utt_ids=split.utt_ids, **out)
    return out
