"""Counts a subscriber's screened calls that ended in an alarm, durably, in SQLite.

The block comes after ``attempts_before_block`` alarms within ``attempt_window_h`` hours
(three by default, as the seed system asks), so one noisy call does not lock anyone out.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from callwarden.frames import VerdictKind
from callwarden.settings import PolicySettings

ALARMS = frozenset({VerdictKind.SPOOF, VerdictKind.MISMATCH, VerdictKind.DURESS})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    subscriber_id TEXT NOT NULL,
    call_id TEXT NOT NULL,
    verdict TEXT NOT NULL,
    at_unix REAL NOT NULL,
    PRIMARY KEY (subscriber_id, call_id)
)
"""


@dataclass(frozen=True, slots=True)
class AttemptCount:
    """How many alarmed attempts a subscriber has in the window, and whether to block."""

    subscriber_id: str
    alarms: int
    limit: int

    @property
    def block(self) -> bool:
        """True once the alarms reach the configured number of attempts."""
        return self.alarms >= self.limit


class AttemptCounter:
    """Durable per-subscriber attempt counting (one row per call, so recording is idempotent)."""

    def __init__(self, path: Path, settings: PolicySettings) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)
        self._settings = settings

    def record(
        self, subscriber_id: str, call_id: str, verdict: VerdictKind, at_unix: float | None = None
    ) -> AttemptCount:
        """Record a call's final verdict (once per call) and return the current count."""
        at_unix = time.time() if at_unix is None else at_unix
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO attempts VALUES (?, ?, ?, ?)",
                (subscriber_id, call_id, str(verdict), at_unix),
            )
        return self.count(subscriber_id, at_unix)

    def count(self, subscriber_id: str, now_unix: float | None = None) -> AttemptCount:
        """Alarmed attempts within the window ending now."""
        now_unix = time.time() if now_unix is None else now_unix
        since = now_unix - self._settings.attempt_window_h * 3600
        marks = ",".join("?" * len(ALARMS))
        (alarms,) = self._db.execute(
            f"SELECT COUNT(*) FROM attempts WHERE subscriber_id = ? AND at_unix > ?"
            f" AND verdict IN ({marks})",
            (subscriber_id, since, *sorted(ALARMS)),
        ).fetchone()
        return AttemptCount(subscriber_id, int(alarms), self._settings.attempts_before_block)

    def reset(self, subscriber_id: str) -> None:
        """Forget a subscriber's attempts (after an approved unblock)."""
        with self._db:
            self._db.execute("DELETE FROM attempts WHERE subscriber_id = ?", (subscriber_id,))

    def close(self) -> None:
        """Close the database."""
        self._db.close()
