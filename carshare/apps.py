from django.apps import AppConfig


class CarshareConfig(AppConfig):
    """The project package, installed for its management commands (seed_demo, run_scans)."""

    name = "carshare"
    verbose_name = "carshare"

    def ready(self) -> None:
        from carshare.scans import register_scans, statements_on_period_close
        from ledger.signals import period_closed

        register_scans()
        period_closed.connect(statements_on_period_close, dispatch_uid="carshare.statements")
