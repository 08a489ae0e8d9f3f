"""Accounts of the parties and the owner side of a vehicle."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.money import split_amount
from ledger.models import Account
from members.models import Association, Membership
from vehicles.models import Vehicle
from vehicles.selectors import ownership_shares

Weights = list[tuple[Account, Decimal]]

# Accounts and the owner side: helpers of the ledger's services, no service here.
__all__: list[str] = []


def _get_or_create(association: Association, kind: str, membership: Membership | None) -> Account:
    lookup = {"association": association, "kind": kind, "membership": membership}
    account = Account.objects.filter(**lookup).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.create(**lookup)
    except IntegrityError:  # created meanwhile by a concurrent posting
        return Account.objects.get(**lookup)


def member_account(membership: Membership) -> Account:
    """The member's account in their association (created on first use)."""
    return _get_or_create(membership.association, Account.Kind.MEMBER, membership)


def fund_account(association: Association) -> Account:
    """The association's fund (caisse de l'association)."""
    return _get_or_create(association, Account.Kind.FUND, None)


def commune_account(association: Association) -> Account:
    """The commune's account, for vehicles the commune owns."""
    return _get_or_create(association, Account.Kind.COMMUNE, None)


def owner_side(vehicle: Vehicle) -> Weights:
    """The accounts that bear a vehicle's costs and receive its trip charges, with weights.

    A member's or co-owners' car: each owner by share (largest share first); the
    association's car: its fund; the commune's car: the commune's account.
    """
    if vehicle.owner_kind == Vehicle.OwnerKind.ASSOCIATION:
        return [(fund_account(vehicle.association), Decimal(1))]
    if vehicle.owner_kind == Vehicle.OwnerKind.COMMUNE:
        return [(commune_account(vehicle.association), Decimal(1))]
    shares = ownership_shares(vehicle)
    if not shares:
        raise DomainError(
            _("No owner is recorded for %(vehicle)s: record its owners first.")
            % {"vehicle": vehicle.name},
            code="no_owner",
        )
    return [(member_account(share.owner), share.share) for share in shares]


def split_over(amount: Decimal, weights: Weights) -> list[tuple[Account, Decimal]]:
    """`amount` split over weighted accounts by largest remainder (sums exactly)."""
    parts = split_amount(amount, [weight for _account, weight in weights])
    return [(account, part) for (account, _weight), part in zip(weights, parts, strict=True)]


def is_sole_owner_side(membership: Membership, weights: Weights) -> bool:
    """Whether `membership` alone makes up the owner side (their own car)."""
    return len(weights) == 1 and weights[0][0].membership_id == membership.pk


def party_account(association: Association, key: str) -> Account:
    """The account named by a form's party key: "fund", "commune" or "member:<id>"."""
    if key == "fund":
        return fund_account(association)
    if key == "commune":
        return commune_account(association)
    kind, _sep, pk = key.partition(":")
    membership = (
        Membership.objects.filter(association=association, pk=int(pk)).first()
        if kind == "member" and pk.isdigit()
        else None
    )
    if membership is None:
        raise DomainError(_("Unknown party."), code="party")
    return member_account(membership)
