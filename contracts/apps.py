from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Contracts and documents")

    def ready(self) -> None:
        from contracts import notifications, scans
        from contracts.db import VERSION_TRIGGERS
        from contracts.founding import (
            AGREEMENT_TEMPLATE_STEP,
            founding_kit_hidden_at,
            founding_kit_section,
        )
        from core.bounded import add_preload
        from core.versioning import manage_sqlite_triggers
        from members.checklist import register_start_step
        from members.home_sections import register_home_section
        from notifications.registry import register_jobs, register_kinds

        manage_sqlite_triggers(self, VERSION_TRIGGERS)
        register_kinds(*notifications.KINDS)
        register_jobs(*scans.JOBS)
        register_start_step(AGREEMENT_TEMPLATE_STEP)
        register_home_section(
            "founding_kit",
            "contracts/home_founding_kit.html",
            founding_kit_section,
            changes_at=founding_kit_hidden_at,
        )

        # Rendering workers start with the sandbox imported and the default templates
        # compiled (see contracts/preload.py).
        add_preload("contracts.worker", "contracts.preload")
