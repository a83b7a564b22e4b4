"""One online account is one UserAccount node however an FtM file writes it (round a-56, F11):
a Telegram handle without its "@" and case-folded, a WhatsApp account by its E.164 number, an
e-mail UserAccount keyed as a Person's e-mail (lower-cased), a service of unknown case rule as
written (graphapi.ingest.identity.user_accounts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphapi.ingest.identity.user_accounts import user_account
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import NodeRecord


def _accounts(tmp_path: Path, *docs: dict) -> dict[str, dict]:
    f = tmp_path / "ua.ftm.json"
    f.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return {r.id: r.properties for r in FtmReader([f]).records()
            if isinstance(r, NodeRecord) and r.label == "UserAccount"}


def ua(i: str, **props: str) -> dict:
    return {"id": i, "schema": "UserAccount", "properties": {k: [v] for k, v in props.items()}}


def test_a_telegram_handle_with_and_without_its_at_sign_is_one_account(tmp_path: Path) -> None:
    got = _accounts(tmp_path, ua("u1", service="Telegram", username="@Somchai_88"),
                    ua("u2", service="telegram", username="somchai_88"))
    assert list(got) == ["user:telegram|somchai_88"]


def test_an_email_user_account_is_the_mailbox_of_a_persons_email(tmp_path: Path) -> None:
    got = _accounts(tmp_path, {"id": "p1", "schema": "Person", "properties": {"name": ["A"],
                                                                              "email": ["Somchai@Gmail.com"]}},
                    ua("u3", email="somchai@gmail.com"))
    assert list(got) == ["user:email|somchai@gmail.com"]


def test_a_whatsapp_account_is_keyed_by_its_e164_number(tmp_path: Path) -> None:
    got = _accounts(tmp_path, ua("u4", service="WhatsApp", username="+66 81 234 5678"),
                    ua("u5", service="whatsapp", username="+66812345678"))
    assert list(got) == ["user:whatsapp|+66812345678"]


def test_a_handle_of_a_service_whose_case_rule_is_unknown_is_kept_as_written(tmp_path: Path) -> None:
    got = _accounts(tmp_path, ua("u6", service="MyForum", username="Somchai_88"))
    assert list(got) == ["user:myforum|Somchai_88"]


def test_a_username_without_a_service_is_no_natural_key(tmp_path: Path) -> None:
    assert list(_accounts(tmp_path, ua("u7", username="somchai_88"))) == ["u7"]


@pytest.mark.parametrize(("service", "handle", "expected"), [
    ("Telegram", " @Somchai_88 ", {"service": "telegram", "handle": "somchai_88"}),
    (None, "Somchai@Gmail.com", {"service": "email", "handle": "somchai@gmail.com"}),
    ("E-mail", "A@B.org", {"service": "email", "handle": "a@b.org"}),
    ("Viber", "+66-81-234-5678", {"service": "viber", "handle": "+66812345678"}),
    ("WhatsApp", "not a number", {"service": "whatsapp", "handle": "not a number"}),
])
def test_user_account_keys_by_the_services_rule(service: str | None, handle: str, expected: dict) -> None:
    assert user_account(service, handle) == expected
