"""What each source of a blind load's agency said of a guess, kept in its node's
:data:`~graphapi.ingest.blind_shadow.BLIND_SHADOW` (attack round a-75, 5a).

The wrong guess's item holds a statement per source, and a source that withdraws what it said (a
whole-source replace, a DEL) takes its values with it: the item's values are rebuilt from the
statements left. A shadow holding only the merged values kept the withdrawn source's (feed-a's
male, after feed-a's replace without it, beside feed-b's female), so feed-a saying male again
was told unchanged where the wrong guess's item was told updated, with a conflict. So the shadow
keeps, beside its merged props, the values each source last said (``by``: source -> values), and
a source withdrawn or replacing what it said has the props rebuilt from them, in the order the
sources first said the item, as the wrong guess's statements are merged. A shadow without
``by`` (kept before a-75) is left as it was: merged.

Each value is kept once (attack round a-77, 4): ``by`` names a value by its place among those
the props hold (:func:`_held`) and then the shadow's ``said`` (what a source said that the props
no longer hold). Held whole per source, a loader inventing feed names (a load job names its feed)
grew the victim's node by the whole record for each (30 feeds of a 20 KB value: 624 KB, read with
the node by everyone); now each feed saying the props' values adds its name and a number per
field, or null for a list the props hold as it is (a-84, 10: a number per value of the list was
11 KB a feed for 2,000 values). A value the props do not hold is kept in ``said`` (one differing
per feed still grows the node by the value per feed). A ``by`` without ``said`` (kept before a-77)
holds the values themselves."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from graphapi.ingest.merge import merge_properties

#: in a node's shadow JSON, beside ``label`` and ``props``: source -> the values it last said
BY = "by"
#: beside ``by``: the values a source said that the shadow's props do not hold, each once
SAID = "said"

#: bookkeeping of a shadow's props: not a value any source's statement holds
_BOOKKEEPING = frozenset({"sources", "sharedWith", "firstSeen", "lastSeen", "owner", "tlp", "recordId",
                          "conflicts", "alias", "saidAt"})


def said_values(props: Mapping[str, Any]) -> dict[str, Any]:
    """The values a record's (stamped) ``props`` say: what the source's statement would hold."""
    return {k: v for k, v in props.items() if k not in _BOOKKEEPING and v is not None}


def read_by(text: str | None) -> dict[str, dict[str, Any]] | None:
    """The ``by`` of a node's shadow ``text``, its values read from their places; None if it has
    none (kept before a-75)."""
    try:
        shadow = json.loads(text) if text else {}
        by = shadow.get(BY)
        if not isinstance(by, dict):
            return None
        if SAID not in shadow:  # kept before a-77: the values themselves
            return {str(k): dict(v) for k, v in by.items()}
        props = shadow.get("props") or {}
        values = _held(props) + list(shadow[SAID])
        return {str(s): {k: list(map(values.__getitem__, v)) if isinstance(v, list)
                         else list(props[k]) if v is None else values[v] for k, v in said.items()}
                for s, said in by.items()}
    except (TypeError, ValueError, AttributeError, IndexError, KeyError):
        return None


def packed(props: Mapping[str, Any], by: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """``{by, said}`` as a shadow with ``props`` keeps what each source said (``by``): each value
    named by its place, those the props hold there, any other once in ``said``. A value's place is
    one dict look-up of its :func:`_key`, a list of the props' texts looked up whole, and a list
    the props hold as it is named null (a-84, 9: a json text per value made a right guess's reload
    of 30 feeds' 2,000-value lists 113 ms slower than a wrong one's, and each feed's list of places
    was read and written again; a-84, 10: 11 KB a feed)."""
    said: list[Any] = []
    values = _held(props)
    places: dict[Any, int] = {}
    for i, v in enumerate(values):
        places.setdefault(_key(v), i)
    texts = {k: i for k, i in places.items() if type(k) is str}

    def place(v: Any) -> int:
        k = _key(v)
        i = places.get(k)
        if i is None:
            i = places[k] = len(values) + len(said)
            said.append(v)
        return i

    def places_of(v: list[Any]) -> list[int]:
        try:  # a list of texts the props hold (the most): looked up whole; no other value equals a str key
            return list(map(texts.__getitem__, v))
        except (KeyError, TypeError):
            return [place(x) for x in v]

    # a list a source said as the props hold it (each feed saying the same list): null, not its places
    whole = {k: places_of(v) for k, v in props.items() if k not in _BOOKKEEPING and isinstance(v, list)}

    def ref(k: str, v: Any) -> Any:
        if not isinstance(v, list):
            return place(v)
        refs = places_of(v)
        return None if refs == whole.get(k) else refs

    refs = {s: {k: ref(k, v) for k, v in values_of.items()} for s, values_of in by.items()}
    return {BY: refs, SAID: said}


def _held(props: Mapping[str, Any]) -> list[Any]:
    """The values a shadow's ``props`` hold, in the order their places count: field by field
    (sorted), a list's one by one."""
    out: list[Any] = []
    for k in sorted(props):
        if k not in _BOOKKEEPING:
            out.extend(props[k] if isinstance(props[k], list) else [props[k]])
    return out


