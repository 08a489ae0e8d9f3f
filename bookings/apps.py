from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Bookings")

    def ready(self) -> None:
        from bookings.reports.annual import report_section
        from members.home_sections import register_home_section

        register_home_section("annual_report", "bookings/home_report.html", report_section)
