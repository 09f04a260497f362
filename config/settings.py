"""Settings, read from the environment and failing fast on nonsense (style.md §10).

DATABASE_URL selects the database (interfaces.md): `sqlite:///path` or `postgres://…`;
the default is an SQLite file under var/.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("XINJIAN_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false)")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer")


DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEV_SECRET_KEY = "xinjian-development-only-key-do-not-use-in-production"
if not SECRET_KEY:
    # Development and tests run without configuration; `manage.py check --deploy` fails
    # with xinjian.E001 while this key is in use.
    SECRET_KEY = DEV_SECRET_KEY
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "xinjian.accounts.axes_config.AxesConfig",  # django-axes, named in Chinese in the admin
    "ninja",  # Swagger UI from our own static files (CSP), not a CDN
    "xinjian.core",
    "xinjian.accounts",
    "xinjian.registry",
    "xinjian.collection",
    "xinjian.disclosure",
    "xinjian.commitments",
    "xinjian.risk",
    "xinjian.inspections",
    "xinjian.lists",
    "xinjian.repair",
    "xinjian.sharing",
    "xinjian.integrity",
    "xinjian.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "xinjian.core.middleware.RejectNulMiddleware",
    # Public GET/HEAD reads go to DATABASE_REPLICA_URL when one is set (a no-op otherwise).
    "xinjian.core.replica.PublicReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "xinjian.core.middleware.NoStoreMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "xinjian.core.context.navigation",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------
DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'xinjian.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
try:
    _db = dj_database_url.parse(
        DATABASE_URL, conn_max_age=envint("CONN_MAX_AGE", 600), conn_health_checks=True
    )
except ValueError as exc:  # unknown scheme
    raise ImproperlyConfigured(f"DATABASE_URL is not understood: {exc}")
if _db["ENGINE"] == "django.db.backends.sqlite3":
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True) if _db["NAME"] != ":memory:" else None
    # Persistent connections too (CONN_MAX_AGE): opening one costs more than a profile query.
    _db["OPTIONS"] = {
        # WAL lets readers run beside the single writer; IMMEDIATE takes the write lock at
        # BEGIN so two writers queue instead of failing with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {})
    # Server-side prepared statements can pin a generic plan for `LIKE … LIMIT n` that scans
    # a whole table; keep client-side binding and no automatic prepare.
    _db["OPTIONS"].setdefault("prepare_threshold", None)
DATABASES = {"default": _db}
# An optional streaming read replica of the primary (PostgreSQL hot standby) that serves the
# public portal's GET requests (xinjian/core/replica.py, ADR 0099). Writes, staff pages,
# workers and clocks stay on the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    _replica = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=envint("CONN_MAX_AGE", 600), conn_health_checks=True
    )
    if not (_db["ENGINE"] == _replica["ENGINE"] == "django.db.backends.postgresql"):
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL is a PostgreSQL streaming replica of DATABASE_URL: both must be postgres://"
        )
    _replica.setdefault("OPTIONS", {})
    _replica["OPTIONS"].setdefault("prepare_threshold", None)
    _replica["TEST"] = {"MIRROR": "default"}  # tests read the primary through the alias
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["xinjian.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ----------------------------------------------------------------------------
# The public search rate limit and the profile cache live here. One process (runserver,
# tests) can use local memory; several gunicorn workers or hosts must share one cache:
# CACHE_URL=redis://127.0.0.1:6379/1
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r}: only redis:// is supported")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- auth -----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Login lockout (django-axes, issue 13): after AXES_FAILURE_LIMIT wrong passwords for one
# username, or from one address, that username / address is locked for the cool-off
# (every further failure restarts it); a successful login clears the count. Staff pages
# and the admin log in through the same backend. Administrators unlock at
# /staff/accounts/lockouts/ or in the admin; each lockout and unlock is audited.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("XINJIAN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("XINJIAN_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# REMOTE_ADDR, like the public rate limit: behind a proxy, the proxy sets it.
AXES_CLIENT_IP_CALLABLE = "xinjian.accounts.lockout.axes_address"
# Wrong API tokens (401) from one address: the same limit and cool-off (accounts.lockout).
LOGIN_URL = "accounts:login"
# The landing page sends staff to their workbench and enterprise users to their own page.
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_HTTPONLY = True
# --- transport security (production: README "Production settings") -------------------
# Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO so
# Django knows the original request was HTTPS (only when the proxy always sets it).
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER"], "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts and styles only from our own static files
# (htmx and static/js/xinjian.js; no inline script or style anywhere), no plugins, no
# framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# A form refused by the CSRF check gets the site's own page (issue 14), not Django's.
CSRF_FAILURE_VIEW = "xinjian.core.error_views.csrf_failure"
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", False)

# --- i18n: Chinese first --------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves static files from the app itself (runserver and gunicorn alike), so the
# platform needs no separate web server to look right. Tests use plain storage (no manifest).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- uploads --------------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 64 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- the platform ---------------------------------------------------------------------
# The province this instance serves (GB/T 2260). Each province runs its own instance.
# Full risk scoring runs on PostgreSQL are written in this many slices of the register at
# once, each on its own connection (ADR 0041); 1 writes in one statement. SQLite: always 1.
XINJIAN_SCORING_SLICES = max(1, envint("XINJIAN_SCORING_SLICES", min(4, os.cpu_count() or 1)))

# The general risk model travels between instances as a signed artefact (ADR 0097): the
# Ed25519 private key this instance signs exports with (empty: no export), and the public
# keys (files or folders of *.pub / *.pem, comma-separated) whose artefacts it accepts.
XINJIAN_MODEL_SIGNING_KEY = os.environ.get("XINJIAN_MODEL_SIGNING_KEY", "")
XINJIAN_MODEL_TRUSTED_KEYS = [
    p.strip() for p in os.environ.get("XINJIAN_MODEL_TRUSTED_KEYS", "").split(",") if p.strip()
]

# Any province-level code of GB/T 2260, or 000000 for the national hub (interfaces.md v1.1
# "Territory"): the register holds the enterprises of that territory only.
XINJIAN_PROVINCE = os.environ.get("XINJIAN_PROVINCE", "440000")
_PROVINCES = {
    str(n) for n in (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44)
} | {str(n) for n in (45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82)}
if not (
    XINJIAN_PROVINCE == "000000"
    or (
        len(XINJIAN_PROVINCE) == 6
        and XINJIAN_PROVINCE.endswith("0000")
        and XINJIAN_PROVINCE[:2] in _PROVINCES
    )
):
    raise ImproperlyConfigured(
        f"XINJIAN_PROVINCE={XINJIAN_PROVINCE!r} is neither a province code of GB/T 2260 (110000 … 820000) "
        "nor 000000 (the national hub)"
    )
