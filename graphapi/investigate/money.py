"""Money trail: where the money went (or came from), along time-respecting transfer paths only.

A trail follows ``TRANSFERRED_TO`` hop by hop from an account or wallet. Each next transfer must
happen at or after the one before it (DOWNSTREAM; at or before it, UPSTREAM) and, with
``max_gap``, within that gap of it: money cannot leave an account before it arrived, so a chain
whose timestamps run backwards is not a trail. Each hop keeps its amount in its own currency and
adds an approximate one in USD where the rate table (:mod:`graphapi.investigate.rates`) has that
currency's rate. Driven from Python like ``paths.py``: one
``analytics/transfer_step`` statement per hop carries the open trails' tails as (node, time
window) pairs, with visibility enforced in that Cypher, so a hidden transfer or account never
extends, ends or shows in a trail.

Where a trail ends (``ends_at``): ``EXCHANGE`` when it reaches an account or wallet that a visible
exchange (an Organization flagged ``exchange``) holds by a visible link (statement
``analytics/exchange_holders``, one per hop): the trail stops there, since what leaves an
exchange's wallets is pooled money, no longer this money, and the exchange's records are the next
lead. ``CASH_OUT`` (DOWNSTREAM) when its last transfer is a withdrawal (``kind: withdrawal``):
the money left as cash. ``OPEN`` otherwise: no onward transfer in the window, or ``max_hops``.
Another agency's hidden exchange, holding link or withdrawal changes no trail's end.

One transfer reported by several sources (a bank's feed and an FIU's, each its own
``TRANSFERRED_TO``: the same ends, amount, currency and kind, times that agree at the coarser
precision, ``10:15`` from one and ``10:15:42`` from the other, no source in common) is one hop,
its ``reports`` the other relationships and ``sources`` every source of them: counted once, it no
longer multiplies the trails through it (new-user reports; trial 7: minute against second). Only
visible reports are read, so a hidden one changes nothing. Round trips: 2 ``max_hops`` + 2 at most.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from pydantic import TypeAdapter, ValidationError

from graphapi.errors import InvalidArgument, NotFound
from graphapi.investigate.analytics_common import fetch_relationships
from graphapi.investigate.args import _shown, check_currencies, check_range, check_time_range
from graphapi.investigate.expand import Subgraph
from graphapi.investigate.rates import RateTable, rate_table
from graphapi.investigate.report_times import MINUTE, at_precision, same_time
from graphapi.investigate.shown_order import shown_id, shown_nodes
from graphapi.investigate.trail_windows import MAX_CHECKS, HopIndex, frontier, window
from graphapi.security import Principal
from graphapi.security.redaction import may_see_victims
from graphapi.store import GraphStore, Node

MAX_HOPS = 6
MAX_LIMIT = 1000
#: Transfers read per hop at most: beyond this the frontier is a payment hub, not a lead.
STEP_CAP = 20_000
DIRECTIONS = ("DOWNSTREAM", "UPSTREAM")
#: Where a trail ends; ``reason`` ``EXCHANGE`` / ``CASH_OUT`` for the first two, else ``OPEN``.
EXCHANGE, CASH_OUT, OPEN = "EXCHANGE", "CASH_OUT", "OPEN"
#: ``TRANSFERRED_TO.kind`` of a cash withdrawal (ontology relationships.yaml).
WITHDRAWAL = "withdrawal"
_DURATION = TypeAdapter(timedelta)


@dataclass(frozen=True)
class Transfer:
    """One hop: the ``TRANSFERRED_TO`` id, its stored start/end node ids, ``at`` (UTC ISO 8601),
    ``amount`` in its own ``currency`` (ISO 4217 or token; kept as stored), and ``approx_amount``
    in ``approx_currency`` (USD) by the rate table's rate of ``approx_as_of``: all three None where
    the table has no rate for ``currency`` or the transfer no amount."""

    id: str
    start: str
    end: str
    at: str
    amount: float | None
    currency: str | None
    approx_amount: float | None = None
    approx_currency: str | None = None
    approx_as_of: str | None = None
    kind: str | None = None
    #: the sources that reported it, and the ids of the other relationships reporting the same
    #: transfer (one hop: see the module docstring)
    sources: tuple[str, ...] = ()
    reports: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trail:
    """Transfers in the order the money moved away from the start (DOWNSTREAM: start first;
    UPSTREAM: the transfer into the start first, then the one before it...), and ``end``: the
    node id the trail stopped at, and why (``NO_ONWARD_TRANSFER``, ``MAX_HOPS``, ``EXCHANGE`` or
    ``CASH_OUT``); ``exchange``: the exchange's id where it ends at one."""

    transfers: tuple[Transfer, ...]
    end: str
    reason: str
    exchange: str | None = None

    @property
    def ends_at(self) -> str:
        """``EXCHANGE``, ``CASH_OUT`` or ``OPEN`` (see the module docstring)."""
        return self.reason if self.reason in (EXCHANGE, CASH_OUT) else OPEN


