from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from core.versioning import manage_sqlite_triggers
        from members import export_sections
        from members.checklist import INVITATIONS_STEP, RULES_STEP, register_start_step
        from members.db import VERSION_TRIGGERS
        from members.exports import register_association_export, register_personal_export

        manage_sqlite_triggers(self, VERSION_TRIGGERS)
        register_start_step(RULES_STEP)
        register_start_step(INVITATIONS_STEP)

        register_association_export("members", export_sections.association_files)
        register_personal_export("members", export_sections.personal_files)
