"""Staff reach the access and erasure requests from the Wagtail admin's settings menu."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class PersonalDataMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("privacy.handle_personal_data")


@hooks.register("register_settings_menu_item")
def register_personal_data_menu_item():
    return PersonalDataMenuItem(
        _("Renseignements personnels"), reverse("privacy:staff_people"), icon_name="user", order=910
    )