@dataclass(frozen=True)
class EndPoint:
    """A node where trails stopped, and where that is (``ends_at``): ``reason`` is
    ``NO_ONWARD_TRANSFER`` (no visible transfer in the time window), ``MAX_HOPS``, ``EXCHANGE``
    (``exchange``: the visible exchange holding it) or ``CASH_OUT``; ``trails`` counts the trails
    ending there so."""

    node: Node
    reason: str
    trails: int
    ends_at: str = OPEN
    exchange: Node | None = None


@dataclass(frozen=True)
class MoneyTrail:
    """The subgraph of every trail, the trails, their end points; ``truncated`` if a budget cut."""

    subgraph: Subgraph
    trails: list[Trail]
    end_points: list[EndPoint]
    truncated: bool


def parse_gap(value: str | float | None) -> timedelta | None:
    """``max_gap`` as a timedelta: an ISO 8601 duration (``PT6H``, ``P2D``) or a number of hours.

    Raises InvalidArgument for anything else, or a gap that is not positive.
    """
    if value is None:
        return None
    try:
        gap = timedelta(hours=float(value))
    except (TypeError, ValueError):
        try:
            gap = _DURATION.validate_python(str(value).strip())
        except ValidationError:
            raise InvalidArgument(
                f"maxGap must be an ISO 8601 duration (PT6H, P2D) or a number of hours, got {_shown(str(value))!r}"
            ) from None
    except OverflowError:
        raise InvalidArgument("maxGap is too large") from None
    if gap <= timedelta(0):
        raise InvalidArgument("maxGap must be positive")
    return gap


def _transfer(t: dict, rates: RateTable) -> Transfer:
    """A transfer row of ``analytics/transfer_step`` as a hop, with its approximate USD amount."""
    amount = float(t["amount"]) if t.get("amount") is not None else None
    approx = rates.convert(amount, t.get("currency"))
    sources = tuple(str(s) for s in (t.get("sources") or ()))
    if approx is None:
        return Transfer(t["id"], t["start"], t["end"], t["at"], amount, t.get("currency"), kind=t.get("kind"),
                        sources=sources)
    value, rate = approx
    return Transfer(t["id"], t["start"], t["end"], t["at"], amount, t.get("currency"),
                    value, rates.currency, rate.as_of, t.get("kind"), sources)


def one_per_transfer(hops: list[tuple[Transfer, str]]) -> list[tuple[Transfer, str]]:
    """``hops`` (in the order read) with the reports of one transfer by different sources made one:
    its most precise report (the first read of equals; a time to the second over one to the
    minute), its ``reports`` the others' ids and its ``sources`` all of theirs (sorted). Two records
    of the same ends, amount, currency and kind whose times agree at the coarser precision
    (:func:`same_time`: ``10:15`` from one source, ``10:15:42`` from another) are one transfer if no
    source reported both (one source's two records of it are two transfers, as that source says).
    Reports to the second are matched first; one to the minute then joins the one transfer it
    agrees with, or stays its own if it agrees with several (10:15 beside 10:15:30 and 10:15:42),
    so the answer does not hang on the order the store reads them in (attack round 25, F5)."""
    merged: list[list] = []  # [representative, its neighbour, other reports' ids, sources, first read]
    same: dict[tuple, list[int]] = {}
    order = sorted(range(len(hops)), key=lambda k: (at_precision(hops[k][0].at) >= MINUTE, k))
    for k in order:
        t, nb = hops[k]
        fact = (t.start, t.end, t.amount, t.currency, t.kind)
        told = set(t.sources)
        agreeing = [i for i in same.get(fact, [])
                    if told and not told & set(merged[i][3]) and same_time(merged[i][0].at, t.at)]
        if len(agreeing) == 1 or (agreeing and at_precision(t.at) < MINUTE):
            entry = merged[agreeing[0]]
            entry[3].update(dict.fromkeys(t.sources))
            entry[4] = min(entry[4], k)
            if at_precision(t.at) < at_precision(entry[0].at):  # the finer time leads the hop
                entry[2].insert(0, entry[0].id)
                entry[0], entry[1] = t, nb
            else:
                entry[2].append(t.id)
        else:
            same.setdefault(fact, []).append(len(merged))
            merged.append([t, nb, [], dict.fromkeys(t.sources), k])
    merged.sort(key=lambda entry: entry[4])
    return [(replace(t, sources=tuple(sorted(sources)), reports=tuple(others)) if others else t, nb)
            for t, nb, others, sources, _ in merged]


