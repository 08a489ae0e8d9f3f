"""What a new insurance policy changes in the rules of the vehicle's current one.

Pure functions, shared by every path that writes a policy (the "new policy" page, which is
a renewal when the vehicle is insured, and later an edit page): `renewal_fields` pre-fills
a renewal from the current policy, `loosened_rules` lists what a policy makes less strict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db.models import Field
from django.utils.translation import gettext, ngettext

from core.errors import ConflictError
from core.money import format_euros
from core.timeutils import add_years
from vehicles.models import InsurancePolicy

Rule = InsurancePolicy.YoungDriverRule

# From the strictest to the loosest: a policy that moves right loosens the rule.
YOUNG_DRIVER_STRICTNESS = (Rule.FORBIDDEN, Rule.HIGHER_DEDUCTIBLE, Rule.ALLOWED)

# What a renewal does not copy from the current policy: its dates move on, the certificate
# is the new paper's, and the rest is the row's own bookkeeping.
NOT_RENEWED = frozenset(
    {"id", "vehicle", "valid_from", "valid_until", "certificate", "is_active", "created_at"}
)


# The rules compared, in the form's order; a lower number is a looser rule.
COMPARED_RULES = (
    "deductible",
    "young_driver_rule",
    "young_driver_deductible",
    "min_driver_age",
    "min_licence_years",
)


@dataclass(frozen=True)
class Loosening:
    """One rule the new policy makes less strict: the field, its old and new values."""

    field: str
    old: Any
    new: Any

    def describe(self) -> str:
        """ "Young drivers: forbidden → allowed", in the active language."""
        field = cast("Field[Any, Any]", InsurancePolicy._meta.get_field(self.field))
        label = str(field.verbose_name)
        return gettext("%(rule)s: %(old)s → %(new)s") % {
            "rule": label[:1].upper() + label[1:],
            "old": _shown(self.field, self.old),
            "new": _shown(self.field, self.new),
        }

    def change(self) -> list[Any]:
        """[old, new], JSON-ready (the audit trail)."""
        return [_plain(self.old), _plain(self.new)]

    def as_data(self) -> dict[str, Any]:
        """JSON-ready, for an API body."""
        return {"field": self.field, "old": _plain(self.old), "new": _plain(self.new)}


def renewal_fields(current: InsurancePolicy, today: dt.date) -> dict[str, Any]:
    """The current policy's values, its dates moved on: the renewal starts the day after it
    ends and lasts a year (an open-ended policy is renewed from today, still open-ended)."""
    fields = {
        field.name: getattr(current, field.name)
        for field in InsurancePolicy._meta.concrete_fields
        if field.name not in NOT_RENEWED
    }
    if current.valid_until is None:
        return {**fields, "valid_from": today, "valid_until": None}
    return {
        **fields,
        "valid_from": current.valid_until + dt.timedelta(days=1),
        "valid_until": add_years(current.valid_until, 1),
    }


def loosened_rules(current: InsurancePolicy | None, new: InsurancePolicy) -> list[Loosening]:
    """The rules `new` makes less strict than `current`, in the form's order; none without
    a current policy (a first policy replaces no rule)."""
    if current is None:
        return []
    found = []
    for name in COMPARED_RULES:
        old_value, new_value = getattr(current, name), getattr(new, name)
        if name == "young_driver_rule":
            looser = _strictness(new_value) > _strictness(old_value)
        elif name == "young_driver_deductible":
            both = current.young_driver_rule == new.young_driver_rule == Rule.HIGHER_DEDUCTIBLE
            looser = both and new_value is not None and new_value < old_value
        else:
            looser = new_value < old_value
        if looser:
            found.append(Loosening(name, old_value, new_value))
    return found


def _strictness(rule: str) -> int:
    return YOUNG_DRIVER_STRICTNESS.index(Rule(rule))


def _shown(field: str, value: Any) -> str:
    if field == "young_driver_rule":
        return str(Rule(value).label)
    if isinstance(value, Decimal):
        return format_euros(value)
    return str(value)


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


class RulesLoosenedError(ConflictError):
    """The new policy loosens rules of the current one and nobody confirmed it."""

    code = "rules_loosened"


def check_loosening(
    current: InsurancePolicy | None, new: InsurancePolicy, *, confirmed: bool
) -> list[Loosening]:
    """The loosened rules, once confirmed; RulesLoosenedError (409, with the list) when
    `new` loosens a rule of `current` and `confirmed` is false."""
    found = loosened_rules(current, new)
    if found and not confirmed:
        raise RulesLoosenedError(
            ngettext(
                "This policy loosens a rule of the current one: %(rules)s. "
                "Check it against the insurer's paper and confirm.",
                "This policy loosens rules of the current one: %(rules)s. "
                "Check them against the insurer's paper and confirm.",
                len(found),
            )
            % {"rules": "; ".join(item.describe() for item in found)},
            loosened=[item.as_data() for item in found],
        )
    return found
