"""Live demo: CallWarden screens two real calls on 127.0.0.1 and shows what it decided.

    .venv/bin/python scripts/demo_live.py [--plumbing]

Starts ``callwarden run`` on a free port with an embedded config, places two SIPp calls
that play real recordings (the enrolled subscriber's voice, then an impostor using the same
caller ID), prints verdicts and actions live from the audit log, and a summary. The impostor
is dropped with 603. ``--plumbing`` swaps the models for the test suite's energy detector
(every call alarms), for machines without enrolled voiceprints.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))

from cw_sip_support import UaProcess, sipp_command, start_ua, ulaw_file  # noqa: E402

SUBSCRIBER = "+15551230001"
CALLS = [("subscriber", "en_US_f_Allison", "vm-intro"), ("impostor", "fr_CA_f_June", "vm-intro")]
DEMO_SETTINGS: dict[str, dict[str, Any]] = {
    "actions": {"on_verdict": {"spoof": "drop", "mismatch": "drop", "duress": "quarantine"}},
}


def show(record: dict[str, Any]) -> None:
    """One audit record as a line a person can read."""
    data, call = record["data"], str(record["call_id"])[:8]
    if record["event"] in ("verdict", "verdict_final"):
        sys.stdout.write(f"  [{call}] {record['event']}: {data['kind']} - {data['reason']}\n")
    elif record["event"] == "action":
        sys.stdout.write(f"  [{call}] ACTION {data['action']}: {data['detail']}\n")
    elif record["event"] in ("call_start", "call_end"):
        sys.stdout.write(f"  [{call}] {record['event']} {json.dumps(_brief(data))}\n")


def _brief(data: dict[str, Any]) -> dict[str, Any]:
    keys = ("caller", "subscriber", "status_code", "reason", "audio_s")
    return {k: data[k] for k in keys if k in data}


def place(ua: UaProcess, tmp: Path, voice: str, clip: str, seen: int) -> int:
    """One SIPp call playing a real recording; streams the audit log while it runs."""
    from cw_sip_support import SOUNDS

    sounds = SOUNDS.parent / voice
    audio = ulaw_file(tmp, clip) if sounds == SOUNDS else _ulaw(tmp, sounds / f"{clip}.wav")
    subs = {"AUDIO": str(audio), "LOOPS": "2", "HOLD_MS": "9000"}
    cmd, work = sipp_command(tmp, "uac_stream", ua.port, subs=subs)
    proc = subprocess.Popen(cmd, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while proc.poll() is None:
        seen = _tail(ua, seen)
        time.sleep(0.2)
    time.sleep(1.0)
    return _tail(ua, seen)


def _ulaw(tmp: Path, wav: Path) -> Path:
    out = tmp / f"{wav.parent.name}-{wav.stem}.ulaw"
    subprocess.run(
        ["sox", str(wav), "-r", "8000", "-c", "1", "-e", "u-law", "-t", "ul", str(out)], check=True
    )
    return out


def _tail(ua: UaProcess, seen: int) -> int:
    path = ua.tmp / "audit.jsonl"
    records = ua.audit() if path.exists() else []
    for record in records[seen:]:
        show(record)
    return len(records)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plumbing", action="store_true", help="energy detector, no models")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="callwarden-demo-"))
    settings = dict(DEMO_SETTINGS)
    settings["subscribers"] = {"entries": {"demo": {"caller_ids": [SUBSCRIBER]}}}
    mode = ["--any-speech", "--alarm", "spoof"] if args.plumbing else ["--real"]
    ua = start_ua(tmp, mode, **settings)
    sys.stdout.write(f"CallWarden listening on sip:127.0.0.1:{ua.port} (state in {tmp})\n")
    seen = 0
    try:
        for label, voice, clip in CALLS:
            sys.stdout.write(f"\n== call from {SUBSCRIBER} ({label}, {voice} voice)\n")
            seen = place(ua, tmp, voice, clip, seen)
    finally:
        ua.stop()
    _summary(ua)
    return 0


def _summary(ua: UaProcess) -> None:
    records = ua.audit()
    sys.stdout.write("\n== summary\n")
    for record in (r for r in records if r["event"] == "call_end"):
        call = record["call_id"]
        final = next(
            r["data"] for r in records if r["call_id"] == call and r["event"] == "verdict_final"
        )
        actions = [a["action"] for a in record["data"]["actions"]] or ["none"]
        sys.stdout.write(
            f"  {call[:8]}: final {final['kind']}, actions {', '.join(actions)},"
            f" ended {record['data']['status_code']} {record['data']['reason']}\n"
        )


if __name__ == "__main__":
    sys.exit(main())
