"""The contract between actions and a live call, so actions stay free of pjsua2.

``sip/`` implements :class:`CallControl` over a ``pj.Call``; tests use a fake. Every method
runs on the SIP thread.
"""

from __future__ import annotations

from typing import Protocol

from callwarden.errors import CallWardenError


class ActionFailed(CallWardenError):
    """The SIP stack refused an action (the call is gone, a transaction is pending...)."""


class CallControl(Protocol):
    """What an action may do to one call."""

    call_id: str

    def is_active(self) -> bool:
        """True while the call exists and is not disconnected."""
        ...

    def hangup(self, status_code: int, reason: str) -> None:
        """End the call (BYE, or a final response if unanswered); ``reason`` goes in its Reason."""
        ...

    def listen_only(self) -> None:
        """Re-INVITE so that we only receive the caller's audio (recvonly)."""
        ...

    def hold(self) -> None:
        """Put the call on hold."""
        ...

    def transfer(self, uri: str) -> None:
        """Transfer the caller (REFER); the SIP layer releases our leg after the final NOTIFY."""
        ...
