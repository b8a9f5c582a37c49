"""From a verdict change to what happens to the call, on the SIP thread.

* an alarm runs its configured action (``actions.on_verdict``); with ``warning_wav`` set,
  the warning plays first and the action follows once it has played (if the verdict
  turns clear meanwhile, the action is cancelled);
* a clear verdict in screening mode hands the call on (REFER) to the destination of its
  called number (``sip.destinations``; ``"*"`` matches any); in softphone mode, or with no
  destination, the call stays up.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from callwarden.actions.base import ActionFailed
from callwarden.actions.runner import ActionRunner
from callwarden.frames import ActionResult, Verdict, VerdictKind
from callwarden.session import Auditor
from callwarden.settings import Settings
from callwarden.sip.screened import Screened
from callwarden.sip.warning import WarningClip, play_to_call

log = logging.getLogger(__name__)

ANY_CALLED = "*"


@dataclass(slots=True)
class _Pending:
    screened: Screened
    verdict: Verdict
    action: str
    due_s: float


class Dispatcher:
    """Runs actions for verdict changes; holds warned calls until their warning has played.

    Args:
        settings: the whole settings tree (``actions`` and ``sip``).
        audit: where every action is recorded.
        clock: seconds since a call started, by Call-ID.
    """

    def __init__(self, settings: Settings, audit: Auditor, clock: Callable[[str], float]) -> None:
        self.settings = settings
        self.runner = ActionRunner(settings.actions, audit, clock)
        wav = settings.actions.warning_wav
        self.clip = WarningClip.load(wav) if wav is not None else None
        self.pending: dict[str, _Pending] = {}
        self.players: dict[str, Any] = {}

    def on_verdict(self, screened: Screened, verdict: Verdict) -> ActionResult | None:
        """React to a call's new verdict; returns what was done now, if anything."""
        action = self.runner.action_for(verdict)
        call_id = screened.call_id
        if action == "none":
            if verdict.kind is not VerdictKind.CLEAR:
                return None  # e.g. uncertain while a detector runs late: a pending action stands
            cancelled = self.pending.pop(call_id, None)
            if cancelled is not None:
                detail = f"{cancelled.action} cancelled: the verdict is now {verdict.kind}"
                return self.runner.note(screened.control, cancelled.action, verdict, detail)
            return self._hand_on(screened, verdict)
        if self.clip is None or (call_id in self.players and call_id not in self.pending):
            return self.runner.run(action, screened.control, verdict)
        if call_id in self.pending:  # still warning: the latest verdict decides
            self.pending[call_id] = _Pending(screened, verdict, action, self.pending[call_id].due_s)
            return None
        return self._warn(screened, verdict, action, self.clip)

    def due(self) -> list[tuple[Screened, ActionResult]]:
        """Run the actions whose warning has finished playing."""
        now = time.monotonic()
        results = []
        for call_id, pending in list(self.pending.items()):
            if pending.screened.ended:
                del self.pending[call_id]
            elif pending.due_s <= now:
                del self.pending[call_id]
                control = pending.screened.control
                results.append(
                    (pending.screened, self.runner.run(pending.action, control, pending.verdict))
                )
        return results

    def forget(self, call_id: str) -> Any:
        """Drop a finished call's state; returns its player (release it on the SIP thread)."""
        self.runner.forget(call_id)
        self.pending.pop(call_id, None)
        return self.players.pop(call_id, None)

    def _warn(
        self, screened: Screened, verdict: Verdict, action: str, clip: WarningClip
    ) -> ActionResult:
        control = screened.control
        try:
            self.players[screened.call_id] = play_to_call(screened.call, clip)
        except ActionFailed as exc:  # no warning is no reason to spare the call
            self.runner.note(control, "warning", verdict, str(exc), ok=False)
            return self.runner.run(action, control, verdict)
        due_s = time.monotonic() + clip.duration_s
        self.pending[screened.call_id] = _Pending(screened, verdict, action, due_s)
        detail = f"warning playing ({clip.duration_s:.1f} s) before {action}"
        return self.runner.note(control, "warning", verdict, detail)

    def _hand_on(self, screened: Screened, verdict: Verdict) -> ActionResult | None:
        sip = self.settings.sip
        if sip.mode != "screening":
            return None
        uri = sip.destinations.get(screened.called or "") or sip.destinations.get(ANY_CALLED)
        if not uri:
            log.info("clear call stays up: no destination for its called number")
            return None
        return self.runner.hand_on(screened.control, verdict, uri)
