"""Settings for civgrid.

Everything that differs between a laptop demo and production comes from the environment:
DATABASE_URL (SQLite under var/ by default), CIVGRID_SECRET_KEY, CIVGRID_DEBUG, CIVGRID_ALLOWED_HOSTS,
the HTTPS switches; docs/operations.md lists them all.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("CIVGRID_VAR_DIR", BASE_DIR.parent / "var"))


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "0").strip().lower() in ("1", "true", "yes", "on")


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Off unless asked for: a forgotten variable must not show tracebacks to the public.
# `make demo` sets CIVGRID_DEBUG=1.
DEBUG = _env_flag("CIVGRID_DEBUG")
DEMO_SECRET_KEY = "insecure-demo-key-change-me-in-production"
SECRET_KEY = os.environ.get("CIVGRID_SECRET_KEY", DEMO_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEMO_SECRET_KEY and not _env_flag("CIVGRID_ALLOW_DEMO_KEY"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "CIVGRID_SECRET_KEY is not set and CIVGRID_DEBUG is off (the default). In production "
        "set CIVGRID_SECRET_KEY to a long random value (python3 -c 'import secrets; "
        "print(secrets.token_urlsafe(50))'); for a local demo set CIVGRID_DEBUG=1 "
        "(`make demo` does). See docs/operations.md."
    )
ALLOWED_HOSTS = _env_list("CIVGRID_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

# HTTPS in production (docs/operations.md): each switch is off by default so a plain-HTTP
# demo works; `civgrid check --deploy` is clean once they are set.
SECURE_HSTS_SECONDS = int(os.environ.get("CIVGRID_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("CIVGRID_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _env_flag("CIVGRID_HSTS_PRELOAD")
SECURE_SSL_REDIRECT = _env_flag("CIVGRID_SSL_REDIRECT")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_flag("CIVGRID_SECURE_COOKIES")
# Behind a reverse proxy that terminates TLS: the header it sets to "https", e.g.
# X-Forwarded-Proto. Only set it when the proxy always overwrites that header.
if _proxy_header := os.environ.get("CIVGRID_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
CSRF_TRUSTED_ORIGINS = _env_list("CIVGRID_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "civgrid.lib",  # first: text fields refuse control characters (civgrid/lib/text.py)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "civgrid.territory",
    "civgrid.org",
    "civgrid.workcalendar",
    "civgrid.cases",
    "civgrid.standards",
    "civgrid.inspections",
    "civgrid.visits",
    "civgrid.fieldwork",
    "civgrid.public",
    "civgrid.open311",
    "civgrid.reports",
    "civgrid.worklogs",
    "civgrid.bulletins",
    "civgrid.assistance",
    "civgrid.appraisals",
    "civgrid.volunteers",
    "civgrid.enterprises",
    "civgrid.safety",
    "civgrid.notices",
    "civgrid.scheduling",
    "civgrid.demo",
    "civgrid.ops",
]

MIDDLEWARE = [
    "civgrid.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A write that waited too long for SQLite's lock answers 503 + Retry-After, not 500.
    "civgrid.middleware.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "civgrid.urls"

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
                "civgrid.org.context_processors.person",
                "civgrid.nav.app_nav",
            ],
        },
    },
]

WSGI_APPLICATION = "civgrid.wsgi.application"

DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{VAR_DIR / 'civgrid.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must hold several writers at once (threads of runserver, workers of
    # gunicorn) without ever answering "database is locked". SQLite lets one writer in at a
    # time; the rest must queue for the lock instead of failing:
    # - IMMEDIATE: every transaction takes the write lock when it begins, and waits for it up
    #   to `timeout`. With the default DEFERRED, a transaction that reads and then writes (every
    #   case action: lock, check the version, update) asks for the lock half-way through, and
    #   SQLite refuses that at once, without waiting, when another writer got there first.
    # - WAL: readers never wait for the writer, nor the writer for readers; synchronous=NORMAL
    #   is durable across crashes of the program in WAL mode and avoids a disk flush per commit.
    #   The tests' in-memory database ignores the WAL pragma (its journal stays "memory").
    # Connections stay per request (CONN_MAX_AGE 0): opening a SQLite file costs nothing, and
    # runserver's thread per request would leave persistent ones dangling.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("CIVGRID_SQLITE_TIMEOUT", "20")),  # seconds
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
else:
    # PostgreSQL: keep a connection across requests (a new one per request cost a quarter of
    # the throughput in the outside test, 40 against 54 requests/s), and check it before reuse
    # so a restarted server or a dropped connection costs one reconnect, not a 500.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CIVGRID_CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Logins: passwords, lockout (django-axes), two-factor (django-otp) ---------------------
# One block so it merges as one; docs/operations.md explains each setting.
INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp"]
# django-otp marks the user verified or not right after authentication.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE += [
    # The admin needs a code-verified session; CIVGRID_REQUIRE_2FA sends to enrolment.
    "civgrid.org.middleware.TwoFactorMiddleware",
    # Axes last: it turns a lockout noted during the request into the lockout page.
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username+address before the password is even checked.
    "civgrid.org.logins.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"  # the per-role start page (待办), civgrid/views.py
LOGOUT_REDIRECT_URL = "login"

# Every password typed by a person (forms, people import, createsuperuser) passes these.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout: after CIVGRID_LOGIN_FAILURE_LIMIT wrong passwords (or codes) for one user name from
# one address within CIVGRID_LOGIN_COOLOFF_MINUTES, that pair is refused, right password or
# not, until that many minutes pass without another try; a success resets the count. The
# address is civgrid.lib.clientip's (CIVGRID_CLIENT_IP_HEADER). Unlock: `civgrid axes_reset`
# or the admin's access attempts.
AXES_FAILURE_LIMIT = int(os.environ.get("CIVGRID_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("CIVGRID_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "civgrid.lib.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "civgrid.org.views.locked_out"
AXES_VERBOSE = False

# Two-factor login (TOTP, civgrid.org.twofactor): offered to office and admin accounts; with
# CIVGRID_REQUIRE_2FA=1 they must enrol before anything else (off so the demo stays simple).
CIVGRID_REQUIRE_2FA = os.environ.get("CIVGRID_REQUIRE_2FA", "0") == "1"
OTP_TOTP_ISSUER = "civgrid"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Project-wide assets (the stylesheet, vendored htmx and Leaflet) live outside any app.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"


# Photos: what a phone camera produces, bounded so one upload cannot fill the disk.
CIVGRID_PHOTO_MAX_BYTES = int(os.environ.get("CIVGRID_PHOTO_MAX_BYTES", 10 * 1024 * 1024))
CIVGRID_PHOTO_MAX_COUNT = 9
# Decoding costs by pixels, not bytes (a 116 KB PNG can hold 40 megapixels): each photo's header
# is checked against the first cap and one action's photos together against the second before
# any is decoded (civgrid.cases.photos.clean_uploads).
CIVGRID_PHOTO_MAX_PIXELS = int(os.environ.get("CIVGRID_PHOTO_MAX_PIXELS", 24_000_000))
CIVGRID_PHOTO_MAX_BATCH_PIXELS = int(os.environ.get("CIVGRID_PHOTO_MAX_BATCH_PIXELS", 120_000_000))
# The whole request body (civgrid.middleware answers 413 before reading more): nine photos at
# their cap, with room for the form. Uploaded files stream to temporary files on disk above
# FILE_UPLOAD_MAX_MEMORY_SIZE, so a large upload costs disk, not the process's memory.
CIVGRID_MAX_REQUEST_BYTES = int(os.environ.get("CIVGRID_MAX_REQUEST_BYTES", 100 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# Map: the base-map tile source is a setting; the map still works (grids drawn from GeoJSON)
# when it is empty or unreachable.
CIVGRID_TILE_URL = os.environ.get("CIVGRID_TILE_URL", "")
CIVGRID_TILE_ATTRIBUTION = os.environ.get("CIVGRID_TILE_ATTRIBUTION", "")

# Resident reporting (civgrid.public): the public address printed in QR codes (else taken from
# the request), the header holding the client address behind a reverse proxy (rate limits),
# and the contact Open311's discovery document names.
CIVGRID_PUBLIC_URL = os.environ.get("CIVGRID_PUBLIC_URL") or None
CIVGRID_CLIENT_IP_HEADER = os.environ.get("CIVGRID_CLIENT_IP_HEADER") or None
CIVGRID_OPEN311_CONTACT = os.environ.get("CIVGRID_OPEN311_CONTACT", "")

# Cache: per-process memory by default; CIVGRID_REDIS_URL shares it (rate limits of the public
# pages count across processes) — see docs/operations.md.
if os.environ.get("CIVGRID_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CIVGRID_REDIS_URL"],
        }
    }

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "civgrid.api.AutoSchema",  # adds the common refusals
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # One error body for every refusal, case-action errors included (see civgrid/api.py).
    "EXCEPTION_HANDLER": "civgrid.api.exception_handler",
    # Throttles take the client address from civgrid.lib.clientip (civgrid.api.ClientIPThrottle);
    # any other throttle uses the socket's address, never a client-written X-Forwarded-For.
    "NUM_PROXIES": 0,
}
SPECTACULAR_SETTINGS = {
    # Choice sets named "status" in several apps: each its own component name.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "civgrid.cases.workflow.Status",
        "SchemeStatusEnum": "civgrid.appraisals.models.schemes.Scheme.Status",
    },
    "TITLE": "civgrid API",
    "DESCRIPTION": _("Problem-rectification ledger of civgrid (问题整改台账)"),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files: no CDN reachable from government networks.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Background work (Django's Tasks API through the django-tasks backport): exports, scheduled
# jobs (civgrid.scheduling), notices. See docs/operations.md, "Background work".
# - "db" (default): the queue is a table of this database, run by `civgrid db_worker`; no other
#   server, and a task enqueued inside a transaction commits or rolls back with it.
# - "rq": RQ on Redis (CIVGRID_REDIS_URL; `pip install civgrid[rq]`), run by
#   `civgrid rqworker --job-class django_tasks_rq.Job default` on as many machines as needed.
CIVGRID_TASKS = os.environ.get("CIVGRID_TASKS", "db")
if CIVGRID_TASKS == "rq":
    if not os.environ.get("CIVGRID_REDIS_URL"):
        raise ImproperlyConfigured(
            "CIVGRID_TASKS=rq needs CIVGRID_REDIS_URL (redis://host:6379/0)."
        )
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": os.environ["CIVGRID_REDIS_URL"], "DEFAULT_TIMEOUT": 3600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
elif CIVGRID_TASKS == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise ImproperlyConfigured(f"CIVGRID_TASKS must be 'db' or 'rq', not {CIVGRID_TASKS!r}.")

# Notice channels (docs/notices.md, "Channels"). Every provider setting comes from the
# environment; a channel whose settings are missing refuses its messages (permanent failure).
CIVGRID_CHANNEL_TIMEOUT = float(os.environ.get("CIVGRID_CHANNEL_TIMEOUT", "10"))  # seconds
# E-mail through Django's mail: the console in DEBUG unless a host is set, SMTP otherwise.
EMAIL_HOST = os.environ.get("CIVGRID_EMAIL_HOST", "localhost")
EMAIL_BACKEND = os.environ.get("CIVGRID_EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and "CIVGRID_EMAIL_HOST" not in os.environ
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("CIVGRID_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("CIVGRID_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CIVGRID_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("CIVGRID_EMAIL_TLS", "0") == "1"  # STARTTLS, usually port 587
EMAIL_USE_SSL = os.environ.get("CIVGRID_EMAIL_SSL", "0") == "1"  # implicit TLS, usually 465
EMAIL_TIMEOUT = CIVGRID_CHANNEL_TIMEOUT
DEFAULT_FROM_EMAIL = os.environ.get("CIVGRID_EMAIL_FROM", "civgrid <noreply@localhost>")
# SMS: "webhook", "aliyun" or "tencent" ("" = no SMS). The templates map civgrid's message kinds
# to the provider's registered template and its parameter names, as JSON:
# {"case_answered": {"code": "SMS_123", "params": {"provider_name": "civgrid_name"}}, ...}
CIVGRID_SMS_BACKEND = os.environ.get("CIVGRID_SMS_BACKEND", "")
CIVGRID_SMS_SIGN_NAME = os.environ.get("CIVGRID_SMS_SIGN_NAME", "")  # 短信签名, as registered
CIVGRID_SMS_TEMPLATES = json.loads(os.environ.get("CIVGRID_SMS_TEMPLATES") or "{}")
CIVGRID_SMS_WEBHOOK_URL = os.environ.get("CIVGRID_SMS_WEBHOOK_URL", "")
CIVGRID_SMS_WEBHOOK_SECRET = os.environ.get("CIVGRID_SMS_WEBHOOK_SECRET", "")
CIVGRID_ALIYUN_ACCESS_KEY_ID = os.environ.get("CIVGRID_ALIYUN_ACCESS_KEY_ID", "")
CIVGRID_ALIYUN_ACCESS_KEY_SECRET = os.environ.get("CIVGRID_ALIYUN_ACCESS_KEY_SECRET", "")
CIVGRID_ALIYUN_SMS_ENDPOINT = os.environ.get(
    "CIVGRID_ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/"
)
CIVGRID_TENCENT_SECRET_ID = os.environ.get("CIVGRID_TENCENT_SECRET_ID", "")
CIVGRID_TENCENT_SECRET_KEY = os.environ.get("CIVGRID_TENCENT_SECRET_KEY", "")
CIVGRID_TENCENT_SMS_APP_ID = os.environ.get("CIVGRID_TENCENT_SMS_APP_ID", "")  # SmsSdkAppId
CIVGRID_TENCENT_SMS_REGION = os.environ.get("CIVGRID_TENCENT_SMS_REGION", "ap-guangzhou")
CIVGRID_TENCENT_SMS_ENDPOINT = os.environ.get(
    "CIVGRID_TENCENT_SMS_ENDPOINT", "https://sms.tencentcloudapi.com/"
)
# Web Push: a key pair from `civgrid vapid-keys`; the subject is a mailto: or https: contact.
CIVGRID_VAPID_PUBLIC_KEY = os.environ.get("CIVGRID_VAPID_PUBLIC_KEY", "")
CIVGRID_VAPID_PRIVATE_KEY = os.environ.get("CIVGRID_VAPID_PRIVATE_KEY", "")
CIVGRID_VAPID_SUBJECT = os.environ.get("CIVGRID_VAPID_SUBJECT", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CIVGRID_LOG_LEVEL", "WARNING")},
    # urllib3 logs every request line at DEBUG, and a group robot's URL is its credential
    # (WeCom's ?key=, DingTalk's ?access_token=): never below WARNING, whatever the level.
    "loggers": {"urllib3": {"level": "WARNING"}},
}

# Notices (civgrid.notices): with the console on, every outside channel (e-mail, SMS, group
# robots, Web Push) is recorded on the console page instead of sent — the demo's default.
CIVGRID_NOTICES_CONSOLE = os.environ.get("CIVGRID_NOTICES_CONSOLE", "1" if DEBUG else "0") == "1"


# --- Running on several machines (civgrid.ops; docs/operations.md) -------------------------
# One block so it merges as one. Every switch comes from the environment; with none set (the
# demo, the tests) nothing below changes how civgrid runs.

# Object storage: photos (the default storage) and generated files on an S3-compatible service
# (MinIO, Alibaba OSS, Tencent COS, AWS) through django-storages when CIVGRID_S3_BUCKET is set;
# local disk under CIVGRID_VAR_DIR otherwise. The bucket stays private (no ACL, signed URLs
# never handed out): photos are still served only through the scoped views, which read the
# object and stream it. `pip install 'civgrid[s3]'`.
CIVGRID_S3_BUCKET = os.environ.get("CIVGRID_S3_BUCKET", "")
GENERATED_ROOT = VAR_DIR / "generated"


def s3_storage(location: str, bucket: str = CIVGRID_S3_BUCKET) -> dict:
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "location": location,
            "endpoint_url": os.environ.get("CIVGRID_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("CIVGRID_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("CIVGRID_S3_SECRET_KEY") or None,
            "region_name": os.environ.get("CIVGRID_S3_REGION") or None,
            # MinIO and most non-AWS services want bucket/key paths, not bucket.host names.
            "addressing_style": os.environ.get("CIVGRID_S3_ADDRESSING_STYLE", "path"),
            "default_acl": None,  # the bucket's policy: private
            "querystring_auth": True,
            "file_overwrite": False,  # a photo's name is never reused
        },
    }


if CIVGRID_S3_BUCKET:
    STORAGES["default"] = s3_storage(os.environ.get("CIVGRID_S3_MEDIA_PREFIX", "media"))
    STORAGES["generated"] = s3_storage(os.environ.get("CIVGRID_S3_GENERATED_PREFIX", "generated"))
else:
    STORAGES["generated"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(GENERATED_ROOT)},  # type: ignore[dict-item]
    }

# Read replica for reports (CIVGRID_REPLICA_URL): the dashboards' and exports' reads go to it
# inside civgrid.ops.routing.reading_replica() (the middleware enters it for the GET pages named
# in CIVGRID_REPLICA_VIEWS); every write, and every read outside it, goes to the primary.
if os.environ.get("CIVGRID_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["CIVGRID_REPLICA_URL"])
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["OPTIONS"] = DATABASES["default"].get("OPTIONS", {})
# The alias reads go to inside reading_replica(); empty: no replica, every read on the primary.
CIVGRID_READ_REPLICA = "replica" if "replica" in DATABASES else ""
DATABASE_ROUTERS = ["civgrid.ops.routing.ReplicaRouter"]
CIVGRID_REPLICA_VIEWS = _env_list(
    "CIVGRID_REPLICA_VIEWS", "reports:*,bulletins:ledger_export,bulletins:bulletin"
)

# Metrics and health (civgrid.ops.views): /ops/health/ for load balancers, /ops/metrics for
# Prometheus (bearer CIVGRID_METRICS_TOKEN, or only from this machine when it is unset). The
# request counters and latencies are counted per process; under gunicorn `civgrid serve` sets
# PROMETHEUS_MULTIPROC_DIR so one scrape sums every worker.
MIDDLEWARE.insert(0, "civgrid.ops.middleware.RequestMetricsMiddleware")
MIDDLEWARE.append("civgrid.ops.middleware.ReplicaReadsMiddleware")
CIVGRID_METRICS_TOKEN = os.environ.get("CIVGRID_METRICS_TOKEN", "")
# Load balancers and Prometheus ask over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^ops/health/$", r"^ops/metrics$"]

# Structured logs: CIVGRID_LOG_FORMAT=json writes one JSON object per line (python-json-logger)
# for a log collector (Loki, ELK); each request is logged by civgrid.requests at INFO.
if os.environ.get("CIVGRID_LOG_FORMAT", "text") == "json":
    LOGGING["formatters"] = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    }
    LOGGING["handlers"] = {"console": {"class": "logging.StreamHandler", "formatter": "json"}}
