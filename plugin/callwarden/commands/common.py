"""Helpers the subcommands share: the --config option and loading settings."""

from __future__ import annotations

import argparse
from pathlib import Path

from callwarden.settings import Settings, load_settings


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--config FILE`` (built-in defaults when omitted)."""
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="settings YAML (default: built-in defaults)"
    )


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings named by ``--config``, or the defaults."""
    path: Path | None = args.config
    return load_settings(path) if path is not None else Settings()
