"""Door 2: forum attachments live outside MEDIA_ROOT and are sent only by the checked view."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from forum.models import Attachment, Space, Thread, Visibility
from tcri_site.private_files import move_to_private_root
from tests.factories import make_member

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_thread(organisation, member):
    space = Space.objects.create(name="Espace privé", slug="prive", visibility=Visibility.LISTED)
    space.organisations.set([organisation])
    return Thread.objects.create(space=space, title="Confidentiel", author=member)


@pytest.fixture
def attachment(client, member, private_thread):
    client.force_login(member)
    upload = SimpleUploadedFile("dossier.pdf", PDF, content_type="application/pdf")
    response = client.post(private_thread.get_absolute_url(), {"body": "Voir le PDF", "attachment": upload})
    assert response.status_code == 302, response.content[:500]
    client.logout()
    return Attachment.objects.get()


def test_attachment_is_stored_outside_media_root(attachment):
    path = Path(attachment.file.path).resolve()
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert path.read_bytes() == PDF
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 (no public URL to leak)


@override_settings(SERVE_MEDIA=True)
def test_media_url_does_not_serve_attachments_but_serves_images(client, attachment):
    assert client.get(f"/media/{attachment.file.name}").status_code == 404
    image = Path(settings.MEDIA_ROOT) / "original_images" / "logo.txt"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(b"public")
    assert client.get("/media/original_images/logo.txt").status_code == 200
    assert client.get("/media/documents/x.pdf").status_code == 404


def test_checked_view_serves_members_and_refuses_others(client, attachment, organisation, other_organisation):
    url = attachment.get_absolute_url()
    assert client.get(url).status_code in (302, 403)  # anonymous: to the login page
    client.force_login(make_member(other_organisation))
    assert client.get(url).status_code == 403
    client.force_login(make_member(organisation))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_x_accel_redirect_mode(client, attachment, member, settings):
    settings.PRIVATE_MEDIA_X_ACCEL_PREFIX = "/_private/"
    client.force_login(member)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{attachment.file.name}"
    assert "dossier.pdf" in response["Content-Disposition"] and response.content == b""


def test_existing_files_move_from_media_root(tmp_path):
    media, private = tmp_path / "media", tmp_path / "private"
    (media / "forum/1/2").mkdir(parents=True)
    (media / "forum/1/2/a.pdf").write_bytes(PDF)
    assert move_to_private_root(["forum/1/2/a.pdf", "forum/missing.pdf", ""], media_root=media, private_root=private) == 1
    assert not (media / "forum/1/2/a.pdf").exists() and (private / "forum/1/2/a.pdf").read_bytes() == PDF
    assert move_to_private_root(["forum/1/2/a.pdf"], media_root=media, private_root=private) == 0
