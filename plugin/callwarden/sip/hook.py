"""The public in-process hook: a pjsua2 host hands its calls to CallWarden.

The host keeps its own ``Endpoint``, ``Account`` and ``Call`` subclasses and calls, from
its pjsua2 callbacks (all on threads pjsua2 knows)::

    hook.screen_incoming(call, prm.rdata.wholeMsg)   # Account.onIncomingCall
    hook.on_call_state(call)                         # Call.onCallState
    hook.on_call_media_state(call)                   # Call.onCallMediaState
    hook.on_dtmf(call, prm.digit, "rfc2833")         # Call.onDtmfEvent (optional)
    prm.cont = hook.on_transfer_status(call, prm.statusCode, prm.finalNotify)
                                                     # Call.onCallTransferStatus
    hook.on_stream_destroyed(call, prm.streamIdx)    # Call.onStreamDestroyed (optional)
    hook.poll()                                      # often, from the pjsua2 thread

Without ``on_transfer_status`` a clear call handed on by REFER is never released: the
host's leg stays up after the transfer has succeeded.

``poll`` applies the actions the verdicts ask for; the screening UA uses the same hook.
"""

from __future__ import annotations

import logging
import queue
import time
from typing import Any

import pjsua2 as pj

from callwarden.detectors.base import CallContext
from callwarden.errors import NotEnrolledError
from callwarden.frames import ActionResult
from callwarden.session import CallSession, Pipeline, VerdictChange
from callwarden.sip.control import PjCallControl
from callwarden.sip.dispatch import Dispatcher
from callwarden.sip.dtmf import AccountDigits
from callwarden.sip.identity import called_user, caller_identity, route_subscriber
from callwarden.sip.routing import route_digit
from callwarden.sip.screened import (
    Listener,
    Screened,
    Screener,
    media_text,
    stream_stats,
    verdict_fields,
)
from callwarden.sip.tap import TAP_RATE_HZ, TapPort

log = logging.getLogger(__name__)

__all__ = ["Listener", "Screener", "ScreeningHook"]


