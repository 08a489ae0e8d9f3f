from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Bookings")

    def ready(self) -> None:
        from bookings import home, notifications, scans
        from members.home_sections import register_home_section
        from notifications.registry import register_jobs, register_kinds
        from vehicles.links import register_vehicle_link

        register_kinds(*notifications.KINDS)
        register_jobs(*scans.JOBS)
        register_home_section("owner_cars", "bookings/home_section.html", home.owner_cars)
        register_vehicle_link("notebook", _("Notebook"), "bookings:notebook")
        register_vehicle_link("owner_time", _("When it is not lent"), "bookings:owner_time")
