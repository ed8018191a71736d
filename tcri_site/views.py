from django.db import connection
from django.http import JsonResponse


def healthz(request):
    """Liveness for the proxy and the browser-test fixture: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# Public media the site serves itself when SERVE_MEDIA is on (the demo): images only. Wagtail
# documents are sent by their own view (privacy checked) and private files live elsewhere.
PUBLIC_MEDIA_PREFIXES = ("images/", "original_images/")


def public_media(request, path):
    from django.conf import settings
    from django.http import Http404
    from django.views.static import serve

    if not settings.SERVE_MEDIA or not path.startswith(PUBLIC_MEDIA_PREFIXES):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
