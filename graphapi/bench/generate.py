"""Synthetic syndicate feeds for the bench: partner-feed CSV files with a fixed seed.

Shape (scale ``S = 1``: about 1,000,000 nodes and 5,000,000 relationships; every count scales
linearly, with small floors so that tiny scales still have every kind of node):

=====================  =========  ==========================================================
feed file              rows (S=1) what it asserts
=====================  =========  ==========================================================
subscribers.csv          370,000  SIM registration: Person -USES_PHONE-> Phone (national format)
account_holders.csv      200,000  bank KYC: Person -HOLDS_ACCOUNT-> BankAccount
wallet_holders.csv       100,000  exchange KYC: Person -CONTROLS_WALLET-> CryptoWallet
compound_staff.csv       100,000  police case records: Person -WORKED_AT/HELD_AT-> Compound
cdr.csv                2,400,000  telecom call detail records: Phone -CALLED-> Phone
bank_transfers.csv     1,200,000  bank transfer reports: BankAccount -TRANSFERRED_TO-> BankAccount
chain_transfers.csv      300,000  chain analytics export: CryptoWallet -TRANSFERRED_TO-> CryptoWallet
border_crossings.csv     300,000  immigration log: Person -CROSSED-> BorderCheckpoint
exchange_deposits.csv          1  exchange on-ramp: BankAccount -TRANSFERRED_TO-> CryptoWallet
intelligence_links.csv        30  police intelligence: Person -ASSOCIATE_OF/RECRUITED-> Person,
                                  Person -HOLDS_DOCUMENT-> IdentityDocument
=====================  =========  ==========================================================

Planted structures: at every scale and seed the feeds also hold the issue's known structures and
decoys (a mule ring layering into a Tron wallet, four co-travellers, two syndicates and their
broker, a recruiter of victims of three nationalities, shared-phone and shared-document rings),
with entities of their own: :mod:`graphapi.bench.planted_feeds`, whose rows are the only rows of
the last two feeds and are appended to the others (counts above are the background's).

Nodes at S=1: 330,000 people, 370,000 phones, 200,000 bank accounts, 100,000 wallets, 200
compounds, 100 checkpoints. Every generated entity appears in some feed, and every event row
is its own relationship (calls, transfers and crossings carry their record id or transaction id),
so the loaded graph has exactly :attr:`Manifest.nodes` nodes and :attr:`Manifest.relationships`
relationships.

The background's entities and rows, and how its hubs and spellings are drawn:
:mod:`graphapi.bench.background_feeds`.

Timestamps: ISO 8601 UTC (``2024-03-05T12:34:56Z``) over 2023-01-01 .. 2024-12-31. Values are
synthetic and labelled so (``source`` column and the manifest); any resemblance of a generated
number to a real subscriber's is chance.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import asdict, dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from graphapi.bench.background_feeds import World, background_rows
from graphapi.bench.planted_feeds import EXTRA_FEEDS, LINK_TYPES, planted_rows
from graphapi.ingest.identity.banks import named_bank

#: Version of the generator's output; bump when the files change so cached feeds are rebuilt.
GENERATOR_VERSION = 4  # 4: the manifest counts the Bank nodes and AT_BANK links a load derives
DEFAULT_SEED = 20261129

#: Entity and row counts at scale 1.
NODES_AT_1 = {"Person": 330_000, "Phone": 370_000, "BankAccount": 200_000, "CryptoWallet": 100_000,
              "Compound": 200, "BorderCheckpoint": 100}
ROWS_AT_1 = {"subscribers": 370_000, "account_holders": 200_000, "wallet_holders": 100_000,
             "compound_staff": 100_000, "cdr": 2_400_000, "bank_transfers": 1_200_000,
             "chain_transfers": 300_000, "border_crossings": 300_000}
#: Floors so that S=0.001 still has every kind of node and a few hubs.
NODE_FLOORS = {"Compound": 3, "BorderCheckpoint": 4}
SOURCE = "bench-synthetic"


@dataclass
class Manifest:
    """What :func:`generate` wrote: files (feed name -> file name), rows per feed, and the node
    and relationship totals a complete load of all feeds yields."""

    scale: float
    seed: int
    version: int
    files: dict[str, str]
    rows: dict[str, int]
    nodes_by_label: dict[str, int]
    relationships_by_type: dict[str, int] = field(default_factory=dict)

    @property
    def nodes(self) -> int:
        """Distinct nodes in the feeds."""
        return sum(self.nodes_by_label.values())

    @property
    def relationships(self) -> int:
        """Distinct relationships in the feeds (one per row)."""
        return sum(self.relationships_by_type.values())

    def to_json(self) -> str:
        """The manifest as JSON (what ``manifest.json`` holds)."""
        return json.dumps(asdict(self), indent=2)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Read a manifest written by :meth:`to_json`."""
        return cls(**json.loads(text))


def counts_for(scale: float) -> tuple[dict[str, int], dict[str, int]]:
    """``(nodes by label, rows by feed)`` at ``scale`` (> 0). Raises ValueError otherwise."""
    if not scale > 0:
        raise ValueError(f"scale must be > 0, got {scale}")
    nodes = {k: max(NODE_FLOORS.get(k, 2), round(v * scale)) for k, v in NODES_AT_1.items()}
    rows = {k: max(1, round(v * scale)) for k, v in ROWS_AT_1.items()}
    # Every phone, account and wallet has its KYC row; staff are distinct people.
    rows["subscribers"] = nodes["Phone"]
    rows["account_holders"] = nodes["BankAccount"]
    rows["wallet_holders"] = nodes["CryptoWallet"]
    rows["compound_staff"] = min(rows["compound_staff"], nodes["Person"])
    rows["border_crossings"] = max(rows["border_crossings"], nodes["BorderCheckpoint"])
    # People: each needs at least one row, so there are never more than the KYC rows can cover.
    nodes["Person"] = min(nodes["Person"], nodes["Phone"])
    return nodes, rows


