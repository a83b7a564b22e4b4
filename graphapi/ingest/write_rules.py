"""The writer's merge rules: when a record adds nothing (:func:`covered`), which label is the
specific one, and when a record is refused (TLP disclosure, label conflict, a relationship the
ontology does not allow) instead of merged into a stored item.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphapi.ingest.blind_diverted import BLIND_DIVERTED
from graphapi.ingest.blind_shadow import BLIND_SHADOW
from graphapi.ingest.blind_values import BLIND_KNOWN, BLIND_SAID
from graphapi.ingest.merge import merge_properties
from graphapi.ingest.records import EdgeRecord, Origin, Rejection
from graphapi.ingest.reference_data import OWNER as REFERENCE_OWNER
from graphapi.ingest.reference_data import TLP as REFERENCE_TLP
from graphapi.ingest.reference_data import is_reference_id
from graphapi.ontology import Model
from graphapi.ontology.tlp import audience, item_audience, reaches_all, strictness, visible_to
from graphapi.ontology.types import get_type
from graphapi.security.kept_shares import SHARES

#: what a replace record's values leave on the item besides them (write_rules._merge)
KEPT_BY_REPLACE = (SHARES, BLIND_SAID, BLIND_KNOWN, BLIND_DIVERTED, BLIND_SHADOW)


def covered(new: dict[str, Any], known: dict[str, Any], multiple: frozenset[str]) -> bool:
    """True if merging ``new`` into ``known`` would change nothing (values equal or contained,
    ``firstSeen`` not earlier, ``lastSeen`` not later)."""
    for k, v in new.items():
        have = known.get(k)
        if k == "firstSeen":
            if have is None or v < have:
                return False
        elif k == "lastSeen":
            if have is None or v > have:
                return False
        elif k in multiple:
            vals = v if isinstance(v, list) else [v]
            if not isinstance(have, list) or any(x not in have for x in vals):
                return False
        elif have != v:
            return False
    return True


def _only_seen_moved(merged: dict[str, Any], old: dict[str, Any]) -> bool:
    """True if an item's properties ``merged`` differ from the stored ``old`` in ``lastSeen``
    alone: the same values said again later, counted ``*_seen`` (and unchanged), not updated."""
    keys = (set(merged) | set(old)) - {"id"}
    return {k for k in keys if merged.get(k) != old.get(k)} == {"lastSeen"}


#: Properties that say where a record came from rather than what it says.
_PROVENANCE_KEYS = frozenset({"sources", "firstSeen", "lastSeen", "owner", "tlp", "sharedWith", "recordId",
                              "unresolved", "conflicts", "shares"})


def _adds_values(new: dict[str, Any], old: dict[str, Any], multiple: frozenset[str]) -> bool:
    """True if record properties ``new`` say anything the stored ``old`` does not (provenance aside)."""
    said = {k: v for k, v in new.items() if k not in _PROVENANCE_KEYS and v is not None}
    return not covered(said, old, multiple)


def _restricted(item_id: str, props: dict[str, Any]) -> str:
    """The reason given for a record that would merge into an item its agency may not see: a hit
    in the sense of DESIGN.md's hit / no-hit rule (a restricted match exists, and whose it is)."""
    return (f"restricted: {item_id} is held by {props.get('owner') or 'another agency'} at a level your "
            "agency may not see; not merged (request access from the owner)")


