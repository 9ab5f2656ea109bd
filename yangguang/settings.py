"""One settings module, read from YANGGUANG_* environment variables.

Every value has a safe default so that `make run` works on a fresh machine:
SQLite in WAL mode under var/, DEBUG off, a secret key generated once into var/.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("YANGGUANG_VAR_DIR", BASE_DIR.parent / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"YANGGUANG_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    # Generated once per installation, so sessions survive restarts and no key is committed.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _audit_key() -> str:
    """The key that signs the audit chain (core/audit.py), kept outside the database: a rewrite of
    the audit table by someone with database access alone is detected by `audit verify`. Back it
    up apart from the database; without it `audit verify` reports every signature as wrong."""
    key = env("AUDIT_KEY")
    if key:
        return key
    path = Path(env("AUDIT_KEY_FILE", str(VAR_DIR / "audit_key")))
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


AUDIT_KEY = _audit_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]
SITE_NAME = env("SITE_NAME", "阳光政务")
# The public address, for links printed in letters and e-mails (no request to take it from).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # Swagger UI of /api/v1/docs from local static files, not a CDN (works offline)
    "axes",
    "django_tasks",
    "django_tasks_db",
    "yangguang.core",
    "yangguang.orgs",
    "yangguang.publishing",
    "yangguang.disclosure",
    "yangguang.portal",
    "yangguang.reports",
    "yangguang.monitoring",
    "yangguang.supervision",
    "yangguang.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "yangguang.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yangguang.urls"
WSGI_APPLICATION = "yangguang.wsgi.application"

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
                "yangguang.core.context.site",
            ],
        },
    },
]

_db_url = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'yangguang.sqlite3'}")
# Seconds a web worker keeps its database connection (0: a new one per request, the default).
# Deployments set e.g. 60: opening SQLite with its PRAGMAs per request costs more than a page.
DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=int(env("CONN_MAX_AGE", "0")),
                                              conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the writer; IMMEDIATE makes write transactions
        # take the lock up front instead of failing half-way with "database is locked".
        # cache_size (KiB when negative) and mmap_size: the default 2 MB page cache and read()
        # per page made the search index (FTS5 segments, merged as it grows) I/O-bound at scale.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; "
                        "PRAGMA cache_size=-65536; PRAGMA mmap_size=2147483648;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", "test_yangguang")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "yangguang.core.login.IpThrottleBackend",  # failed logins per client address, any account
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("LOGIN_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Failed logins per client address across all accounts (core/login.py): a higher limit than the
# per-account one, since an office may share one address.
LOGIN_IP_FAILURES = int(env("LOGIN_IP_FAILURE_LIMIT", "30"))
LOGIN_IP_WINDOW = int(float(env("LOGIN_COOLOFF_HOURS", "0.5")) * 3600)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
# Behind HTTPS (YANGGUANG_HTTPS=1): secure cookies, redirect, HSTS. Off by default because
# `make run` serves plain HTTP on 127.0.0.1.
HTTPS = env_bool("HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Attachments live outside any URL-mapped directory; only the attachment view serves them.
PRIVATE_STORAGE_DIR = Path(env("PRIVATE_STORAGE_DIR", str(VAR_DIR / "private"))).resolve()
# The full-text search index (Tantivy): `current` points at the live index directory. Rebuilt
# from the database by `yangguang search-reindex`; not part of a backup.
SEARCH_INDEX_DIR = Path(env("SEARCH_INDEX_DIR", str(VAR_DIR / "search"))).resolve()
# True: each search first applies the pending index outbox itself (tests; a single process with
# no task worker). Deployments leave it False: the task worker is the index's single writer.
SEARCH_INDEX_SYNC = env_bool("SEARCH_INDEX_SYNC")
ATTACHMENT_MAX_BYTES = int(env("ATTACHMENT_MAX_MB", "50")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Deployment-specific sensitive-word list (one word per line), on top of the built-in markers.
SENSITIVE_WORDS_FILE = env("SENSITIVE_WORDS_FILE")

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Abuse limits of the public pages must be shared by every web worker: a database table
    # (created by `yangguang createcachetable`, run by `make run`; tests create it themselves).
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "yangguang_cache",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 100000, "CULL_FREQUENCY": 3},
    },
}

# spec/disclosure.md (choice): the time from a fee notice to payment is not counted in the
# 20 working days (default); set YANGGUANG_FEE_PAUSE=0 to count it.
DISCLOSURE_FEE_PAUSE = env_bool("FEE_PAUSE", True)

TASKS = {
    "default": {
        "BACKEND": env("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# With YANGGUANG_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend: the SMTP server.
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "20"))  # seconds; a hung server is a failed attempt, retried
DEFAULT_FROM_EMAIL = env("EMAIL_FROM", "webmaster@localhost")

# Messages to the public (core/outbox.py): SMS through a pluggable sender (core/sms.py) — the
# default prints them; yangguang.core.sms.HttpSender POSTs JSON to SMS_HTTP_URL with the token.
SMS_SENDER = env("SMS_SENDER", "yangguang.core.sms.ConsoleSender")
SMS_HTTP_URL = env("SMS_HTTP_URL")
SMS_HTTP_TOKEN = env("SMS_HTTP_TOKEN")
SMS_HTTP_TIMEOUT = float(env("SMS_HTTP_TIMEOUT", "10"))
# A failed e-mail or SMS is retried after 1, 2, 4 … × OUTBOX_RETRY_SECONDS (at most 6 hours apart)
# and given up after OUTBOX_MAX_ATTEMPTS attempts (defaults: 60 s, 8 attempts ≈ 2 hours).
OUTBOX_RETRY_SECONDS = int(env("OUTBOX_RETRY_SECONDS", "60"))
OUTBOX_MAX_ATTEMPTS = int(env("OUTBOX_MAX_ATTEMPTS", "8"))
# Modules whose audit hooks (core/audit.py on_record) react to business actions; imported at start.
# yangguang.disclosure.notify: the applicant is told of each step of a 依申请公开 application.
AUDIT_HOOK_MODULES = ["yangguang.disclosure.notify"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
