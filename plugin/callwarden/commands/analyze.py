"""``analyze FILE``: screen a recording and print its verdict timeline."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from callwarden.analysis import Analysis, analyze
from callwarden.app import App, build_app
from callwarden.commands.common import add_config_option, settings_from
from callwarden.commands.plot import plot_timeline


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``analyze`` subcommand."""
    parser = sub.add_parser(
        "analyze", help="screen a recording (WAV at any rate, or raw G.711 .ulaw/.alaw)"
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("--subscriber", metavar="ID", help="the enrolled subscriber claimed")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--plot", type=Path, metavar="PNG", help="draw the scores over time")
    parser.add_argument("--no-audit", action="store_true", help="do not record in the audit log")
    add_config_option(parser)
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    app = build_app(settings_from(args), strict=True)
    try:
        return _analyze_and_report(app, args)
    finally:
        app.close()


def _analyze_and_report(app: App, args: argparse.Namespace) -> int:
    result = analyze(app, args.file, args.subscriber)
    if not args.no_audit:
        app.audit.append(
            "analysis.verdict",
            {
                "subscriber": args.subscriber,
                "verdict": str(result.verdict.kind),
                "reason": result.verdict.reason,
                "scores": result.scores,
                "speech_s": round(result.speech_s, 3),
            },
            call_id=None,
        )
    if args.plot:
        plot_timeline(result, args.plot)
    print(json.dumps(result.to_json(), indent=2) if args.json else render(result))
    return 0


def render(result: Analysis) -> str:
    """The readable timeline: one line per scored window, then the verdict."""
    lines = [f"{result.file}: {result.audio_s:.1f} s of audio, {result.speech_s:.1f} s of speech"]
    lines.append(f"{'time':>13}  {'detector':<13} {'score':>6}  status")
    for s in result.timeline:
        span = f"{s.start_s:5.1f}-{s.end_s:5.1f} s"
        lines.append(f"{span:>13}  {s.detector:<13} {s.score:6.3f}  {s.status}")
    scores = ", ".join(
        f"{name} {value:.3f} (threshold {result.thresholds.get(name, float('nan')):.3f})"
        for name, value in result.scores.items()
    )
    lines.append(f"scores: {scores or 'none'}")
    lines.append(f"VERDICT: {result.verdict.kind.upper()} — {result.verdict.reason}")
    return "\n".join(lines)
