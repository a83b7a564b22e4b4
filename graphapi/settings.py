"""Configuration, read once from the environment (``LINTAS_*`` and Neo4j's ``NEO4J_*``)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Neo4jSettings(BaseSettings):
    """Neo4j connection; the Neo4j backend is used whenever ``NEO4J_URI`` is set."""

    model_config = SettingsConfigDict(env_prefix="NEO4J_", extra="ignore")

    uri: str | None = Field(None, description="bolt://, bolt+s://, neo4j:// (routing) or neo4j+s:// (TLS) URI.")
    user: str = "neo4j"
    password: SecretStr = Field(SecretStr(""), description="With NEO4J_USER: basic auth; empty: none.")
    token: SecretStr | None = Field(None, description="Bearer token (SSO); used instead of user and password.")
    database: str = "neo4j"
    connect_timeout_s: float = Field(5.0, gt=0, description="Opening a connection, seconds.")
    retry_s: float = Field(15.0, ge=0, description="Retrying a transaction after transient errors, seconds.")


#: The origins a development server lets browsers call from when LINTAS_CORS_ORIGINS is unset.
DEV_CORS_ORIGIN_REGEX = r"http://(localhost|127\.0\.0\.1)(:[0-9]{1,5})?"
_ORIGIN = re.compile(r"https?://[^/\s?#@]+")


def _split_origins(value: str) -> list[str]:
    """The comma-separated origins of ``value``, trimmed, empty entries dropped."""
    return [o.strip() for o in value.split(",") if o.strip()]


#: HS256 keys shorter than SHA-256's output can be brute-forced from one token (RFC 7518 3.2).
MIN_JWT_SECRET_BYTES = 32


class Settings(BaseSettings):
    """Lintas settings. Every field maps to ``LINTAS_<FIELD>`` in upper case."""

    model_config = SettingsConfigDict(env_prefix="LINTAS_", extra="ignore")

    env: str = Field("production", description="'development' enables introspection and field suggestions.")
    data_dir: Path = Field(Path(".lintas"), description="Embedded store's data directory (socket, AOF/RDB, lock).")
    graph: str = Field("lintas", description="Graph name inside the embedded FalkorDB server.")
    batch_size: int = Field(5_000, ge=1, description="Rows per UNWIND batch in loaders.")
    statement_timeout_ms: int = Field(30_000, ge=100, description="Per-statement timeout passed to the store, ms.")
    max_connections: int = Field(16, ge=1, description="Connection pool size per process.")
    neo4j: Neo4jSettings = Field(default_factory=Neo4jSettings)
    # -- security (issue 4; graphapi/security, graphapi/schema/limits.py) ----------------------------
    demo: bool = Field(False, description="Anonymous requests run as the demo principal (CLEAR/GREEN only). "
                       "Only `lintas demo` sets it; it says so at start-up.")
    jwt_secret: SecretStr | None = Field(None, description="HS256 shared secret for bearer JWTs, at least "
                                         f"{MIN_JWT_SECRET_BYTES} bytes (RFC 7518: no shorter than the hash).")
    jwks_file: Path | None = Field(None, description="JWKS file with the RS256 public keys for bearer JWTs.")
    jwks_url: str | None = Field(None, description="JWKS URL with the RS256 public keys (fetched, cached 5 min).")
    jwt_audience: str = Field("lintas", description="Required `aud` claim of bearer JWTs.")
    jwt_issuer: str | None = Field(None, description="Required `iss` claim, if set.")
    jwt_leeway_s: int = Field(30, ge=0, description="Clock skew allowed on `exp`/`nbf`, seconds.")
    apikey_file: Path | None = Field(None, description="Hashed API keys (JSON); default <data_dir>/apikeys.json.")
    audit_file: Path | None = Field(None, description="Hash-chained audit log (JSONL); default <data_dir>/audit.jsonl.")
    access_file: Path | None = Field(None, description="Access requests (JSON); default <data_dir>/access.json.")
    # external anchors of the audit chain (graphapi/security/audit_anchor.py); none by default
    audit_anchor_file: Path | None = Field(None, description="Append audit head checkpoints here (other storage).")
    audit_anchor_syslog: str | None = Field(None, description="Send audit head checkpoints to syslog: /dev/log "
                                            "or host:port (UDP).")
    audit_anchor_key: SecretStr | None = Field(None, description="HMAC-SHA256 key signing audit checkpoints.")
    audit_anchor_every: int = Field(1_000, ge=0, description="Checkpoint every N audit entries (0: never by count).")
    audit_anchor_interval_s: float = Field(300.0, ge=0, description="Checkpoint at the first audit entry this many "
                                           "seconds after the last one (0: never by time).")
    victim_id_key: SecretStr | None = Field(None, description="Secret behind the opaque `vid:` ids shown for victims "
                                            "(graphapi/security/victim_ids.py); default: generated into "
                                            "<data_dir>/victim-id.key. Every API worker must share it.")
    max_depth: int = Field(12, ge=1, description="Deepest selection nesting a GraphQL operation may have.")
    max_aliases: int = Field(30, ge=0, description="Aliased fields per GraphQL document at most.")
    max_tokens: int = Field(2_000, ge=10, description="Lexical tokens per GraphQL document at most.")
    max_document_chars: int = Field(32_768, ge=256, description="Characters per GraphQL document (`query`) at "
                                    "most, refused before it is parsed: one long token (a comment or string) "
                                    "is lexed at ~1 us a character on the event loop, and the token limit "
                                    "cannot see it. Data goes in `variables`.")
    max_fragments: int = Field(100, ge=0, description="Fragment definitions per GraphQL document at most.")
    max_fragment_spreads: int = Field(250, ge=0, description="Fragment spreads (...Name) per GraphQL document at most.")
    max_cost: int = Field(100_000, ge=1, description="Estimated cost per operation at most (field cost x limits).")
    max_traversals: int = Field(3, ge=1, description="Traversal fields (neighborhood, expand, paths, moneyTrail, "
                                "timeline, syndicates, ... : graphapi/schema/limits.py) per GraphQL operation at most.")
    supernode_degree: int = Field(25, ge=1, le=200, description="expand: a node with more visible neighbours than "
                                  "this (the default of limitPerNode) shows only its most relevant ones.")
    max_body_bytes: int = Field(2 * 1024 * 1024, ge=1_024,
                                description="Request body size limit on /graphql, bytes (2 MiB: an "
                                            "ingest(records) batch of 5,000 typical records fits).")
    allow_get_queries: bool = Field(False, description="Serve queries (never mutations) over GET.")
    rate_limit_per_minute: int = Field(1_200, ge=0, description="Requests per principal per minute, sustained "
                                       "(0 = no limit); shared by all workers on the embedded store.")
    rate_limit_burst: int = Field(300, ge=1, description="Requests a principal may send at once before the "
                                  "per-minute rate applies.")
    hit_limit_per_hour: int = Field(30, ge=0, description="restrictedHits calls per principal per hour, a budget "
                                    "apart from the rate limit (0 = no limit).")
    lookup_limit_per_hour: int = Field(300, ge=0, description="restrictedLookup ids per principal per hour, "
                                       "counting only ids the principal cannot see; a budget apart from the "
                                       "rate limit (0 = no limit).")
    search_slots: int | None = Field(None, ge=0, description="Searches (broad) and coTravelGroups crossings "
                                     "reads running in the store at once, across the API workers on this data "
                                     "directory (0 = no bound), below the store's query threads so other reads "
                                     "keep one; the others wait their turn in a queue "
                                     "fair between agencies. Default 1 on the embedded store (2 query threads), 2 "
                                     "on Neo4j.")
    search_wait_s: float = Field(20.0, gt=0, description="How long a search (or a coTravelGroups crossings "
                                 "read) waits for its turn before error RATE_LIMITED, seconds.")
    search_in_flight: int = Field(4, ge=0, description="Searches one principal may have waiting or running at "
                                  "once, across the API workers (0 = no limit); past it error RATE_LIMITED.")
    search_timeout_ms: int = Field(10_000, ge=100, description="Statement timeout of a search and of a "
                                   "coTravelGroups crossings read, ms (at most statement_timeout_ms; the crossings "
                                   "read's also kept with its slot's hold within 0.9 of search_wait_s): error "
                                   "TIMEOUT past it.")
    search_quick_ms: int = Field(300, ge=0, description="Statement timeout of a search's first run, in the quick "
                                 "lane (slots of its own), ms; a search the store cuts there runs again in the "
                                 "broad lane (LINTAS_SEARCH_SLOTS) under search_timeout_ms (0 = no quick lane).")
    # one: with two, a broad search's turn can make three searches on the embedded store's two threads,
    # and a third agency's entity read waited 5-14 s in a broad flood (attack round 31c)
    search_quick_slots: int = Field(1, ge=1, description="Searches running in the quick lane at once, across the "
                                    "API workers; past the first only while the searches of both lanes are fewer "
                                    "than LINTAS_SEARCH_SLOTS + 1 (a broad slot idle), so a broad flood leaves the "
                                    "store's other reads the thread they had.")
    search_yield_to_writes_s: float = Field(5.0, ge=0, description="While a write waits for the embedded store "
                                            "(its write lock waits for running reads) no new broad search starts, "
                                            "unless it has waited this long, seconds (0 = writes have no priority).")
    # bounded and finite: "inf" made a killed worker's slot busy forever (attack round 31b)
    search_cut_margin_s: float | None = Field(None, ge=0, le=60, allow_inf_nan=False,
                                              description="How long past its time limit the store may "
                                              "still run a search it cuts, seconds: the slot of a worker killed "
                                              "mid-search stays busy that long past the limit. Default 1 on the "
                                              "embedded store; 5 on Neo4j, whose transaction monitor looks for "
                                              "timed-out statements every 2 s (db.transaction.monitor.check.interval"
                                              "; one raised there raises this). At most 60.")
    request_timeout_s: float = Field(60.0, gt=0, description="Whole-request time limit on /graphql, seconds.")
    ftm_max_links_per_entity: int = Field(100, ge=1, description="Relationships one FollowTheMoney link entity "
                                          "(Membership, Ownership, Trip, Sanction, Call, Passport...) may draw, its "
                                          "parties' cross product or list; a line drawing more is rejected (the "
                                          "widest real one seen draws 2; 2,000 lines of 32 x 32 members drew 2 "
                                          "million, past 300 s).")
    max_upload_bytes: int = Field(512 * 1024 * 1024, ge=1_024,
                                  description="Body size limit of one upload to /loads (files and fields), bytes.")
    upload_timeout_s: float = Field(1_800.0, gt=0, description="Whole-request time limit on /loads, seconds.")
    load_queue_per_agency: int = Field(4, ge=0, description="Load jobs one agency may have uploading, queued or "
                                       "running at once over /loads (0 = no limit); past it 429.")
    load_pending_bytes_per_agency: int = Field(1024 * 1024 * 1024, ge=0, description="Bytes of uploads one "
                                               "agency's unfinished load jobs may hold under the data directory "
                                               "(0 = no limit); past it 429.")
    load_kept_report_bytes_per_agency: int = Field(1024 * 1024 * 1024, ge=0, description="Bytes of reject "
                                                   "reports one agency's finished load jobs keep under the data "
                                                   "directory (every worker's); past it the agency's oldest finished "
                                                   "jobs are evicted, status and report (0 = no limit; the jobs in "
                                                   "their grace, load_kept_grace_s, are kept past it).")
    load_kept_grace_s: float = Field(600.0, ge=0, allow_inf_nan=False, description="Seconds every finished load "
                                     "job is kept after it ended, whatever the agency's kept jobs and report "
                                     "bytes: its poller's time to read its status and reject report (0: none; "
                                     "the job just finished is still kept).")
    upload_min_free_bytes: int = Field(1024 * 1024 * 1024, ge=0, description="Free space the data directory's "
                                       "disk keeps (the embedded store's too): an upload that would leave less is "
                                       "refused 507 (0 = no floor).")
    rates_file: Path | None = Field(None, description="Currency rate table (YAML, units per USD with an asOf "
                                    "date: seed/rates/README.md) behind moneyTrail's approximate USD amounts; "
                                    "default the shipped seed/rates/usd.yaml.")
    cors_origins: str | None = Field(None, description="Origins whose browser pages may call the API (CORS), "
                                     "comma-separated scheme://host[:port], or * for any; unset: none in "
                                     "production, http://localhost:* and http://127.0.0.1:* in development; "
                                     "empty: none.")

    @field_validator("jwt_secret")
    @classmethod
    def _long_enough(cls, secret: SecretStr | None) -> SecretStr | None:
        if secret is not None and len(secret.get_secret_value().encode()) < MIN_JWT_SECRET_BYTES:
            raise ValueError(f"LINTAS_JWT_SECRET must be at least {MIN_JWT_SECRET_BYTES} bytes "
                             "(e.g. `openssl rand -base64 48`)")
        return secret

    @field_validator("cors_origins")
    @classmethod
    def _origins(cls, value: str | None) -> str | None:
        if value is not None:
            bad = [o for o in _split_origins(value) if o != "*" and not _ORIGIN.fullmatch(o)]
            if bad:  # a browser sends no path and no trailing slash: such an entry would never match
                raise ValueError(f"LINTAS_CORS_ORIGINS takes origins such as https://chart.example.org "
                                 f"(scheme://host[:port], no path), got {bad[:5]}")
        return value

    @property
    def cors(self) -> tuple[list[str], str | None]:
        """``(origins, origin_regex)`` browsers may call from (``LINTAS_CORS_ORIGINS``); ``([], None)``:
        no CORS. Unset in development: any port of http://localhost and http://127.0.0.1."""
        if self.cors_origins is not None:
            return _split_origins(self.cors_origins), None
        if self.env == "development":
            return [], DEV_CORS_ORIGIN_REGEX
        return [], None

    @property
    def search_slots_in_force(self) -> int:
        """``search_slots``, or its default for the backend: one below the embedded store's two query
        threads; on Neo4j (a thread per core and request) two."""
        if self.search_slots is not None:
            return self.search_slots
        return 2 if self.backend == "neo4j" else 1

    @property
    def search_cut_margin_in_force(self) -> float:
        """``search_cut_margin_s``, or its default for the backend: FalkorDB stops a query at its
        timeout (1 s for a loaded machine); Neo4j when its transaction monitor next looks (every 2 s
        by default: a 300 ms search came back cut after 0.48-2.12 s on a loaded server), so 5."""
        if self.search_cut_margin_s is not None:
            return self.search_cut_margin_s
        return 5.0 if self.backend == "neo4j" else 1.0

    @property
    def backend(self) -> str:
        """``neo4j`` when ``NEO4J_URI`` is set, else ``falkordb`` (the embedded default)."""
        return "neo4j" if self.neo4j.uri else "falkordb"


#: Variables a release removed -> what replaced them: a deployment's leftover is said at start-up
#: (graphapi/app.py), not ignored in silence (attack round 30c).
REMOVED = {
    "LINTAS_SEARCH_PER_AGENCY": "LINTAS_SEARCH_SLOTS (searches running in the store at once, in one queue fair "
                                "between agencies), LINTAS_SEARCH_IN_FLIGHT (per principal) and "
                                "LINTAS_SEARCH_WAIT_S (docs/security.md)",
}


def removed_settings(environ: Mapping[str, str] | None = None) -> list[str]:
    """A warning for each :data:`REMOVED` variable set in ``environ`` (default the process's)."""
    env = os.environ if environ is None else environ
    return [f"{name} is set but no longer read (removed); use {instead}"
            for name, instead in REMOVED.items() if name in env]


@cache
def get_settings() -> Settings:
    """The process's settings, read from the environment on first call."""
    return Settings()
