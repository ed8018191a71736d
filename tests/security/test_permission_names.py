"""Door 4: no rules permission may carry the name of a Django model permission."""

import pytest
import rules
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from tcri_site import checks


def test_no_rule_shadows_a_model_permission():
    colliding = sorted(checks.colliding_rule_names())
    assert not colliding, f"rules permissions named like model permissions: {colliding}"


def test_model_permission_names_cover_defaults_and_meta_permissions():
    names = checks.model_permission_names()
    assert {"forum.add_message", "members.view_organisation", "wagtailadmin.access_admin"} <= names


@pytest.fixture
def shadowing_rule():
    rules.add_perm("members.change_organisation", rules.always_allow)
    yield "members.change_organisation"
    rules.remove_perm("members.change_organisation")


def test_the_check_is_an_error_naming_the_rule(shadowing_rule):
    errors = checks.check_rule_names_do_not_shadow_model_permissions()
    flagged = [e for e in errors if shadowing_rule in e.msg]
    assert flagged and flagged[0].id == checks.RULE_SHADOWS_MODEL_PERMISSION and flagged[0].is_serious()
    with pytest.raises(SystemCheckError, match="tcri.E001"):
        call_command("check")
