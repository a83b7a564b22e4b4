"""One FtM entity line as the FtM reader takes it: the structure check, the values, the proxy.

Split from :mod:`graphapi.ingest.readers.ftm` (which maps entities to records). Bounds, each
rejecting the line with its reason (the rest of the file loads): JSON nesting and number size
(:mod:`graphapi.json_limits`), and :data:`MAX_VALUES_PER_PROPERTY` values per property.
"""

from __future__ import annotations

from typing import Any

from followthemoney import model as ftm_model
from followthemoney import registry
from followthemoney.proxy import EntityProxy
from followthemoney.value import string_list

from graphapi.ingest.readers.base import too_many_values
from graphapi.ingest.readers.nulls import no_value
from graphapi.ontology.ids import id_problem
from graphapi.ontology.types import ValueType

#: Values one property of one entity may have. OpenSanctions' largest entities carry a few
#: hundred names; 200,000 names is a hostile or broken line, rejected rather than loaded.
MAX_VALUES_PER_PROPERTY = 1_000
#: Datasets one line may name: each is a source and a statement of its own, read by every
#: values() of the entity (attack round 6, G4: 10,000 on one 120 KB line held every agency's
#: requests for 10 s). OpenSanctions' most-listed entities name a few dozen.
MAX_DATASETS_PER_ENTITY = 100
#: FtM types read as they are written, in which a null token ("n/a", "-", "NA") is no value:
#: references, as ids are, and free text. Codes (country, gender) and dates are cleaned by their
#: type instead (``NA`` is Namibia), identifiers by their own placeholder rule.
_NULLABLE = frozenset({registry.entity, registry.name, registry.string, registry.text, registry.address})


