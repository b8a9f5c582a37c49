"""The screening UA's own ``Account`` and ``Call``: pjsua2 callbacks in, hook calls out.

Every override catches everything: an exception escaping a SWIG director aborts PJSIP.
"""

from __future__ import annotations

import logging
from typing import Any

import pjsua2 as pj

from callwarden.sip.hook import ScreeningHook

log = logging.getLogger(__name__)

DTMF_IS_UPDATE = 1  # PJMEDIA_STREAM_DTMF_IS_UPDATE (not exported by the binding)
_DTMF_METHODS = {pj.PJSUA_DTMF_METHOD_RFC2833: "rfc2833", pj.PJSUA_DTMF_METHOD_SIP_INFO: "info"}


class ScreenedCall(pj.Call):  # type: ignore[misc]
    """An inbound call the screening UA answered."""

    def __init__(self, account: Any, call_id: int, hook: ScreeningHook) -> None:
        super().__init__(account, call_id)
        self.hook = hook

    def onCallState(self, prm: Any) -> None:
        """Call state changed (disconnect closes the session)."""
        try:
            self.hook.on_call_state(self)
        except Exception:
            log.exception("onCallState failed")

    def onCallMediaState(self, prm: Any) -> None:
        """Media changed: re-attach the tap."""
        try:
            self.hook.on_call_media_state(self)
        except Exception:
            log.exception("onCallMediaState failed")

    def onCallTransferStatus(self, prm: Any) -> None:
        """Transfer progress (NOTIFY); release our leg after the final one."""
        try:
            prm.cont = self.hook.on_transfer_status(
                self, int(prm.statusCode), bool(prm.finalNotify)
            )
        except Exception:
            log.exception("onCallTransferStatus failed")

    def onStreamDestroyed(self, prm: Any) -> None:
        """The audio stream is going: keep its receive statistics."""
        try:
            self.hook.on_stream_destroyed(self, int(prm.streamIdx))
        except Exception:
            log.exception("onStreamDestroyed failed")

    def onDtmfEvent(self, prm: Any) -> None:
        """A DTMF digit arrived (RFC 2833 or SIP INFO)."""
        try:
            if int(prm.flags) & DTMF_IS_UPDATE:
                return  # RFC 2833 repeats an event while the key is held: count it once
            method = _DTMF_METHODS.get(int(prm.method), "unknown")
            self.hook.on_dtmf(self, str(prm.digit), method)
        except Exception:
            log.exception("onDtmfEvent failed")


class ScreeningAccount(pj.Account):  # type: ignore[misc]
    """Answers every inbound call and hands it to the hook."""

    def __init__(self, hook: ScreeningHook, max_calls: int) -> None:
        super().__init__()
        self.hook = hook
        self.max_calls = max_calls
        self.calls: list[ScreenedCall] = []

    def onIncomingCall(self, prm: Any) -> None:
        """Answer and screen, or 486 beyond the configured limit."""
        try:
            self._incoming(prm)
        except Exception:
            log.exception("onIncomingCall failed")

    def _incoming(self, prm: Any) -> None:
        call = ScreenedCall(self, prm.callId, self.hook)
        self.calls.append(call)
        answer = pj.CallOpParam(True)
        if self.hook.active_calls >= self.max_calls:
            log.warning("call refused with 486 Busy Here: the configured call limit is reached")
            answer.statusCode = 486
            call.answer(answer)
            return
        self.hook.screen_incoming(call, str(prm.rdata.wholeMsg))
        answer.statusCode = 200
        call.answer(answer)

    def release_ended(self) -> None:
        """Forget calls the hook no longer tracks (on the pjsua2 thread)."""
        tracked = {id(s.call) for s in self.hook.calls.values()}
        self.calls = [c for c in self.calls if id(c) in tracked or c.isActive()]
