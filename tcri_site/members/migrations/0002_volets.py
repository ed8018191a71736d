from django.db import migrations


def create_volets(apps, schema_editor):
    Volet = apps.get_model("members", "Volet")
    for number in range(1, 6):
        Volet.objects.get_or_create(number=number)


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(create_volets, migrations.RunPython.noop)]
