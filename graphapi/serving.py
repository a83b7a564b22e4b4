"""The app as ``lintas serve`` runs it: a long-lived process, with the garbage collector tuned
for serving.

A read allocates tens of thousands of short-lived, acyclic objects (rows, records, dicts) that
reference counting frees at once; with the default gen-0 threshold (700) the cyclic collector
runs many times per request and re-scans every long-lived object (modules, schema, ontology,
caches) each time it reaches the older generations. Measured on the bench graph: collection was
17-23% of a neighbourhood and 31-47% of a shortest path. So once start-up is done, everything
alive is frozen (``gc.freeze``: never scanned again) and gen-0 collects less often. Tests and the
CLI's one-shot commands keep Python's defaults.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from graphapi.ingest.load_gc import keep_frozen

#: What ``lintas serve`` (and the bench's API server) hands uvicorn as its app factory.
SERVED_APP = "graphapi.serving:create_served_app"

#: Cyclic-GC thresholds while serving (Python's default is (700, 10, 10)): gen-0 every 50,000
#: net allocations, i.e. about once per few reads, not dozens of times per read.
SERVE_GC_THRESHOLDS = (50_000, 20, 20)


def tune_gc_for_serving() -> None:
    """Collect once, freeze what start-up left alive, and raise the thresholds; loads leave the
    freeze as it is (``load_gc.keep_frozen``: one running now must not unfreeze it as it ends)."""
    keep_frozen()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVE_GC_THRESHOLDS)


def create_served_app() -> FastAPI:
    """``create_app()`` whose start-up ends with :func:`tune_gc_for_serving` (uvicorn's factory:
    each worker process calls it). A worker of ``lintas serve --workers N`` dies with its
    supervisor (:mod:`graphapi.process_lifetime`): orphaned by a kill -9, workers kept the port."""
    import os

    from graphapi.app import create_app
    from graphapi.process_lifetime import die_with_the_parent_named_in

    die_with_the_parent_named_in(os.environ)

    app = create_app()
    started = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(served: FastAPI) -> AsyncIterator[None]:
        async with started(served):
            tune_gc_for_serving()
            yield

    app.router.lifespan_context = lifespan
    return app
