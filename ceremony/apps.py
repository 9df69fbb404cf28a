from django.apps import AppConfig


class CeremonyConfig(AppConfig):
    name = "ceremony"
    default_auto_field = "django.db.models.BigAutoField"
