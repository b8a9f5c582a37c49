"""A pjsua2 caller in its own process: plays a WAV into a call and reports what it saw.

python cw_pj_caller.py URI WAV --hold-s N [--record OUT.wav] [--transport udp|tcp|tls]
    -> one JSON line at the end

``--record`` keeps what the caller hears (e.g. CallWarden's warning) in a WAV file.
``--transport`` is the caller's own SIP transport (the URI still needs ``;transport=tls``
for TLS); TLS does not verify the server's certificate (tests use a self-signed one).
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from typing import Any

import pjsua2 as pj

TRANSPORTS = {
    "udp": pj.PJSIP_TRANSPORT_UDP,
    "tcp": pj.PJSIP_TRANSPORT_TCP,
    "tls": pj.PJSIP_TRANSPORT_TLS,
}


class Caller(pj.Call):  # type: ignore[misc]
    def __init__(self, account: Any, wav: str, record: str | None) -> None:
        super().__init__(account)
        self.wav = wav
        self.record = record
        self.player: Any = None
        self.recorder: Any = None
        self.state = ""
        self.status = 0
        self.reason = ""
        self.bye_reason = ""

    def onCallState(self, prm: Any) -> None:
        info = self.getInfo()
        self.state = "DISCONNECTED" if info.state == pj.PJSIP_INV_STATE_DISCONNECTED else "UP"
        self.status, self.reason = info.lastStatusCode, info.lastReason

    def onCallTsxState(self, prm: Any) -> None:
        try:
            msg = str(prm.e.body.tsxState.src.rdata.wholeMsg)
        except Exception:
            return
        if msg.startswith("BYE "):
            lines = [x for x in msg.splitlines() if x.lower().startswith("reason:")]
            self.bye_reason = lines[0] if lines else "(none)"

    def onCallMediaState(self, prm: Any) -> None:
        info = self.getInfo()  # keep it: iterating a temporary's .media reads freed memory
        for media in info.media:
            if media.type == pj.PJMEDIA_TYPE_AUDIO and media.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                if self.player is None:
                    self.player = pj.AudioMediaPlayer()
                    self.player.createPlayer(self.wav, 0)
                self.player.startTransmit(self.getAudioMedia(media.index))
                if self.record and self.recorder is None:
                    self.recorder = pj.AudioMediaRecorder()
                    self.recorder.createRecorder(self.record)
                if self.recorder is not None:
                    self.getAudioMedia(media.index).startTransmit(self.recorder)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("uri")
    parser.add_argument("wav")
    parser.add_argument("--hold-s", type=float, default=10.0)
    parser.add_argument("--record", default=None)
    parser.add_argument("--transport", choices=sorted(TRANSPORTS), default="udp")
    args = parser.parse_args()
    ep = pj.Endpoint()
    ep.libCreate()
    cfg = pj.EpConfig()
    cfg.uaConfig.threadCnt = 0
    cfg.uaConfig.mainThreadOnly = True
    cfg.logConfig.level = cfg.logConfig.consoleLevel = 1
    cfg.medConfig.noVad = True
    ep.libInit(cfg)
    ep.audDevManager().setNullDev()
    tc = pj.TransportConfig()
    tc.boundAddress = tc.publicAddress = "127.0.0.1"
    if args.transport == "tls":
        tc.tlsConfig.verifyServer = False
    ep.transportCreate(TRANSPORTS[args.transport], tc)
    ep.libStart()
    acc = pj.Account()
    acfg = pj.AccountConfig()
    acfg.idUri = "sip:+15557654321@127.0.0.1"
    rtp = acfg.mediaConfig.transportConfig
    rtp.boundAddress = rtp.publicAddress = "127.0.0.1"
    acc.create(acfg, True)
    call = Caller(acc, args.wav, args.record)
    call.makeCall(args.uri, pj.CallOpParam(True))
    deadline = time.monotonic() + args.hold_s
    while time.monotonic() < deadline and call.state != "DISCONNECTED":
        ep.libHandleEvents(10)
    result = {"state": call.state, "status": call.status, "bye_reason": call.bye_reason}
    if call.isActive():
        call.hangup(pj.CallOpParam(True))
        for _ in range(50):
            ep.libHandleEvents(10)
    call.player = call.recorder = None
    del call, acc
    gc.collect()
    ep.libDestroy()
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
