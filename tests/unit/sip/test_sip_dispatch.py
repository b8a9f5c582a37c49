from __future__ import annotations

import time
import wave
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from callwarden.errors import ConfigError
from callwarden.frames import Verdict, VerdictKind
from callwarden.settings import ActionsSettings, Settings, SipSettings
from callwarden.sip import dispatch
from callwarden.sip.dispatch import Dispatcher
from callwarden.sip.warning import WarningClip

CLEAR = Verdict(VerdictKind.CLEAR, "every detector is within its threshold", 3.0)
SPOOF = Verdict(VerdictKind.SPOOF, "deep_voice score 0.93 above threshold 0.50", 3.2)
DESK = "sip:desk@127.0.0.1"


class Control:
    def __init__(self) -> None:
        self.call_id = "c1"
        self.calls: list[tuple[Any, ...]] = []

    def is_active(self) -> bool:
        return True

    def hangup(self, status_code: int, reason: str) -> None:
        self.calls.append(("hangup", status_code))

    def transfer(self, uri: str) -> None:
        self.calls.append(("transfer", uri))


class Audit:
    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    def append(self, event: str, data: Mapping[str, Any], call_id: str | None = None) -> str:
        self.records.append(dict(data))
        return "h"


def _screened(called: str = "4000") -> Any:
    return SimpleNamespace(
        call_id="c1", control=Control(), call=object(), called=called, ended=False
    )


def _dispatcher(**sip: Any) -> Dispatcher:
    return Dispatcher(Settings(sip=SipSettings(**sip)), Audit(), lambda _call_id: 1.0)


def test_clear_call_is_handed_on_to_its_destination_in_screening_mode() -> None:
    screened = _screened()
    result = _dispatcher(destinations={"4000": DESK}).on_verdict(screened, CLEAR)
    assert result is not None and result.action == "hand_on"
    assert screened.control.calls == [("transfer", DESK)]


def test_star_destination_matches_any_called_number() -> None:
    screened = _screened("5555")
    _dispatcher(destinations={"*": DESK, "4000": "sip:x@y"}).on_verdict(screened, CLEAR)
    assert screened.control.calls == [("transfer", DESK)]


def test_clear_call_stays_up_in_softphone_mode_or_without_a_destination() -> None:
    for sip in ({"mode": "softphone", "destinations": {"*": DESK}}, {"destinations": {}}):
        screened = _screened()
        assert _dispatcher(**sip).on_verdict(screened, CLEAR) is None
        assert screened.control.calls == []


def _warning(tmp_path: Path, seconds: float) -> Path:
    path = tmp_path / "warning.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(b"\x10\x00" * int(8000 * seconds))
    return path


def _warned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Dispatcher:
    monkeypatch.setattr(dispatch, "play_to_call", lambda call, clip: "player")
    actions = ActionsSettings(warning_wav=_warning(tmp_path, 0.05))
    return Dispatcher(Settings(actions=actions), Audit(), lambda _call_id: 1.0)


def test_warning_plays_first_then_the_action(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dispatcher, screened = _warned(tmp_path, monkeypatch), _screened()
    warned = dispatcher.on_verdict(screened, SPOOF)
    assert warned is not None and warned.action == "warning" and "before drop" in warned.detail
    assert dispatcher.due() == [] and screened.control.calls == []
    time.sleep(0.06)
    [(_, dropped)] = dispatcher.due()
    assert dropped.action == "drop" and screened.control.calls == [("hangup", 603)]
    assert dispatcher.forget("c1") == "player"


def test_action_is_cancelled_when_the_verdict_clears_during_the_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dispatcher, screened = _warned(tmp_path, monkeypatch), _screened()
    dispatcher.on_verdict(screened, SPOOF)
    cancelled = dispatcher.on_verdict(screened, CLEAR)
    assert cancelled is not None and "cancelled" in cancelled.detail
    time.sleep(0.06)
    assert dispatcher.due() == [] and screened.control.calls == []


def test_warning_clip_is_checked(tmp_path: Path) -> None:
    assert WarningClip.load(_warning(tmp_path, 0.5)).duration_s == pytest.approx(0.5)
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not a wav")
    with pytest.raises(ConfigError, match=r"actions\.warning_wav"):
        WarningClip.load(bad)


def test_uncertain_during_the_warning_does_not_cancel_the_action(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dispatcher, screened = _warned(tmp_path, monkeypatch), _screened()
    dispatcher.on_verdict(screened, SPOOF)
    late = Verdict(VerdictKind.UNCERTAIN, "speaker detector late", 3.4)
    assert dispatcher.on_verdict(screened, late) is None
    time.sleep(0.06)
    [(_, dropped)] = dispatcher.due()
    assert dropped.action == "drop" and screened.control.calls == [("hangup", 603)]
