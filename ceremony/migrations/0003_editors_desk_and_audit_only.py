from django.db import migrations

# Editors use the live desk and read the audit log, nothing more: the desk is not the ceremony's
# change page, so they do not need to view ceremonies in the stock admin.
REMOVED = ["view_ceremony"]


def narrow_editors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Editors").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="ceremony", codename__in=REMOVED)
        )


def widen_editors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Editors").first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="ceremony", codename__in=REMOVED)
        )


class Migration(migrations.Migration):
    dependencies = [("ceremony", "0002_editors_group")]

    operations = [migrations.RunPython(narrow_editors, widen_editors)]
