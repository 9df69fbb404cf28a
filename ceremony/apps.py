from django.apps import AppConfig


class CeremonyConfig(AppConfig):
    name = "ceremony"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ceremony import checks  # noqa: F401  (registers the system checks)
