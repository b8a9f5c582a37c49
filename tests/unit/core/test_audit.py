import itertools
import json
from pathlib import Path

import pytest

from callwarden.audit import AuditLog, verify
from callwarden.audit.log import head_path
from callwarden.errors import AuditError


def _log(tmp_path: Path, n: int = 4) -> Path:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    for i in range(n):
        log.append("call.score", {"detector": "speaker", "score": 0.1 * i}, call_id=f"c{i}")
    return path


def _rewrite(path: Path, lines: list[str]) -> None:
    path.write_text("".join(lines))


def test_intact_log_verifies(tmp_path: Path) -> None:
    path = _log(tmp_path)
    report = verify(path)
    assert report.ok and report.records == 4


def test_records_are_chained(tmp_path: Path) -> None:
    lines = [json.loads(x) for x in _log(tmp_path).read_text().splitlines()]
    assert [r["seq"] for r in lines] == [1, 2, 3, 4]
    assert all(b["prev"] == a["hash"] for a, b in itertools.pairwise(lines))


def test_edited_record_is_found_by_line(tmp_path: Path) -> None:
    path = _log(tmp_path)
    lines = path.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace('"score": 0.1', '"score": 0.9')
    _rewrite(path, lines)
    report = verify(path)
    assert not report.ok
    assert any(p.startswith("line 2 (seq 2): record was edited") for p in report.problems)


def test_removed_record_is_found(tmp_path: Path) -> None:
    path = _log(tmp_path)
    lines = path.read_text().splitlines(keepends=True)
    del lines[1]
    _rewrite(path, lines)
    problems = verify(path).problems
    assert any("line 2: seq 3 where 2 was expected" in p for p in problems)


def test_reordered_records_are_found(tmp_path: Path) -> None:
    path = _log(tmp_path)
    lines = path.read_text().splitlines(keepends=True)
    lines[1], lines[2] = lines[2], lines[1]
    _rewrite(path, lines)
    assert any("chain broken" in p for p in verify(path).problems)


def test_removed_tail_is_found_through_the_head(tmp_path: Path) -> None:
    path = _log(tmp_path)
    _rewrite(path, path.read_text().splitlines(keepends=True)[:-1])
    assert any("removed from the end" in p for p in verify(path).problems)


def test_torn_last_record_refuses_append_and_keeps_the_log(tmp_path: Path) -> None:
    path = _log(tmp_path)
    with path.open("a") as fh:
        fh.write('{"seq": 5, "torn')
    before = path.read_bytes()
    with pytest.raises(AuditError, match="partial record"):
        AuditLog(path).append("x", {})
    assert path.read_bytes() == before
    assert head_path(path).exists()


def test_append_continues_an_existing_log(tmp_path: Path) -> None:
    path = _log(tmp_path, 2)
    AuditLog(path).append("call.end", {"verdict": "clear"})
    report = verify(path)
    assert report.ok and report.records == 3
