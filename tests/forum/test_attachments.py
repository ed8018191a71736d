"""Attachments as people see them: image thumbnails made on the server (Pillow), file cards
with a type and a size in words, all behind the permission-checked views."""

import io
import re
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from forum import files, services
from forum.models import Attachment, Message, Visibility
from forum.services.events import message_payload
from tcri_site.privacy_guard.purge import run_retention
from tests.factories import make_member
from tests.forum.conftest import make_space, make_thread

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def image_bytes(size=(1200, 800), fmt="PNG", mode="RGB", exif=None) -> bytes:
    image = Image.new(mode, size)
    # A gradient, so the file is a real picture and not one flat colour.
    for x in range(0, size[0], max(1, size[0] // 40)):
        for y in range(0, size[1], max(1, size[1] // 40)):
            image.putpixel((x, y), (x % 256, y % 256, 128) if mode == "RGB" else 255)
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def post(client, thread, name, content, lang=""):
    upload = SimpleUploadedFile(name, content)
    return client.post(f"{lang}{thread.get_absolute_url()}", {"body": "Voir la pièce jointe", "attachment": upload})


def test_an_image_gets_a_private_thumbnail_at_most_480_wide(client, member, thread):
    client.force_login(member)
    assert post(client, thread, "affiche.png", image_bytes((1200, 800))).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.has_preview
    assert (attachment.preview_width, attachment.preview_height) == (480, 320)
    # Stored beside the original, in the private root, never under MEDIA_ROOT.
    stored = Path(attachment.preview.path)
    assert stored.is_file() and stored.parent.parent == Path(attachment.file.path).parent
    assert str(stored).startswith(str(django_settings.PRIVATE_MEDIA_ROOT))
    assert not str(stored).startswith(str(django_settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        _ = attachment.preview.url  # the private storage has no public address

    html = client.get(thread.get_absolute_url()).content.decode()
    img = re.search(r'<img src="([^"]+)" width="(\d+)" height="(\d+)" alt="([^"]+)"', html)
    assert img.groups() == (attachment.preview_url, "480", "320", "affiche.png")
    assert f'<a href="{attachment.get_absolute_url()}"><img' in html  # click: the full image

    thumb = client.get(attachment.preview_url)
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/png"
    assert thumb["X-Content-Type-Options"] == "nosniff" and "sandbox" in thumb["Content-Security-Policy"]
    with Image.open(io.BytesIO(b"".join(thumb.streaming_content))) as served:
        assert served.size == (480, 320)

    full = client.get(attachment.get_absolute_url())  # an image opens in the browser
    assert full.status_code == 200 and full["Content-Type"] == "image/png"
    assert "inline" in full["Content-Disposition"]
    with Image.open(io.BytesIO(b"".join(full.streaming_content))) as original:
        assert original.size == (1200, 800)


def test_jpeg_thumbnail_is_turned_upright_and_keeps_no_camera_data(client, member, thread):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to show upright
    exif[0x010F] = "Appareil de Camille"  # Make
    client.force_login(member)
    assert post(client, thread, "photo.jpg", image_bytes((800, 400), fmt="JPEG", exif=exif)).status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.preview_width, attachment.preview_height) == (400, 800)
    with attachment.preview.open("rb") as handle, Image.open(handle) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (400, 800)
        assert not thumb.getexif()


def test_a_small_image_is_not_enlarged(member, thread):
    upload = SimpleUploadedFile("icone.png", image_bytes((120, 60)))
    services.do_post_message(actor=member, thread_id=thread.pk, body="Icône", files=[upload])
    attachment = Attachment.objects.get()
    assert (attachment.preview_width, attachment.preview_height) == (120, 60)


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00garbage, not an image" * 20,  # the right magic, then nothing
        image_bytes((900, 600), fmt="JPEG")[:600],  # cut short in the middle of the picture
    ],
    ids=["garbage", "truncated"],
)
def test_an_undecodable_image_is_posted_and_shown_as_a_file_card(client, member, thread, content):
    name = "casse.png" if content.startswith(b"\x89PNG") else "coupee.jpg"
    client.force_login(member)
    assert post(client, thread, name, content).status_code == 302
    attachment = Attachment.objects.get()
    assert not attachment.has_preview and not attachment.preview
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    card = re.search(r'<a class="forum-attachment-card" href="([^"]+)">(.*?)</a>', html, re.S)
    assert card and card.group(1) == attachment.get_absolute_url()
    assert name in card.group(2) and ("Image PNG" in card.group(2) or "Image JPEG" in card.group(2))
    assert "<img" not in html.split('id="forum-messages"')[1].split("</ol>")[0]
    assert client.get(attachment.preview_url).status_code == 404
    assert message_payload(attachment.message)["attachments"][0]["preview"] is None


def test_an_image_too_large_to_decode_safely_gets_no_thumbnail():
    source = io.BytesIO()
    Image.new("1", (8000, 6000)).save(source, format="PNG")  # 48 million pixels in a few kB
    assert services.render_preview(source) is None
    assert source.tell() == 0


def test_a_pdf_shows_a_card_with_name_type_and_size_in_the_page_language(client, member, thread):
    client.force_login(member)
    content = PDF + b"0" * (1258291 - len(PDF))  # 1,2 Mo
    assert post(client, thread, "rapport annuel.pdf", content).status_code == 302
    attachment = Attachment.objects.get()
    assert not attachment.has_preview
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "rapport annuel.pdf" in html and ">PDF · 1,2 Mo<" in html
    english = client.get("/en" + thread.get_absolute_url()).content.decode()
    assert ">PDF · 1.2 MB<" in english
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("size", "fr", "en"),
    [(1, "1 octet", "1 byte"), (500, "500 octets", "500 bytes"), (3 * 1024 + 300, "3,3 Ko", "3.3 KB"),
     (20 * 1024, "20 Ko", "20 KB"), (1258291, "1,2 Mo", "1.2 MB")],
)
def test_sizes_in_words(size, fr, en):
    with translation.override("fr"):
        assert files.human_size(size) == fr
    with translation.override("en"):
        assert files.human_size(size) == en


def test_types_in_words():
    with translation.override("fr"):
        assert [files.type_label(n) for n in ("a.PDF", "b.docx", "c.xlsx", "d.bin")] == [
            "PDF", "Document Word", "Classeur Excel", "Fichier"]
    with translation.override("en"):
        assert [files.type_label(n) for n in ("a.pdf", "b.docx", "c.odt", "d.jpeg")] == [
            "PDF", "Word document", "OpenDocument text", "JPEG image"]


@pytest.mark.parametrize(
    ("name", "content", "limit", "fr", "en"),
    [
        ("enorme.png", None, 2048, "dépasse la taille permise", "is larger than allowed"),
        ("image.gif", b"GIF89a" + b"\x00" * 40, None, "type accepté", "not of an accepted type"),
        ("image.png", b"\xff\xd8\xff" + b"\x00" * 40, None, "ne correspond pas à son extension", "does not match"),
    ],
)
def test_oversize_and_wrong_type_are_refused_with_a_translated_error(
    client, member, thread, settings, name, content, limit, fr, en
):
    if limit:
        settings.FORUM_MAX_ATTACHMENT_BYTES = limit
    content = content or image_bytes((600, 600))
    assert len(content) > 2048 or not limit
    client.force_login(member)
    for lang, expected in (("", fr), ("/en", en)):
        response = post(client, thread, name, content, lang=lang)
        assert response.status_code == 400
        assert expected in response.content.decode()
    assert not Attachment.objects.exists() and Message.objects.count() == 1  # the thread's first only
    assert not list(Path(django_settings.PRIVATE_MEDIA_ROOT).rglob("enorme*"))


def test_another_spaces_non_member_cannot_fetch_an_image_or_its_thumbnail(client, member, organisation, other_organisation):
    space = make_space("reserve", visibility=Visibility.LISTED, organisations=[organisation])
    thread = make_thread(space, member)
    upload = SimpleUploadedFile("plan.png", image_bytes((700, 700)))
    services.do_post_message(actor=member, thread_id=thread.pk, body="Le plan", files=[upload])
    attachment = Attachment.objects.get()
    assert attachment.has_preview
    urls = [attachment.get_absolute_url(), attachment.preview_url,
            reverse("forum:message_attachments", args=[attachment.message_id])]
    client.force_login(make_member(other_organisation))
    for url in urls:
        assert client.get(url).status_code in (403, 404), url
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/connexion/" in response["Location"]
    client.force_login(member)
    for url in urls:
        assert client.get(url).status_code == 200


def test_a_hidden_messages_thumbnail_is_for_moderators_only(client, member, colleague, project_lead, space):
    thread = make_thread(space, member)
    upload = SimpleUploadedFile("vue.png", image_bytes((500, 300)))
    result = services.do_post_message(actor=member, thread_id=thread.pk, body="Vue", files=[upload])
    services.do_set_hidden(actor=project_lead, message_id=result.message.pk, hidden=True)
    attachment = Attachment.objects.get()
    client.force_login(colleague)
    assert client.get(attachment.preview_url).status_code == 404
    assert client.get(reverse("forum:message_attachments", args=[result.message.pk])).status_code == 404
    client.force_login(project_lead)
    assert client.get(attachment.preview_url).status_code == 200


def test_live_payload_and_fragment_match_the_page(client, member, colleague, thread):
    uploads = [SimpleUploadedFile("carte.jpg", image_bytes((960, 480), fmt="JPEG")),
               SimpleUploadedFile("note.docx", b"PK\x03\x04" + b"\x00" * 3000)]
    result = services.do_post_message(actor=member, thread_id=thread.pk, body="Deux fichiers", files=uploads)
    image, doc = Attachment.objects.order_by("pk")
    sent = result.event["payload"]["attachments"]
    assert sent[0]["preview"] == {"url": image.preview_url, "width": 480, "height": 240}
    assert sent[0]["url"] == image.get_absolute_url() and sent[0]["content_type"] == "image/jpeg"
    assert sent[1]["preview"] is None and sent[1]["name"] == "note.docx"

    client.force_login(colleague)
    fragment = client.get(reverse("forum:message_attachments", args=[result.message.pk])).content.decode()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert fragment.strip() in page  # the same rendering, live or not
    assert 'width="480" height="240" alt="carte.jpg"' in fragment
    assert "Document Word · 2,9 Ko" in fragment
    english = client.get("/en" + reverse("forum:message_attachments", args=[result.message.pk])).content.decode()
    assert "Word document · 2.9 KB" in english


def test_older_images_get_their_thumbnails_from_the_command(member, thread):
    upload = SimpleUploadedFile("ancienne.png", image_bytes((1000, 500)))
    services.do_post_message(actor=member, thread_id=thread.pk, body="Ancienne", files=[upload])
    attachment = Attachment.objects.get()
    attachment.preview.delete(save=False)
    Attachment.objects.filter(pk=attachment.pk).update(preview="", preview_width=None, preview_height=None)
    out = io.StringIO()
    call_command("forum_previews", stdout=out)
    assert "1 thumbnail" in out.getvalue()
    attachment.refresh_from_db()
    assert (attachment.preview_width, attachment.preview_height) == (480, 240)
    call_command("forum_previews", stdout=out)
    assert "0 thumbnail" in out.getvalue()


def test_retention_destroys_the_thumbnail_with_the_image(member, thread):
    upload = SimpleUploadedFile("vieille.png", image_bytes((600, 300)))
    services.do_post_message(actor=member, thread_id=thread.pk, body="Vieille image", files=[upload])
    attachment = Attachment.objects.get()
    original, thumbnail = Path(attachment.file.path), Path(attachment.preview.path)
    assert original.is_file() and thumbnail.is_file()
    later = timezone.now() + relativedelta(months=django_settings.RETENTION_ATTACHMENT_MONTHS + 1)
    run_retention(now=later)
    assert not Attachment.objects.exists()
    assert not original.exists() and not thumbnail.exists()
