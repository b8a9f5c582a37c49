"""The voiceprint table's schema and the mapping between rows and ``Voiceprint``."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from callwarden.enrol.voiceprint import ConsentRecord, Voiceprint
from callwarden.errors import EnrolmentError

SCHEMA_VERSION = 1

_TABLES = """
CREATE TABLE IF NOT EXISTS voiceprint_schema (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS voiceprints (
    subscriber_id TEXT PRIMARY KEY,
    model_version TEXT NOT NULL,
    dim INTEGER NOT NULL,
    n_files INTEGER NOT NULL,
    embeddings BLOB NOT NULL,   -- float32 little-endian, n_files x dim
    centroid BLOB NOT NULL,     -- float32 little-endian, dim
    threshold REAL,             -- NULL: the configured threshold applies
    speech_s REAL NOT NULL,
    consent_signed_by TEXT NOT NULL,
    consent_signed_on TEXT NOT NULL,
    consent_sha256 TEXT NOT NULL,
    consent_text TEXT NOT NULL,
    baselines TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""

_NAMES = (
    "subscriber_id", "model_version", "dim", "n_files", "embeddings", "centroid", "threshold",
    "speech_s", "consent_signed_by", "consent_signed_on", "consent_sha256", "consent_text",
    "baselines", "created_at", "updated_at",
)  # fmt: skip
_COLUMNS = ", ".join(_NAMES)
# A re-enrolment replaces every column but the id and the first enrolment's time.
_REPLACED = ", ".join(
    f"{c} = excluded.{c}" for c in _NAMES if c not in ("subscriber_id", "created_at")
)

UPSERT = (
    f"INSERT INTO voiceprints ({_COLUMNS}) VALUES ({', '.join('?' * len(_NAMES))}) "
    f"ON CONFLICT(subscriber_id) DO UPDATE SET {_REPLACED}"
)
SELECT = f"SELECT {_COLUMNS} FROM voiceprints WHERE subscriber_id = ?"

_FLOAT32 = np.dtype("<f4")


def migrate(db: sqlite3.Connection, path: Path) -> None:
    """Create the tables in a new file; refuse a file written by a newer schema."""
    with db:
        db.executescript(_TABLES)
        row = db.execute("SELECT MAX(version) FROM voiceprint_schema").fetchone()
        if row[0] is None:
            db.execute("INSERT INTO voiceprint_schema VALUES (?)", (SCHEMA_VERSION,))
        elif int(row[0]) > SCHEMA_VERSION:
            raise EnrolmentError(
                f"voiceprint store {path} has schema version {row[0]}; this CallWarden "
                f"reads version {SCHEMA_VERSION}: upgrade CallWarden"
            )


def baselines_json(baselines: Mapping[str, Any]) -> str:
    """``baselines`` as JSON text.

    Raises:
        EnrolmentError: it holds something JSON cannot represent.
    """
    try:
        return json.dumps(dict(baselines), allow_nan=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise EnrolmentError(f"baselines are not JSON-ready: {exc}") from exc


def to_row(vp: Voiceprint, now: str) -> tuple[Any, ...]:
    """The row for ``vp``, with both timestamps set to ``now``.

    Raises:
        EnrolmentError: inconsistent shapes, a non-finite value or non-JSON baselines.
    """
    emb = np.asarray(vp.embeddings, dtype=_FLOAT32)
    centroid = np.asarray(vp.centroid, dtype=_FLOAT32)
    if emb.ndim != 2 or emb.shape[0] == 0 or centroid.shape != (emb.shape[1],):
        raise EnrolmentError("a voiceprint needs (n, d) embeddings and a (d,) centroid")
    if not (np.isfinite(emb).all() and np.isfinite(centroid).all()):
        raise EnrolmentError("a voiceprint's embeddings must be finite")
    if vp.threshold is not None and not math.isfinite(vp.threshold):
        raise EnrolmentError("a voiceprint's threshold must be finite")
    c = vp.consent
    return (
        vp.subscriber_id, vp.model_version, emb.shape[1], emb.shape[0],
        emb.tobytes(), centroid.tobytes(), vp.threshold, float(vp.speech_s),
        c.signed_by, c.signed_on, c.sha256, c.text, baselines_json(vp.baselines), now, now,
    )  # fmt: skip


def from_row(row: tuple[Any, ...], path: Path) -> Voiceprint:
    """The voiceprint a row holds.

    Raises:
        EnrolmentError: the row's blobs or JSON are damaged.
    """
    (sid, version, dim, n, emb, centroid, thr, speech_s, by, on, sha, text, base, c_at, u_at) = row
    try:
        embeddings = np.frombuffer(emb, dtype=_FLOAT32).reshape(int(n), int(dim))
        centre = np.frombuffer(centroid, dtype=_FLOAT32).reshape(int(dim))
        baselines = json.loads(base)
        created, updated = datetime.fromisoformat(c_at), datetime.fromisoformat(u_at)
    except (ValueError, TypeError) as exc:
        raise EnrolmentError(f"voiceprint store {path}: a damaged voiceprint row") from exc
    return Voiceprint(
        subscriber_id=str(sid),
        embeddings=embeddings.astype(np.float32),
        centroid=centre.astype(np.float32),
        threshold=None if thr is None else float(thr),
        consent=ConsentRecord(str(by), str(on), str(sha), str(text)),
        model_version=str(version),
        speech_s=float(speech_s),
        baselines=baselines,
        created_at=created,
        updated_at=updated,
    )
