"""The screening user agent: one endpoint, one account, the hook, a loop, a clean exit."""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

import pjsua2 as pj

from callwarden.settings import AccountSettings, SipSettings
from callwarden.sip.call import ScreeningAccount
from callwarden.sip.endpoint import SipStack
from callwarden.sip.hook import Listener, Screener, ScreeningHook

log = logging.getLogger(__name__)

POLL_MS = 5
SHUTDOWN_S = 3.0


class ScreeningUA:
    """Answers inbound calls and screens them until stopped.

    Args:
        screener: settings, audit log and pipeline factory (``callwarden.app.App``).
        listener: optional ``(event, data)`` callback for live display.
        fast_tap: read tap frames straight from memory (else ``bytes()``).
    """

    def __init__(
        self, screener: Screener, listener: Listener | None = None, *, fast_tap: bool = True
    ) -> None:
        self.settings: SipSettings = screener.settings.sip
        self.stack = SipStack(self.settings)
        self.hook = ScreeningHook(screener, listener, fast_tap=fast_tap, owns_clock=True)
        self.account: ScreeningAccount | None = None
        self.stopping = False

    def start(self) -> None:
        """Start the endpoint, the transports and the account."""
        self.stack.start()
        self.account = ScreeningAccount(self.hook, self.settings.max_calls)
        self.account.create(self._account_config(), True)
        log.info("screening user agent ready")

    def step(self, timeout_ms: int = POLL_MS) -> None:
        """Handle SIP/media events once, then apply pending actions."""
        self.stack.handle_events(timeout_ms)
        self.hook.poll()
        if self.account is not None:
            self.account.release_ended()

    def run(self, until: Callable[[], bool]) -> None:
        """Loop until ``until()`` or a stop request."""
        while not self.stopping and not until():
            self.step()

    def shutdown(self) -> None:
        """Hang up, write every call's audit record, release references, destroy the endpoint."""
        if self.stack.endpoint is None:
            return
        self.hook.hangup_all()
        deadline = time.monotonic() + SHUTDOWN_S
        while self.hook.active_calls and time.monotonic() < deadline:
            self.step(10)
        self.hook.close()
        if self.account is not None:
            self.account.calls.clear()
            self.account.shutdown()
            self.account = None
        self.stack.destroy()

    def _account_config(self) -> Any:
        cfg = pj.AccountConfig()
        host = self.settings.public_address or self.settings.bind_address
        cfg.idUri = f"sip:callwarden@{host}:{self.stack.local_port()}"
        rtp = cfg.mediaConfig.transportConfig
        rtp.port = self.settings.rtp_port_start
        rtp.boundAddress = self.settings.bind_address
        rtp.publicAddress = host
        if self.settings.account is not None:
            _registration(cfg, self.settings.account)
        return cfg


def _registration(cfg: Any, account: AccountSettings) -> None:
    registrar = account.registrar_uri
    domain = registrar.split(":", 1)[-1].split(";", 1)[0]
    cfg.idUri = f"sip:{account.user}@{domain}"
    cfg.regConfig.registrarUri = registrar
    cfg.regConfig.timeoutSec = account.register_interval_s
    password = os.environ.get(account.password_env, "")
    cfg.sipConfig.authCreds.append(
        pj.AuthCredInfo("digest", account.realm, account.user, 0, password)
    )


def serve(
    screener: Screener, duration_s: float | None = None, listener: Listener | None = None
) -> int:
    """Run the screening UA until SIGINT/SIGTERM (or ``duration_s``); returns an exit code."""
    ua = ScreeningUA(screener, listener)

    def stop(signum: int, frame: FrameType | None) -> None:
        ua.stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    deadline = None if duration_s is None else time.monotonic() + duration_s
    try:
        ua.start()
        ua.run(lambda: deadline is not None and time.monotonic() >= deadline)
    finally:
        ua.shutdown()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.info("screening user agent stopped")
    return 0
