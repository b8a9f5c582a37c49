"""Checks an audit log's chain and says where it was edited, cut or reordered."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from callwarden.audit.log import GENESIS, head_path, record_hash
from callwarden.errors import AuditError


@dataclass(slots=True)
class VerifyReport:
    """The outcome of a verification: records read and each problem found, by line."""

    records: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the chain is intact."""
        return not self.problems


def verify(path: Path) -> VerifyReport:
    """Walk the chain of ``path`` and its head file.

    Raises:
        AuditError: the file cannot be read at all.
    """
    try:
        lines = path.read_bytes().split(b"\n")
    except OSError as exc:
        raise AuditError(f"cannot read the audit log {path}: {exc}") from exc
    report = VerifyReport()
    prev, expected_seq = GENESIS, 1
    if lines and lines[-1] == b"":
        lines.pop()
    for number, raw in enumerate(lines, start=1):
        record = _parse(raw)
        if record is None:
            report.problems.append(f"line {number}: not a readable audit record")
            continue
        report.records += 1
        seq = record.get("seq")
        if record.get("hash") != record_hash(record):
            report.problems.append(f"line {number} (seq {seq}): record was edited")
        if seq != expected_seq:
            report.problems.append(
                f"line {number}: seq {seq} where {expected_seq} was expected"
                " (records removed, inserted or reordered)"
            )
        if record.get("prev") != prev:
            report.problems.append(
                f"line {number} (seq {seq}): does not follow the record before it"
                " (chain broken: removed, inserted or reordered)"
            )
        prev = str(record.get("hash"))
        expected_seq = seq + 1 if isinstance(seq, int) else expected_seq + 1
    _check_head(path, prev, expected_seq - 1, report)
    return report


def _parse(raw: bytes) -> dict[str, object] | None:
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _check_head(path: Path, last_hash: str, last_seq: int, report: VerifyReport) -> None:
    head = head_path(path)
    if not head.exists():
        if report.records:
            report.problems.append(f"{head.name} is missing: cannot tell whether the end was cut")
        return
    try:
        data = json.loads(head.read_text(encoding="utf-8"))
        seq, digest = int(data["seq"]), str(data["hash"])
    except (OSError, ValueError, KeyError, TypeError):
        report.problems.append(f"{head.name} is unreadable")
        return
    if (seq, digest) != (last_seq, last_hash):
        report.problems.append(
            f"the log ends at seq {last_seq} but {head.name} says seq {seq}:"
            " records were removed from the end or the head was altered"
        )
