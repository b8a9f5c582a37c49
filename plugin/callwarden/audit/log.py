"""Append-only, hash-chained, fsync'd JSONL audit log.

Each record carries ``seq``, the hash of the previous record (``prev``) and its own
``hash`` (sha256 of the canonical JSON of everything else). A sidecar ``<log>.head`` holds
the last seq and hash, so removing records from the end is detected too. Scores and
decisions only: callers never pass raw audio or images.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from callwarden.errors import AuditError

GENESIS = "0" * 64
_TAIL_BYTES = 1 << 16


def record_hash(record: Mapping[str, Any]) -> str:
    """sha256 of a record's canonical JSON, its own ``hash`` field left out."""
    body = {k: v for k, v in record.items() if k != "hash"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def head_path(path: Path) -> Path:
    """The sidecar that records the last seq and hash of ``path``."""
    return path.with_name(path.name + ".head")


class AuditLog:
    """Appends records; safe across threads (a lock) and processes (``flock``)."""

    def __init__(self, path: Path, *, fsync: bool = True) -> None:
        self.path = path
        self._fsync = fsync
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(exist_ok=True)
        except OSError as exc:
            raise AuditError(f"cannot open the audit log {path}: {exc}") from exc

    def append(self, event: str, data: Mapping[str, Any], call_id: str | None = None) -> str:
        """Append one record and return its hash.

        Raises:
            AuditError: the log cannot be written, or it ends in a torn record.
        """
        with self._lock, self.path.open("r+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                seq, prev = _last(fh, self.path)
                record: dict[str, Any] = {
                    "seq": seq + 1,
                    "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                    "event": event,
                    "call_id": call_id,
                    "data": dict(data),
                    "prev": prev,
                }
                record["hash"] = record_hash(record)
                line = json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n"
                fh.seek(0, os.SEEK_END)
                fh.write(line.encode("utf-8"))
                fh.flush()
                if self._fsync:
                    os.fsync(fh.fileno())
                self._write_head(seq + 1, str(record["hash"]))
            except (OSError, TypeError, ValueError) as exc:
                raise AuditError(f"cannot append to the audit log {self.path}: {exc}") from exc
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        return str(record["hash"])

    def _write_head(self, seq: int, digest: str) -> None:
        head = head_path(self.path)
        tmp = head.with_name(head.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump({"seq": seq, "hash": digest}, fh)
            fh.flush()
            if self._fsync:
                os.fsync(fh.fileno())
        tmp.replace(head)


def _last(fh: Any, path: Path) -> tuple[int, str]:
    """Seq and hash of the last record, read from the file's tail."""
    size = fh.seek(0, os.SEEK_END)
    if size == 0:
        return 0, GENESIS
    fh.seek(max(0, size - _TAIL_BYTES))
    tail = fh.read()
    if not tail.endswith(b"\n"):
        raise AuditError(f"{path} ends in a partial record; run `callwarden audit verify`")
    last = tail.rstrip(b"\n").rsplit(b"\n", 1)[-1]
    try:
        record = json.loads(last)
        return int(record["seq"]), str(record["hash"])
    except (ValueError, KeyError, TypeError) as exc:
        raise AuditError(
            f"{path} ends in an unreadable record; run `callwarden audit verify`"
        ) from exc
