"""Live demo: CallWarden screens two real SIP calls on 127.0.0.1 and shows what it decided.

    .venv/bin/python scripts/demo_live.py

Runs ``callwarden run`` with ``config/examples/demo-live.yaml`` (free ports filled in,
written to ``var/demo/live.yaml``), reusing the voiceprint of subscriber ``allison`` that
``scripts/demo.sh`` enrolled (or enrolling it). Two SIPp calls present Allison's number
and stream real recordings not used to enrol: Allison herself (u-law), then an impostor
(Carlo, A-law). Verdicts and actions are printed live from the audit log. Exit status 0
only when the impostor is dropped with 603 and Allison's call is cleared and handed on.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))

from cw_calls import Outcome, g711, outcome_of, screened_command  # noqa: E402
from cw_sip_support import UaProcess, collect_sipp, free_port, launch_ua  # noqa: E402

DEMO = ROOT / "var" / "demo"
EXAMPLE = ROOT / "config" / "examples" / "demo-live.yaml"
CLI = [sys.executable, "-m", "callwarden.cli"]
SUBSCRIBER, NUMBER = "allison", "+15551230001"
ALLISON = Path("/usr/share/asterisk/sounds/en_US_f_Allison")
ENROL = ("vm-options", "dir-intro", "vm-msginstruct")  # as scripts/demo.sh
# label, voice, recording, G.711 law, what must happen to the call
CALLS = (
    ("subscriber", "en_US_f_Allison", "demo-congrats", "u", "REFERRED"),
    ("impostor", "it_IT_m_Carlo", "vm-intro", "a", "DROPPED"),
)
CONSENT = f"""subscriber: {SUBSCRIBER}
consent: yes
signed_by: Allison (demo subscriber)
date: 2026-01-31
"""


def live_config() -> tuple[Path, int, Path]:
    """``var/demo/live.yaml``: the example with free ports; returns it, its port, its audit."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    port = free_port()
    data["sip"].update(udp_port=port, tcp_port=port, rtp_port_start=free_port())
    path = DEMO / "live.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    audit = ROOT / data["audit"]["path"]
    for stale in (audit, audit.with_name(audit.name + ".head")):
        stale.unlink(missing_ok=True)
    return path, port, audit


def ensure_enrolled(config: Path) -> None:
    """Reuse the voiceprint ``make demo`` enrolled, or enrol it now."""
    listed = subprocess.run([*CLI, "subscribers", "list", "--config", str(config)], cwd=ROOT,
                            capture_output=True, text=True, check=True)  # fmt: skip
    if SUBSCRIBER in listed.stdout.split():
        print(f"reusing the voiceprint of {SUBSCRIBER!r} enrolled in step 1")
        return
    consent = DEMO / "consent.yaml"
    if not consent.exists():
        consent.write_text(CONSENT, encoding="utf-8")
    wavs = [str(ALLISON / f"{clip}.wav") for clip in ENROL]
    cmd = [*CLI, "enroll", "--config", str(config), "--subscriber", SUBSCRIBER]
    subprocess.run([*cmd, "--consent", str(consent), *wavs], cwd=ROOT, check=True)


def show(label: str, record: dict[str, Any]) -> None:
    """One audit record as a line a person reads."""
    event, data = record["event"], record["data"]
    if event == "call_start":
        line = f"call from {data['caller']} claims subscriber {data['subscriber']}"
    elif event in ("verdict", "verdict_final"):
        final = "final " if event == "verdict_final" else ""
        line = f"{final}verdict {data['kind'].upper()} at {data['at_s']:.1f} s: {data['reason']}"
    elif event == "action":
        line = f"ACTION {data['action']}: {data['detail']}"
    elif event == "transfer_status":
        line = f"transfer done (NOTIFY {data['status_code']}): CallWarden leaves the call"
    elif event == "call_end":
        line = f"call ended ({data['status_code']} {data['reason']}) after {data['audio_s']} s"
    else:
        return
    print(f"  [{label:<10}] {line}", flush=True)


def place(ua: UaProcess, label: str, voice: str, clip: str, law: str) -> Outcome:
    """One SIPp call streaming a real recording; prints the audit log while it runs."""
    audio = g711(DEMO, voice, clip, law)
    cmd, work = screened_command(DEMO, ua.port, audio, NUMBER, timeout_ms=12000)
    proc = subprocess.Popen(cmd, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    seen = len(ua.audit())
    while proc.poll() is None or time.sleep(1.0) or seen < len(ua.audit()):
        records = ua.audit()
        for record in records[seen:]:
            show(label, record)
        seen = len(records)
        if records and records[-1]["event"] == "call_end" and proc.poll() is not None:
            break
        time.sleep(0.1)
    screen = proc.communicate()[0].decode(errors="replace")
    return outcome_of(collect_sipp(work, proc.returncode, screen))


def main() -> int:
    DEMO.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    config, port, audit = live_config()
    ensure_enrolled(config)
    cmd = [*CLI, "run", "--config", str(config)]
    ua = launch_ua(cmd, port, DEMO, cwd=ROOT, audit=audit)
    print(f"CallWarden listening on sip:127.0.0.1:{port} (config {config.relative_to(ROOT)})")
    outcomes = []
    try:
        for label, voice, clip, law, _ in CALLS:
            print(f"\n== {label}: {voice}'s voice ({clip}.wav, {'A' if law == 'a' else 'u'}-law)"
                  f" calling from {NUMBER}", flush=True)  # fmt: skip
            outcomes.append(place(ua, label, voice, clip, law))
    finally:
        stopped = ua.stop()
    return summary(outcomes, stopped, audit, time.monotonic() - started)


def summary(outcomes: list[Outcome], stopped: int, audit: Path, took_s: float) -> int:
    """Print what each caller saw; 0 when every call went as it must."""
    print("\n== summary (what each caller saw on the wire)")
    good = stopped == 0
    for (label, *_, expected), outcome in zip(CALLS, outcomes, strict=True):
        ok = outcome.kind == expected and (expected != "DROPPED" or outcome.cause == "603")
        good &= ok
        print(f"  {'ok  ' if ok else 'FAIL'} {label:<10} {_seen(outcome)}")
    verified = subprocess.run([*CLI, "audit", "verify", str(audit)], cwd=ROOT, check=False)
    good &= verified.returncode == 0
    print(f"  {'ok' if good else 'FAILED'}: live demo in {took_s:.0f} s")
    return 0 if good else 1


def _seen(outcome: Outcome) -> str:
    if outcome.kind == "DROPPED":
        return f"dropped: BYE with Reason cause={outcome.cause}"
    if outcome.kind == "REFERRED":
        return f"cleared and handed on: REFER to {outcome.detail.split()[0]}"
    if outcome.kind == "STAYED_UP":
        return "cleared: the call stayed up"
    return f"no outcome: {outcome.detail[-200:]}"


if __name__ == "__main__":
    sys.exit(main())
