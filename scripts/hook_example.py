"""In-process hook: a pjsua2 softphone (the host) hands its inbound calls to CallWarden.

    .venv/bin/python scripts/hook_example.py --config config/default.yaml [--duration-s 60]

The host owns the one ``Endpoint`` and its own ``Account`` / ``Call`` subclasses; CallWarden
never creates an endpoint. The host calls the hook's methods from its pjsua2 callbacks
(``screen_incoming``, ``on_call_state``, ``on_call_media_state``, ``on_transfer_status``;
optionally ``on_dtmf`` and ``on_stream_destroyed``) and ``hook.poll()`` from its event loop
(the pjsua2 thread), where CallWarden's actions run.
Call it with any SIP phone at sip:anything@127.0.0.1:<port> (the port is logged).
"""

from __future__ import annotations

import argparse
import gc
import logging
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pjsua2 as pj

from callwarden.settings import load_settings
from callwarden.sip.call import DTMF_IS_UPDATE
from callwarden.sip.hook import ScreeningHook

log = logging.getLogger("hook_example")


class HostCall(pj.Call):  # type: ignore[misc]
    """The host's own call class: its logic first, then the hook."""

    def __init__(self, account: Any, call_id: int, hook: ScreeningHook) -> None:
        super().__init__(account, call_id)
        self.hook = hook

    def onCallState(self, prm: Any) -> None:
        """Host bookkeeping, then tell CallWarden."""
        try:
            self.hook.on_call_state(self)
        except Exception:
            log.exception("hook failed")

    def onCallMediaState(self, prm: Any) -> None:
        """The host would connect audio to its speaker here; CallWarden re-attaches its tap."""
        try:
            self.hook.on_call_media_state(self)
        except Exception:
            log.exception("hook failed")

    def onCallTransferStatus(self, prm: Any) -> None:
        """A clear call handed on by REFER: CallWarden releases this leg after the final NOTIFY."""
        try:
            prm.cont = self.hook.on_transfer_status(
                self, int(prm.statusCode), bool(prm.finalNotify)
            )
        except Exception:
            log.exception("hook failed")

    def onStreamDestroyed(self, prm: Any) -> None:
        """Optional: the call's audit record then holds its RTP receive statistics."""
        try:
            self.hook.on_stream_destroyed(self, int(prm.streamIdx))
        except Exception:
            log.exception("hook failed")

    def onDtmfEvent(self, prm: Any) -> None:
        """Optional: digits let CallWarden route a call by the account number keyed in."""
        try:
            if not int(prm.flags) & DTMF_IS_UPDATE:  # RFC 2833 repeats held keys
                method = "info" if prm.method == pj.PJSUA_DTMF_METHOD_SIP_INFO else "rfc2833"
                self.hook.on_dtmf(self, str(prm.digit), method)
        except Exception:
            log.exception("hook failed")


class HostAccount(pj.Account):  # type: ignore[misc]
    """The host's account: rings, then answers (as a user picking up would)."""

    def __init__(self, hook: ScreeningHook) -> None:
        super().__init__()
        self.hook = hook
        self.calls: list[HostCall] = []

    def onIncomingCall(self, prm: Any) -> None:
        """Hand the call to CallWarden as soon as it exists, then answer."""
        try:
            call = HostCall(self, prm.callId, self.hook)
            self.calls.append(call)
            self.hook.screen_incoming(call, str(prm.rdata.wholeMsg))
            answer = pj.CallOpParam(True)
            answer.statusCode = 200
            call.answer(answer)
        except Exception:
            log.exception("incoming call failed")


def start_endpoint(port: int) -> Any:
    """The host's one endpoint (null audio device, UDP on 127.0.0.1)."""
    ep = pj.Endpoint()
    ep.libCreate()
    cfg = pj.EpConfig()
    cfg.uaConfig.threadCnt = 0
    cfg.uaConfig.mainThreadOnly = True
    cfg.logConfig.level = cfg.logConfig.consoleLevel = 1
    ep.libInit(cfg)
    ep.audDevManager().setNullDev()
    tc = pj.TransportConfig()
    tc.port = port
    tc.boundAddress = tc.publicAddress = "127.0.0.1"
    ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, tc)
    ep.libStart()
    return ep


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--port", type=int, default=5080)
    parser.add_argument("--duration-s", type=float, default=60.0)
    parser.add_argument(
        "--fake-detector", action="store_true", help="plumbing check: alarm on any speech"
    )
    parser.add_argument(
        "--fake-tone-hz",
        type=float,
        help="plumbing check: alarm only on a tone of this frequency (speech is clear)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    fake = args.fake_detector or args.fake_tone_hz is not None
    app = _fake_app(args.config, args.fake_tone_hz) if fake else _real_app(args.config)
    ep = start_endpoint(args.port)
    hook = ScreeningHook(app, lambda event, data: log.info("callwarden event", extra=data))
    account = HostAccount(hook)
    acfg = pj.AccountConfig()
    acfg.idUri = f"sip:softphone@127.0.0.1:{args.port}"
    rtp = acfg.mediaConfig.transportConfig  # RTP on loopback too, or SDP names another interface
    rtp.boundAddress = rtp.publicAddress = "127.0.0.1"
    account.create(acfg, True)
    log.info("host softphone listening", extra={"port": args.port})
    log.info("screening user agent ready")  # the integration test waits for this line
    deadline = time.monotonic() + args.duration_s
    stop = threading.Event()  # Ctrl-C or a kill ends the loop; the calls are then hung up
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.is_set() and time.monotonic() < deadline:
        ep.libHandleEvents(10)
        hook.poll()  # CallWarden's actions run here, on the pjsua2 thread
    hook.hangup_all()
    for _ in range(100):
        ep.libHandleEvents(10)
    hook.close()
    account.calls.clear()
    account.shutdown()
    del account
    gc.collect()
    ep.libDestroy()
    return 0


def _real_app(config: Path) -> Any:
    from callwarden.app import build_app

    return build_app(load_settings(config))


def _fake_app(config: Path, tone_hz: float | None) -> Any:
    """The test suite's fake detector instead of the real models.

    It alarms on any speech, or only on a tone of ``tone_hz`` when that is given.
    """
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
    from cw_fakes import FakeScreener, ToneDetector

    from callwarden.audit import AuditLog

    settings = load_settings(config)
    audit = AuditLog(settings.audit.path, fsync=False)
    return FakeScreener(settings, audit, ToneDetector.make(tone_hz), None)


if __name__ == "__main__":
    raise SystemExit(main())
