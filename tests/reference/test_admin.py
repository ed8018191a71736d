"""The migration statuses stay managed where staff know them, in the trainings admin menu."""

from django.urls import reverse

from tcri_site.reference.models import MigrationStatus


def test_the_glossary_snippets_keep_their_admin_address(client, administrator):
    status = MigrationStatus.objects.create(name_fr="Visiteur·euse", slug="visiteur")
    client.force_login(administrator)
    assert reverse("wagtailsnippets_reference_migrationstatus:list") == "/admin/snippets/trainings/migrationstatus/"
    listing = client.get("/admin/snippets/trainings/migrationstatus/")
    assert listing.status_code == 200 and "Visiteur·euse" in listing.content.decode()
    assert client.get(f"/admin/snippets/trainings/migrationstatus/edit/{status.pk}/").status_code == 200
