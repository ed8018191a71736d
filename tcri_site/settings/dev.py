"""Local development: DEBUG on, everything embedded unless the environment says otherwise."""

from tcri_site.settings import env
from tcri_site.settings.base import *  # noqa: F401,F403

DEBUG = env.get_bool("DEBUG", True)
WHITENOISE_AUTOREFRESH = DEBUG
# The demo serves its public images itself (tcri_site.views.public_media), DEBUG or not.
SERVE_MEDIA = env.get_bool("SERVE_MEDIA", True)
