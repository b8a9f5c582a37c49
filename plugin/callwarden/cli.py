"""The ``callwarden`` command: a thin dispatcher over the subcommands in ``commands/``.

Every CallWardenError becomes one line on stderr and exit status 2; nothing else is
caught, so a bug still shows its traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from callwarden import __version__
from callwarden.errors import CallWardenError

# Each module exposes register(subparsers); optional ones may be absent in a build.
COMMAND_MODULES = ("config", "enroll", "analyze", "audit", "run")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every available subcommand."""
    parser = argparse.ArgumentParser(
        prog="callwarden",
        description="Screen inbound SIP calls for synthetic voices, speaker mismatch and duress.",
    )
    parser.add_argument("--version", action="version", version=f"callwarden {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"callwarden.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"callwarden.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        status: int = args.handler(args)
    except CallWardenError as exc:
        print(f"callwarden: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())
