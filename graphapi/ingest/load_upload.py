"""The upload of a file load job (``POST /loads``, :mod:`graphapi.ingest.http_jobs`): the
multipart body streamed to disk part by part (:class:`MultipartUpload`), and its form checked
into a :class:`LoadRequest` (:func:`check_request`); a bad one raises :class:`UploadError`.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from graphapi.ingest.load_kinds import shipped_mappings
from graphapi.ingest.options import check_source_id, normalise_tlp, parse_shared_with
from graphapi.ontology.types.datetime import check_zone
from graphapi.private_files import open_private, private_dir

#: File parts each kind takes; ``sdn`` is required for ofac, one ``file`` at least for the others.
FILE_PARTS = {"ofac": ("sdn", "add", "alt"), "ftm": ("file",), "csv": ("file",)}
TEXT_FIELDS = ("kind", "mapping", "tlp", "sharedWith", "dryRun", "replace", "tz", "source")
MAX_FILES = 16
MAX_TEXT_FIELDS = 32
#: Longest text field value, bytes.
MAX_FIELD_BYTES = 4_096
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_BOOLS = {"true": True, "1": True, "yes": True, "on": True, "false": False, "0": False, "no": False,
          "off": False, "": False}


class UploadError(ValueError):
    """A bad upload request: answered 400 ``BAD_USER_INPUT`` with this message."""


@dataclass
class StoredFile:
    """One uploaded file part: its form ``part`` name, where it was stored, its size in bytes."""

    part: str
    path: Path
    size: int = 0


def safe_name(filename: str, fallback: str) -> str:
    """The client's file name reduced to a safe base name (no directories, no leading dot,
    ``[A-Za-z0-9._-]`` only, at most 100 characters), or ``fallback`` if nothing is left."""
    base = re.split(r"[\\/]", filename)[-1]
    name = _UNSAFE.sub("_", base).lstrip(".")[:100]
    return name if name.strip("_") else fallback


@dataclass
class MultipartUpload:
    """A streaming ``multipart/form-data`` parser: text fields to memory (each at most
    :data:`MAX_FIELD_BYTES`), file parts to ``directory/<n>/<safe name>`` as they arrive (so two
    files of the same name never collide and the reject report names the client's file).
    ``write(chunk)`` per body chunk, then ``finish()``. Raises :class:`UploadError`."""

    boundary: bytes
    directory: Path
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[StoredFile] = field(default_factory=list)
    complete: bool = False

    def __post_init__(self) -> None:
        self._headers: dict[str, str] = {}
        self._hfield, self._hvalue = bytearray(), bytearray()
        self._name: str | None = None
        self._text: bytearray | None = None
        self._file: StoredFile | None = None
        self._fh: BinaryIO | None = None
        self._texts = 0
        try:
            self._parser = MultipartParser(self.boundary, callbacks={
                "on_part_begin": self._part_begin, "on_header_field": self._header_field,
                "on_header_value": self._header_value, "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished, "on_part_data": self._part_data,
                "on_part_end": self._part_end, "on_end": self._end,
            })
        except FormParserError as exc:
            raise UploadError(f"bad multipart body: {exc}") from None

    def write(self, chunk: bytes) -> None:
        """Feed one chunk of the request body."""
        try:
            self._parser.write(chunk)
        except FormParserError as exc:
            raise UploadError(f"bad multipart body: {exc}") from None

    def finish(self) -> None:
        """End of body: raises :class:`UploadError` if the multipart document was cut short."""
        self.close()
        if not self.complete:
            raise UploadError("bad multipart body: it ends before its closing boundary")

    def close(self) -> None:
        """Close the part's file (its last bytes flushed: a full disk raises, the part is not whole)."""
        fh, self._fh = self._fh, None
        if fh is not None:
            fh.close()

    def abandon(self) -> None:
        """Close a file left open by a body that ended early or was refused. Its bytes are discarded,
        so a flush that fails (a full disk) is dropped: raised, it turned the refusal into a 500 and
        skipped the clean-up after it, and the upload held its agency's queue place for good (attack
        round 48). Never for a part that ended: :meth:`close` (attack round 50: a part cut short by a
        failed last flush was loaded as whole)."""
        with contextlib.suppress(OSError):
            self.close()

    # -- parser callbacks ------------------------------------------------------------------------
    def _part_begin(self) -> None:
        self._headers, self._name, self._text, self._file = {}, None, None, None

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._hfield += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._hvalue += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._hfield.decode("latin-1").lower()] = self._hvalue.decode("latin-1")
        self._hfield, self._hvalue = bytearray(), bytearray()

    def _headers_finished(self) -> None:
        disposition, options = parse_options_header(self._headers.get("content-disposition"))
        if disposition != b"form-data" or b"name" not in options:
            raise UploadError("every multipart part needs Content-Disposition: form-data; name=...")
        self._name = options[b"name"].decode("utf-8", "replace")
        if b"filename" not in options:
            self._texts += 1
            if self._texts > MAX_TEXT_FIELDS:
                raise UploadError(f"at most {MAX_TEXT_FIELDS} form fields")
            self._text = bytearray()
            return
        if len(self.files) >= MAX_FILES:
            raise UploadError(f"at most {MAX_FILES} files per upload")
        filename = options[b"filename"].decode("utf-8", "replace")
        slot = self.directory / str(len(self.files) + 1)
        private_dir(slot, exist_ok=False)
        self._file = StoredFile(self._name, slot / safe_name(filename, self._name), 0)
        self._fh = open_private(self._file.path, "wb")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._fh is not None and self._file is not None:
            self._fh.write(data[start:end])
            self._file.size += end - start
        elif self._text is not None:
            self._text += data[start:end]
            if len(self._text) > MAX_FIELD_BYTES:
                raise UploadError(f"form field {self._name!r} is over {MAX_FIELD_BYTES} bytes")

    def _part_end(self) -> None:
        if self._fh is not None and self._file is not None:
            self.close()
            self.files.append(self._file)
        elif self._text is not None and self._name is not None:
            try:
                value = self._text.decode("utf-8")
            except UnicodeDecodeError:
                raise UploadError(f"form field {self._name!r} is not UTF-8") from None
            self.fields.setdefault(self._name, []).append(value)

    def _end(self) -> None:
        self.complete = True


