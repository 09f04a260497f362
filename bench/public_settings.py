"""Settings for bench_public's gunicorn run: the project's settings with a URLconf that
adds one bare view returning a constant JSON (the baseline measured side by side)."""

from config.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.public_urls"
DEBUG = False
ALLOWED_HOSTS = ["*"]
