from __future__ import annotations

from callwarden.settings import SubscriberSettings
from callwarden.sip.dtmf import AccountDigits, route_account

ENTRIES = {
    "alice": SubscriberSettings(account_number="1357"),
    "bob": SubscriberSettings(account_number="13579"),
    "carol": SubscriberSettings(caller_ids=["+44*"]),
}


def _keyed(digits: str) -> list[str | None]:
    collector = AccountDigits(ENTRIES)
    return [collector.push(d) for d in digits]


def test_number_is_complete_when_it_matches_exactly() -> None:
    assert _keyed("13579") == [None, None, None, None, "bob"]
    assert _keyed("1357") == [None] * 4  # bob's number starts the same: wait for '#'
    assert _keyed("1357#")[-1] == "alice"


def test_hash_ends_a_number_and_star_starts_over() -> None:
    assert _keyed("99#13579") == [None] * 7 + ["bob"]
    assert _keyed("12*13579")[-1] == "bob"
    collector = AccountDigits(ENTRIES)
    assert [collector.push(d) for d in "2468#"][-1] is None and collector.misses == 1


def test_a_stray_digit_spoils_the_number_until_hash_or_star() -> None:
    assert _keyed("413579")[-1] is None
    assert _keyed("4#13579")[-1] == "bob" and _keyed("4*1357#")[-1] == "alice"


def test_route_account_needs_an_exact_number() -> None:
    assert route_account("13579", ENTRIES) == "bob"
    assert route_account("", ENTRIES) is None
    assert route_account("135", ENTRIES) is None
    assert AccountDigits(ENTRIES).push("A") is None
