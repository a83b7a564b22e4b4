"""When two reports of a transfer give its time to different precisions (one source's
``2024-03-01T10:15``, another's ``2024-03-01T10:15:42``, a third's date ``2024-03-01``), whether
the times agree: at the coarser precision of the two (the money trail's one hop per transfer,
:func:`graphapi.investigate.money.one_per_transfer`, and its time windows). A stored time (UTC
ISO 8601, ``datetime`` type) keeps no precision of its own: a time whose seconds are zero is
taken as one reported to the minute.
"""

from __future__ import annotations

import re

#: ``at`` as stored (UTC ISO 8601): the minute, then the seconds and their fraction if given, then
#: the zone (``Z``, or ``+00:00`` as Python writes UTC)
_AT = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d)(?::(\d\d)(?:\.(\d+))?)?(?:Z|[+-]00:00)?")
#: a date alone (an FtM Payment's ``date``, as FIU and court exports give it)
_DATE = re.compile(r"\d{4}-\d\d-\d\d")
#: how precisely a time was reported: to the day, the minute, the second, or a fraction of one
DAY, MINUTE, SECOND, FRACTION = 3, 2, 1, 0


def at_precision(at: str) -> int:
    """:data:`DAY` for a date alone, :data:`MINUTE` for a time whose seconds are zero (``10:15``,
    stored ``10:15:00``: a source that reports minutes), :data:`SECOND` for whole seconds,
    :data:`FRACTION` below that."""
    if _DATE.fullmatch(at):
        return DAY
    m = _AT.fullmatch(at)
    if m is None:
        return FRACTION  # not a time this rule reads: it agrees only with itself
    if m[3] and m[3].strip("0"):
        return FRACTION
    return SECOND if m[2] and m[2] != "00" else MINUTE


def same_time(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` agree at the coarser of their precisions: ``10:15`` (10:15:00) and
    ``10:15:42`` do; ``10:15:42`` and ``10:15:43`` do not, nor ``10:15`` and ``10:16:05``."""
    if a == b:
        return True
    level = max(at_precision(a), at_precision(b))
    if level == DAY:  # the other a time of that day (a date, or a time this rule reads)
        return all(_DATE.fullmatch(x) or _AT.fullmatch(x) for x in (a, b)) and a[:10] == b[:10]
    ma, mb = _AT.fullmatch(a), _AT.fullmatch(b)
    if ma is None or mb is None or level == FRACTION:
        return False
    if level == MINUTE:
        return ma[1] == mb[1]
    return (ma[1], ma[2] or "00") == (mb[1], mb[2] or "00")
