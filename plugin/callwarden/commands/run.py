"""``callwarden run --config FILE``: the screening user agent, until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from callwarden.errors import CallWardenError

log = logging.getLogger(__name__)


def register(sub: Any) -> None:
    """Add the ``run`` subcommand to an ``argparse`` subparsers object."""
    parser = sub.add_parser(
        "run",
        help="answer and screen inbound SIP calls until signalled",
        description="Run the screening SIP user agent (UDP and TCP, TLS where configured).",
    )
    add_arguments(parser)
    parser.set_defaults(handler=run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``run`` options."""
    parser.add_argument("--config", type=Path, required=True, help="the settings YAML")
    parser.add_argument(
        "--duration-s", type=float, default=None, help="stop after this many seconds"
    )


def run(args: argparse.Namespace) -> int:
    """Load settings and models, then serve calls until signalled.

    Returns:
        The process exit code.
    """
    import torch

    from callwarden.app import build_app
    from callwarden.settings import load_settings
    from callwarden.sip.ua import serve

    _server_logging(verbose=bool(getattr(args, "verbose", False)))
    settings = load_settings(args.config)
    # Each call's worker thread runs its own inference; torch's intra-op threads on top
    # of that oversubscribed a 2-core machine and made GE2E tens of times slower.
    torch.set_num_threads(1)
    app = build_app(settings)
    try:
        return serve(app, duration_s=args.duration_s)
    finally:
        app.close()


def _server_logging(*, verbose: bool) -> None:
    """A server reports its lifecycle and every call at INFO; PJSIP's own chatter only if -v."""
    logging.getLogger("callwarden").setLevel(logging.INFO)
    pjsip = logging.getLogger("callwarden.sip.pjsip")
    pjsip.setLevel(logging.INFO if verbose else logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point (``python -m callwarden.commands.run``)."""
    parser = argparse.ArgumentParser(prog="callwarden run")
    add_arguments(parser)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        return run(parser.parse_args(argv))
    except CallWardenError as exc:
        log.error("callwarden run failed", extra={"error": str(exc)})
        sys.stderr.write(f"callwarden run: {exc}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
