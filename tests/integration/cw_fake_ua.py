"""Runs CallWarden's screening UA with a fake detector (a subprocess for integration tests).

python cw_fake_ua.py --config FILE --report FILE [--tone-hz 1000|--any-speech]
    [--alarm spoof|mismatch|duress] [--needs-subscriber] [--duration-s N]
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from cw_fakes import FakeScreener, ToneDetector, write_event

from callwarden.audit import AuditLog
from callwarden.frames import VerdictKind
from callwarden.settings import load_settings
from callwarden.sip.ua import serve


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--report", type=Path, required=True)
    parser.add_argument("--tone-hz", type=float, default=None)
    parser.add_argument("--any-speech", action="store_true")
    parser.add_argument("--no-detector", action="store_true")
    parser.add_argument("--needs-subscriber", action="store_true")
    parser.add_argument("--alarm", default="spoof")
    parser.add_argument("--duration-s", type=float, default=None)
    args = parser.parse_args()
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s %(message)s"
    )
    settings = load_settings(args.config)
    audit = AuditLog(settings.audit.path, fsync=False)
    detector = None
    if not args.no_detector:
        freq = None if args.any_speech else (args.tone_hz or 1000.0)
        detector = ToneDetector.make(freq, VerdictKind(args.alarm))
        detector.needs_subscriber = args.needs_subscriber
    screener = FakeScreener(settings, audit, detector, args.report)

    def listener(event: str, data: dict[str, Any]) -> None:
        write_event(args.report, event, data)

    return serve(screener, duration_s=args.duration_s, listener=listener)


if __name__ == "__main__":
    sys.exit(main())
