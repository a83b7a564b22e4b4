"""The apps a test builds are let go after it (tests/retained_apps.py): kept by FastAPI's caches of
endpoint callables, every app of a worker stayed alive, and the GC's full collections grew with them."""

import gc
import weakref

from pydantic import SecretStr
from retained_apps import let_go_of_built_apps

from graphapi.app import create_app
from graphapi.settings import Settings


def test_an_apps_graphql_router_is_collected_once_its_test_lets_go(tmp_path):
    # the router, not the app: FastAPI's caches hold the endpoints, closures over the router (and
    # through it the context getter: settings, security state, audit log), which holds no app
    settings = Settings(data_dir=tmp_path, jwt_secret=SecretStr("retained-apps-secret-of-32-bytes!!"))
    app = create_app(settings)
    [router] = [m.kwargs["router"] for m in app.user_middleware if "router" in m.kwargs]
    router = weakref.ref(router)
    del app
    let_go_of_built_apps()
    gc.collect()
    assert router() is None
