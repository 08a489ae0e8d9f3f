from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "vehicles"
    verbose_name = _("Fleet")

    def ready(self) -> None:
        from core.versioning import manage_sqlite_triggers
        from members.checklist import register_start_step
        from members.exports import register_association_export, register_personal_export
        from members.home_sections import register_home_section, register_public_section
        from notifications.registry import register_jobs, register_kinds
        from vehicles import exports, home, notifications, public, scans
        from vehicles.db import VERSION_TRIGGERS

        manage_sqlite_triggers(self, VERSION_TRIGGERS)
        register_kinds(*notifications.KINDS)
        register_jobs(*scans.JOBS)

        register_association_export("vehicles", exports.association_files)
        register_personal_export("vehicles", exports.personal_files)
        register_home_section("vehicles", "vehicles/home_section.html", home.fleet_alerts)
        register_public_section("vehicles", "vehicles/public_section.html", public.public_section)
        register_start_step(public.FIRST_CAR_STEP)
