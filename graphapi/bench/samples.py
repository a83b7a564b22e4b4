"""The inputs the read benchmarks ask about, drawn with the bench seed from the generated feeds.

Ids are computed the way the loader computes them (``Model.node_id`` on normalised keys), so
every sample exists in a complete load. Search texts are phone numbers as a subscriber feed wrote
them (national format, e.g. ``081 206 4206``) and bank account numbers: identifier search.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from graphapi.bench.generate import Manifest
from graphapi.ingest.identity.accounts import normal_account_key
from graphapi.ontology import load_model
from graphapi.ontology.types import get_type


@dataclass(frozen=True)
class Samples:
    """Entity ids (people, phones, accounts mixed), search texts and path endpoint pairs."""

    @staticmethod
    def property_of(node_id: str) -> str:
        """The property ``values`` asks of an id: a phone's number, an account's key, else a name."""
        return {"phone": "number", "account": "accountKey"}.get(node_id.split(":", 1)[0], "name")

    ids: list[str]
    texts: list[str]
    pairs: list[tuple[str, str]]


def _rows(path: Path, limit: int) -> list[dict[str, str]]:
    out = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.append(row)
            if len(out) >= limit:
                break
    return out


def draw_samples(manifest: Manifest, feed_dir: Path, seed: int, count: int = 500) -> Samples:
    """``count`` ids, texts and pairs (fewer if the graph is smaller), deterministic for ``seed``."""
    model = load_model()
    phone = get_type("phone")
    rng = random.Random(seed + 1)
    subs = _rows(feed_dir / manifest.files["subscribers"], 50_000)
    accounts = _rows(feed_dir / manifest.files["account_holders"], 50_000)
    # The bench asks as an analyst without victim-data, who reaches a victim (and the phones and
    # accounts they use) only by its vid: token: their real ids would answer "no entity".
    victims = {r["person_id"] for r in _rows(feed_dir / manifest.files["compound_staff"], 10**9) if r["kind"] == "held"}
    subs = [r for r in subs if r["subscriber_id"] not in victims]
    accounts = [r for r in accounts if r["holder_id"] not in victims]
    rng.shuffle(subs)
    rng.shuffle(accounts)
    phone_ids, person_ids, texts = [], [], []
    for row in subs[:count]:
        number = phone.clean(row["msisdn"], country=row["operator_country"])
        if number:
            phone_ids.append(model.node_id("Phone", {"number": number}))
        person_ids.append(row["subscriber_id"])
        texts.append(row["msisdn"])
    account_ids = []
    for row in accounts[:count]:
        key = f"{row['country']}:{row['bank']}:{row['account_number']}"
        account_ids.append(model.node_id("BankAccount", {"accountKey": normal_account_key(key)}))  # as loaded
        texts.append(row["account_number"])
    ids = [x for trio in zip(person_ids, phone_ids, account_ids, strict=False) for x in trio]
    rng.shuffle(texts)
    people = sorted(set(person_ids))
    pairs = []
    for _ in range(count):
        a, b = rng.sample(people, 2) if len(people) >= 2 else (people[0], phone_ids[0])
        pairs.append((a, b))
    return Samples(ids=ids[:count], texts=texts[:count], pairs=pairs)
