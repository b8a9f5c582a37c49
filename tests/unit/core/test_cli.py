import json
from pathlib import Path

import pytest

from callwarden.audit import AuditLog
from callwarden.cli import main

CONFIG = Path(__file__).resolve().parents[3] / "config" / "default.yaml"


def test_check_config_accepts_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-config", str(CONFIG)]) == 0
    assert "OK" in capsys.readouterr().out


def test_check_config_lists_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("sip:\n  udp_port: -1\npolicy:\n  confirm: 2\n")
    assert main(["check-config", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "sip.udp_port (line 2)" in err and "policy.confirm (line 4)" in err
    assert "Traceback" not in err


def test_config_schema_is_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config-schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["additionalProperties"] is False
    assert {"sip", "audio", "vad", "detectors", "policy", "actions", "subscribers", "audit"} <= set(
        schema["properties"]
    )


def test_audit_verify_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    for i in range(3):
        log.append("call.verdict", {"verdict": "clear", "i": i})
    assert main(["audit", "verify", str(path)]) == 0
    path.write_text(path.read_text().replace('"i": 1', '"i": 7'))
    assert main(["audit", "verify", str(path)]) == 1
    assert "line 2 (seq 2): record was edited" in capsys.readouterr().err


def test_errors_are_one_line_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "verify", str(tmp_path / "absent.jsonl")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("callwarden: error: cannot read the audit log") and "\n" not in err
