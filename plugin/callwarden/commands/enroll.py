"""``enroll`` and ``subscribers``: enrol a subscriber's voice, list and erase voiceprints."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from callwarden.commands.common import add_config_option, settings_from
from callwarden.weights import default_models_dir


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``enroll`` and ``subscribers`` subcommands."""
    parser = sub.add_parser(
        "enroll",
        help="enrol a subscriber's voice from recordings (needs a signed consent file)",
        description="Enrol (or re-enrol) a subscriber. The consent file is YAML with "
        "'subscriber: ID', 'consent: yes', 'signed_by' and 'date'.",
    )
    add_config_option(parser)
    parser.add_argument("--subscriber", required=True, metavar="ID", help="subscriber id")
    parser.add_argument("--consent", required=True, type=Path, metavar="FILE")
    parser.add_argument("wavs", nargs="+", type=Path, metavar="WAV", help="recordings")
    parser.add_argument(
        "--calibrate-threshold",
        action="store_true",
        help="give the subscriber a threshold calibrated on their recordings "
        "(default: the configured threshold)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=_enroll)

    subscribers = sub.add_parser("subscribers", help="list or erase enrolled subscribers")
    add_config_option(subscribers)
    actions = subscribers.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="print the enrolled subscribers' ids")
    _add_late_config(listing)
    listing.add_argument("--json", action="store_true", help="print one JSON object")
    listing.set_defaults(handler=_list)
    delete = actions.add_parser(
        "delete", help="erase a subscriber's voiceprint, consent record and baselines"
    )
    _add_late_config(delete)
    delete.add_argument("subscriber", metavar="ID")
    delete.set_defaults(handler=_delete)


def _add_late_config(parser: argparse.ArgumentParser) -> None:
    """``--config`` after the action too, without overwriting one given before it."""
    parser.add_argument("--config", type=Path, metavar="FILE", default=argparse.SUPPRESS)


def _enroll(args: argparse.Namespace) -> int:
    from callwarden.detectors.speaker.encoder import SpeakerEncoder
    from callwarden.enrol.enroll import enroll
    from callwarden.enrol.store import VoiceprintStore

    settings = settings_from(args)
    store = VoiceprintStore(settings.subscribers.store_path)
    encoder = SpeakerEncoder.load(default_models_dir())
    report = enroll(
        args.subscriber,
        args.consent,
        args.wavs,
        settings,
        encoder,
        store,
        calibrate=args.calibrate_threshold,
    )
    print(json.dumps(report.to_json(), indent=2) if args.json else report.render())
    return 0


def _list(args: argparse.Namespace) -> int:
    from callwarden.enrol.store import VoiceprintStore

    ids = VoiceprintStore(settings_from(args).subscribers.store_path).list()
    if args.json:
        print(json.dumps({"subscribers": ids}))
    else:
        print("\n".join(ids) if ids else "no subscribers enrolled")
    return 0


def _delete(args: argparse.Namespace) -> int:
    from callwarden.enrol.store import VoiceprintStore

    VoiceprintStore(settings_from(args).subscribers.store_path).delete(args.subscriber)
    print(f"erased the voiceprint of {args.subscriber!r}")
    return 0
