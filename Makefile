# Two commands matter: `make serve` and `make test`. Every target is safe to run twice.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help venv serve test browsers messages catalogue lock bench backup restore screenshots lighthouse

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
UV_VERSION := 0.13.8
export UV_PYTHON_DOWNLOADS := never

help:
	@echo "make serve   set up and serve the app on http://$(HOST):$(PORT)"
	@echo "make test    set up and run ruff, the migrations check and the whole test suite"
	@echo "make venv    create .venv with the runtime and test dependencies"
	@echo "make bench   measure the pages with wrk against gunicorn (writes var/bench.json)"
	@echo "make backup  export all content, settings and history to var/backup.json (FILE=... to choose)"
	@echo "make restore import FILE (default var/backup.json) into the database, all or nothing"
	@echo "make catalogue  update locale/*/LC_MESSAGES/*.po with the interface's current strings (for translators)"
	@echo "make lock    re-pin requirements/*.txt from pyproject.toml"
	@echo "make screenshots  phone-sized PNGs of the main pages for the README (docs/screenshots/)"
	@echo "make lighthouse   Lighthouse mobile scores of the routine and home pages (optional: needs Node.js and npm)"

venv: $(VENV)/.installed

# Rebuilt when the pins change. Finds Python >= 3.12: $$PYTHON, then pyenv's interpreters, then PATH.
$(VENV)/.installed: requirements/runtime.txt requirements/test.txt
	@ok() { [ -x "$$1" ] && "$$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; }; \
	py=""; \
	for c in "$${PYTHON:-}" \
	    $$(command -v pyenv >/dev/null && ls -d "$$(pyenv root)"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -Vr) \
	    $$(command -v python3.14 python3.13 python3.12 python3 2>/dev/null); do \
	  if ok "$$c"; then py="$$c"; break; fi; \
	done; \
	if [ -z "$$py" ]; then echo "error: Python 3.12 or newer is needed; install python3.12 (or set PYTHON=/path/to/python3.12)" >&2; exit 1; fi; \
	if ! ok $(PY); then rm -rf $(VENV); "$$py" -m venv $(VENV); fi; \
	$(PY) -m pip install -q --disable-pip-version-check uv==$(UV_VERSION) && \
	$(VENV)/bin/uv pip sync -q --python $(PY) requirements/test.txt
	@touch $@

# Debian's Chromium for the browser tests; without root the browser tests skip with "skipped: no Chromium".
browsers:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)) >/dev/null; \
	else echo "No Chromium and not root: the browser tests will be skipped"; fi

# GNU gettext: Django's makemessages and compilemessages need it. Debian's, installed as root like Chromium above.
GETTEXT := command -v msgfmt >/dev/null || \
	{ [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && echo "Installing Debian's gettext for the translations" && \
	  (apt-get install -y -qq gettext >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)); } || \
	{ echo "error: GNU gettext is needed for the translations (Debian: apt-get install gettext)" >&2; exit 1; }
LOCALE_IGNORE := --ignore .venv --ignore var --ignore staticfiles --ignore node_modules

# The compiled catalogues (*.mo) are built here from the .po files, never committed: one source of truth, and a
# translation merged into a .po never ships beside a stale binary. (The test settings: no secret key needed.)
messages: venv
	@$(GETTEXT)
	@DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py compilemessages -v 0 $(LOCALE_IGNORE)

# After a change to the interface's wording: new strings go into each language's .po for its translators
# (tests/test_translations.py fails until every one is translated and none is fuzzy).
catalogue: venv
	@$(GETTEXT)
	@for lang in $$(ls locale); do \
	  DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py makemessages -v 0 -l $$lang -d django --no-obsolete --add-location file $(LOCALE_IGNORE) --ignore tests && \
	  DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py makemessages -v 0 -l $$lang -d djangojs --no-obsolete --add-location file $(LOCALE_IGNORE) --ignore tests; \
	done

# var/ holds the secret key, the SQLite database (with everyone's check answers for a while) and backups:
# private to this account (umask 077 for what make writes; the app creates its own files private too).
var/secret_key:
	@umask 077 && mkdir -p var && chmod 700 var && \
	  $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@.tmp && mv $@.tmp $@

serve: venv var/secret_key messages
	@set -e; umask 077; \
	$(PY) manage.py migrate --noinput -v 0; \
	$(PY) manage.py collectstatic --noinput -v 0; \
	$(PY) manage.py load_starter_content; \
	echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"; \
	exec $(VENV)/bin/gunicorn backspasm.wsgi --workers $${WEB_CONCURRENCY:-2} --bind $(HOST):$(PORT) \
	  --no-control-socket --access-logfile - --logger-class backspasm.accesslog.PrivateAccessLogger \
	  --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

test: venv browsers messages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

BACKUP_FILE := $(or $(FILE),var/backup.json)

bench: venv
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || \
	  { echo "error: wrk is needed (Debian: apt-get install wrk)" >&2; exit 1; }
	$(PY) -m backspasm.bench

backup: venv var/secret_key
	@umask 077 && $(PY) manage.py export_content $(BACKUP_FILE)

restore: venv var/secret_key
	@umask 077 && \
	$(PY) manage.py migrate --noinput -v 0 && $(PY) manage.py import_content $(BACKUP_FILE)

# Optional, never part of `make test`: Lighthouse 12.2.3 is the last release that runs on Node 20.
LIGHTHOUSE_VERSION := 12.2.3
lighthouse: venv browsers
	@command -v npm >/dev/null || { echo "error: Lighthouse needs Node.js 20 or newer and npm" >&2; exit 1; }
	@[ -x var/lighthouse/node_modules/.bin/lighthouse ] || \
	  npm install --silent --no-audit --no-fund --save-exact --prefix var/lighthouse lighthouse@$(LIGHTHOUSE_VERSION)
	$(PY) -m backspasm.lighthouse

screenshots: venv browsers
	$(PY) -m tests.screenshots

lock:
	$(VENV)/bin/uv pip compile -q pyproject.toml --python-version 3.12 --generate-hashes -o requirements/runtime.txt
	$(VENV)/bin/uv pip compile -q pyproject.toml --group test --python-version 3.12 --generate-hashes -o requirements/test.txt
