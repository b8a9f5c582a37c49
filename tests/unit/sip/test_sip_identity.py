from __future__ import annotations

from callwarden.settings import SubscriberSettings
from callwarden.sip.identity import called_user, caller_identity, header_values, route_subscriber

INVITE = (
    "INVITE sip:4000@127.0.0.1:5070 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK1\r\n"
    'f: "Mallory" <sip:+15550000@evil.example>;tag=1\r\n'
    "P-Asserted-Identity: <tel:+441234567>\r\n"
    "To: <sip:4000@127.0.0.1>\r\n"
    "Content-Length: 0\r\n\r\n"
    "From: <sip:body@not.a.header>\r\n"
)


def test_compact_headers_and_body_ignored() -> None:
    assert header_values(INVITE, "From") == ['"Mallory" <sip:+15550000@evil.example>;tag=1']


def test_identity_follows_header_order() -> None:
    pai = caller_identity(INVITE, ["P-Asserted-Identity", "From"])
    assert pai is not None and pai.uri == "tel:+441234567" and pai.user == "+441234567"
    frm = caller_identity(INVITE, ["From"])
    assert frm is not None and frm.user == "+15550000" and frm.header == "From"
    assert caller_identity(INVITE, ["X-Nothing"]) is None


def test_route_by_user_or_uri_glob() -> None:
    entries = {
        "alice": SubscriberSettings(caller_ids=["+4412*"]),
        "bob": SubscriberSettings(caller_ids=["sip:*@evil.example"]),
    }
    assert route_subscriber(caller_identity(INVITE, ["P-Asserted-Identity"]), entries) == "alice"
    assert route_subscriber(caller_identity(INVITE, ["From"]), entries) == "bob"
    assert route_subscriber(None, entries) is None


def test_called_user() -> None:
    assert called_user(INVITE) == "4000"
    assert called_user("garbage") is None
