"""Settings shared by every environment.

Everything that differs between a laptop and production comes from environment variables,
read in ``tcri_site.settings.env``. With nothing set the site runs on SQLite, the in-memory
channel layer, database search and the console e-mail backend.
"""

from datetime import timedelta
from pathlib import Path

from tcri_site.settings import env

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = env.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env.get_bool("DEBUG", False)
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    # Project apps
    "tcri_site.members",
    "tcri_site.reference",
    "tcri_site.home",
    "tcri_site.notifications",
    "tcri_site.dashboard",
    "tcri_site.backups",
    "tcri_site.background",
    "tcri_site.mail",
    "tcri_site.exports",
    "tcri_site.privacy",
    "tcri_site.privacy_guard",
    "trainings",
    "forum",
    "advocacy",
    "search",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    # Content translation, segment by segment (docs/languages-and-trainings.md); its
    # locales app replaces wagtail.locales.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "channels",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tcri_site.csp.SitePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A signed-in person accepts the current privacy policy before anything else.
    "tcri_site.privacy.middleware.PolicyAcceptanceMiddleware",
    # Last: turns a login refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tcri_site.urls"
ASGI_APPLICATION = "tcri_site.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "tcri_site.context_processors.site",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------
DATABASES = {"default": env.database(BASE_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "members:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Login throttling (django-axes, tcri_site/lockout.py): 8 failures per account, and separately
# per address, block logins from it for 15 minutes; staff lift a lock in the admin.
AXES_FAILURE_LIMIT = env.get_int("AXES_FAILURE_LIMIT", 8)
AXES_COOLOFF_TIME = timedelta(minutes=env.get_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_USERNAME_FORM_FIELD = "username"  # the login forms post the e-mail as "username"
AXES_USERNAME_CALLABLE = "tcri_site.lockout.username"
AXES_LOCKOUT_CALLABLE = "tcri_site.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
INVITATION_VALID_DAYS = 7

REDIS_URL = env.get("REDIS_URL", "")
CACHES = env.caches(REDIS_URL)
CHANNEL_LAYERS = env.channel_layers(REDIS_URL)
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Search ---------------------------------------------------------------------------
ELASTICSEARCH_URL = env.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX_PREFIX = env.get("ELASTICSEARCH_INDEX_PREFIX", "tcri")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "America/Montreal"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LANGUAGE_COOKIE_NAME = "tcri_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media -----------------------------------------------------------------
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(env.get("STATIC_ROOT", str(BASE_DIR / "static")))
STATIC_URL = "/static/"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
MEDIA_ROOT = Path(env.get("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Files only some people may read (forum attachments): outside MEDIA_ROOT, no URL, sent only
# by permission-checked views (tcri_site/private_files.py). Behind nginx, set
# PRIVATE_MEDIA_X_ACCEL_PREFIX (e.g. /_private/) to an `internal` location aliasing this root.
PRIVATE_MEDIA_ROOT = Path(env.get("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
PRIVATE_MEDIA_X_ACCEL_PREFIX = env.get("PRIVATE_MEDIA_X_ACCEL_PREFIX", "")
PRIVATE_STORAGE = {
    "BACKEND": "tcri_site.private_files.PrivateFileSystemStorage",
    "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}
# The site itself serves public media (images) only when this is on (the demo, scripts/run);
# production leaves it to the web server. Never the private root.
SERVE_MEDIA = env.get_bool("SERVE_MEDIA", False)
# WhiteNoise serves straight from the finders when nothing was collected (dev and tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Backups (tcri_site/backups, docs/deployment.md): `manage.py backup` writes one archive of
# the database and both media roots here, keeping the BACKUP_KEEP newest.
BACKUP_DIR = Path(env.get("BACKUP_DIR", str(BASE_DIR / "var" / "backups")))
BACKUP_KEEP = env.get_int("BACKUP_KEEP", 14, minimum=1)
# The worker's schedule makes one every night at 03:00 (tcri_site/backups/schedule.py).
BACKUP_NIGHTLY = env.get_bool("BACKUP_NIGHTLY", True)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = env.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env.get_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env.get_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "Espace TCRI-PASI <pasi@tcri.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A send that hangs longer than this counts as failed (and is retried); it must stay well
# below MAIL_STUCK_AFTER so the sweeper never re-queues a message still being sent.
EMAIL_TIMEOUT = env.get_int("EMAIL_TIMEOUT", 30, minimum=1)

# --- Background tasks (django-tasks, docs/background.md) ------------------------------
# "background" is the queue of this project's work (e-mail, the schedule): a database
# queue (django-tasks-db) that `manage.py worker` drains, on SQLite as on PostgreSQL.
# TASKS_BACKEND=immediate runs it in the request instead (tests, a site with no worker).
# "default" keeps Wagtail's and modelsearch's own small tasks in the request, as before.
_IMMEDIATE = {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
_TASKS_BACKEND = env.get("TASKS_BACKEND", "database")
if _TASKS_BACKEND not in {"database", "immediate"}:
    raise ValueError(f"TASKS_BACKEND must be database or immediate (got {_TASKS_BACKEND!r})")
TASKS = {
    "default": _IMMEDIATE,
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend"} if _TASKS_BACKEND == "database" else _IMMEDIATE,
}
MAIL_MAX_ATTEMPTS = env.get_int("MAIL_MAX_ATTEMPTS", 8, minimum=1)

# --- Wagtail --------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Espace TCRI-PASI"
WAGTAILADMIN_BASE_URL = env.get("SITE_URL", "http://127.0.0.1:8000")
SITE_URL = WAGTAILADMIN_BASE_URL
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No staff e-mail hashes sent to Gravatar: the admin shows initials instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Content-Security-Policy (django-csp 4; tcri_site/csp.py adds sockets and the admin's) --
from tcri_site.csp import SITE_DIRECTIVES  # noqa: E402

CONTENT_SECURITY_POLICY = {"DIRECTIVES": SITE_DIRECTIVES}
WAGTAIL_PASSWORD_RESET_ENABLED = True

# The forum TCRI-PASI: how many co-signing organisations put a demand forward for the agenda.
ADVOCACY_COSIGNATURES_FOR_AGENDA = env.get_int("ADVOCACY_COSIGNATURES_FOR_AGENDA", 5)

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "daphne": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "modelsearch": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
FORMAT_MODULE_PATH = ["tcri_site.formats"]
EMAIL_FILE_PATH = env.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))

# Retention of personal information (Law 25; tcri_site/privacy_guard/retention.py). Periods
# in months; run by ``manage.py purge_personal_data`` or ``run_retention()``.
RETENTION_ATTACHMENT_MONTHS = env.get_int("RETENTION_ATTACHMENT_MONTHS", 24)
RETENTION_INACTIVE_ACCOUNT_MONTHS = env.get_int("RETENTION_INACTIVE_ACCOUNT_MONTHS", 24)
RETENTION_DEACTIVATION_NOTICE_DAYS = env.get_int("RETENTION_DEACTIVATION_NOTICE_DAYS", 30)
RETENTION_NOTIFICATION_MONTHS = env.get_int("RETENTION_NOTIFICATION_MONTHS", 12)