async def _exchanges(store: GraphStore, principal: Principal, ids: Sequence[str]) -> dict[str, tuple[str, dict]]:
    """``{account or wallet id: (exchange id, holding link {id, start, end})}`` for those of
    ``ids`` a visible exchange holds by a visible link (statement ``analytics/exchange_holders``)."""
    if not ids:
        return {}
    rows = await store.read("analytics/exchange_holders", {"ids": list(ids), **principal.cypher_params()})
    return {r["id"]: (r["exchange"], r["link"]) for r in rows}


async def money_trail(
    store: GraphStore,
    principal: Principal,
    id: str,
    direction: str = "DOWNSTREAM",
    max_hops: int = 4,
    since: str | None = None,
    until: str | None = None,
    min_amount: float | None = None,
    max_gap: str | float | None = None,
    currencies: Sequence[str] | None = None,
    limit: int = 100,
    rates: RateTable | None = None,
) -> MoneyTrail:
    """Time-respecting transfer trails from the visible account or wallet ``id``.

    ``direction``: DOWNSTREAM (where the money went) or UPSTREAM (where it came from);
    ``max_hops``: 1..6; ``since``/``until``: inclusive ISO 8601 bounds on every transfer;
    ``min_amount``: per transfer, in its own currency; ``max_gap``: see :func:`parse_gap`;
    ``currencies``: ISO 4217 codes or crypto tickers, in any case (see
    :func:`graphapi.investigate.args.check_currencies`); ``limit``: 1..1000 trails; ``rates``:
    the table for approximate USD amounts (default :func:`rate_table`). A trail never visits a
    node twice; it stops at an exchange, and DOWNSTREAM at a withdrawal (module docstring).
    Raises NotFound (unknown or hidden id) and InvalidArgument.
    """
    if direction not in DIRECTIONS:
        raise InvalidArgument(f"direction must be one of {DIRECTIONS}")
    check_range("maxHops", max_hops, 1, MAX_HOPS)
    check_range("limit", limit, 1, MAX_LIMIT)
    since, until = check_time_range(since, until)
    gap = parse_gap(max_gap)
    if min_amount is not None and not (math.isfinite(min_amount) and min_amount >= 0):
        # a GraphQL literal past the double range (1e400) reads as inf, which no store takes
        raise InvalidArgument(f"minAmount must be a finite number, not negative, got {min_amount}")
    wanted = check_currencies(currencies)
    # the start's visibility is checked with the nodes read at the end (transfer_step walks from
    # visible nodes only)
    rates = rates or rate_table()

    # Open trails: (transfers so far, nodes visited). Finished ones go to ``done`` with a reason.
    open_trails: list[tuple[tuple[Transfer, ...], tuple[str, ...]]] = [((), (id,))]
    done: list[Trail] = []
    held: dict[str, tuple[str, dict]] = {}  # accounts and wallets an exchange holds
    truncated = False
    for _ in range(max_hops):
        # one store entry per account and run of overlapping windows (graphapi.investigate.trail_windows)
        tails = [(visited[-1], window(transfers[-1].at if transfers else None, direction, gap, since, until))
                 for transfers, visited in open_trails]
        hop = frontier(tails)
        rows = await store.read(
            "analytics/transfer_step",
            {
                "frontier": hop.entries,
                "direction": direction, "minAmount": min_amount, "currencies": wanted,
                "limit": STEP_CAP + 1, "masked": not may_see_victims(principal), **principal.cypher_params(),
            },
        )
        # The cap, and which trails the limit keeps (they extend in this order), by the ids shown:
        # a transfer touching a victim's account by its token, never by its stored id.
        rows.sort(key=lambda r: (r["key"], r["transfer"]["at"], r["hidden"],
                                 shown_id(r["transfer"]["id"], r["hidden"])))
        if len(rows) > STEP_CAP:
            truncated, rows = True, rows[:STEP_CAP]
        found: dict[int, list[tuple[Transfer, str]]] = {}
        for row in rows:
            t = row["transfer"]
            found.setdefault(int(row["key"]), []).append((_transfer(t, rates), row["neighbour"]))
        indexes = {key: HopIndex(one_per_transfer(hops)) for key, hops in found.items()}
        held |= await _exchanges(store, principal, sorted({r["neighbour"] for r in rows} - set(held)))
        extended: list[tuple[tuple[Transfer, ...], tuple[str, ...]]] = []
        budget = [MAX_CHECKS]
        for (transfers, visited), (_, (low, high)), key in zip(open_trails, tails, hop.keys, strict=True):
            index = indexes.get(key)
            full = len(extended) + len(done) >= limit
            onward = index.onward(low, high, visited, first_only=full, budget=budget) if index else []
            if onward is None:  # the hop's checks are spent: the trails left are cut
                truncated = True
                break
            if not onward:
                if transfers:
                    done.append(Trail(transfers, visited[-1], "NO_ONWARD_TRANSFER"))
                continue
            for t, nb in onward:
                if len(extended) + len(done) >= limit:
                    truncated = True
                    break
                if nb in held:
                    done.append(Trail((*transfers, t), nb, EXCHANGE, held[nb][0]))
                elif direction == "DOWNSTREAM" and t.kind == WITHDRAWAL:
                    done.append(Trail((*transfers, t), nb, CASH_OUT))
                else:
                    extended.append(((*transfers, t), (*visited, nb)))
        open_trails = extended
        if not open_trails:
            break
    done += [Trail(transfers, visited[-1], "MAX_HOPS") for transfers, visited in open_trails]
    done = done[:limit]
    return await _assemble(store, principal, id, done, truncated, held)


