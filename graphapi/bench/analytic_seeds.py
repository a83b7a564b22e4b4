"""The seeds of the bench's analytics section: real ids of the generated graph that exercise each
analytic, picked deterministically from the feeds (no randomness beyond the bench seed).

- ``expand``: the read samples' ids (people, phones, accounts: :mod:`graphapi.bench.samples`).
- ``path_pairs``: two people two calls apart (A's phone called B's phone, which called C's: A and
  C are at most 4 hops apart, so a path within 6 hops exists), from the call detail records.
- ``money``: the planted mule account first (:mod:`graphapi.bench.planted_feeds`), then accounts
  with onward transfers (received at least one, sent 2 to 20: a mule's shape, not a payment hub).
- ``travellers``: the planted co-traveller first, then the people with the most crossings (the
  feeds span two years; the busiest cross hundreds of times at scale 1).
- ``communities``: the planted broker first, then the busiest travellers (through a busy
  checkpoint their 3-hop scope is the largest the service allows).

Victims (people held at a compound) are left out: the bench asks as an analyst without the
victim-data role, who reaches a victim only by its token.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graphapi.bench.generate import Manifest
from graphapi.bench.planted_feeds import planted_rows
from graphapi.bench.samples import draw_samples

#: Seeds per analytic at most (each is cycled through by the timed calls).
PER_ANALYTIC = 20
#: Call records read to find pairs two calls apart.
CDR_ROWS = 100_000


@dataclass(frozen=True)
class AnalyticSeeds:
    """Seed ids per analytic (see the module docstring for how each is chosen)."""

    expand: list[str]
    path_pairs: list[tuple[str, str]]
    money: list[str]
    travellers: list[str]
    communities: list[str]


def _rows(path: Path, limit: int | None = None) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            if limit is not None and i >= limit:
                return
            yield row


def _path_pairs(manifest: Manifest, feed_dir: Path, victims: set[str], rng: random.Random) -> list[tuple[str, str]]:
    from graphapi.ontology.types import get_type

    phone = get_type("phone")
    owner = {}
    for row in _rows(feed_dir / manifest.files["subscribers"]):
        number = phone.clean(row["msisdn"], country=row["operator_country"])
        if number and row["subscriber_id"] not in victims:
            owner.setdefault(number, row["subscriber_id"])
    callees: dict[str, str] = {}
    calls = [(r["caller"], r["callee"]) for r in _rows(feed_dir / manifest.files["cdr"], CDR_ROWS)]
    for a, b in calls:
        callees.setdefault(a, b)
    pairs = sorted({(owner[a], owner[callees[b]]) for a, b in calls
                    if b in callees and a in owner and callees[b] in owner and owner[a] != owner[callees[b]]})
    rng.shuffle(pairs)
    return pairs[:PER_ANALYTIC]


def _mules(manifest: Manifest, feed_dir: Path, rng: random.Random) -> list[str]:
    from graphapi.ingest.identity.accounts import normal_account_key
    from graphapi.ontology import load_model

    model = load_model()
    sent, received = Counter(), Counter()
    for r in _rows(feed_dir / manifest.files["bank_transfers"]):
        sent[f"{r['from_country']}:{r['from_bank']}:{r['from_account']}"] += 1
        received[f"{r['to_country']}:{r['to_bank']}:{r['to_account']}"] += 1
    keys = sorted(k for k, n in sent.items() if 2 <= n <= 20 and received[k] >= 1)
    rng.shuffle(keys)
    return [model.node_id("BankAccount", {"accountKey": normal_account_key(k)}) for k in keys[:PER_ANALYTIC - 1]]


def _busiest_travellers(manifest: Manifest, feed_dir: Path, victims: set[str]) -> list[str]:
    counts = Counter(r["person_id"] for r in _rows(feed_dir / manifest.files["border_crossings"]))
    ranked = sorted((p for p in counts if p not in victims), key=lambda p: (-counts[p], p))
    return ranked[:PER_ANALYTIC - 1]


def draw_analytic_seeds(manifest: Manifest, feed_dir: Path, seed: int) -> AnalyticSeeds:
    """The seeds for the feeds of ``manifest`` in ``feed_dir``; the same feeds and ``seed`` give
    the same seeds."""
    rng = random.Random(seed + 2)
    _, planted = planted_rows()
    victims = {r["person_id"] for r in _rows(feed_dir / manifest.files["compound_staff"]) if r["kind"] == "held"}
    busiest = _busiest_travellers(manifest, feed_dir, victims)
    return AnalyticSeeds(
        expand=draw_samples(manifest, feed_dir, seed).ids[:PER_ANALYTIC],
        path_pairs=_path_pairs(manifest, feed_dir, victims, rng),
        money=[planted.mule_start, *_mules(manifest, feed_dir, rng)],
        travellers=[planted.traveller, *busiest],
        communities=[planted.broker, *busiest],
    )
