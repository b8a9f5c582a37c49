"""``audit verify FILE``: check the hash chain of an audit log."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from callwarden.audit import verify


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``audit`` subcommand group."""
    audit = sub.add_parser("audit", help="work with the audit log")
    inner = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    check = inner.add_parser("verify", help="detect edited, removed or reordered records")
    check.add_argument("file", type=Path, metavar="FILE")
    check.set_defaults(handler=_verify)


def _verify(args: argparse.Namespace) -> int:
    report = verify(args.file)
    if report.ok:
        print(f"{args.file}: OK, {report.records} records, chain intact")
        return 0
    print(f"{args.file}: TAMPERED ({len(report.problems)} problems)", file=sys.stderr)
    for problem in report.problems:
        print(f"  - {problem}", file=sys.stderr)
    return 1