async def _assemble(store: GraphStore, principal: Principal, start: str, done: list[Trail],
                    truncated: bool, held: dict[str, tuple[str, dict]]) -> MoneyTrail:
    """Fetch the nodes and transfers the trails name (visible ones only) and build the answer;
    an exchange a trail ends at, and its holding link, are drawn too. Raises NotFound if ``start``
    is unknown or hidden."""
    transfers = {t.id: t for trail in done for t in trail.transfers}
    links = [held[trail.end][1] for trail in done if trail.reason == EXCHANGE]
    node_ids = list(dict.fromkeys([start, *(n for t in transfers.values() for n in (t.start, t.end)),
                                   *(link["start"] for link in links)]))
    nodes, shown = await shown_nodes(store, principal, node_ids)
    if start not in nodes:
        raise NotFound.no_entity(start)
    edges = await fetch_relationships(store, principal, [(i, t.start, t.end) for t in transfers.values()
                                                         for i in (t.id, *t.reports)]
                                      + [(link["id"], link["start"], link["end"]) for link in links])
    ends: dict[tuple[str, str], EndPoint] = {}
    for trail in done:
        end = ends.get((trail.end, trail.ends_at))
        if trail.end in nodes:
            ends[(trail.end, trail.ends_at)] = EndPoint(
                nodes[trail.end], trail.reason if end is None else end.reason, 1 if end is None else end.trails + 1,
                trail.ends_at, nodes.get(trail.exchange) if trail.exchange else None)
    # Ties by the ids the reader is shown (a transfer touching a victim's account, or the
    # account itself, by its token: graphapi.investigate.shown_order), never by stored ids.
    trails = sorted(done, key=lambda t: [x.at for x in t.transfers]
                    + [shown.relationship_id(x.id, x.start, x.end) for x in t.transfers])
    return MoneyTrail(
        subgraph=Subgraph(nodes=[nodes[n] for n in node_ids if n in nodes], edges=edges, truncated=truncated,
                          protected=shown.protected),
        trails=trails,
        end_points=sorted(ends.values(), key=lambda e: (shown.node(e.node.id), e.ends_at)),
        truncated=truncated,
    )
