from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "vehicles"
    verbose_name = _("Fleet")

    def ready(self) -> None:
        from members.exports import register_association_export, register_personal_export
        from members.home_sections import register_home_section
        from vehicles import exports, home

        register_association_export("vehicles", exports.association_files)
        register_personal_export("vehicles", exports.personal_files)
        register_home_section("vehicles", "vehicles/home_section.html", home.fleet_alerts)
