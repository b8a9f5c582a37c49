"""``check-config`` and ``config-schema``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from callwarden.errors import ConfigError
from callwarden.settings import Settings, load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the configuration subcommands."""
    check = sub.add_parser("check-config", help="validate a settings YAML file")
    check.add_argument("file", type=Path, metavar="FILE")
    check.set_defaults(handler=_check)
    schema = sub.add_parser("config-schema", help="print the settings JSON Schema (for editors)")
    schema.set_defaults(handler=_schema)


def _check(args: argparse.Namespace) -> int:
    try:
        load_settings(args.file)
    except ConfigError as exc:
        print(f"{exc.path}: invalid settings", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(f"{args.file}: OK")
    return 0


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(Settings.model_json_schema(), indent=2))
    return 0
