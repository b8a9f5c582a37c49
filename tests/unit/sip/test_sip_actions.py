from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from callwarden.actions import ActionFailed, ActionRunner, reason_text
from callwarden.frames import Verdict, VerdictKind
from callwarden.settings import ActionsSettings


class FakeControl:
    def __init__(self, call_id: str = "c1", active: bool = True, fail: bool = False) -> None:
        self.call_id = call_id
        self.active = active
        self.fail = fail
        self.calls: list[tuple[Any, ...]] = []

    def is_active(self) -> bool:
        return self.active

    def hangup(self, status_code: int, reason: str) -> None:
        if self.fail:
            raise ActionFailed("refused")
        self.calls.append(("hangup", status_code, reason))

    def listen_only(self) -> None:
        self.calls.append(("listen_only",))

    def hold(self) -> None:
        self.calls.append(("hold",))

    def transfer(self, uri: str) -> None:
        self.calls.append(("transfer", uri))


class FakeAudit:
    def __init__(self) -> None:
        self.records: list[tuple[str, dict[str, Any], str | None]] = []

    def append(self, event: str, data: Mapping[str, Any], call_id: str | None = None) -> str:
        self.records.append((event, dict(data), call_id))
        return "h"


SPOOF = Verdict(VerdictKind.SPOOF, 'deep_voice score 0.93 "above" threshold\r\n', 3.2)
MISMATCH = Verdict(VerdictKind.MISMATCH, "speaker score 0.40 below threshold 0.75", 4.0)


def test_reason_text_is_safe_on_the_wire() -> None:
    text = reason_text(SPOOF)
    assert text.startswith("CallWarden spoof: deep_voice score 0.93")
    assert '"' not in text and "\r" not in text and "\n" not in text


def test_drop_once_then_idempotent() -> None:
    audit, control = FakeAudit(), FakeControl()
    runner = ActionRunner(ActionsSettings(), audit)
    first = runner.on_verdict(control, SPOOF)
    second = runner.on_verdict(control, SPOOF)
    assert first is not None and first.ok and first.action == "drop"
    assert second is not None and second.ok and second.detail == "already done"
    assert control.calls == [("hangup", 603, reason_text(SPOOF))]
    assert [r[0] for r in audit.records] == ["action", "action"]
    assert audit.records[0][1]["verdict"] == "spoof" and audit.records[0][2] == "c1"


def test_quarantine_modes_and_escalation() -> None:
    for mode, expected in [("listen_only", ("listen_only",)), ("hold", ("hold",))]:
        control = FakeControl()
        runner = ActionRunner(ActionsSettings(quarantine_mode=mode), FakeAudit())
        runner.on_verdict(control, MISMATCH)
        runner.on_verdict(control, MISMATCH)
        runner.on_verdict(control, SPOOF)  # a quarantined call can still be dropped
        assert control.calls[0] == expected and len(control.calls) == 2
        assert control.calls[1][0] == "hangup"


def test_transfer_needs_a_uri() -> None:
    runner = ActionRunner(ActionsSettings(quarantine_mode="transfer"), FakeAudit())
    result = runner.on_verdict(FakeControl(), MISMATCH)
    assert result is not None and not result.ok and "quarantine_uri" in result.detail
    desk = ActionsSettings(quarantine_mode="transfer", quarantine_uri="sip:desk@127.0.0.1")
    control = FakeControl()
    assert ActionRunner(desk, FakeAudit()).on_verdict(control, MISMATCH) is not None
    assert control.calls == [("transfer", "sip:desk@127.0.0.1")]


def test_no_action_for_clear_and_failures_are_reported() -> None:
    runner = ActionRunner(ActionsSettings(), FakeAudit())
    assert runner.on_verdict(FakeControl(), Verdict(VerdictKind.CLEAR, "ok", 1.0)) is None
    ended = runner.on_verdict(FakeControl(call_id="c2", active=False), SPOOF)
    assert ended is not None and not ended.ok
    refused = runner.on_verdict(FakeControl(call_id="c3", fail=True), SPOOF)
    assert refused is not None and not refused.ok and refused.detail == "refused"


CLEAR = Verdict(VerdictKind.CLEAR, "every detector is within its threshold", 3.0)


def test_hand_on_transfers_once_and_never_after_a_drop() -> None:
    runner, control = ActionRunner(ActionsSettings(), FakeAudit()), FakeControl()
    first = runner.hand_on(control, CLEAR, "sip:desk@127.0.0.1")
    again = runner.hand_on(control, CLEAR, "sip:desk@127.0.0.1")
    assert first.ok and first.action == "hand_on" and again.detail == "already done"
    assert control.calls == [("transfer", "sip:desk@127.0.0.1")]
    dropped = FakeControl(call_id="c2")
    runner.on_verdict(dropped, SPOOF)
    assert runner.hand_on(dropped, CLEAR, "sip:desk@127.0.0.1").detail == "already done"
    assert [c[0] for c in dropped.calls] == ["hangup"]


def test_note_records_a_step_taken_elsewhere() -> None:
    audit = FakeAudit()
    result = ActionRunner(ActionsSettings(), audit).note(FakeControl(), "warning", SPOOF, "x")
    assert result.ok and audit.records[0][1]["action"] == "warning"
