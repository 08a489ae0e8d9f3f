from django.apps import AppConfig


class CarshareConfig(AppConfig):
    """The project package, installed for its management commands (seed_demo, seed_bench)."""

    name = "carshare"
    verbose_name = "carshare"
