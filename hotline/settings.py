"""Hotline settings: one module for every environment.

Production differs only by environment variables (see .env.example); each is read with a
typed helper from hotline.env that fails loudly on a bad value.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url

from hotline.env import env_bool, env_int, env_list, env_secret_key, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HOTLINE_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# Required with DEBUG off (a missing or placeholder key stops the start); the fallback serves DEBUG only.
SECRET_KEY = env_secret_key(debug=DEBUG, development_key="django-insecure-hotline-development-key-change-me")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "core",
    "audit",
    "hotline",
    "org",
    "workdays",
    "tickets",
    "reviews",
    "reports",
    "notifications",
    "alerts",
    "dispatch",
    "documents",
    "integrations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The request being served, for the audit records services write (who, from which address and browser).
    "audit.middleware.AuditContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in member's 403 on a page or API of personal data is an audit record (docs/security.md).
    "audit.middleware.RefusalAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "hotline.urls"
WSGI_APPLICATION = "hotline.wsgi.application"

# What every page's template sees: the top bar's navigation, bell and banner among it.
PAGE_CONTEXT_PROCESSORS = [
    "django.template.context_processors.i18n",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "org.context_processors.navigation",
    "workdays.context_processors.calendar_warning",
    "notifications.context_processors.unread_notifications",
]
TEMPLATES = [
    {
        # The application's pages and partials, in each app's jinja2/ folder (core/jinja2.py). First, so that
        # a page, an error page (404.html) or the login page is looked up here before Django's engine.
        "BACKEND": "core.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "core.jinja2.environment",
            "context_processors": PAGE_CONTEXT_PROCESSORS,  # the engine itself gives `request`
        },
    },
    {
        # Django's template language only for the pages of packages: the admin, the API's browsable pages.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Functions the Jinja2 pages call by name, each provided by the app that owns it: the engine
# (core/jinja2.py) names no feature. Resolved when the engine is first built.
HOTLINE_TEMPLATE_GLOBALS = {
    "review_panel": "reviews.panel.review_panel",  # the ticket page's review panel
    "cluster_alerts": "alerts.selectors.cluster_alerts",  # the ticket page's cluster-alert flag and reply lines
    "open_alerts_panel": "alerts.selectors.open_alerts_panel",  # the review dashboard's open alerts by kind and age
    "ticket_documents": "documents.panel.ticket_documents",  # the ticket page's documents panel
    "nav_label": "org.context_processors.nav_label",  # a menu page's name, wherever another link names it
}

# The dispatch suggestion (派单建议, docs/dispatch.md): tickets asks the catalogue through this dotted path (empty:
# no suggestion), and the catalogue's fallback asks this finder where similar past work orders went.
HOTLINE_DISPATCH_SUGGESTER = env_str("HOTLINE_DISPATCH_SUGGESTER", "dispatch.suggest.suggester")
# The waiting work orders' kept dispatch suggestions are kept again on beat this often (the catalogue's own changes
# hand the task over at once; this catches what a broker that was down missed).
HOTLINE_SUGGESTIONS_KEEP_SECONDS = env_int("HOTLINE_SUGGESTIONS_KEEP_SECONDS", 900, minimum=60)
HOTLINE_DISPATCH_SIMILAR_FINDER = env_str(
    "HOTLINE_DISPATCH_SIMILAR_FINDER", "dispatch.similar.same_business_or_category"
)
# Dispatch objections (派单异议, docs/dispatch.md): a unit objects within this many working hours of the dispatch
# (the hours of working days, workdays.calendar.add_working_hours); after it, only a return to the platform.
HOTLINE_OBJECTION_WINDOW_WORKING_HOURS = env_int("HOTLINE_OBJECTION_WINDOW_WORKING_HOURS", 24, minimum=1)
# An assisting unit's (协办) term in working days: 0 takes the deadline rule of the clock "assist" (data, 5 working
# days by default, editable by administrators); a number overrides it (docs/dispatch.md).
HOTLINE_ASSIST_WORKING_DAYS = env_int("HOTLINE_ASSIST_WORKING_DAYS", 0, minimum=0)

FORM_RENDERER = "core.jinja2.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hotline.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a Celery worker started by a test sees the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-hotline.sqlite3")}
    # IMMEDIATE: a transaction takes the write lock when it begins, so two requests never both read and then
    # both try to write (the second would get "database is locked" at once: SQLite cannot wait to upgrade a
    # read lock). The timeout is how long a writer waits for the lock (seconds) before that error.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20, minimum=1),
        "init_command": "PRAGMA journal_mode=WAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # ModelBackend loading the user's unit and role codes with the user (one query), and leaving the names
    # django-rules defines to rules (org/backends.py). A session names the backend that signed it in:
    # sessions from before it was named here sign in again.
    "org.backends.StaffBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str("STATICFILES_BACKEND", "whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}
# Serve static files straight from the source folders: on with DEBUG. With DEBUG off the manifest storage still
# needs collectstatic's manifest, unless STATICFILES_BACKEND is the plain StaticFilesStorage (README).
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
# Attachments live outside any served folder; views stream them after a permission check.
MEDIA_ROOT = Path(env_str("HOTLINE_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Security: production runs behind TLS; `check --deploy` runs in CI with these switched on.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("CACHE_URL"),
            # A Redis that is down or unreachable costs a request at most this long (seconds); its only user, the
            # API throttle, then counts in the process's memory (integrations/api/throttles.py, docs/security.md).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if env_str("CACHE_URL", "")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "hotline@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
# Only read by the file-based backend (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

# Celery: the filesystem broker under var/celery/ unless CELERY_BROKER_URL names a real one.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_QUEUE_DIR = VAR_DIR / "celery" / "queue"
CELERY_PROCESSED_DIR = VAR_DIR / "celery" / "processed"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_QUEUE_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_PROCESSED_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR),
        "data_folder_out": str(CELERY_QUEUE_DIR),
        "processed_folder": str(CELERY_PROCESSED_DIR),
        # kombu keeps its exchange bindings here (by default a `control/` folder in the working directory).
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
HOTLINE_HEARTBEAT_SECONDS = env_int("HOTLINE_HEARTBEAT_SECONDS", 60, minimum=1)
# The escalation sweep (tickets.escalate_due) and the resend of pending notifications, on beat.
HOTLINE_ESCALATION_SECONDS = env_int("HOTLINE_ESCALATION_SECONDS", 300, minimum=1)
HOTLINE_NOTIFICATION_RETRY_SECONDS = env_int("HOTLINE_NOTIFICATION_RETRY_SECONDS", 60, minimum=1)
# The review dashboard's counts, worked out on beat (reviews.refresh_dashboards); a page that finds them older
# than the maximum age (beat stopped) counts them itself.
HOTLINE_DASHBOARD_SECONDS = env_int("HOTLINE_DASHBOARD_SECONDS", 60, minimum=1)
HOTLINE_DASHBOARD_MAX_AGE_SECONDS = env_int("HOTLINE_DASHBOARD_MAX_AGE_SECONDS", 180, minimum=0)
# A closed month's briefing counts are kept (reports.models.MonthlyCounts); those taken in the first days after
# the month are provisional and counted again once this many days have passed.
HOTLINE_REPORTS_SETTLE_DAYS = env_int("HOTLINE_REPORTS_SETTLE_DAYS", 3, minimum=0)
# The month in progress: its kept counts are counted again by a reader who finds them older than this.
HOTLINE_REPORTS_OPEN_MONTH_SECONDS = env_int("HOTLINE_REPORTS_OPEN_MONTH_SECONDS", 600, minimum=0)
# The any-period page and the annual report (reports/views_period.py): a period with more months than this not kept
# (or a range of more days than HOTLINE_REPORTS_LIVE_DAYS) holding more work orders than HOTLINE_REPORTS_LIVE_TICKETS
# is counted in the background (reports.count_period), not while the page waits; a range counted so is read for
# HOTLINE_REPORTS_RANGE_SECONDS.
HOTLINE_REPORTS_LIVE_MONTHS = env_int("HOTLINE_REPORTS_LIVE_MONTHS", 2, minimum=0)
HOTLINE_REPORTS_LIVE_TICKETS = env_int("HOTLINE_REPORTS_LIVE_TICKETS", 20000, minimum=0)
HOTLINE_REPORTS_LIVE_DAYS = env_int("HOTLINE_REPORTS_LIVE_DAYS", 62, minimum=0)
HOTLINE_REPORTS_RANGE_SECONDS = env_int("HOTLINE_REPORTS_RANGE_SECONDS", 3600, minimum=0)
# The leader's screen (reports/selectors/screen.py): how often the page asks for new figures, how long a
# process keeps a bureau's figures, and the function counting open cluster alerts by kind and age (by name:
# reports does not import alerts).
HOTLINE_SCREEN_REFRESH_SECONDS = env_int("HOTLINE_SCREEN_REFRESH_SECONDS", 30, minimum=1)
HOTLINE_SCREEN_SECONDS = env_int("HOTLINE_SCREEN_SECONDS", 15, minimum=0)
HOTLINE_SCREEN_ALERTS = "alerts.selectors.open_alerts_by_kind_and_age"
# A person told of more than this many reminders of one tier in one sweep (a catch-up after an outage)
# gets one digest notification for that tier instead (docs/reminders.md).
HOTLINE_ESCALATION_DIGEST_THRESHOLD = env_int("HOTLINE_ESCALATION_DIGEST_THRESHOLD", 50, minimum=1)
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A web request publishing a task must not hang on a broker that is down: fail fast, the
    # notification stays pending in the database and the beat sweep sends it later.
    CELERY_BROKER_TRANSPORT_OPTIONS.update({"socket_connect_timeout": 2})
NOTIFICATIONS_PUBLISH_TIMEOUT_SECONDS = env_int("NOTIFICATIONS_PUBLISH_TIMEOUT_SECONDS", 1, minimum=1)
# The resend sweep leaves rows younger than this to the task published after commit.
NOTIFICATIONS_PENDING_GRACE_SECONDS = env_int("NOTIFICATIONS_PENDING_GRACE_SECONDS", 30, minimum=0)
# A sender's claim on a row it has not yet marked sent: past this, the row is taken to be a dead worker's and the
# sweep sends it (within this plus HOTLINE_NOTIFICATION_RETRY_SECONDS). Longer than one email or SMS may take.
NOTIFICATIONS_CLAIM_LEASE_SECONDS = env_int("NOTIFICATIONS_CLAIM_LEASE_SECONDS", 60, minimum=1)
# The SMS sender: a dotted path to a class with send(*, phone, text); the default writes to the log.
NOTIFICATIONS_SMS_BACKEND = env_str("NOTIFICATIONS_SMS_BACKEND", "notifications.backends.LogSMSBackend")

# Audit records (docs/security.md): kept at least this many days (等保 asks for six months; no lower value is
# accepted), older ones removed only by `manage.py audit_prune`.
HOTLINE_AUDIT_RETENTION_DAYS = env_int("HOTLINE_AUDIT_RETENTION_DAYS", 180, minimum=180)
# The URL namespaces whose refusals (403 to a signed-in member) are audit records: every page and API answer
# there shows work orders and so personal data (audit.middleware.RefusalAuditMiddleware).
AUDIT_REFUSAL_NAMESPACES = ["tickets", "staff_api", "reviews", "alerts"]

# Confidential work orders (保密): their personal data is shown fully hidden and revealed only to holders of
# these role codes (org.choices.RoleCode), not to everyone who may reveal elsewhere (docs/security.md).
HOTLINE_CONFIDENTIAL_REVEAL_ROLES = env_list("HOTLINE_CONFIDENTIAL_REVEAL_ROLES", ["section_chief"])

# Cluster alerts (docs/alerts.md): this many work orders of one bureau with the same key within the window
# (days, up to and including the newest) open an alert. Read when each work order is checked.
HOTLINE_ALERT_BUSINESS_THRESHOLD = env_int("HOTLINE_ALERT_BUSINESS_THRESHOLD", 10, minimum=2)
HOTLINE_ALERT_BUSINESS_WINDOW_DAYS = env_int("HOTLINE_ALERT_BUSINESS_WINDOW_DAYS", 30, minimum=1)
HOTLINE_ALERT_COMPLAINANT_THRESHOLD = env_int("HOTLINE_ALERT_COMPLAINANT_THRESHOLD", 5, minimum=2)
HOTLINE_ALERT_COMPLAINANT_WINDOW_DAYS = env_int("HOTLINE_ALERT_COMPLAINANT_WINDOW_DAYS", 30, minimum=1)
HOTLINE_ALERT_TEMPLATE_THRESHOLD = env_int("HOTLINE_ALERT_TEMPLATE_THRESHOLD", 5, minimum=2)
HOTLINE_ALERT_TEMPLATE_WINDOW_DAYS = env_int("HOTLINE_ALERT_TEMPLATE_WINDOW_DAYS", 30, minimum=1)
# Near-identical texts (tickets.similarity, docs/duplicates.md): a work order whose text is at least this similar
# (percent of shared character trigrams) to the template alert's texts joins the template cluster.
HOTLINE_ALERT_TEMPLATE_SIMILARITY_PERCENT = env_int("HOTLINE_ALERT_TEMPLATE_SIMILARITY_PERCENT", 75, minimum=1)
# A professional claimant: one complainant (ID number, else phone) reporting this many different businesses within
# the window (days) opens an alert of the kind "claimant".
HOTLINE_ALERT_CLAIMANT_BUSINESSES = env_int("HOTLINE_ALERT_CLAIMANT_BUSINESSES", 3, minimum=2)
HOTLINE_ALERT_CLAIMANT_WINDOW_DAYS = env_int("HOTLINE_ALERT_CLAIMANT_WINDOW_DAYS", 30, minimum=1)
# The beat sweep checking work orders whose check after intake never ran (alerts.detect_unchecked).
HOTLINE_ALERT_SWEEP_SECONDS = env_int("HOTLINE_ALERT_SWEEP_SECONDS", 300, minimum=1)

# Duplicate proposals (并单, docs/duplicates.md): work orders received within this many days of each other, from
# the same complainant (phone or ID number) or about the same business, on the same matter (category), or whose
# texts are at least this similar (percent of shared character trigrams), are proposed as possible duplicates.
HOTLINE_DUPLICATE_WINDOW_DAYS = env_int("HOTLINE_DUPLICATE_WINDOW_DAYS", 30, minimum=1)
HOTLINE_DUPLICATE_TEXT_SIMILARITY_PERCENT = env_int("HOTLINE_DUPLICATE_TEXT_SIMILARITY_PERCENT", 60, minimum=1)

REST_FRAMEWORK = {
    # The staff API's: the session, and an integration key recognised so that it is refused with 403 (not
    # 401); the platform's and Open311's views name their own classes.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "integrations.authentication.IntegrationClientAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Bodies are read through parsers that stop at DATA_UPLOAD_MAX_MEMORY_SIZE (413, not a 500).
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["integrations.api.throttles.ClientRateThrottle"],
    "EXCEPTION_HANDLER": "core.api.exceptions.api_exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per client (integration key, or staff member, or address): at least 10/s for the platform.
# The counters live in the default cache: per process with locmem, shared across processes with CACHE_URL.
HOTLINE_API_RATE = env_str("HOTLINE_API_RATE", "20/s")
# The webhook that receives every status update of platform work orders (empty: feed only, no push).
HOTLINE_WEBHOOK_URL = env_str("HOTLINE_WEBHOOK_URL", "")
HOTLINE_WEBHOOK_SECRET = env_str("HOTLINE_WEBHOOK_SECRET", "")
HOTLINE_WEBHOOK_TIMEOUT_SECONDS = env_int("HOTLINE_WEBHOOK_TIMEOUT_SECONDS", 5, minimum=1)
HOTLINE_WEBHOOK_MAX_ATTEMPTS = env_int("HOTLINE_WEBHOOK_MAX_ATTEMPTS", 8, minimum=1)
HOTLINE_WEBHOOK_BACKOFF_SECONDS = env_int("HOTLINE_WEBHOOK_BACKOFF_SECONDS", 30, minimum=1)
HOTLINE_WEBHOOK_INTERVAL_SECONDS = env_int("HOTLINE_WEBHOOK_INTERVAL_SECONDS", 15, minimum=1)
if HOTLINE_WEBHOOK_URL and not HOTLINE_WEBHOOK_SECRET:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("HOTLINE_WEBHOOK_URL is set: HOTLINE_WEBHOOK_SECRET is required to sign the updates.")
SPECTACULAR_SETTINGS = {
    "TITLE": "Hotline API",
    "DESCRIPTION": "Work orders of the district market-regulation bureau (12345 / 12315).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TicketStatusEnum": "tickets.choices.Status",
        "TicketSourceEnum": "tickets.choices.Source",
        "TicketKindEnum": "tickets.choices.Kind",
        "AlertKindEnum": "alerts.choices.AlertKind",
        "AlertStatusEnum": "alerts.choices.AlertStatus",
        "DocumentKindEnum": "documents.choices.DocumentKind",
        "ObjectionReasonEnum": "tickets.choices.ObjectionReason",
        "ObjectionStatusEnum": "tickets.choices.ObjectionStatus",
        "ObjectionDecisionEnum": "tickets.choices.ObjectionDecision",
        "AssistStatusEnum": "tickets.choices.AssistStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One time zone on every line, with its offset (+08:00): core.logging.LocalTimeFormatter.
    "formatters": {
        "plain": {"()": "core.logging.LocalTimeFormatter", "format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    # Phone and ID numbers never reach a log line, whichever logger wrote them (docs/security.md); an ordinary
    # 403 is one line, without a traceback.
    "filters": {
        "personal_data": {"()": "core.logging.PersonalDataFilter"},
        "no_traceback_for_403": {"()": "core.logging.NoTracebackFor403"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_traceback_for_403", "personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's own handlers (its console in DEBUG, runserver's request lines with their query strings) would
    # write past the filter: their records go to the console above instead.
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": ["console"], "propagate": False},
    },
}
SPECTACULAR_SETTINGS.update(
    {
        # Served by Hotline itself: bureaus run on isolated networks, no CDN.
        "SWAGGER_UI_DIST": "SIDECAR",
        "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
        "REDOC_DIST": "SIDECAR",
    }
)

# ---------------------------------------------------------------- sign-in, sessions, passwords (docs/security.md)
INSTALLED_APPS += ["org.external_apps.AxesConfig", "django_otp", "org.external_apps.OtpTotpConfig"]
MIDDLEWARE += [
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): this session passed the second factor
    "org.middleware.AccountPolicyMiddleware",  # idle and absolute session expiry, second factor, password age
    "core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]
# Lockout is checked before any password is (org.backends.LockoutBackend).
AUTHENTICATION_BACKENDS = ["org.backends.LockoutBackend", *AUTHENTICATION_BACKENDS]

# Lockout of the account, not of the address: a bureau's offices sit behind one NAT address, so counting by
# address would lock every clerk out at once. Unknown usernames are counted and locked the same way.
AXES_FAILURE_LIMIT = env_int("HOTLINE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("HOTLINE_LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "org.views.locked_out"  # the login page with the form's error, not axes' own page
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are recorded by the audit, failures by axes' AccessAttempt
# django-axes warns that a lockout without the address lets a guesser rotate user agents or cookies: it is
# keyed on the account name, which a guesser of one account cannot rotate (docs/security.md).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# A session ends after this long without a request, and this long after signing in whatever happens
# (org.middleware). Django's database sessions (docs/pagespeed.md says why not the prepared ones).
HOTLINE_SESSION_IDLE_MINUTES = env_int("HOTLINE_SESSION_IDLE_MINUTES", 30, minimum=1)
HOTLINE_SESSION_MAX_HOURS = env_int("HOTLINE_SESSION_MAX_HOURS", 8, minimum=1)
SESSION_COOKIE_AGE = HOTLINE_SESSION_MAX_HOURS * 3600

# Passwords (defaults per 等保 2.0 level 3): length, kinds of characters, not one of the last N, changed every
# D days (0: never; the member is sent to the change page at the next request).
HOTLINE_PASSWORD_MIN_LENGTH = env_int("HOTLINE_PASSWORD_MIN_LENGTH", 8, minimum=1)
HOTLINE_PASSWORD_MIN_CLASSES = env_int("HOTLINE_PASSWORD_MIN_CLASSES", 3, minimum=1)
HOTLINE_PASSWORD_HISTORY = env_int("HOTLINE_PASSWORD_HISTORY", 5, minimum=0)
HOTLINE_PASSWORD_MAX_AGE_DAYS = env_int("HOTLINE_PASSWORD_MAX_AGE_DAYS", 90, minimum=0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": HOTLINE_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "org.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": HOTLINE_PASSWORD_MIN_CLASSES}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "org.passwords.PasswordHistoryValidator", "OPTIONS": {"keep": HOTLINE_PASSWORD_HISTORY}},
]

# The second factor (TOTP, django-otp): anyone may enrol; members holding one of these role codes must
# (e.g. "admin,bureau_leader,unit_leader"), and are sent to enrol at their next request.
HOTLINE_OTP_REQUIRED_ROLES = env_list("HOTLINE_OTP_REQUIRED_ROLES", [])
OTP_TOTP_ISSUER = env_str("HOTLINE_OTP_ISSUER", "Hotline")
# The admin never shows an app's key or its QR code: an administrator could otherwise copy a member's second factor.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Tests only (pytest.ini sets it): hashing a password properly costs ~0.3 s, and fixtures make dozens.
if env_bool("HOTLINE_FAST_PASSWORD_HASHING", False):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
