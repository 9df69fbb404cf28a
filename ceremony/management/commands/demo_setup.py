import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from ceremony import services
from ceremony.importers.json_file import ceremony_spec

DEMO = Path(__file__).resolve().parents[2] / "demo"
USERNAME = "editor"


class Command(BaseCommand):
    help = (
        "Demo set-up only (refused unless DEBUG=true): load the 82nd Golden Globes with results "
        "and the 97th Academy Awards nominees, and create an editor account."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-password",
            action="store_true",
            help="Give the existing demo editor a new password (printed).",
        )

    def handle(self, *args, reset_password=False, **options):
        if not settings.DEBUG:
            raise CommandError("demo_setup creates a known account; it runs only with DEBUG=true.")
        for name, with_results in (
            ("golden-globes-82.json", True),
            ("oscars-97-nominees.json", False),
        ):
            data = json.loads((DEMO / name).read_text(encoding="utf-8"))
            summary = services.ceremony_import(
                spec=ceremony_spec(data, source=name, with_results=with_results), actor="demo"
            )
            self.stdout.write(str(summary))
        User = get_user_model()
        user, created = User.objects.get_or_create(username=USERNAME, defaults={"is_staff": True})
        if created or reset_password:
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            login = f"Demo editor: {USERNAME} / {password}  (log in at /admin/ on the site)"
        else:
            # A new password every start would log every editor out: keep the one they have.
            login = (
                f"Demo editor: {USERNAME}, password unchanged (manage.py demo_setup "
                "--reset-password gives it a new one)"
            )
        user.is_staff = True
        user.save()
        user.groups.add(Group.objects.get(name="Editors"))
        self.stdout.write(
            self.style.SUCCESS(
                f"{login}\n"
                "Rehearse the night in another terminal (on a copy, never the real ceremony): "
                "DEBUG=true .venv/bin/python manage.py replay_ceremony 97th-academy-awards "
                "ceremony/demo/oscars-97-results.json --interval 5"
            )
        )
