from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "ceremony.forecast"
    label = "forecast"
    default_auto_field = "django.db.models.BigAutoField"