def _key(value: Any) -> Any:
    """What names ``value`` among a shadow's values: a str or an int (not a bool) itself, which no
    other value equals; any other (a float: -0.0 is 0.0; a bool: True is 1) a tagged json text."""
    if type(value) is str or type(value) is int:
        return value
    return ("json", json.dumps(value, ensure_ascii=False, sort_keys=True))


def first_by(props: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The ``by`` of a shadow a record ``props`` makes: each of its sources said its values."""
    return {str(s): said_values(props) for s in props.get("sources") or ()}


def said_again(by: Mapping[str, Mapping[str, Any]], props: Mapping[str, Any], *, replace: bool
               ) -> dict[str, dict[str, Any]]:
    """``by`` once a record ``props`` is said by its sources: a whole-source replace's values are
    its source's; any other record's are added to what its source said before."""
    out = {s: dict(v) for s, v in by.items()}
    for s in props.get("sources") or ():
        out[str(s)] = said_values(props) if replace else _added(out.get(str(s), {}), said_values(props))
    return out


def _added(said: Mapping[str, Any], more: Mapping[str, Any]) -> dict[str, Any]:
    """What a source ``said`` with ``more`` of its records: a list-valued field's values joined, as
    its statements keep each (a nationality said KH, then TH, is both: attack round a-77, 3)."""
    out = dict(said)
    for k, v in more.items():
        before = out.get(k)
        if isinstance(v, list) and isinstance(before, list):
            texts = {x for x in before if type(x) is str}  # a str equals only its own text: looked up once
            out[k] = before + [x for x in v if (x not in texts if type(x) is str else x not in before)]
        else:
            out[k] = v
    return out


def rebuilt(props: Mapping[str, Any], by: Mapping[str, Mapping[str, Any]]) -> dict[str, Any] | None:
    """A shadow's ``props`` with its values rebuilt from what each of its ``sources`` said
    (``by``), merged in the order they first said it (a list-valued field's values joined), its
    bookkeeping kept; None if a source's values are not known (a shadow kept before a-75: left merged)."""
    multiple = {k for said in by.values() for k, v in said.items() if isinstance(v, list)}
    values: dict[str, Any] | None = None
    for s in props.get("sources") or ():
        if s not in by:
            return None
        values = merge_properties(values, {**by[s], "sources": [s]}, frozenset(multiple))
    derived = ("conflicts", "alias")  # the merge's, of the values rebuilt
    kept = {k: v for k, v in props.items() if k in _BOOKKEEPING and k not in derived}
    return {**kept, **{k: v for k, v in (values or {}).items() if k not in _BOOKKEEPING or k in derived}}
