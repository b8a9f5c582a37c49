"""Re-routing a call whose caller keyed in an account number (DTMF), on the SIP thread."""

from __future__ import annotations

import logging

from callwarden.detectors.base import CallContext
from callwarden.session import Pipeline
from callwarden.sip.screened import Screened, Screener
from callwarden.sip.tap import TAP_RATE_HZ

log = logging.getLogger(__name__)


def route_digit(screener: Screener, screened: Screened, digit: str, method: str) -> str | None:
    """Feed one digit to the call's collector; reroute the session once they name someone.

    Only calls whose caller identity matched no subscriber collect digits. The session
    swaps to a pipeline for the subscriber between two frames; the rest of the call is
    screened against that subscriber (what was heard before is not re-screened).

    Returns:
        The subscriber the call now claims, when this digit completed the number.
    """
    collector = screened.digits
    subscriber = collector.push(digit) if collector is not None else None
    if subscriber is None:
        return None
    screened.digits = None
    context = CallContext(screened.call_id, subscriber)

    def make(start_s: float) -> Pipeline:
        return screener.pipeline(context, TAP_RATE_HZ, start_s)

    screened.session.reroute(context, make, {"by": "dtmf", "method": method})
    log.info("call routed by DTMF account number", extra={"call_id": screened.call_id})
    return subscriber
