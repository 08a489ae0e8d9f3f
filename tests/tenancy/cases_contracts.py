"""contracts: agreements, printable documents, templates, API."""

from django.core.files.base import ContentFile

from contracts.models import Agreement
from contracts.services import copy_default_template
from tests.factories.contracts import TINY_PDF, AgreementFactory
from tests.factories.vehicles import owned_vehicle
from tests.tenancy.registry import Access, Case, slug_only


def _vehicle(world):
    """A car owned by the admin: the member may book it but not manage it."""
    return owned_vehicle(world.admin)


def _agreement(world) -> Agreement:
    """The member's signed agreement for the admin's car, with a signed scan."""
    agreement = AgreementFactory(vehicle=world.contracts_vehicle, driver=world.member)
    agreement.signed_scan.save("scan.pdf", ContentFile(TINY_PDF), save=True)
    return agreement


def _version(world):
    return copy_default_template(actor=world.admin, association=world.association, kind="agreement")


BUILDERS = {
    "contracts_vehicle": _vehicle,
    "contracts_agreement": _agreement,
    "contracts_version": _version,
}


def agreement(world):
    return {"slug": world.association.slug, "pk": world.contracts_agreement.pk}


def kind(world):
    return {"slug": world.association.slug, "kind": "agreement"}


CASES = {
    "contracts:list": Case(Access.MEMBER, slug_only),
    "contracts:mine": Case(Access.MEMBER, slug_only),
    "contracts:new": Case(Access.ADMIN, slug_only, methods=("GET", "POST")),
    "contracts:outdated": Case(Access.ADMIN, slug_only, methods=("GET", "POST")),
    "contracts:detail": Case(Access.MEMBER, agreement),
    "contracts:pdf": Case(Access.MEMBER, agreement),
    "contracts:scan": Case(Access.MEMBER, agreement),
    "contracts:printed": Case(Access.ADMIN, agreement, methods=("POST",)),
    "contracts:sign": Case(Access.ADMIN, agreement, methods=("POST",)),
    "contracts:end": Case(Access.ADMIN, agreement, methods=("POST",)),
    "contracts:regenerate": Case(Access.ADMIN, agreement, methods=("POST",)),
    "contracts:membership_form_blank": Case(Access.MEMBER, slug_only),
    "contracts:membership_form": Case(
        Access.MEMBER, lambda world: {"slug": world.association.slug, "pk": world.member.pk}
    ),
    "contracts:logbook": Case(
        Access.ADMIN,
        lambda world: {"slug": world.association.slug, "vehicle_pk": world.contracts_vehicle.pk},
    ),
    "contracts:templates": Case(Access.ADMIN, slug_only),
    "contracts:founding_kit": Case(Access.ADMIN, slug_only),
    "contracts:statutes": Case(Access.ADMIN, slug_only),
    "contracts:internal_rules": Case(Access.ADMIN, slug_only),
    "contracts:template_copy": Case(Access.ADMIN, kind, methods=("POST",)),
    "contracts:template_edit": Case(Access.ADMIN, kind, methods=("GET", "POST")),
    "contracts:template_history": Case(Access.ADMIN, kind),
    "contracts:template_version": Case(
        Access.ADMIN, lambda world: kind(world) | {"number": world.contracts_version.number}
    ),
    "contracts:template_default": Case(Access.ADMIN, kind),
    "api-contracts-list": Case(Access.MEMBER, slug_only, api=True),
    "api-contracts-pdf": Case(Access.MEMBER, agreement, api=True),
}
