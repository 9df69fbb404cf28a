from django.apps import AppConfig


class PoolsConfig(AppConfig):
    name = "ceremony.pools"
    label = "pools"
    verbose_name = "Pools"
