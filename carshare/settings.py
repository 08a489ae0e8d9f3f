"""The one settings file. Every value that differs between machines comes from the
environment through the typed helpers of `core.env`, which refuse bad values loudly.

Embedded default (no server to install): SQLite under var/, an on-disk Celery broker,
console e-mail, local-memory cache. Production: DATABASE_URL, REDIS_URL, EMAIL_URL.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from core.env import (
    ImproperEnvironment,
    env_bool,
    env_int,
    env_list,
    env_optional,
    env_str,
    parse_database_url,
    parse_email_url,
    parse_media_storage_url,
    sqlite_database,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CARSHARE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"  # noqa: S105
SECRET_KEY = env_optional("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperEnvironment("SECRET_KEY must be set when DEBUG is off (or set DEBUG=1)")
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "rest_framework",
    "knox",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "members",
    "notifications",
    "vehicles",
    "contracts",
    "ledger",
    "bookings",
    "carshare",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Inside LocaleMiddleware: the page's language is still active on the way out.
    "core.middleware.FrenchTypographyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.RenderLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.middleware.DomainErrorMiddleware",
    # Last: turns a refused log-in of a locked-out account into members.lockout's answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "carshare.urls"
WSGI_APPLICATION = "carshare.wsgi.application"
ASGI_APPLICATION = "carshare.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "carshare.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
_database_url = env_optional("DATABASE_URL")
DATABASES = {
    "default": (
        parse_database_url(_database_url, base_dir=BASE_DIR)
        if _database_url
        else sqlite_database(VAR_DIR / "carshare.sqlite3")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The hot path's queries are prepared on each PostgreSQL session (core/prepared.py); off
# behind a pooler that does not keep sessions (PgBouncer in transaction mode).
PREPARED_STATEMENTS = env_bool("PREPARED_STATEMENTS", True)

# --- Cache and Redis -----------------------------------------------------------------------
REDIS_URL = env_optional("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Short timeouts: a Redis outage must not make web requests hang.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "socket_connect_timeout": 1,
        "socket_timeout": 2,
        "max_retries": 0,
    }
    # A task whose result is wanted subscribes to the result store when it is queued; while
    # Redis is down that subscription would retry 20 times, one second apart (a web request
    # hanging for 20 s). One attempt, then the error (which core.queue swallows).
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS: dict[str, object] = {
        "retry_policy": {"max_retries": 0, "interval_start": 0, "interval_step": 0.2},
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_RESULT_BACKEND = f"file://{CELERY_BROKER_DIR / 'results'}"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    # The on-disk transport needs its folders before the first message is written.
    for _folder in ("queue", "control", "results"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers wait for the broker however long an outage lasts (the default gives up after 100
# attempts and stops the worker); beat's and the web's publishing fail fast instead.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_PUBLISH_RETRY = False
# Tasks report through the database (the outbox, ScanRun), not through results; queuing a
# task that keeps no result never touches the result store (see the outage test).
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# --- E-mail ------------------------------------------------------------------------------
_email = parse_email_url(env_str("EMAIL_URL", "console://"))
EMAIL_BACKEND = _email.backend
EMAIL_HOST = _email.host
EMAIL_PORT = _email.port
EMAIL_HOST_USER = _email.user
EMAIL_HOST_PASSWORD = _email.password
EMAIL_USE_TLS = _email.use_tls
EMAIL_USE_SSL = _email.use_ssl
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "carshare <no-reply@carshare.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Authentication -----------------------------------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every password of a locked-out account (see members/lockout.py).
    "axes.backends.AxesStandaloneBackend",
    # Django's and allauth's, reading the person and their memberships at once (carshare/auth.py).
    "carshare.auth.ModelBackend",
    "carshare.auth.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule: revokes API tokens and forgets failed log-ins when a password is replaced.
    {"NAME": "members.passwords.PasswordReplaced"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_str(
    "ACCOUNT_EMAIL_VERIFICATION", "optional" if DEBUG else "mandatory"
)
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[carshare] "
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
# Failed log-ins from one address on the log-in page: 10 a minute. Failures against one
# account are counted by axes on every path (AXES_* below), not here.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}


# Client address: REMOTE_ADDR, or with N trusted reverse proxies the N-th address from the
# right of X-Forwarded-For (core/clientip.py). Every rate limit and lockout counts by it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperEnvironment("TRUSTED_PROXY_COUNT must be 0 or more")

# One lockout per account across the log-in page, the API token endpoint and the Django
# admin (members/lockout.py): after LOGIN_FAILURE_LIMIT failures, every password is refused
# for LOGIN_LOCKOUT_MINUTES (a success or a new password resets the count).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns that a lockout by account alone ignores the address. On purpose: the address is
# limited apart (ACCOUNT_RATE_LIMITS, API_TOKEN_RATE), and a lockout by (account, address)
# would let a guesser rotate addresses; one by address would lock a whole village hall.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_CALLABLE = "members.lockout.account_key"
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "members.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # failures are enough; no log of every successful log-in
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False

# API tokens (django-rest-knox): SHA-512 digests in the database, a fixed lifetime.
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 7 * 24)),
    "AUTO_REFRESH": False,  # a leaked token must die on time, however busy
    "AUTH_HEADER_PREFIX": "Token",  # `Authorization: Token <key>`, as before
}

# --- Internationalisation and time -------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True  # stored in UTC; shown in the association's zone
TIME_ZONE = "Europe/Paris"  # display default outside an association page

# --- Static and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# No MEDIA_URL on purpose: private files are served only through permission-checked views,
# which stream them from the storage (local folder, or S3 with MEDIA_STORAGE_URL); no
# object is public and no pre-signed URL is handed out.
STORAGES = {
    "default": parse_media_storage_url(env_optional("MEDIA_STORAGE_URL")),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 5 * 1024 * 1024)

# --- Security -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Database sessions, read with a query compiled once (core/sessions.py).
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: an unauthenticated call gets 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "members.api_auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"token": env_str("API_TOKEN_RATE", "10/min")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON in, JSON out: one encoding to document, validate and fuzz. Files are uploaded
    # through the pages.
    "DEFAULT_PARSER_CLASSES": ["core.parsers.SafeJSONParser"],  # with depth and size limits
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "carshare API",
    "DESCRIPTION": "Neighbour car sharing: associations, fleet, bookings, contracts, accounts.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for a choice set that two serializers of incidents share.
    "ENUM_NAME_OVERRIDES": {
        "RepairDocumentKindEnum": "bookings.models_incidents.Incident.RepairDocument",
    },
}

# --- Founding and the public pages -----------------------------------------------------
# A person may found FOUNDING_LIMIT associations per FOUNDING_WINDOW_HOURS (spam, mistakes).
FOUNDING_LIMIT = env_int("FOUNDING_LIMIT", 3)
FOUNDING_WINDOW_HOURS = env_int("FOUNDING_WINDOW_HOURS", 24)
# Messages of the public contact form: per sender address and hour, per association and day.
CONTACT_LIMIT_PER_SENDER_HOUR = env_int("CONTACT_LIMIT_PER_SENDER_HOUR", 3)
CONTACT_LIMIT_PER_ASSOCIATION_DAY = env_int("CONTACT_LIMIT_PER_ASSOCIATION_DAY", 30)
# Requests to join one association a person may send in 24 hours (each reaches every admin).
JOIN_REQUESTS_PER_DAY = env_int("JOIN_REQUESTS_PER_DAY", 3)

# --- Documents ---------------------------------------------------------------------------
PDF_RENDER_TIMEOUT_SECONDS = env_int("PDF_RENDER_TIMEOUT_SECONDS", 20)
# Render caps (core/pdf.py): past one, a render is refused at once with 429 + Retry-After.
# Per process: what its share of the CPUs can render at a time (a render is CPU-bound).
PDF_RENDERS_PER_PROCESS = env_int("PDF_RENDERS_PER_PROCESS", 2)
# Per person, across processes (counted in the cache): a member printing a few documents in
# a row is served; one scripting renders is stopped.
PDF_RENDERS_PER_USER = env_int("PDF_RENDERS_PER_USER", 2)
PDF_RENDERS_PER_USER_PER_MINUTE = env_int("PDF_RENDERS_PER_USER_PER_MINUTE", 10)

# --- Personal data ------------------------------------------------------------------------
# Months after a departure or a refusal before the person's data are purged (docs/PRIVACY.md).
# Twelve covers the year in which a fine for their last trips can still arrive (the
# designation of the driver needs their licence).
PERSONAL_DATA_RETENTION_MONTHS = env_int("PERSONAL_DATA_RETENTION_MONTHS", 12)
if PERSONAL_DATA_RETENTION_MONTHS < 1:
    raise ImproperEnvironment("PERSONAL_DATA_RETENTION_MONTHS must be at least 1")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # failed log-ins and lockouts, not the routine
    },
}
