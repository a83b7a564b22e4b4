"""Who held a victim's link before a victim-blind load said it (attack rounds a-84, 1 and a-90, 1, 5
and 7): the bookkeeping a link's :data:`~graphapi.ingest.blind_shadow.BLIND_SHADOW` keeps of the
statements of its sources that are not the blind load's (a colleague's with victim-data under the
shared feed), which a blind DEL leaves and a blind replace tells as a wrong guess is told of the
colleague's own link, once."""

from __future__ import annotations

import json
from collections.abc import Iterable

#: in a link's :data:`~graphapi.ingest.blind_shadow.BLIND_SHADOW`: the sources whose statements
#: the stored link held before a blind load of its agency first said it, or before each source's
#: first blind record there (a colleague's with victim-data, the victim's link under the shared
#: feed): a blind DEL told it deleted leaves those stored, so a later replace is told of them as
#: the wrong guess is of the colleague's own link (attack round a-84, 1; a-90, 5's shape)
HELD_BEFORE = "heldBefore"
#: in a link's shadow: the sources whose :data:`HELD_BEFORE` statements a blind replace stating
#: the link again told gone, as the wrong guess is told of the colleague's link once (a-90, 1)
HELD_TOLD = "heldTold"


def made_alone(text: str | None, source: str) -> bool:
    """True if the link shadow ``text`` says the stored link held no ``source`` statement before a
    blind load said it: it records :data:`HELD_BEFORE` (every shadow since v-fix58b, ``[]`` if
    none) without ``source``. A shadow written before then holds no such record, so its stored
    statement may be a colleague's: False, kept (attack round a-90, 7)."""
    try:
        shadow = dict(json.loads(text or "{}"))
    except (TypeError, ValueError):
        return False
    return HELD_BEFORE in shadow and not said_in(source, shadow[HELD_BEFORE] or ())


def held_before(text: str | None, source: str) -> bool:
    """True if the link shadow ``text`` says the stored link held ``source``'s statements before
    a blind load said it (:data:`HELD_BEFORE`), not yet told gone (:data:`HELD_TOLD`)."""
    try:
        shadow = dict(json.loads(text or "{}"))
    except (TypeError, ValueError):
        return False
    return said_in(source, shadow.get(HELD_BEFORE) or ()) and not said_in(source, shadow.get(HELD_TOLD) or ())


def said_in(source: str, sources: Iterable[str]) -> bool:
    """True if ``source`` (itself, or one of its datasets ``<source>:<dataset>``) is in ``sources``."""
    return any(s == source or s.startswith(f"{source}:") for s in sources)
