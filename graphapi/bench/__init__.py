"""``lintas bench`` and ``lintas generate``: synthetic feeds, measurements, report (issue 5)."""
