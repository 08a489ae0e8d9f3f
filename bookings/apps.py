from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Bookings")

    def ready(self) -> None:
        from bookings import notifications, scans
        from notifications.registry import register_jobs, register_kinds

        register_kinds(*notifications.KINDS)
        register_jobs(*scans.JOBS)