class ScreeningHook:
    """Screens the calls a pjsua2 host hands it; every method runs on a pjsua2 thread.

    Args:
        screener: settings, audit log and the pipeline factory.
        listener: optional ``(event, data)`` callback for live display (demo, bench).
        fast_tap: read frames straight from memory (else ``bytes()``, for measurements).

    Raises:
        ConfigError: ``actions.warning_wav`` is set but is not a usable WAV file.
    """

    def __init__(
        self,
        screener: Screener,
        listener: Listener | None = None,
        *,
        fast_tap: bool = True,
        owns_clock: bool = False,
    ) -> None:
        self.screener = screener
        self.settings = screener.settings
        self.dispatcher = Dispatcher(self.settings, screener.audit, self._call_clock)
        self.changes: queue.SimpleQueue[VerdictChange] = queue.SimpleQueue()
        self.digits: queue.SimpleQueue[tuple[Any, str, str]] = queue.SimpleQueue()
        self.calls: dict[str, Screened] = {}
        self._listener = listener
        self._fast_tap = fast_tap
        self._released: list[object] = []
        # The screening UA owns the (null) sound device, so it may stop the bridge clock
        # while tap ports are destroyed; a host keeps its own devices untouched.
        self._owns_clock = owns_clock

    @property
    def active_calls(self) -> int:
        """Calls not yet disconnected."""
        return sum(1 for s in self.calls.values() if not s.ended)

    def screen_incoming(self, call: Any, message: str) -> str:
        """Start screening a call the host has just created in ``onIncomingCall``.

        Args:
            call: the host's ``pj.Call`` (the host keeps it alive).
            message: the INVITE's text (``prm.rdata.wholeMsg``).

        Returns:
            The SIP Call-ID, the key of every audit record for the call.
        """
        call_id = str(call.getInfo().callIdString)
        caller = caller_identity(message, self.settings.sip.caller_id_headers)
        entries = self.settings.subscribers.entries
        context, pipeline = self._pipeline(CallContext(call_id, route_subscriber(caller, entries)))
        tap = TapPort(
            f"tap{call.getId()}", self.settings.audio.tap_queue_frames, fast=self._fast_tap
        )
        session = CallSession(
            context,
            pipeline,
            tap.frames,
            self.changes,
            self.screener.audit,
            TAP_RATE_HZ,
            attempts=self.screener.record_attempt,
        )
        digits = AccountDigits(entries) if context.subscriber_id is None else None
        control = PjCallControl(call, call_id)
        screened = Screened(call, control, tap, session, caller, called_user(message), digits)
        self.calls[call_id] = screened
        session.start(screened.start_record())
        log.info("screening call", extra={"call_id": call_id, "caller": caller and caller.uri})
        self._emit("call_start", screened, subscriber=context.subscriber_id)
        return call_id

    def _pipeline(self, context: CallContext) -> tuple[CallContext, Pipeline]:
        try:
            return context, self.screener.pipeline(context, TAP_RATE_HZ)
        except NotEnrolledError:
            log.warning("claimed subscriber is not enrolled", extra={"call_id": context.call_id})
            anonymous = CallContext(context.call_id, None)
            return anonymous, self.screener.pipeline(anonymous, TAP_RATE_HZ)

    def on_call_media_state(self, call: Any) -> None:
        """(Re-)attach the tap: the call's bridge slot changes on every media update."""
        screened = self._find(call)
        if screened is None or screened.tap is None or screened.ended:
            return
        info = call.getInfo()
        for media in info.media:
            if media.type != pj.PJMEDIA_TYPE_AUDIO or media.status != pj.PJSUA_CALL_MEDIA_ACTIVE:
                continue
            call.getAudioMedia(media.index).startTransmit(screened.tap)
        self._emit("media", screened, media=[media_text(m) for m in info.media])

    def on_call_state(self, call: Any) -> None:
        """Close the session when the call is disconnected."""
        screened = self._find(call)
        if screened is None or screened.ended:
            return
        info = call.getInfo()
        if info.state != pj.PJSIP_INV_STATE_DISCONNECTED:
            return
        self._end(screened, int(info.lastStatusCode), str(info.lastReason))

    def on_transfer_status(self, call: Any, status_code: int, final: bool) -> bool:
        """Release our leg after the final NOTIFY of a transfer; returns whether to go on."""
        screened = self._find(call)
        if screened is None or not final:
            return True
        self._emit("transfer_status", screened, status_code=status_code)
        self.screener.audit.append(
            "transfer_status", {"status_code": status_code}, screened.call_id
        )
        if 200 <= status_code < 300 and screened.control.is_active():
            call.hangup(pj.CallOpParam(True))
        return False

    def on_stream_destroyed(self, call: Any, stream_index: int) -> None:
        """Keep the stream's receive statistics (RTP packets, losses) for the record."""
        screened = self._find(call)
        if screened is None:
            return
        try:
            screened.rtp = stream_stats(call, stream_index)
        except pj.Error:
            return
        self._emit("rtp_stats", screened, **screened.rtp)

    def on_dtmf(self, call: Any, digit: str, method: str) -> None:
        """A DTMF digit (RFC 2833 or SIP INFO): queued, and routed in ``poll``."""
        self.digits.put((call, digit, method))

    def poll(self) -> list[ActionResult]:
        """Apply routing and the actions verdicts ask for; call often from the pjsua2 thread."""
        self._drop_released()  # pjsua2 objects are dropped here, on a pjsua2 thread
        self._route_digits()
        results = []
        while True:
            try:
                change = self.changes.get_nowait()
            except queue.Empty:
                break
            result = self._act(change)
            if result is not None:
                results.append(result)
        for screened, result in self.dispatcher.due():
            results.append(self._record(screened, result, time.monotonic()))
        self._reap()
        return results

    def hangup_all(self) -> None:
        """Hang up every live call (shutdown)."""
        for screened in self.calls.values():
            if not screened.ended and screened.control.is_active():
                try:
                    screened.call.hangup(pj.CallOpParam(True))
                except pj.Error:
                    log.warning("hangup failed at shutdown", extra={"call_id": screened.call_id})

    def close(self, timeout_s: float = 5.0) -> None:
        """Close every session (writing its audit record) and drop every pjsua2 reference."""
        for screened in list(self.calls.values()):
            if not screened.ended:
                self._end(screened, 0, "shutdown")
        deadline = time.monotonic() + timeout_s
        for screened in self.calls.values():
            screened.session.join(max(0.0, deadline - time.monotonic()))
        for call_id in list(self.calls):
            self._released.append(self.dispatcher.forget(call_id))
        self.calls.clear()
        self._drop_released()

    def _drop_released(self) -> None:
        """Destroy released taps and calls, with the bridge clock stopped if we own it.

        A tap port destroyed while the media clock thread is inside its onFrameReceived
        crashed the process now and then (SIGSEGV under load); with no clock running
        nothing can call into a port being destroyed.
        """
        if not self._released:
            return
        if not self._owns_clock:
            self._released.clear()
            return
        devices = pj.Endpoint.instance().audDevManager()
        devices.setNoDev()
        try:
            self._released.clear()
        finally:
            devices.setNullDev()

    def _find(self, call: Any) -> Screened | None:
        for screened in self.calls.values():
            if screened.call is call:
                return screened
        return None

    def _route_digits(self) -> None:
        while True:
            try:
                call, digit, method = self.digits.get_nowait()
            except queue.Empty:
                return
            screened = self._find(call)
            if screened is None or screened.ended:
                continue
            self._emit("dtmf", screened, method=method)
            subscriber = route_digit(self.screener, screened, digit, method)
            if subscriber is not None:
                self._emit("routed", screened, subscriber=subscriber, by="dtmf", method=method)

    def _end(self, screened: Screened, status_code: int, reason: str) -> None:
        screened.ended = screened.control.ended = True
        tap = screened.tap
        end = {
            "status_code": status_code,
            "reason": reason,
            "duration_s": round(screened.seconds(), 3),
            "tap_frames": tap.received if tap else 0,
            "tap_dropped": tap.dropped if tap else 0,
            **(screened.rtp or {}),
        }
        screened.tap = None
        self._released.append(tap)  # the port is destroyed at the next poll
        screened.session.close(end)
        self._emit("call_end", screened, **end)

    def _act(self, change: VerdictChange) -> ActionResult | None:
        screened = self.calls.get(change.call_id)
        if screened is None or screened.ended:
            return None
        queued_ms = round((time.monotonic() - change.monotonic_s) * 1000, 2)
        self._emit("verdict", screened, **verdict_fields(change.verdict), queued_ms=queued_ms)
        result = self.dispatcher.on_verdict(screened, change.verdict)
        if result is None:
            return None
        return self._record(screened, result, change.monotonic_s)

    def _record(self, screened: Screened, result: ActionResult, since_s: float) -> ActionResult:
        latency_ms = round((time.monotonic() - since_s) * 1000, 2)
        fields = {"action": result.action, "ok": result.ok, "detail": result.detail}
        screened.session.record_action({**fields, "at_s": round(result.at_s, 3)})
        self._emit("action", screened, **fields, verdict_to_action_ms=latency_ms)
        return result

    def _reap(self) -> None:
        for call_id, screened in list(self.calls.items()):
            if screened.ended and screened.session.done:
                del self.calls[call_id]
                self._released += [screened, self.dispatcher.forget(call_id)]

    def _call_clock(self, call_id: str) -> float:
        screened = self.calls.get(call_id)
        return screened.seconds() if screened else 0.0

    def _emit(self, event: str, screened: Screened, **data: Any) -> None:
        if self._listener is None:
            return
        try:
            self._listener(event, {"call_id": screened.call_id, **data})
        except Exception:  # a display bug must not break screening
            log.exception("event listener failed")
