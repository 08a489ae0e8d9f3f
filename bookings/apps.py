from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Bookings")

    def ready(self) -> None:
        from bookings import home, notifications, scans
        from bookings.db import VERSION_TRIGGERS
        from bookings.exports import personal_files
        from bookings.privacy import bookings_in_the_way
        from bookings.reports.annual import report_section
        from core.versioning import manage_sqlite_triggers
        from members.exports import register_personal_export
        from members.home_sections import register_home_section
        from members.privacy import register_deletion_check
        from notifications.registry import register_jobs, register_kinds
        from vehicles.links import register_vehicle_link

        manage_sqlite_triggers(self, VERSION_TRIGGERS)
        register_kinds(*notifications.KINDS)
        register_jobs(*scans.JOBS)
        register_home_section("annual_report", "bookings/home_report.html", report_section)
        register_deletion_check("bookings", bookings_in_the_way)
        register_personal_export("bookings", personal_files)
        register_home_section("owner_cars", "bookings/home_section.html", home.owner_cars)
        register_vehicle_link("notebook", _("Notebook"), "bookings:notebook")
        register_vehicle_link("owner_time", _("When it is not lent"), "bookings:owner_time")
