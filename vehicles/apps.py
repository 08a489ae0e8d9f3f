from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "vehicles"
    verbose_name = _("Fleet")

    def ready(self) -> None:
        from members.exports import register_association_export, register_personal_export
        from vehicles import exports

        register_association_export("vehicles", exports.association_files)
        register_personal_export("vehicles", exports.personal_files)
