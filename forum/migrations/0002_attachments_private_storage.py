"""Forum attachments move to the private storage (outside MEDIA_ROOT, served only by the
permission-checked view); files already stored under MEDIA_ROOT are moved there."""

from django.db import migrations, models

import forum.models
import tcri_site.private_files


def move_existing_files(apps, schema_editor):
    Attachment = apps.get_model("forum", "Attachment")
    names = Attachment.objects.using(schema_editor.connection.alias).values_list("file", flat=True)
    tcri_site.private_files.move_to_private_root(names.iterator())


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attachment",
            name="file",
            field=models.FileField(
                max_length=255,
                storage=tcri_site.private_files.private_storage,
                upload_to=forum.models.attachment_path,
            ),
        ),
        # Moving back is not needed: the files stay readable through the view either way.
        migrations.RunPython(move_existing_files, migrations.RunPython.noop, elidable=True),
    ]
