"""The consent file an enrolment needs: an explicit, signed, dated opt-in.

The file is a small YAML (or plain ``key: value`` text) file::

    subscriber: alice           # must be the id being enrolled
    consent: yes                # the explicit affirmative statement (yes / true / I agree)
    signed_by: Alice Example    # who gave consent
    date: 2026-11-29            # when (ISO date, not in the future)
    statement: I agree that CallWarden keeps a voiceprint of my voice ...   # optional

Its sha256 and full text are kept with the voiceprint as the consent record.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from callwarden.enrol.voiceprint import ConsentRecord
from callwarden.errors import EnrolmentError

AFFIRMATIVE = frozenset({"yes", "true", "i agree", "i consent", "agreed"})


def read_consent(path: Path, subscriber_id: str) -> ConsentRecord:
    """Read and check a consent file for ``subscriber_id``.

    Raises:
        EnrolmentError: missing, empty, malformed, for another subscriber, or without an
            explicit affirmative ``consent``, a ``signed_by`` or a valid ``date``.
    """
    raw = _read(path)
    text = raw.decode("utf-8", errors="replace")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise EnrolmentError(f"consent file {path} is not valid YAML") from exc
    if not isinstance(data, dict):
        raise EnrolmentError(
            f"consent file {path} must hold 'subscriber', 'consent', 'signed_by' and 'date'"
        )
    who = str(data.get("subscriber", "")).strip()
    if who != subscriber_id:
        raise EnrolmentError(
            f"consent file {path} is for subscriber {who or '(none)'!r}, not {subscriber_id!r}"
        )
    if not _affirmative(data.get("consent")):
        raise EnrolmentError(f"consent file {path} does not say 'consent: yes'")
    signed_by = str(data.get("signed_by") or "").strip()
    if not signed_by:
        raise EnrolmentError(f"consent file {path} does not say who signed it ('signed_by')")
    signed_on = _date(data.get("date"), path)
    return ConsentRecord(signed_by, signed_on, hashlib.sha256(raw).hexdigest(), text)


def _read(path: Path) -> bytes:
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise EnrolmentError(f"no consent file: {path} does not exist") from exc
    except OSError as exc:
        raise EnrolmentError(f"cannot read consent file {path}: {exc.strerror}") from exc
    if not raw.strip():
        raise EnrolmentError(f"consent file {path} is empty")
    return raw


def _affirmative(value: Any) -> bool:
    if value is True:
        return True
    return isinstance(value, str) and value.strip().lower() in AFFIRMATIVE


def _date(value: Any, path: Path) -> str:
    """The ISO date the consent was given (YAML may already have parsed it)."""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError as exc:
            raise EnrolmentError(
                f"consent file {path} needs a 'date' like 2026-01-31, got {value!r}"
            ) from exc
    if value > datetime.now(UTC).date():
        raise EnrolmentError(f"consent file {path} is dated in the future ({value})")
    return str(value.isoformat())
