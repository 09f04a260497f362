"""Settings for bench_public's gunicorn run: the project's settings with a URLconf that
adds one bare view returning a constant JSON (the baseline measured side by side)."""

import os

from config.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.public_urls"
DEBUG = False
ALLOWED_HOSTS = ["*"]

# Diagnostic only (docs/adr/0034): BENCH_SQLITE_CONN_MAX_AGE=600 shows what persistent
# SQLite connections would give (config/settings.py forces 0 for SQLite). Unset, the bench
# measures the project's settings unchanged.
if os.environ.get("BENCH_SQLITE_CONN_MAX_AGE") and DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_SQLITE_CONN_MAX_AGE"])  # noqa: F405
