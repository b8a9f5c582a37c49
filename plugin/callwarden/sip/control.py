"""``CallControl`` over a live ``pj.Call``: what the actions do on the wire."""

from __future__ import annotations

from typing import Any

import pjsua2 as pj

from callwarden.actions.base import ActionFailed


class PjCallControl:
    """Drop, listen-only, hold and transfer for one call; call only on the SIP thread.

    Args:
        call: the pjsua2 call (kept alive by its owner).
        call_id: the SIP Call-ID.
    """

    def __init__(self, call: Any, call_id: str) -> None:
        self.call = call
        self.call_id = call_id
        self.ended = False
        self.transfer_uri: str | None = None

    def is_active(self) -> bool:
        """True while the call exists and is not disconnected."""
        if self.ended:
            return False
        try:
            return bool(self.call.isActive())
        except pj.Error:
            return False

    def hangup(self, status_code: int, reason: str) -> None:
        """BYE (or a final response when unanswered); PJSIP adds ``Reason`` from these."""
        prm = pj.CallOpParam(True)
        prm.statusCode = status_code
        prm.reason = reason
        self._do(self.call.hangup, prm)

    def listen_only(self) -> None:
        """re-INVITE with our audio direction set to decoding only (a=recvonly)."""
        prm = pj.CallOpParam(True)
        prm.opt.flag = pj.PJSUA_CALL_SET_MEDIA_DIR
        prm.opt.mediaDir = pj.IntVector([pj.PJMEDIA_DIR_DECODING])
        self._do(self.call.reinvite, prm)

    def hold(self) -> None:
        """re-INVITE with a=sendonly: the caller stops sending."""
        self._do(self.call.setHold, pj.CallOpParam(True))

    def transfer(self, uri: str) -> None:
        """REFER the caller to ``uri``; ``sip/`` hangs up after the final NOTIFY."""
        self.transfer_uri = uri
        self._do(self.call.xfer, uri, pj.CallOpParam(True))

    @staticmethod
    def _do(method: Any, *args: Any) -> None:
        try:
            method(*args)
        except pj.Error as exc:
            raise ActionFailed(f"SIP stack refused: {exc.info()}") from exc
