"""Turns verdicts into actions (YAML ``actions.on_verdict``), once each, audited.

Runs on the SIP thread. Idempotent per call: a second drop, or a quarantine of a call
already quarantined or dropped, does nothing and says so. ``hand_on`` transfers a clear
call to its destination (screening mode), once, and never after a drop or quarantine.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from callwarden.actions.base import ActionFailed, CallControl
from callwarden.actions.reasons import reason_text
from callwarden.frames import ActionResult, Verdict
from callwarden.settings import ActionsSettings

log = logging.getLogger(__name__)


class Auditor(Protocol):
    """What the runner needs of ``AuditLog``."""

    def append(self, event: str, data: Mapping[str, Any], call_id: str | None = None) -> str:
        """Append one record."""
        ...


# Which earlier actions make a new one pointless.
_SUPERSEDED_BY = {
    "drop": {"drop"},
    "quarantine": {"drop", "quarantine"},
    "hand_on": {"drop", "quarantine", "hand_on"},
}


class ActionRunner:
    """Applies the configured action for each verdict to a call.

    Args:
        settings: the ``actions`` section.
        audit: where every action's result is recorded.
        clock: seconds since the call started, per call id (for ``ActionResult.at_s``).
    """

    def __init__(
        self,
        settings: ActionsSettings,
        audit: Auditor,
        clock: Callable[[str], float] | None = None,
    ) -> None:
        self.settings = settings
        self._audit = audit
        self._clock = clock or (lambda _call_id: time.monotonic())
        self._done: dict[str, set[str]] = {}

    def action_for(self, verdict: Verdict) -> str:
        """The action name configured for this verdict's kind."""
        return str(self.settings.on_verdict.get(verdict.kind, "none"))

    def on_verdict(self, control: CallControl, verdict: Verdict) -> ActionResult | None:
        """Run the configured action; None when the verdict asks for none."""
        name = self.action_for(verdict)
        if name == "none":
            return None
        return self.run(name, control, verdict)

    def hand_on(self, control: CallControl, verdict: Verdict, uri: str) -> ActionResult:
        """Transfer (REFER) a clear call to ``uri``, once, and audit it."""
        return self.run("hand_on", control, verdict, uri)

    def run(self, name: str, control: CallControl, verdict: Verdict, uri: str = "") -> ActionResult:
        """Run one named action (``drop``, ``quarantine``, ``hand_on`` to ``uri``) once."""
        done = self._done.setdefault(control.call_id, set())
        if done & _SUPERSEDED_BY.get(name, {name}):
            result = self._result(control, name, True, "already done")
            self._record(control, result, verdict)
            return result
        try:
            detail = self._apply(name, control, verdict, uri)
            done.add(name)
            result = self._result(control, name, True, detail)
        except ActionFailed as exc:
            log.warning("action failed", extra={"action": name, "error": str(exc)})
            result = self._result(control, name, False, str(exc))
        self._record(control, result, verdict)
        return result

    def note(
        self, control: CallControl, name: str, verdict: Verdict, detail: str, *, ok: bool = True
    ) -> ActionResult:
        """Audit a step taken outside this runner (e.g. a warning played before an action)."""
        result = self._result(control, name, ok, detail)
        self._record(control, result, verdict)
        return result

    def forget(self, call_id: str) -> None:
        """Drop the per-call state once the call is over."""
        self._done.pop(call_id, None)

    def _apply(self, name: str, control: CallControl, verdict: Verdict, uri: str) -> str:
        if not control.is_active():
            raise ActionFailed("the call has already ended")
        if name == "hand_on":
            control.transfer(uri)
            return "clear call handed on: transfer (REFER) sent to its destination"
        if name == "drop":
            code = self.settings.drop_status_code
            control.hangup(code, reason_text(verdict))
            return f"hung up with {code}"
        if name == "quarantine":
            return self._quarantine(control)
        raise ActionFailed(f"unknown action {name!r}")

    def _quarantine(self, control: CallControl) -> str:
        mode = self.settings.quarantine_mode
        if mode == "listen_only":
            control.listen_only()
            return "listen-only re-INVITE sent (recvonly)"
        if mode == "hold":
            control.hold()
            return "call put on hold"
        if not self.settings.quarantine_uri:
            raise ActionFailed("quarantine_mode is transfer but quarantine_uri is empty")
        control.transfer(self.settings.quarantine_uri)
        return "transfer (REFER) sent to the quarantine URI"

    def _result(self, control: CallControl, name: str, ok: bool, detail: str) -> ActionResult:
        return ActionResult(name, ok, detail, self._clock(control.call_id))

    def _record(self, control: CallControl, result: ActionResult, verdict: Verdict) -> None:
        data = {
            "action": result.action,
            "ok": result.ok,
            "detail": result.detail,
            "at_s": round(result.at_s, 3),
            "verdict": str(verdict.kind),
            "reason": verdict.reason,
        }
        self._audit.append("action", data, control.call_id)
