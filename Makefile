# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
DEMO_ENTERPRISES ?= 3000
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/xinjian

.PHONY: install run serve demo test test-pg lint bench lock browser fonts clean security

$(VENV)/.installed: requirements.lock pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	touch $@

install: $(VENV)/.installed

# Installs, migrates, loads a demo province once, prints the logins and serves.
run: install fonts
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo --enterprises $(DEMO_ENTERPRISES) --seed 1 --if-empty --prepare
	$(PY) manage.py demo_logins --url http://$(HOST):$(PORT)/
	@if [ -z "$$CACHE_URL" ]; then echo "Public search rate limit: $$($(PY) -c 'from xinjian.disclosure.ratelimit import LIMIT; print(LIMIT)') searches/minute per address, counted in this one process's memory (no CACHE_URL). Under gunicorn each worker would count on its own: production sets CACHE_URL=redis://HOST:6379/1 (README, docs/adr/0031)."; fi
	$(PY) manage.py runserver $(HOST):$(PORT)

# Debian's WenQuanYi Micro Hei, embedded in credit-report PDFs (xinjian/sharing/report_pdf.py;
# no PyPI package ships a maintained TrueType CJK font reportlab can embed).
fonts:
	@test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null)

# Debian's Chromium for the Playwright tests (root on these machines; no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

test: install browser fonts
	CONN_MAX_AGE=0 $(PY) -m pytest -n 2 --dist loadfile

# The same suite against the local PostgreSQL server.
test-pg: install browser fonts
	CONN_MAX_AGE=0 DATABASE_URL=$(PG_URL) $(PY) -m pytest -n 2 --dist loadfile

# The security probe (issue 13): on a fresh SQLite database holding a small demo province,
# the access matrix (URL × persona × in/out of jurisdiction), the API × token scope ×
# region, the form fuzzer and the upload bombs (tests/security_probe.py, which prints
# requests, leaks, 5xx and rejects), then schemathesis over the API, the upload bombs,
# the export-injection check, the bad-input regressions and audit_verify after SQL tampering
# (UPDATE, DELETE, a re-hashed forgery, a cut tail) as tests.
SECURITY_DIR := $(CURDIR)/var/security
security: install
	rm -rf $(SECURITY_DIR) && mkdir -p $(SECURITY_DIR)
	DATABASE_URL=sqlite:///$(SECURITY_DIR)/db.sqlite3 XINJIAN_VAR_DIR=$(SECURITY_DIR) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=sqlite:///$(SECURITY_DIR)/db.sqlite3 XINJIAN_VAR_DIR=$(SECURITY_DIR) $(PY) manage.py demo --enterprises 100 --seed 1 -v0 >/dev/null
	DATABASE_URL=sqlite:///$(SECURITY_DIR)/db.sqlite3 XINJIAN_VAR_DIR=$(SECURITY_DIR) $(PY) tests/security_probe.py
	CONN_MAX_AGE=0 $(PY) -m pytest -q -n 2 --dist loadfile tests/test_api_fuzz.py tests/test_upload_bombs.py tests/test_export_injection.py tests/test_bad_input.py tests/test_access.py xinjian/core/tests/test_audit_chain.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy config xinjian
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

bench: install
	$(PY) bench/run.py

lock:
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e' | sort > requirements.lock

clean:
	rm -rf var/ staticfiles/
