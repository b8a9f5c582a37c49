import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from callwarden.enrol.consent import read_consent
from callwarden.errors import EnrolmentError


def test_valid_consent_is_recorded(consent: Callable[..., Path]) -> None:
    path = consent(statement="I agree that CallWarden keeps a voiceprint of my voice.")
    record = read_consent(path, "alice")
    assert record.signed_by == "Alice Example"
    assert record.signed_on == "2026-01-15"
    assert record.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "keeps a voiceprint" in record.text


@pytest.mark.parametrize("answer", ["yes", "Yes", "true", "I agree", '"yes"'])
def test_affirmative_answers(consent: Callable[..., Path], answer: str) -> None:
    read_consent(consent(consent=answer), "alice")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"consent": "no"}, "does not say 'consent: yes'"),
        ({"consent": None}, "does not say 'consent: yes'"),
        ({"consent": "maybe"}, "does not say 'consent: yes'"),
        ({"signed_by": None}, "who signed it"),
        ({"date": None}, "needs a 'date'"),
        ({"date": "last tuesday"}, "needs a 'date'"),
        ({"date": "2999-01-01"}, "dated in the future"),
        ({"subscriber": "bob"}, "is for subscriber 'bob', not 'alice'"),
    ],
)
def test_refusals_say_why(consent: Callable[..., Path], fields: dict, message: str) -> None:
    path = consent(
        "bob" if fields.get("subscriber") else "alice",
        **{k: v for k, v in fields.items() if k != "subscriber"},
    )
    with pytest.raises(EnrolmentError, match=message) as info:
        read_consent(path, "alice")
    assert "\n" not in str(info.value)


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(EnrolmentError, match="no consent file"):
        read_consent(tmp_path / "nope.yaml", "alice")
    empty = tmp_path / "empty.yaml"
    empty.write_text("  \n")
    with pytest.raises(EnrolmentError, match="is empty"):
        read_consent(empty, "alice")


def test_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_text("I, Alice, agree.\n")
    with pytest.raises(EnrolmentError, match="must hold 'subscriber'"):
        read_consent(path, "alice")
