"""What the ledger says before an account is deleted (members.privacy.register_deletion_check)."""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext

from core.money import format_euros
from ledger.models import Leg
from members.models import User


def unsettled_balances(user: User) -> list[str]:
    """One sentence per association where the person's balance is not zero: money owed by
    or to them would be lost with the account."""
    totals = (
        Leg.objects.filter(account__membership__user=user)
        .values("account__association__name")
        .annotate(total=Sum("amount"))
        .order_by("account__association__name")
    )
    return [
        gettext(
            "your account with %(association)s is not settled (%(amount)s): settle it with "
            "the association first."
        )
        % {"association": row["account__association__name"], "amount": format_euros(-row["total"])}
        for row in totals
        if row["total"]
    ]
