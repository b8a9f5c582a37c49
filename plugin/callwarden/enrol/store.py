"""Voiceprints in a SQLite file: one row per subscriber, replaced atomically on re-enrolment.

The file may be shared with other tables (the policy's attempt counter). Rows hold
embeddings, never audio; deleting a subscriber overwrites the freed pages (secure_delete)
and checkpoints the write-ahead log, so erased biometric data does not linger on disk.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from callwarden.enrol import records
from callwarden.enrol.voiceprint import ConsentRecord, Voiceprint
from callwarden.errors import EnrolmentError, NotEnrolledError

__all__ = ["ConsentRecord", "Voiceprint", "VoiceprintStore"]

log = logging.getLogger(__name__)


class VoiceprintStore:
    """Durable voiceprints keyed by subscriber id.

    Each call opens its own connection, so a store may be shared between threads.

    Args:
        path: the SQLite file; its folder is created when missing.

    Raises:
        EnrolmentError: the file cannot be created, is not a SQLite database, or was
            written by a newer schema.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise EnrolmentError(f"voiceprint store {self.path}: cannot create folder") from exc
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            records.migrate(db, self.path)

    def save(self, voiceprint: Voiceprint) -> None:
        """Insert or atomically replace a subscriber's voiceprint (keeps ``created_at``).

        Raises:
            EnrolmentError: the voiceprint cannot be encoded or the store cannot be written.
        """
        row = records.to_row(voiceprint, _now())
        with self._connect() as db, db:
            db.execute(records.UPSERT, row)
        log.info("voiceprint saved", extra={"subscriber_id": voiceprint.subscriber_id})

    def get(self, subscriber_id: str) -> Voiceprint:
        """The subscriber's voiceprint.

        Raises:
            NotEnrolledError: the subscriber has no voiceprint.
            EnrolmentError: the store or the row is unreadable.
        """
        with self._connect() as db:
            row = db.execute(records.SELECT, (subscriber_id,)).fetchone()
        if row is None:
            raise NotEnrolledError(f"subscriber {subscriber_id!r} is not enrolled")
        return records.from_row(row, self.path)

    def list(self) -> list[str]:
        """Ids of every enrolled subscriber, sorted."""
        with self._connect() as db:
            rows = db.execute("SELECT subscriber_id FROM voiceprints ORDER BY 1").fetchall()
        return [str(r[0]) for r in rows]

    def delete(self, subscriber_id: str) -> None:
        """Erase a subscriber's voiceprint, consent record and baselines.

        Raises:
            NotEnrolledError: the subscriber has no voiceprint.
        """
        with self._connect() as db:
            db.execute("PRAGMA secure_delete=ON")
            with db:
                cursor = db.execute(
                    "DELETE FROM voiceprints WHERE subscriber_id = ?", (subscriber_id,)
                )
            if cursor.rowcount == 0:
                raise NotEnrolledError(f"subscriber {subscriber_id!r} is not enrolled")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        log.info("voiceprint deleted", extra={"subscriber_id": subscriber_id})

    def set_baselines(self, subscriber_id: str, baselines: Mapping[str, Any]) -> None:
        """Replace the free JSON ``baselines`` of an enrolled subscriber.

        Raises:
            NotEnrolledError: the subscriber has no voiceprint.
            EnrolmentError: ``baselines`` is not JSON-ready.
        """
        text = records.baselines_json(baselines)
        with self._connect() as db, db:
            cursor = db.execute(
                "UPDATE voiceprints SET baselines = ?, updated_at = ? WHERE subscriber_id = ?",
                (text, _now(), subscriber_id),
            )
        if cursor.rowcount == 0:
            raise NotEnrolledError(f"subscriber {subscriber_id!r} is not enrolled")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection that turns every SQLite failure into one readable EnrolmentError."""
        try:
            with closing(sqlite3.connect(self.path, timeout=10.0)) as db:
                yield db
        except sqlite3.Error as exc:
            raise EnrolmentError(f"voiceprint store {self.path}: {_describe(exc)}") from exc


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _describe(exc: sqlite3.Error) -> str:
    if isinstance(exc, sqlite3.DatabaseError) and "not a database" in str(exc):
        return "not a SQLite database (corrupt or another kind of file)"
    return str(exc)