def _kept_apart(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """True if record properties ``new`` are meant for fewer agencies than see the stored item
    ``old`` and are kept in their own statement alone, at their own level: the item's fields,
    sources, search text and seen dates (which that wider audience reads) stay as they were, and
    ``values`` shows the record's values to its own audience only. So are the owner's record at
    the item's level shared with fewer (AMBER shared with fewer: attack round 4, H1) and another
    agency's record about an item that agency may see (its AMBER record on a GREEN node: issue 12,
    new-user trial 8). Call it before :meth:`RefusalRules._foreign`, which drops a foreign
    record's ``sharedWith``; a record stricter than its owner's own item is refused there, and
    one whose owner may not see the item stays refused too (no statement on what it may not see)."""
    if reaches_all(item_audience(new), item_audience(old)):
        return False
    return new.get("owner") == old.get("owner") or visible_to(old, new.get("owner"))


def at_old_level(merged: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    """``merged`` (an item's properties once a record widened it) still at the stored item
    ``old``'s level: what is written first, the item widened only after its fields are rebuilt
    (no ``sharedWith`` key where the item had none, so ``SET +=`` leaves it absent)."""
    out = {**merged, "tlp": old.get("tlp")}
    if old.get("sharedWith") is None:
        out.pop("sharedWith", None)
    else:
        out["sharedWith"] = old["sharedWith"]
    return out


def _row(origin: Origin | None) -> tuple[str, str, int]:
    """The row a record comes from, ``(source, file, line)``; an empty one without an origin."""
    return (origin.source, origin.file, origin.line) if origin is not None else ("", "", 0)


def _a(label: str) -> str:
    """``label`` with its article: ``a Person``, ``an Organization``."""
    return f"{'an' if label[:1] in 'AEIOU' else 'a'} {label}"


def _specific(model: Model, labels: Iterable[str]) -> str | None:
    """The most specific concrete label of a stored node's ``labels`` (Company of Entity,
    Organization, Company). Labels are read in name order, not the store's: FalkorDB lists a
    node's labels by when each label was first created in the graph, so of two siblings (an
    Organization placeholder resolved as a Person kept both before attack round 32) the first
    listed changed from graph to graph. A node of two sibling labels is not written any more; one
    found answers as the first of them by name, on both backends and every graph."""
    best: str | None = None
    for name in sorted(labels):
        lb = model.labels.get(name)
        if lb is None or lb.abstract:
            continue
        if best is None or len(lb.ancestors) > len(model.labels[best].ancestors):
            best = name
    return best


class RefusalRules:
    """:class:`graphapi.ingest.writer.Writer`'s merge and refusal rules (runs on its state)."""

    def _merge(self, item_id: str, old: dict[str, Any], new: dict[str, Any],
               multiple: frozenset[str]) -> dict[str, Any]:
        """Provenance merge, or for a ``replace`` record whose source alone asserted the item,
        the new values (firstSeen kept as the minimum)."""
        if item_id in self._replace:
            self._replace.discard(item_id)
            if set(old.get("sources") or []) <= set(new.get("sources") or []) \
                    and not self._other_lines(item_id, old, new):
                out = dict(new)
                seen = [v for v in (old.get("firstSeen"), new.get("firstSeen")) if v]
                if seen:
                    out["firstSeen"] = min(seen)
                for k in old:  # the owner's shares stay: only an unshare takes them back (kept_shares);
                    if k not in out and k != "id":  # and what blind loads were told (blind_values, a-65 1)
                        out[k] = old[k] if k in KEPT_BY_REPLACE else None
                return out
        return merge_properties(old, new, multiple)

    def _other_lines(self, item_id: str, old: dict[str, Any], new: dict[str, Any]) -> bool:
        """Whether keyed node ``item_id``, MOD'd by one of its lines, names referents the record does
        not: another line of the source (of the same dataset) states it too, so the MOD is not all the
        source says of it (its values are rebuilt from the statements, its level narrowed only to
        them). A sources test alone took the record whole: a rerun killed after the withdrawal of ds1
        found W1's sources the MOD's own and widened W1 to the MOD's CLEAR past k-3's AMBER line
        (attack round a-107, 5)."""
        if not any(item_id in by_node for by_node in self._keyed_moves.values()):
            return False
        return bool(set(old.get("referents") or ()) - set(new.get("referents") or ()))

    def _foreign(self, item_id: str, old: dict[str, Any], new: dict[str, Any]) -> str | None:
        """The reason to refuse merging record properties ``new`` into the stored item ``old``,
        or None after making the merge safe. Every load, the operator's too:

        - the item's owner is another agency's: its sharing is the owner's (``sharedWith``
          dropped), a replace is only a merge, and the record is merged only if everyone who may
          see the item may also see the record (TLP audiences, :func:`graphapi.ontology.tlp.audience`), as its values
          would be shown at the item's level;
        - the item is the record's owner's own: refused if the record is stricter (RED values
          into the agency's CLEAR node); the owner raises the item's TLP first. A record at the
          item's level shared with fewer agencies is not refused: the node and edge writers keep its
          values out of the item (:func:`_kept_apart`).

        A record of another agency meant for fewer agencies than see the item is not refused
        either when its owner may see the item: it is kept apart in its statement
        (:func:`_kept_apart`). Only one whose owner may not see the item (an operator's load
        for that agency: an agency's own load was refused as ``restricted`` before) is refused
        here, as no statement is kept about what its owner may not see.
        (A bare reference never gets here: it leaves a stored node as it was.)"""
        record_owner, item_owner = new.get("owner"), old.get("owner")
        level, held = old.get("tlp"), item_owner or "another agency"
        if record_owner == item_owner:
            if strictness(new.get("tlp")) > strictness(level):
                return (f"would disclose: your record is {new.get('tlp')} but {item_id} is {level}; not merged "
                        f"(raise its TLP first)")
            return None
        record_sees = audience(new.get("tlp"), record_owner, new.pop("sharedWith", None))
        self._replace.discard(item_id)
        item_sees = audience(level, item_owner, old.get("sharedWith"))
        if not reaches_all(record_sees, item_sees) and not visible_to(old, record_owner):
            return (f"would disclose: your record is {new.get('tlp')} but {item_id} is {level}, held by {held}, "
                    f"seen by others your record is not meant for; not merged (load it at a level they may see, "
                    f"or ask its owner)")
        return None

    async def _note_protected(self, stored: Mapping[str, Mapping[str, Any] | None]) -> None:
        """Add to ``protected`` the stored nodes (id -> stored properties) of other agencies the
        viewer may see but not as themselves (a victim, a victim's phone: ``security/protected_ids``),
        and to ``blind`` the viewer's own such nodes (merged, but their hidden fields tell the load
        nothing: :mod:`graphapi.ingest.blind_values`), each asked once per load."""
        ask = [nid for nid, props in stored.items() if nid not in self._protection_read and props
               and visible_to(props, self.viewer)]
        self._protection_read.update(stored)
        if ask:
            rows = await self.store.read("security/protected_ids", {"ids": sorted(ask), "agency": self.viewer})
            for r in rows:
                nid = str(r["id"])
                (self.blind if stored[nid].get("owner") == self.viewer else self.protected).add(nid)

    async def _note_protected_ends(self, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """As :meth:`_note_protected`, for the ends of relationships about to be written; returns
        the stored rows (``{id, labels, props}``) of the ends it read."""
        ends = sorted({e for r in rows for e in (r["start"], r["end"])} - self._protection_read)
        if not ends:
            return {}
        stored = {r["id"]: r for r in await self.store.read("ingest/existing_nodes", {"ids": ends})}
        await self._note_protected({nid: (stored.get(nid) or {}).get("props") for nid in ends})
        return stored

    def _disclosure_hit(self, item_id: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        """An agency's record refused as ``would disclose`` on another agency's item tells the
        agency that the item exists and whose it is: a hit, audited for the owner as a restricted
        one is (attack round 5: the victim-protected phone of another agency was confirmed so,
        and nothing reached its owner's audit trail)."""
        owner = old.get("owner")
        if self.viewer is not None and owner != new.get("owner"):
            self.counts.hits.append((item_id, str(owner or "")))

    def _refuse_row(self, origin: Origin | None, nid: str, label: str, other: str, made_by: str) -> None:
        """Refuse a node record that would make ``nid``, a ``label``, also an ``other`` (labels
        that cannot merge): a row reject, and the rest of its row is not written. ``made_by``:
        what made it a ``label`` (:meth:`_made_by_row`, :meth:`_made_by_load`)."""
        if origin is not None and origin.line:  # a record from a row (not a fixture's): a row reject
            row = _row(origin)
            if row in self._refused_rows:
                return
            self._refused_rows.add(row)
            self.counts.rows_rejected += 1
        self._refuse(origin, {"id": nid, "label": other},
                     f"label conflict: {nid} is {_a(label)} ({made_by}), not {_a(other)}; not merged",
                     restricted=False)

    @staticmethod
    def _made_by_row(origin: Origin | None) -> str:
        """The earlier row of this load that made a node what it is: ``people.csv line 2``."""
        return f"{origin.file} line {origin.line}" if origin is not None and origin.line else "earlier in this load"

    def _made_by_load(self, stored: dict[str, Any]) -> str:
        """What made a stored node what it is: ``as stored, from ofac`` (its sources) for an
        operator's load, who sees them all; an agency's load is told no source name (one may be
        another agency's, whose statements it may not see): ``as stored``."""
        sources = sorted(str(s) for s in stored.get("sources") or ())
        if self.viewer is None and sources:
            return f"as stored, from {', '.join(sources)}"
        return "as stored"

    def _refuse_over_budget(self, origin: Origin | None, raw: dict[str, Any], reason: str) -> None:
        """Refuse a record past its agency's source budget (G4): a reject of its whole row, as a
        label conflict is, not a hit (the item is one the agency sees). Counted by record, a
        relationship refused beside its row's unchanged end points left the row counted loaded
        (attack round 11, G6)."""
        if origin is not None and origin.line and (row := _row(origin)) not in self._refused_rows:
            self._refused_rows.add(row)
            self.counts.rows_rejected += 1
        self._refuse(origin, raw, reason, restricted=False)

    def _refuse(self, origin: Origin | None, raw: dict[str, Any], reason: str, *, restricted: bool = True) -> None:
        if restricted:
            self.counts.restricted += 1
        self.counts.rejected.append(Rejection(file=origin.file if origin else "", line=origin.line if origin else 0,
                                              reason=reason, raw=raw))

    def _endpoints_allowed(self, rec: EdgeRecord) -> bool:
        src, dst = self._labels.get(rec.start), self._labels.get(rec.end)
        if src is None or dst is None:
            return True
        key = (rec.type, src, dst)
        allowed = self._allowed.get(key)
        if allowed is None:
            allowed = self._allowed[key] = self.model.allows(rec.type, src, dst)
        if allowed:
            return True
        o = rec.origin
        self.counts.rejected.append(
            Rejection(
                file=o.file if o else "",
                line=o.line if o else 0,
                reason=f"{rec.type} not allowed from {src} to {dst}",
                raw={"id": rec.id, "start": rec.start, "end": rec.end},
            )
        )
        return False


_NAME = get_type("name")


def clean_names(names: frozenset[str], props: dict[str, Any]) -> None:
    """Clean ``props``' names (``names``: the label's name-typed properties) as
    :class:`graphapi.ontology.types.name.NameType` does, whatever the reader (FtM's own cleaning
    kept a bidi override or a zero-width space: attack round 23, C3); a value that is no name
    once cleaned goes."""
    for key in names:
        value = props.get(key)
        if value is None:
            continue
        if isinstance(value, list):
            cleaned: Any = [c for c in dict.fromkeys(_NAME.clean(v) for v in value) if c is not None] or None
        else:
            cleaned = _NAME.clean(value)
        if cleaned is None:
            del props[key]
        else:
            props[key] = cleaned


def relabel_refused(nid: str, label: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    """The reason another agency's record meant for fewer agencies than see node ``nid`` is
    refused when it would refine the node's label to ``label`` (which every reader of the node sees)."""
    return (f"would disclose: your record is {new.get('tlp')} but {nid} is {old.get('tlp')}, held by "
            f"{old.get('owner') or 'another agency'}, and would become {_a(label)} for agencies your record "
            "is not meant for; not merged (load it at a level they may see, or ask its owner)")


def reference_node(nid: str, stored: dict[str, Any]) -> bool:
    """True if ``nid`` is a gazetteer's node as the gazetteers wrote it: public CLEAR reference data."""
    return is_reference_id(nid) and (stored.get("owner"), stored.get("tlp")) == (REFERENCE_OWNER, REFERENCE_TLP)
