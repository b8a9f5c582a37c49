"""``sip.tls`` files are checked at start: a missing or non-PEM file is one clear error."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from callwarden.commands import run as run_command
from callwarden.errors import ConfigError
from callwarden.settings import Settings, SipSettings, TlsSettings
from callwarden.sip.endpoint import SipStack, check_tls_files

PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def _tls(tmp_path: Path, **overrides: Path) -> TlsSettings:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text(PEM)
    key.write_text(PEM.replace("CERTIFICATE", "PRIVATE KEY"))
    return TlsSettings.model_validate({"cert_file": cert, "key_file": key, **overrides})


def test_readable_pem_files_pass(tmp_path: Path) -> None:
    check_tls_files(_tls(tmp_path))
    check_tls_files(_tls(tmp_path, ca_file=tmp_path / "cert.pem"))


@pytest.mark.parametrize("field", ["cert_file", "key_file", "ca_file"])
def test_missing_file_is_named(tmp_path: Path, field: str) -> None:
    missing = tmp_path / "nope.pem"
    with pytest.raises(ConfigError) as err:
        check_tls_files(_tls(tmp_path, **{field: missing}))
    assert str(err.value) == f"{missing}: sip.tls.{field}: cannot read (No such file or directory)"


def test_not_pem_is_refused(tmp_path: Path) -> None:
    der = tmp_path / "cert.der"
    der.write_bytes(b"\x30\x82\x01\x0a")
    with pytest.raises(ConfigError, match=r"cert\.der: sip\.tls\.cert_file: not a PEM file"):
        check_tls_files(_tls(tmp_path, cert_file=der))


def test_stack_refuses_before_creating_the_endpoint(tmp_path: Path) -> None:
    tls = _tls(tmp_path, cert_file=tmp_path / "nope.pem")
    stack = SipStack(SipSettings(tls=tls))
    with pytest.raises(ConfigError, match=r"nope\.pem"):
        stack.start()
    assert stack.endpoint is None
    stack.destroy()  # nothing to destroy; must not touch PJSIP


def test_run_command_exits_2_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.pem"
    tls = _tls(tmp_path, cert_file=missing)
    settings = Settings.model_validate(
        {
            "sip": {"udp_port": 0, "tcp_port": 0, "tls": tls.model_dump()},
            "audit": {"path": str(tmp_path / "audit.jsonl"), "fsync": False},
            "subscribers": {"store_path": str(tmp_path / "store.db")},
        }
    )

    def fake_app(loaded: Settings) -> SimpleNamespace:
        return SimpleNamespace(settings=loaded, audit=None, close=lambda: None)

    monkeypatch.setattr("callwarden.settings.load_settings", lambda path: settings)
    monkeypatch.setattr("callwarden.app.build_app", fake_app)
    assert run_command.main(["--config", str(tmp_path / "unused.yaml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    reason = "sip.tls.cert_file: cannot read (No such file or directory)"
    assert err == [f"callwarden run: {missing}: {reason}"]
