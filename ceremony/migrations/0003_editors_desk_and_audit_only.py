from django.db import migrations

# Editors use the live desk and read the audit log, nothing more: the desk is not the ceremony's
# change page, so they do not need to view ceremonies in the stock admin.
REMOVED = ["view_ceremony"]


def _editors_and_removed(apps):
    """The Editors group (None if it is gone) and the permissions this migration takes away."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    removed = Permission.objects.filter(content_type__app_label="ceremony", codename__in=REMOVED)
    return Group.objects.filter(name="Editors").first(), removed


def narrow_editors(apps, schema_editor):
    group, removed = _editors_and_removed(apps)
    if group is not None:
        group.permissions.remove(*removed)


def widen_editors(apps, schema_editor):
    group, removed = _editors_and_removed(apps)
    if group is not None:
        group.permissions.add(*removed)


class Migration(migrations.Migration):
    dependencies = [("ceremony", "0002_editors_group")]

    operations = [migrations.RunPython(narrow_editors, widen_editors)]
