from django.apps import AppConfig


class SharingConfig(AppConfig):
    """An app of its own only so Django finds its template tags (`{% load sharing %}`)."""

    name = "ceremony.sharing"
    label = "sharing"
