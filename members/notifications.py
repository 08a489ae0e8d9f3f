"""The notification kinds of members; texts in templates/members/notifications/.

Registered by NotificationsConfig.ready (members sits below the notifications app and may
not import it); see notifications/registry.py.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.notices import Kind

LICENCE_EXPIRING = Kind("members", "licence_expiring", _("driving licence expiring"))
FEE_RENEWAL = Kind("members", "fee_renewal", _("membership fee renewal"), optional=True)
# Someone waits on the admins for these two: always sent.
CONTACT_MESSAGE = Kind("members", "contact_message", _("message from the public page"))
JOIN_REQUESTED = Kind("members", "join_requested", _("request to join"))

KINDS = [LICENCE_EXPIRING, FEE_RENEWAL, CONTACT_MESSAGE, JOIN_REQUESTED]