def _short(value: Any) -> str:
    """``repr`` of a value for a reject reason, cut to 80 characters."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _strings(value: Any) -> bool:
    """True if ``value`` is a list of strings (``str.join`` checks them at C speed)."""
    if not isinstance(value, list):
        return False
    try:
        "".join(value)
    except TypeError:
        return False
    return True


def entity_problem(doc: Any) -> str | None:
    """Why a parsed line is not an FtM entity this reader can take, or ``None`` if it is.

    Checks the structure only: a JSON object with a non-empty string ``id``, a ``schema`` that
    ``followthemoney`` knows, ``properties`` (absent or null: none) mapping names to lists of
    strings, ``referents`` / ``datasets`` lists of strings, ``caption`` / ``first_seen`` /
    ``last_seen`` strings; at most :data:`MAX_VALUES_PER_PROPERTY` values per property,
    ``MAX_VALUES_PER_RECORD`` (:mod:`graphapi.ingest.readers.base`) in all, and
    :data:`MAX_DATASETS_PER_ENTITY` datasets. Returns
    the reject reason, e.g. ``"FtM entity without id"``.
    """
    if not isinstance(doc, dict):
        return "not a JSON FtM entity or delta operation"
    eid = doc.get("id")
    if eid is None or eid == "":
        return "FtM entity without id"
    if not isinstance(eid, str) or not eid.strip():
        return f"FtM entity id must be a non-empty string, got {_short(eid)}"
    if (problem := id_problem(eid)) is not None:  # graphapi.ontology.ids: it crashed the store
        return f"FtM entity id {problem}"
    if no_value(eid):  # as a mapped CSV id: "null" would merge unrelated entities into one node
        return f"FtM entity id {eid!r} is a null token, no id"
    schema = doc.get("schema")
    if not isinstance(schema, str) or not schema:
        return "FtM entity without schema"
    if ftm_model.get(schema) is None:
        return f"unknown FtM schema {schema!r}"
    props = doc.get("properties")
    if props is not None and not isinstance(props, dict):
        return f"FtM properties must be an object, got {_short(props)}"
    for name, values in (props or {}).items():
        if not _strings(values):
            return f"FtM property {name!r} must be a list of strings, got {_short(values)}"
        if len(values) > MAX_VALUES_PER_PROPERTY:
            return f"FtM property {name!r} has {len(values):,} values (at most {MAX_VALUES_PER_PROPERTY:,})"
    if props and (problem := too_many_values(props)) is not None:
        return f"FtM entity: {problem}"
    for key in ("referents", "datasets"):
        if doc.get(key) is not None and not _strings(doc[key]):
            return f"FtM {key} must be a list of strings, got {_short(doc[key])}"
    if len(set(doc.get("datasets") or ())) > MAX_DATASETS_PER_ENTITY:
        return f"FtM datasets: {len(set(doc['datasets'])):,} (at most {MAX_DATASETS_PER_ENTITY:,})"
    for dataset in doc.get("datasets") or ():
        if "@" in dataset or ":" in dataset:  # "LA" + dataset "MPS@X" or "MPS" must not spell another source
            return f"FtM dataset {_short(dataset)} must not contain '@' or ':'"
    for key in ("caption", "first_seen", "last_seen"):
        if doc.get(key) is not None and not isinstance(doc[key], str):
            return f"FtM {key} must be a string, got {_short(doc[key])}"
    return None


def entity_proxy(doc: dict[str, Any]) -> EntityProxy:
    """The ``followthemoney`` proxy of a checked entity (:func:`entity_problem` found nothing),
    its values cleaned by their FtM property types as ``get_proxy(doc, cleaned=False)`` cleans
    them (sanitised text, the type's ``clean_text`` with the property's format, a string type's
    total size) but de-duplicated in one pass: the library adds unclean values one at a time,
    each tested against the list so far (``value not in list``), which is quadratic (156 s for
    one entity with 200,000 names). Raises what ``followthemoney`` raises for a bad entity."""
    schema = ftm_model.get(doc["schema"])
    shell = EntityProxy(schema, {"id": doc["id"]}, cleaned=False)  # the sanitised id, no values
    cleaned: dict[str, list[str]] = {}
    size = 0
    for name, values in (doc.get("properties") or {}).items():
        prop = schema.properties.get(name)
        if prop is None or prop.stub:  # what ``add(..., quiet=True)`` skips
            continue
        kept: dict[str, None] = {}
        for text in string_list(values, sanitize=True):
            value = prop.type.clean_text(text, format=prop.format, proxy=shell)
            if value is None or value in kept:
                continue
            if prop.type.total_size is not None and size + len(value) > prop.type.total_size:
                continue
            size += len(value)
            kept[value] = None
        if kept:
            cleaned[name] = list(kept)
    return EntityProxy(schema, {"id": shell.id, "properties": cleaned}, cleaned=True)


class EntityValues:
    """One entity's property values as the reader takes them: ``v(name)``: strings as
    ``followthemoney`` cleaned them; ``v.clean(name, type)``: the raw values cleaned by an
    ontology type, those that do not clean noted in ``invalid`` (``followthemoney``'s own
    cleaning drops such values without a word, and would drop a national phone number before
    its country hint is known); ``v.text``: identifiers that did not clean, kept as text."""

    __slots__ = ("invalid", "proxy", "raw", "text")

    def __init__(self, proxy: Any, raw: dict[str, list[str]]) -> None:
        self.proxy = proxy
        self.raw = raw
        #: Reasons: values that did not clean (they reject the line).
        self.invalid: list[str] = []
        #: ``KIND:value`` identifiers that did not clean, kept as text on the entity.
        self.text: list[str] = []

    def __call__(self, name: str) -> list[str]:
        values = self.proxy.get(name, quiet=True)
        prop = self.proxy.schema.properties.get(name)
        if values and prop is not None and prop.type in _NULLABLE:
            # a reference that is a null token ("unknown") is no reference, as a null id is no id;
            # free text ("n/a" as a birth place) is no value, as in a mapped CSV and ingest(records)
            # a name's Na or Nil is a name (Li Na), as in a mapped CSV
            type_name = "name" if prop.type is registry.name else None
            return [v for v in values if not no_value(v, type_name)]
        return values

    def raw_values(self, name: str, vtype: ValueType | None = None) -> list[str]:
        """The property's values as written (stripped), without blanks and null tokens that are
        no value of ``vtype`` (None: any null token; :func:`graphapi.ingest.readers.nulls.no_value`:
        ``NA`` is a country); ``[]`` for a property the schema does not have."""
        if name not in self.proxy.schema.properties:
            return []
        out = (v.strip() for v in self.raw.get(name) or ())
        type_name = vtype.name if vtype is not None else None
        return list(dict.fromkeys(v for v in out if not no_value(v, type_name)))

    def clean(self, name: str, vtype: ValueType, *, checked: bool = True, strip: str = "",
              **hints: Any) -> list[Any]:
        """The raw values of ``name`` cleaned by ``vtype`` (``strip``: characters cut from the
        ends first, e.g. ``"%"``); a value that does not clean is noted in ``invalid`` unless
        ``checked`` is false (a value read only as a hint)."""
        out = []
        for raw in self.raw_values(name, vtype):
            value = vtype.clean(raw.strip(strip) if strip else raw, **hints)
            if value is not None:
                out.append(value)
            elif checked:
                self.invalid.append(f"{vtype.refusal(raw)} in property {name}")  # a negative amount, ...
        return list(dict.fromkeys(out))

    def check(self, name: str, raw: str | None, vtype: ValueType) -> Any:
        """``raw`` (a top-level field such as ``first_seen``) cleaned by ``vtype``; ``None`` if
        absent, noted in ``invalid`` if it does not clean."""
        if raw is None or not raw.strip():
            return None
        value = vtype.clean(raw)
        if value is None:
            self.invalid.append(f"invalid {vtype.name} value {raw!r} in {name}")
        return value


def longest_value(doc: Any) -> int:
    """Length of the longest string in a parsed JSON line."""
    longest, stack = 0, [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            longest = max(longest, len(item))
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return longest


def entity_caption(doc: dict[str, Any]) -> str | None:
    """The entity's own ``caption`` field, stripped, or ``None``."""
    caption = doc.get("caption")
    return (caption.strip() or None) if isinstance(caption, str) else None
