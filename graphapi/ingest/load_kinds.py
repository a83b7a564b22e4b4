"""What a load job reads: the reader of its kind (``ofac``, ``ftm``, ``csv`` with a mapping) and the
CSV mappings known by name (moved from :mod:`graphapi.ingest.load_jobs`, which still names them)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from graphapi.ingest.options import load_source

log = logging.getLogger("graphapi.ingest")


def readable_mapping(mapping: str | Path) -> Any:
    """``load_mapping(mapping)``, a file that is no YAML mapping refused as a ``MappingError``
    naming no path (a deployment's broken file answered 500 over /loads: attack round 15, M4b;
    the CLI says more, to the operator who ran it)."""
    from graphapi.ingest.mapping.model import UNREADABLE_MAPPING
    from graphapi.ingest.readers.mapped_csv import MappingError, load_mapping

    try:
        return load_mapping(mapping)
    except UNREADABLE_MAPPING as exc:  # RecursionError too: YAML nested thousands deep (round 16, M4c)
        log.warning("mapping %s is no readable mapping file: %s", mapping, type(exc).__name__)
        raise MappingError(f"mapping {Path(str(mapping)).stem!r} is no readable mapping file "
                           f"({type(exc).__name__}); the server's log says more") from None


def shipped_mappings() -> dict[str, Path]:
    """The CSV mappings known by name: those shipped in ``seed/mappings`` (the file stem,
    ``cdr``, or ``partners/<stem>`` for a partner layout) and a deployment's own in
    ``LINTAS_MAPPINGS``, as ``lintas load csv --mapping`` names them. The HTTP upload accepts
    only these names, never a path."""
    from graphapi.ingest.mapping.model import named_mappings

    return named_mappings()


def make_reader(kind: str, paths: list[Path], *, mapping: str | Path | None = None, source: str | None = None,
                agency: str | None = None, tz: str | None = None):
    """``(reader, source id)`` for a loader kind: ``ofac`` (paths: sdn[, add[, alt]], ``None`` for
    a missing one), ``ftm``, ``csv`` (needs ``mapping``: a path, or a name in ``seed/mappings``).
    With ``agency``, ``source`` is a name and the source is ``<source>@<agency>``
    (:func:`graphapi.ingest.options.load_source`; without ``source`` the loader's own name:
    ``ofac-sdn``, ``ftm``, the mapping's); without, ``source`` is the whole source (a job's process
    passes the one its start made); ``tz`` is an FtM file's time zone (ignored otherwise).
    Raises ``ValueError`` for anything else
    (``MappingError`` for a bad mapping)."""

    def own(default: str) -> str:
        return load_source(source, default, agency) if agency else source or default

    if kind == "ofac":
        from graphapi.ingest.readers.ofac import SOURCE, read_ofac

        src = own(SOURCE)
        return read_ofac(*paths[:3], source=src), src
    if kind == "ftm":
        from graphapi.ingest.readers.ftm import SOURCE as FTM
        from graphapi.ingest.readers.ftm import FtmReader

        src = own(FTM)
        return FtmReader(paths, source=src, tz=tz), src
    if kind == "csv" and mapping:
        from graphapi.ingest.readers.mapped_csv import MappedCsvReader

        loaded = readable_mapping(mapping)
        src = own(loaded.source)
        return MappedCsvReader(loaded, paths, source=src), src
    raise ValueError(f"unknown load kind {kind!r} (ofac, ftm, csv with a mapping)")
