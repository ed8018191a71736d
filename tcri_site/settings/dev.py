"""Local development: DEBUG on, everything embedded unless the environment says otherwise."""

from tcri_site.settings import env
from tcri_site.settings.base import *  # noqa: F401,F403

DEBUG = env.get_bool("DEBUG", True)
WHITENOISE_AUTOREFRESH = DEBUG
