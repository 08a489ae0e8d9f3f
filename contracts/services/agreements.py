"""Writes of agreements. A PDF is rendered first, outside any transaction; a short
transaction then stores the row (pretix's invoices, the other way round: here the row only
exists once its PDF does, so a stored agreement is always downloadable)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.context import MissingAgreementData, agreement_data
from contracts.models import Agreement, DocumentKind
from contracts.rendering import RenderedDocument, render_document
from contracts.selectors import OutdatedAgreement, find_outdated_agreements
from core.errors import DomainError, require_status
from core.files import private_upload_path, validate_upload
from core.timeutils import local_today
from members.audit import record_audit
from members.models import Association, Membership, User
from members.permissions import Actor, require_admin
from vehicles.models import Vehicle

MISSING_MESSAGES = {
    "insurance": _("The vehicle has no active insurance policy: add it before the agreement."),
    "tariff": _("The vehicle has no tariff in force: set its price per km before the agreement."),
}


def generate_agreement(*, actor: Membership, vehicle: Vehicle, driver: Membership) -> Agreement:
    """An admin renders the agreement of `driver` for `vehicle` and stores it as a draft.

    Safe to re-run: an agreement being prepared that prints the same data with the same
    template is returned as it is; one whose data changed gets the new PDF (back to draft).
    """
    require_admin(actor, vehicle.association_id)
    _check_parties(vehicle, driver)
    try:
        data = agreement_data(vehicle=vehicle, driver=driver)
    except MissingAgreementData as missing:
        raise DomainError(MISSING_MESSAGES[missing.what], code=f"{missing.what}_missing") from None
    document = render_document(
        association=vehicle.association, kind=DocumentKind.AGREEMENT, context=data.context
    )
    snapshot = _to_json(document.context)
    pending = _pending(vehicle, driver).first()
    if pending is not None and _prints_the_same(pending, snapshot, document):
        return pending
    name = default_storage.save(
        private_upload_path(Agreement(), "agreement.pdf"), ContentFile(document.pdf)
    )
    try:
        agreement = _store(actor.user, vehicle, driver, name, snapshot, data.terms, document)
    except BaseException:
        default_storage.delete(name)
        raise
    if agreement.pdf.name != name:  # another request stored the same agreement first
        default_storage.delete(name)
    return agreement


def _check_parties(vehicle: Vehicle, driver: Membership) -> None:
    if driver.association_id != vehicle.association_id:
        raise DomainError(_("The driver is not a member of this association."), code="wrong_tenant")
    if not driver.is_active:
        raise DomainError(_("Only active members can sign an agreement."), code="driver_inactive")


def _pending(vehicle: Vehicle, driver: Membership) -> Any:
    return Agreement.objects.filter(vehicle=vehicle, driver=driver, status__in=Agreement.PENDING)


def _prints_the_same(
    agreement: Agreement, snapshot: dict[str, Any], document: RenderedDocument
) -> bool:
    """Same template and same data, the date of printing aside."""
    ignore = {"today"}
    old = {k: v for k, v in agreement.snapshot.items() if k not in ignore}
    new = {k: v for k, v in snapshot.items() if k not in ignore}
    return old == new and agreement.template_sha256 == document.template_sha256


def _store(
    actor: User | None,
    vehicle: Vehicle,
    driver: Membership,
    name: str,
    snapshot: dict[str, Any],
    terms: dict[str, Any],
    document: RenderedDocument,
) -> Agreement:
    fields: dict[str, Any] = {
        "pdf": name,
        "pdf_sha256": document.sha256,
        "page_count": document.page_count,
        "snapshot": snapshot,
        "terms": terms,
        "template_version_id": document.template_version_id,
        "template_label": document.template_label,
        "template_sha256": document.template_sha256,
        "generated_at": timezone.now(),
        "status": Agreement.Status.DRAFT,
        "printed_at": None,
    }
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _store_once(actor, vehicle, driver, fields, document)
        except IntegrityError:
            # PostgreSQL: a concurrent request inserted the pending agreement between our
            # read and our insert; the second attempt sees and updates it.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _store_once(
    actor: User | None,
    vehicle: Vehicle,
    driver: Membership,
    fields: dict[str, Any],
    document: RenderedDocument,
) -> Agreement:
    pending = _pending(vehicle, driver).select_for_update().first()
    if pending is not None and _prints_the_same(pending, fields["snapshot"], document):
        return pending
    if pending is None:
        agreement = Agreement.objects.create(
            association_id=vehicle.association_id,
            vehicle=vehicle,
            driver=driver,
            driver_is_owner=vehicle.ownerships.filter(owner=driver).exists(),
            created_by=actor,
            **fields,
        )
        action = "contracts.agreement_generated"
    else:
        old_name = pending.pdf.name
        for field, value in fields.items():
            setattr(pending, field, value)
        pending.save(update_fields=list(fields))
        transaction.on_commit(lambda: default_storage.delete(old_name))
        agreement, action = pending, "contracts.agreement_regenerated"
    record_audit(
        action=action,
        actor=actor,
        association=vehicle.association,
        target=agreement,
        data={"pdf_sha256": agreement.pdf_sha256, "template": agreement.template_label},
    )
    return agreement


def _to_json(context: dict[str, Any]) -> dict[str, Any]:
    """The snapshot stored with an agreement: Decimals as strings, dates in ISO format."""
    result: dict[str, Any] = json.loads(json.dumps(context, cls=DjangoJSONEncoder))
    return result


def mark_agreement_printed(*, actor: Membership, agreement: Agreement) -> Agreement:
    """draft -> printed (to sign), by an admin. Marking a printed agreement again changes
    nothing."""
    require_admin(actor, agreement.association_id)
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.status == Agreement.Status.PRINTED:
            return agreement
        require_status(
            agreement,
            Agreement.Status.DRAFT,
            message=_("Only an agreement to print can be marked as printed."),
        )
        agreement.status = Agreement.Status.PRINTED
        agreement.printed_at = timezone.now()
        agreement.save(update_fields=["status", "printed_at"])
        _audit(actor.user, agreement, "contracts.agreement_printed")
    return agreement


def agreement_downloaded(*, actor: Membership, agreement: Agreement) -> Agreement:
    """An admin downloads an agreement to print: a draft becomes printed (to sign). A
    member reading their own copy changes nothing."""
    admin = actor.is_admin and actor.association_id == agreement.association_id
    if admin and agreement.status == Agreement.Status.DRAFT:
        return mark_agreement_printed(actor=actor, agreement=agreement)
    return agreement


def record_agreement_signature(
    *, actor: Membership, agreement: Agreement, signed_on: dt.date, scan: File[Any] | None = None
) -> Agreement:
    """draft or printed -> signed, recorded by an admin; ends the agreement it replaces for
    the same pair."""
    require_admin(actor, agreement.association_id)
    association = agreement.association
    _check_signature_date(agreement, signed_on, association)
    scan_name = _save_scan(agreement, scan) if scan is not None else ""
    try:
        with transaction.atomic():
            agreement = _sign(actor.user, agreement, signed_on, scan_name)
    except BaseException:
        if scan_name:
            default_storage.delete(scan_name)
        raise
    return agreement


def _check_signature_date(
    agreement: Agreement, signed_on: dt.date, association: Association
) -> None:
    generated_on = timezone.localtime(agreement.generated_at, association.tz).date()
    if signed_on > local_today(association.tz) or signed_on < generated_on:
        raise DomainError(
            _("The signature date must be between the day the agreement was printed and today."),
            code="signature_date_invalid",
        )


def _save_scan(agreement: Agreement, scan: File[Any]) -> str:
    try:
        validate_upload(scan)
    except ValidationError as error:
        raise DomainError(error.messages[0], code="scan_invalid") from None
    return default_storage.save(private_upload_path(agreement, scan.name or "scan"), scan)


def _sign(actor: User, agreement: Agreement, signed_on: dt.date, scan_name: str) -> Agreement:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    require_status(
        agreement, *Agreement.PENDING, message=_("This agreement is not waiting for a signature.")
    )
    now = timezone.now()
    replaced = Agreement.objects.select_for_update().filter(
        vehicle_id=agreement.vehicle_id,
        driver_id=agreement.driver_id,
        status__in=Agreement.IN_FORCE,
    )
    for old in replaced:
        old.status, old.ended_at = Agreement.Status.ENDED, now
        old.save(update_fields=["status", "ended_at"])
        _audit(actor, old, "contracts.agreement_replaced", {"by": agreement.pk})
    agreement.status = Agreement.Status.SIGNED
    agreement.signed_on = signed_on
    agreement.signature_recorded_by = actor
    agreement.signature_recorded_at = now
    fields = ["status", "signed_on", "signature_recorded_by", "signature_recorded_at"]
    if scan_name:
        agreement.signed_scan.name = scan_name
        fields.append("signed_scan")
    agreement.save(update_fields=fields)
    _audit(actor, agreement, "contracts.agreement_signed", {"signed_on": signed_on.isoformat()})
    return agreement


def end_agreement(*, actor: Membership, agreement: Agreement) -> Agreement:
    """Any status -> ended (the member left, the car was sold...), by an admin. Ending twice
    is a no-op."""
    require_admin(actor, agreement.association_id)
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement.status == Agreement.Status.ENDED:
            return agreement
        agreement.status, agreement.ended_at = Agreement.Status.ENDED, timezone.now()
        agreement.save(update_fields=["status", "ended_at"])
        _audit(actor.user, agreement, "contracts.agreement_ended")
    return agreement


def mark_outdated_agreements(*, actor: Actor, association: Association) -> list[OutdatedAgreement]:
    """Signed agreements whose terms no longer match their vehicle become "to re-sign"
    (an admin, or the nightly scan as the platform).

    Returns the agreements changed now; running it again changes nothing more.
    """
    require_admin(actor, association.pk)
    found = {item.agreement.pk: item for item in find_outdated_agreements(association=association)}
    if not found:
        return []
    changed: list[OutdatedAgreement] = []
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().filter(
            pk__in=found, status=Agreement.Status.SIGNED
        )
        now = timezone.now()
        for agreement in locked:
            reasons = list(found[agreement.pk].reasons)
            agreement.status = Agreement.Status.TO_RESIGN
            agreement.outdated_since, agreement.outdated_reasons = now, reasons
            agreement.save(update_fields=["status", "outdated_since", "outdated_reasons"])
            record_audit(
                action="contracts.agreement_outdated",
                actor=actor.user,
                association=association,
                target=agreement,
                data={"reasons": reasons},
            )
            changed.append(OutdatedAgreement(agreement, tuple(reasons)))
    return changed


def _audit(
    actor: User | None, agreement: Agreement, action: str, data: dict[str, Any] | None = None
) -> None:
    record_audit(
        action=action,
        actor=actor,
        association=agreement.association,
        target=agreement,
        data=data,
    )
