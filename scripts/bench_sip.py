"""SIP benchmarks for CallWarden's live path; prints a table.

    .venv/bin/python scripts/bench_sip.py [--calls 5]

Measures, on 127.0.0.1 with SIPp as the caller:
  * tap callback time per frame (median), fast path vs ``bytes(frame.buf)``;
  * frames lost with 4 concurrent calls (tap queue drops, RTP losses);
  * verdict -> BYE on the wire (SIPp's receive timestamp), median;
  * speech onset -> first live verdict, with an energy detector that alarms on any speech.
"""

from __future__ import annotations

import argparse
import gc
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pjsua2 as pj

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))

from cw_fakes import FakeScreener, ToneDetector  # noqa: E402
from cw_sip_support import collect_sipp, free_port, sipp_command, tone_ulaw, ulaw_file, write_config  # noqa: E402

from callwarden.audit import AuditLog  # noqa: E402
from callwarden.frames import VerdictKind  # noqa: E402
from callwarden.settings import load_settings  # noqa: E402
from callwarden.sip.tap import TapPort  # noqa: E402
from callwarden.sip.ua import ScreeningUA  # noqa: E402


class TimedTap(TapPort):
    """A tap that times its own callback."""

    def __init__(self, fast: bool) -> None:
        super().__init__("bench", 10_000, fast=fast)
        self.times_ns: list[int] = []

    def onFrameReceived(self, frame: Any) -> None:
        """Time the real callback."""
        t0 = time.perf_counter_ns()
        super().onFrameReceived(frame)
        self.times_ns.append(time.perf_counter_ns() - t0)


def tap_callback_us(ua: ScreeningUA, seconds: float = 3.0) -> dict[str, float]:
    """Median callback time with a tone generator feeding each kind of tap."""
    out = {}
    for fast in (True, False):
        tap = TimedTap(fast)
        tone = pj.ToneGenerator()
        tone.createToneGenerator(8000, 1)
        desc = pj.ToneDesc()
        desc.freq1, desc.freq2, desc.on_msec, desc.off_msec = 1000, 0, 1000, 0
        descs = pj.ToneDescVector()
        descs.append(desc)
        tone.startTransmit(tap)
        tone.play(descs, True)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ua.step()
        tone.stopTransmit(tap)
        out["fast" if fast else "bytes"] = statistics.median(tap.times_ns[5:]) / 1000
        del tone, tap
        gc.collect()
    return out


class Recorder:
    """Collects the hook's events with their arrival (wall clock) time."""

    def __init__(self) -> None:
        self.rows: list[tuple[float, str, dict[str, Any]]] = []

    def __call__(self, event: str, data: dict[str, Any]) -> None:
        """Record one event."""
        self.rows.append((time.time(), event, data))

    def of(self, event: str) -> list[tuple[float, dict[str, Any]]]:
        """Events of one kind, with arrival times."""
        return [(t, d) for t, e, d in self.rows if e == event]