@dataclass(frozen=True)
class LoadRequest:
    """A checked upload: what :meth:`LoadJobs.start` needs."""

    kind: str
    paths: list[Path | None]
    mapping: Path | None
    tlp: str
    shared_with: tuple[str, ...]
    dry_run: bool
    replace: bool = False
    #: IANA zone of an FtM upload's times without an offset (None = UTC)
    tz: str | None = None
    #: the feed's source name (the job's source is ``<source>@<agency>``); None: the loader's
    source: str | None = None


def _one(fields: dict[str, list[str]], name: str) -> str | None:
    values = fields.get(name) or []
    if len(values) > 1:
        raise UploadError(f"form field {name!r} given {len(values)} times; give it once")
    return values[0].strip() if values else None


def check_request(fields: dict[str, list[str]], files: list[StoredFile]) -> LoadRequest:
    """Validate the form of an upload (see the module docstring); raises :class:`UploadError`."""
    unknown = sorted(set(fields) - set(TEXT_FIELDS))
    if unknown:
        raise UploadError(f"unknown form field(s) {unknown}; fields: {', '.join(TEXT_FIELDS)}")
    kind = _one(fields, "kind")
    if kind not in FILE_PARTS:
        raise UploadError(f"kind must be one of {', '.join(FILE_PARTS)}; got {kind!r}")
    allowed = FILE_PARTS[kind]
    # A browser sends an empty, nameless part for a file input left empty: not a file.
    files = [f for f in files if f.size or f.path.name != f.part]
    stray = sorted({f.part for f in files} - set(allowed))
    if stray:
        raise UploadError(f"kind {kind} takes file part(s) {', '.join(allowed)}; not {stray}")
    by_part = {part: [f.path for f in files if f.part == part] for part in allowed}
    if kind == "ofac":
        for part in allowed:
            if len(by_part[part]) > 1:
                raise UploadError(f"one {part} file at most")
        if not by_part["sdn"]:
            raise UploadError("kind ofac needs an sdn file part (OFAC sdn.csv); add and alt are optional")
        paths: list[Path | None] = [(by_part[p] or [None])[0] for p in allowed]
    else:
        if not by_part["file"]:
            raise UploadError(f"kind {kind} needs at least one file part named 'file'")
        paths = list(by_part["file"])
    mapping_name = _one(fields, "mapping")
    mapping: Path | None = None
    if kind == "csv":
        shipped = shipped_mappings()
        if not mapping_name:
            raise UploadError(f"kind csv needs a mapping: one of {', '.join(shipped)}")
        if mapping_name not in shipped:
            raise UploadError(f"unknown mapping {mapping_name!r}; one of {', '.join(shipped)}")
        mapping = shipped[mapping_name]
    elif mapping_name:
        raise UploadError("mapping is only for kind csv")
    try:
        tlp = normalise_tlp(_one(fields, "tlp") or "AMBER")
    except ValueError as exc:
        raise UploadError(f"tlp {exc}") from None
    try:
        shared = parse_shared_with(fields.get("sharedWith") or [])
    except ValueError as exc:
        raise UploadError(f"sharedWith: {exc}") from None
    flags = {}
    for name in ("dryRun", "replace"):
        flag = (_one(fields, name) or "").lower()
        if flag not in _BOOLS:
            raise UploadError(f"{name} must be true or false; got {flag!r}")
        flags[name] = _BOOLS[flag]
    tz = _one(fields, "tz") or None
    if tz is not None:
        if kind != "ftm":  # a mapping states its feed's time zone; OFAC has no times
            raise UploadError("tz is only for kind ftm (a mapping states its own time zone)")
        try:
            check_zone(tz)
        except ValueError as exc:
            raise UploadError(f"tz: {exc}") from None
    source = _one(fields, "source") or None
    if source is not None:
        try:
            check_source_id(source)
        except ValueError as exc:
            raise UploadError(f"source: {exc}") from None
    return LoadRequest(kind, paths, mapping, tlp, shared, flags["dryRun"], flags["replace"], tz, source)
