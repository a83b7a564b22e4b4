"""The apps a test builds are let go after it (tests/retained_apps.py): kept by FastAPI's caches of
endpoint callables, every app of a worker stayed alive, and the GC's full collections grew with them."""

import gc
import weakref

from pydantic import SecretStr
from retained_apps import let_go_of_built_apps

from graphapi.app import create_app
from graphapi.settings import Settings


def test_an_app_built_and_dropped_is_collected_once_its_test_lets_go(tmp_path):
    settings = Settings(data_dir=tmp_path, jwt_secret=SecretStr("retained-apps-secret-of-32-bytes!!"))
    app = weakref.ref(create_app(settings))
    let_go_of_built_apps()
    gc.collect()
    assert app() is None
