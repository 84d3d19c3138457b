"""The one settings module. Every value that differs between machines comes from the environment;
README.md lists each variable with its default."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from backspasm.env import cache_key_prefix, envbool, envint, envlist, envstr
from backspasm.files import private_dir, private_file, read_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = envbool("DJANGO_DEBUG", False)

# DJANGO_SECRET_KEY, else the key `make serve` wrote to var/secret_key: a management command run by hand
# on that install (`.venv/bin/python manage.py createsuperuser`) signs with the same key as the server.
SECRET_KEY = envstr("DJANGO_SECRET_KEY") or read_secret_key(VAR_DIR / "secret_key")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off and there is no var/secret_key "
            "(`make serve` makes one)"
        )
    SECRET_KEY = "insecure-development-key-only-for-DJANGO_DEBUG=1"

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, as its documentation asks
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "axes",
    "content",
    "triage",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "backspasm.headers.ResponseHeadersMiddleware",  # Permissions-Policy, CORP, Vary: HX-Request, staff no-store
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "backspasm.sweep.SessionSweepMiddleware",  # deletes expired sessions now and then (no cron job needed)
    "backspasm.language.PreferredLanguageMiddleware",  # before the page cache: a cached English page never skips it
    "backspasm.pagecache.PageCacheMiddleware",  # early: a cached public page skips everything below
    "backspasm.middleware.SessionMiddleware",  # Django's, with the 503 page when an answer cannot be saved
    "django.middleware.locale.LocaleMiddleware",
    "backspasm.language.StaffLanguageMiddleware",  # the admin in the chosen language (it has no /es/ address)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "backspasm.middleware.AdminHistoryMiddleware",  # simple-history's, for the admin only (who changed what)
    "backspasm.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: it turns a lockout into the 429 page
]

ROOT_URLCONF = "backspasm.urls"
WSGI_APPLICATION = "backspasm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "backspasm.context_processors.site",
                "backspasm.language.language_switch",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a health check that asks the server only when the socket says something changed.
    DATABASES["default"]["ENGINE"] = "backspasm.db.postgresql"
SQLITE_NAME = str(DATABASES["default"]["NAME"]) if "sqlite" in DATABASES["default"]["ENGINE"] else ""
if SQLITE_NAME:
    # Write-ahead logging: readers never wait for a writer, and a commit appends to the log instead of
    # rewriting pages, with one fsync at each checkpoint rather than on every commit (synchronous=NORMAL):
    # each answer the check stores used to wait ~30 ms for the disk. A committed write can be lost only on
    # a power cut or an OS crash (never on an app crash), and the database never corrupts. IMMEDIATE takes
    # the write lock when a transaction begins, so two writers queue (busy timeout) instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
if SQLITE_NAME and SQLITE_NAME != ":memory:" and not SQLITE_NAME.startswith("file:"):
    # Created private before SQLite opens it (SQLite gives its journal files the database's mode).
    private_dir(Path(SQLITE_NAME).parent)
    private_file(Path(SQLITE_NAME))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The default cache holds the content version (backspasm/contentversion.py) and what is keyed by it, so it must
# be shared by every worker: Redis with REDIS_URL (several machines), else files under CACHE_DIR, which the
# processes of one machine share. Keys start with the database's identity, so two sites (or `make bench`'s
# throwaway database) that share a cache never read each other's entries. Rendered pages live in each
# worker's own memory ("pages"): their keys carry the shared version, so an old page is never served.
REDIS_URL = envstr("REDIS_URL")
CACHE_KEY_PREFIX = cache_key_prefix(DATABASES["default"])
if REDIS_URL:
    DEFAULT_CACHE = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
else:
    DEFAULT_CACHE = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": envstr("CACHE_DIR", str(VAR_DIR / "cache")),
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
# Each live session's copy (backspasm/sessions.py), so a page of the check needs no query: in Redis with the
# rest, else in the file cache's own folder, which is never culled (the sweep deletes expired copies).
if REDIS_URL:
    SESSIONS_CACHE = DEFAULT_CACHE
else:
    SESSIONS_CACHE = {
        "BACKEND": "backspasm.sessioncache.SessionFileCache",
        "LOCATION": str(Path(DEFAULT_CACHE["LOCATION"]) / "sessions"),
    }
CACHES = {
    "default": {**DEFAULT_CACHE, "KEY_PREFIX": CACHE_KEY_PREFIX},
    "sessions": {**SESSIONS_CACHE, "KEY_PREFIX": CACHE_KEY_PREFIX},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "backspasm-pages",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}

# Answers to the check live only here: in the database, for a short while, never in a readable cookie.
SESSION_ENGINE = "backspasm.sessions"  # Django's database sessions, with a copy in the "sessions" cache
SESSION_CACHE_ALIAS = "sessions"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 2 * 60 * 60, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Expired sessions are deleted by the site itself this often (backspasm/sweep.py), so the answers are gone
# from the database within minutes of expiring, with no cron job; `manage.py clearsessions` does it at once.
SESSION_SWEEP_SECONDS = 5 * 60

# Staff log in to the admin only. django-axes checks every attempt first: after AXES_FAILURE_LIMIT wrong
# passwords for one username from one address, that pair is refused for AXES_COOLOFF_MINUTES (never for
# good), and a right password clears the count. `manage.py axes_reset` lifts every lock at once.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "backspasm.lockout.locked_out"  # a friendly 429 page
# The client's address: REMOTE_ADDR, unless DJANGO_TRUSTED_PROXY_COUNT says how many proxies in front of
# us append to X-Forwarded-For (anything further left was written by the client and is not believed).
TRUSTED_PROXY_COUNT = envint("DJANGO_TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "backspasm.client_ip.client_ip"

# Where the admin answers; moving it off the well-known /admin/ keeps most scanners away.
ADMIN_URL = envstr("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"
if ADMIN_URL == "/" or not re.fullmatch(r"[A-Za-z0-9._~/-]+/", ADMIN_URL):
    raise ImproperlyConfigured(
        f"DJANGO_ADMIN_URL must be a path such as admin/ or staff-7f3a/ (letters, digits, - _ . ~ /); got {ADMIN_URL!r}"
    )
PUBLIC_PREFIXES = {
    "check",
    "library",
    "routines",
    "handouts",
    "static",
    "healthz",
    "es",
    "language",
    "jsi18n",
}
if ADMIN_URL.split("/")[0] in PUBLIC_PREFIXES:
    raise ImproperlyConfigured(
        f"DJANGO_ADMIN_URL must not start with a public page's path; got {ADMIN_URL!r}"
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English pages keep their addresses (printed QR codes point at them); Spanish ones live under /es/
# (backspasm/urls.py). The only cookie the choice needs is Django's language cookie, set by the switcher
# (backspasm/language.py): kept a year so the choice holds, first-party and never read by scripts.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = envstr("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Content in two languages: title_en and title_es on the same row (content/translation.py). English is
# the clinic's reviewed original; an empty Spanish field shows the English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365  # hashed names change with content, so a year is safe

# Bounds on work one request can cause. A form post (the admin's largest is a handout with its sections)
# stays far below this; anything bigger is refused with 400 before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024
# Making one handout PDF (or the admin's print of several) stops after this long with a friendly page.
PDF_RENDER_SECONDS = 20
MAX_HANDOUTS_PER_PRINT = 10

# The address patients reach the site at, for printed material: QR codes, PDFs, printed plans and their
# "this page online" lines. Unset, they use the address the request came in on (which may be internal).
PUBLIC_URL = envstr("DJANGO_PUBLIC_URL", "").strip().rstrip("/")
if PUBLIC_URL and not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?", PUBLIC_URL):
    raise ImproperlyConfigured(
        "DJANGO_PUBLIC_URL must be an address such as https://back.example-clinic.org (http or https, a host, "
        f"an optional port and path, no query); got {PUBLIC_URL!r}"
    )

# The emergency number shown on every page until the clinic sets its own in the admin.
EMERGENCY_NUMBER = envstr("EMERGENCY_NUMBER", "911")

# Security headers, in every mode.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "backspasm.views.csrf_failure"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Behind a TLS proxy: DJANGO_SECURE=1 turns on HSTS, secure cookies and the HTTPS redirect, and trusts
# the proxy's X-Forwarded-Proto header (the proxy must set it and strip any client-sent copy).
SECURE = envbool("DJANGO_SECURE", False)
if SECURE and not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    # Preload is opt-in: a domain on the browsers' preload list cannot serve plain HTTP for months after
    # leaving it, a commitment the clinic must choose. Without it Django's deploy check warns (W021).
    SECURE_HSTS_PRELOAD = envbool("DJANGO_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
    # Never at DEBUG, whatever LOG_LEVEL says: these print a template's whole context and every SQL
    # parameter (the session's data among them), which would put a person's answers in the logs.
    "loggers": {"django.template": {"level": "INFO"}, "django.db.backends": {"level": "INFO"}},
}