def drive(ua: ScreeningUA, cmd: list[str], work: Path) -> str:
    """Run SIPp while the UA loop runs; returns SIPp's messages log."""
    proc = subprocess.Popen(cmd, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while proc.poll() is None:
        ua.step()
    for _ in range(100):
        ua.step()
    return collect_sipp(work, proc.returncode or 0, "").messages


def four_call_loss(ua: ScreeningUA, rec: Recorder, tmp: Path, port: int) -> dict[str, int]:
    audio = tone_ulaw(tmp, 700.0, 6.0)
    subs = {"AUDIO": str(audio), "LOOPS": "1", "HOLD_MS": "5000"}
    cmd, work = sipp_command(tmp, "uac_stream", port, subs=subs, calls=4, extra=["-l", "4"])
    before = len(rec.of("call_end"))
    drive(ua, cmd, work)
    ends = [d for _, d in rec.of("call_end")[before:]]
    return {
        "calls": len(ends),
        "frames": sum(int(d["tap_frames"]) for d in ends),
        "tap_dropped": sum(int(d["tap_dropped"]) for d in ends),
        "rtp_lost": sum(int(d.get("rtp_lost", 0)) for d in ends),
    }


_BYE = re.compile(r"-{10,} (\S+ \S+)\n(?:UDP|TCP) message received \[\d+\] bytes :\n\nBYE ")


def onset_s(audio: Path) -> float:
    """Time of the first 20 ms frame of the u-law file with speech-level energy."""
    from callwarden.audio.pcm import ulaw_decode

    x = ulaw_decode(audio.read_bytes())
    frames = x[: len(x) // 160 * 160].reshape(-1, 160)
    loud = np.flatnonzero(np.sqrt((frames.astype(np.float64) ** 2).mean(axis=1)) > 0.02)
    return float(loud[0] * 0.02) if len(loud) else 0.0


def drop_latency(
    ua: ScreeningUA, rec: Recorder, tmp: Path, port: int, calls: int
) -> tuple[list[float], list[float]]:
    """Per call: verdict -> BYE received by SIPp (ms), speech onset -> verdict (s)."""
    audio = ulaw_file(tmp)
    onset = onset_s(audio)
    bye_ms, onset_to_verdict = [], []
    for _ in range(calls):
        subs = {"AUDIO": str(audio), "LOOPS": "1", "TIMEOUT_MS": "10000"}
        cmd, work = sipp_command(tmp, "uac_drop", port, subs=subs)
        n_verdicts, n_media = len(rec.of("verdict")), len(rec.of("media"))
        messages = drive(ua, cmd, work)
        (arrived, verdict), (media_at, _) = rec.of("verdict")[n_verdicts], rec.of("media")[n_media]
        verdict_wall = arrived - float(verdict["queued_ms"]) / 1000
        match = _BYE.search(messages)
        if match is None:
            continue
        bye_wall = datetime.fromisoformat(match.group(1)).timestamp()
        bye_ms.append((bye_wall - verdict_wall) * 1000)
        onset_to_verdict.append(verdict_wall - media_at - onset)
    return bye_ms, onset_to_verdict


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5, help="calls for the latency medians")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="callwarden-bench-"))
    port = free_port()
    settings = load_settings(write_config(tmp, port))
    screener = FakeScreener(settings, AuditLog(tmp / "audit.jsonl", fsync=False), None, None)
    rec = Recorder()
    ua = ScreeningUA(screener, rec)
    ua.start()
    try:
        tap = tap_callback_us(ua)
        loss = four_call_loss(ua, rec, tmp, port)
        detector = ToneDetector.make(None, VerdictKind.SPOOF)
        screener.detectors = FakeScreener(settings, None, detector, None).detectors
        bye_ms, onset = drop_latency(ua, rec, tmp, port, args.calls)
    finally:
        ua.shutdown()
    need_s = 0.5 + 0.25  # fake detector: 0.5 s window, then a second window 0.25 s later
    rows = [
        ("tap callback, fast path (median)", f"{tap['fast']:.1f} µs/frame", "<= 50 µs"),
        ("tap callback, bytes() (median)", f"{tap['bytes']:.1f} µs/frame", "(reference)"),
        (
            "frames lost, 4 concurrent calls",
            f"{loss['tap_dropped']} dropped, "
            f"{loss['rtp_lost']} RTP lost of {loss['frames']} frames",
            "0",
        ),
        ("verdict -> BYE on the wire (median)", _median(bye_ms, "ms"), "<= 50 ms"),
        (
            "speech onset -> first verdict (median)",
            _median(onset, "s"),
            f"<= {need_s:.2f} s needed + 0.2 s",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    sys.stdout.write(f"{'measure':<{width}}  {'result':<40}  target\n")
    for name, value, target in rows:
        sys.stdout.write(f"{name:<{width}}  {value:<40}  {target}\n")
    return 0


def _median(values: list[float], unit: str) -> str:
    if not values:
        return "n/a"
    return f"{statistics.median(values):.3f} {unit} (n={len(values)}, max {max(values):.3f})"


if __name__ == "__main__":
    sys.exit(main())