#: Relationship type asserted by each feed's rows (compound_staff: WORKED_AT or HELD_AT per row).
FEED_RELATIONSHIP = {"subscribers": "USES_PHONE", "account_holders": "HOLDS_ACCOUNT",
                     "wallet_holders": "CONTROLS_WALLET", "cdr": "CALLED", "bank_transfers": "TRANSFERRED_TO",
                     "chain_transfers": "TRANSFERRED_TO", "border_crossings": "CROSSED",
                     "exchange_deposits": "TRANSFERRED_TO"}


#: Account columns of the feeds that name one: (country, bank, number) column names.
_ACCOUNT_COLUMNS = (("country", "bank", "account_number"), ("from_country", "from_bank", "from_account"),
                    ("to_country", "to_bank", "to_account"))


def _account_columns(header: list[str]) -> list[tuple[int, int, int]]:
    """Positions of each (country, bank, number) column triple ``header`` holds."""
    return [(header.index(c), header.index(b), header.index(n)) for c, b, n in _ACCOUNT_COLUMNS
            if c in header and b in header and n in header]


def bank_links(accounts: set[tuple[str, str, str]]) -> tuple[int, int]:
    """``(AT_BANK links, Bank nodes)`` a load of the feeds derives from their ``accounts``
    (country, bank code, number): one link per account at a bank the gazetteer knows, one node
    per such bank (:mod:`graphapi.ingest.identity.banks`)."""
    entries: dict[str, Any] = {}
    linked: set[tuple[str, str, str]] = set()
    for country, bank, number in accounts:
        if bank not in entries:
            entries[bank] = named_bank({"bankCode": bank})[0]
        if entries[bank] is not None:
            linked.add((country, entries[bank].id, number))
    return len(linked), len({e.id for e in entries.values() if e is not None})


def generate(out_dir: Path, scale: float = 0.05, seed: int = DEFAULT_SEED) -> Manifest:
    """Write the feed CSVs and ``manifest.json`` for ``scale`` into ``out_dir``; returns the manifest.

    Deterministic: the same scale, seed and :data:`GENERATOR_VERSION` give byte-identical files.
    Feeds are written in dependency order (entities' KYC feeds before event feeds). Raises
    ValueError for a scale <= 0 and OSError if the directory cannot be written.
    """
    nodes, rows = counts_for(scale)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    world = World(rng, nodes)
    files: dict[str, str] = {}
    written: dict[str, int] = {}
    rels: dict[str, int] = {}
    staff_kinds = {"WORKED_AT": 0, "HELD_AT": 0}
    planted, _answers = planted_rows()
    feeds = {feed: (header, lambda make=make, feed=feed: chain(make(), planted.rows.get(feed, [])))
             for feed, (header, make) in background_rows(world, rows).items()}
    feeds |= {feed: (header, lambda feed=feed: iter(planted.rows[feed])) for feed, header in EXTRA_FEEDS.items()}
    accounts: set[tuple[str, str, str]] = set()  # (country, bank, number) of every account row
    for feed, (header, make) in feeds.items():
        path = out_dir / f"{feed}.csv"
        count = 0
        columns = _account_columns(header)
        with path.open("w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(header)
            for row in make():
                out.writerow(row)
                count += 1
                accounts.update((row[c], row[b], row[n]) for c, b, n in columns)
                if feed == "compound_staff":
                    staff_kinds["HELD_AT" if row[-1] == "held" else "WORKED_AT"] += 1
                elif feed == "intelligence_links":
                    rels[LINK_TYPES[row[1]]] = rels.get(LINK_TYPES[row[1]], 0) + 1
        files[feed] = path.name
        written[feed] = count
        if feed in FEED_RELATIONSHIP:
            rel = FEED_RELATIONSHIP[feed]
            rels[rel] = rels.get(rel, 0) + count
    rels.update({k: v for k, v in staff_kinds.items() if v})
    all_nodes = dict(nodes)
    for label, count in planted.nodes_by_label().items():
        all_nodes[label] = all_nodes.get(label, 0) + count  # the planted entities are their own
    links, banks = bank_links(accounts)
    if links:  # the loader links each account of a bank the gazetteer knows to its one Bank node
        rels["AT_BANK"] = links
        all_nodes["Bank"] = all_nodes.get("Bank", 0) + banks
    manifest = Manifest(scale=scale, seed=seed, version=GENERATOR_VERSION, files=files, rows=written,
                        nodes_by_label=all_nodes, relationships_by_type=rels)
    (out_dir / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
    return manifest


def cached_or_generate(root: Path, scale: float, seed: int = DEFAULT_SEED) -> tuple[Manifest, Path, bool]:
    """Reuse ``root/S<scale>-seed<seed>`` if its manifest matches, else generate it there.

    Returns ``(manifest, directory, reused)``.
    """
    out_dir = Path(root) / f"S{scale:g}-seed{seed}"
    manifest_path = out_dir / "manifest.json"
    if manifest_path.exists():
        try:
            m = Manifest.from_json(manifest_path.read_text(encoding="utf-8"))
            if m.version == GENERATOR_VERSION and m.scale == scale and m.seed == seed and all(
                (out_dir / f).exists() for f in m.files.values()
            ):
                return m, out_dir, True
        except (ValueError, TypeError, KeyError):
            pass
    return generate(out_dir, scale, seed), out_dir, False
