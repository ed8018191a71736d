"""The TCRI staff groups and what they may do in the Wagtail admin.

Run after every ``migrate`` (post_migrate) and by ``seed_demo``: idempotent.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from tcri_site.members.models import StaffRole

# Apps whose models TCRI staff manage through the admin.
# wagtail_localize: its "submit_translation" lets staff translate pages (docs/languages-and-trainings.md).
MANAGED_APPS = [
    "members", "reference", "trainings", "forum", "advocacy", "notifications", "taggit", "wagtail_localize",
]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
]
ADMIN_ONLY_APPS = {"wagtailusers"}
# Permissions that a library's data migration makes (on a content type of no model), so
# that neither ``create_permissions`` nor a flushed test database brings them back:
# (app_label, model, codename, name).
MIGRATION_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
    ("wagtail_localize", "translation", "submit_translation", "Can submit translations"),
]


def ensure_staff_groups(verbosity: int = 0) -> dict[str, Group]:
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for app_label, model, codename, name in MIGRATION_PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": name})

    groups = {}
    model_perms = list(Permission.objects.filter(content_type__app_label__in=MANAGED_APPS))
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    user_perms = Permission.objects.filter(
        content_type__app_label="members", content_type__model="user"
    )
    for role in StaffRole:
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.add(*model_perms, *access_admin)
        if role == StaffRole.ADMINISTRATOR:
            group.permissions.add(*user_perms)
        groups[role.value] = group

        root = Page.get_first_root_node()
        if root is not None:
            for codename in PAGE_PERMISSIONS:
                permission = Permission.objects.filter(
                    content_type__app_label="wagtailcore", codename=codename
                ).first()
                if permission:
                    GroupPagePermission.objects.get_or_create(
                        group=group, page=root, permission=permission
                    )
        collection = Collection.get_first_root_node()
        if collection is not None:
            for app_label, codename in COLLECTION_PERMISSIONS:
                permission = Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                ).first()
                if permission:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=collection, permission=permission
                    )
    return groups


def post_migrate_receiver(sender, **kwargs):
    if sender.label == "members":
        ensure_staff_groups()
