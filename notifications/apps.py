from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from core.notices import connect_outbox
        from members import notifications as members_notifications
        from members import scans as members_scans
        from members.me_pages import register_me_page
        from notifications import scans
        from notifications.outbox import queue_notifications
        from notifications.registry import register_jobs, register_kinds

        connect_outbox(queue_notifications)
        register_jobs(*scans.JOBS)
        # members sits below this app and may not import it: its kinds and jobs (plain
        # declarations) are registered here; every other app registers its own.
        register_kinds(*members_notifications.KINDS)
        register_jobs(*members_scans.JOBS)
        register_me_page("notifications:list", _("Notifications"))
