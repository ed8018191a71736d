import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from tcri_site import views as site_views
from tcri_site.i18n import set_language

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", site_views.healthz, name="healthz"),
]

# Every public URL exists in French (no prefix) and English (/en/...).
urlpatterns += i18n_patterns(
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("comptes/", include("tcri_site.members.urls")),
    path("notifications/", include("tcri_site.notifications.urls")),
    path("telechargements/", include("tcri_site.exports.urls")),
    path("tableau-de-bord/", include("tcri_site.dashboard.urls")),
    path("confidentialite/", include("tcri_site.privacy.urls")),
    path("seances/", include("trainings.urls")),
    path("espaces/", include("forum.urls")),
    path("forum-pasi/", include("advocacy.urls")),
    path("recherche/", include("search.urls")),
    path("", wagtail_views.serve, {"path": ""}, name="home"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# Public images under /media/ when SERVE_MEDIA is on (the demo); a 404 otherwise, and always
# for anything but images (tcri_site.views.public_media).
urlpatterns = [
    re_path(r"^%s(?P<path>.*)$" % re.escape(settings.MEDIA_URL.lstrip("/")), site_views.public_media),
] + urlpatterns
