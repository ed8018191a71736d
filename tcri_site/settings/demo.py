"""The demo served by scripts/run: the dev settings with DEBUG off unless asked (DEBUG=1).

With DEBUG on, any visitor of a missing page sees every URL pattern of the site, and an
error shows its traceback and settings. Off, they see the site's own 404 and 500 pages.
Static files are still served (WhiteNoise straight from the finders, nothing to collect),
and so are the public images under /media/ (SERVE_MEDIA, tcri_site.views.public_media);
private files never are.
"""

from tcri_site.settings import env
from tcri_site.settings.dev import *  # noqa: F401,F403

DEBUG = env.get_bool("DEBUG", False)
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = True
SERVE_MEDIA = env.get_bool("SERVE_MEDIA", True)
