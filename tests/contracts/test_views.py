"""Pages: agreements list, detail, download, actions, documents, template editing."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from contracts import rendering
from contracts.models import Agreement, TemplateVersion
from contracts.rendering import sha256_text
from core.timeutils import local_today
from tests.factories.contracts import TINY_PDF, AgreementFactory
from tests.factories.vehicles import owned_vehicle
from tests.pdftools import pdf_text

pytestmark = pytest.mark.django_db


def url(name, association, **kwargs):
    return reverse(f"contracts:{name}", kwargs={"slug": association.slug, **kwargs})


def client_for(membership):
    client = Client()
    client.force_login(membership.user)
    return client


def test_the_list_filters_by_status(admin_client_, association, car, driver):
    AgreementFactory(vehicle=car, driver=driver)
    AgreementFactory(vehicle=car, status=Agreement.Status.DRAFT, signed_on=None)
    page = admin_client_.get(url("list", association), {"state": "to_print"})
    assert page.status_code == 200
    assert len(page.context["agreements"]) == 1
    assert page.context["counts"]["signed"] == 1
    assert admin_client_.get(url("list", association), {"state": "nonsense"}).status_code == 200


def test_the_member_sees_their_own_agreements_and_cars(member_client, association, car, driver):
    AgreementFactory(vehicle=car, driver=driver)
    page = member_client.get(url("mine", association))
    assert page.status_code == 200
    assert [row.status for row in page.context["coverage"]] == ["current"]
    assert "Clio" in page.content.decode()


def test_the_stored_pdf_is_served_without_rendering_again(
    member_client, association, car, driver, monkeypatch
):
    agreement = AgreementFactory(vehicle=car, driver=driver)

    def no_rendering(*args, **kwargs):
        raise AssertionError("a stored agreement must not be rendered again")

    monkeypatch.setattr(rendering, "run_render", no_rendering)
    response = member_client.get(url("pdf", association, pk=agreement.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body == TINY_PDF
    assert hashlib.sha256(body).hexdigest() == agreement.pdf_sha256


def test_an_agreement_is_hidden_from_members_who_are_not_party(association, car, driver):
    from tests.factories.members import MembershipFactory

    agreement = AgreementFactory(vehicle=car, driver=driver)
    stranger_in_the_association = client_for(MembershipFactory(association=association))
    for name in ("detail", "pdf"):
        response = stranger_in_the_association.get(url(name, association, pk=agreement.pk))
        assert response.status_code == 403


def test_an_agreement_of_another_association_is_not_found(outsider, association, car, driver):
    agreement = AgreementFactory(vehicle=car, driver=driver)
    outsider_client = client_for(outsider)
    own_slug = outsider.association
    for name in ("detail", "pdf"):
        response = outsider_client.get(url(name, own_slug, pk=agreement.pk))
        assert response.status_code == 404


def test_the_admin_prepares_prints_and_records_the_signature(
    admin_client_, association, car, driver, light_templates
):
    response = admin_client_.post(url("new", association), {"vehicle": car.pk, "driver": driver.pk})
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", association, pk=agreement.pk)
    detail = admin_client_.get(response["Location"])
    assert detail.status_code == 200
    assert admin_client_.post(url("printed", association, pk=agreement.pk)).status_code == 302
    scan = SimpleUploadedFile("scan.pdf", TINY_PDF, content_type="application/pdf")
    today = local_today(association.tz).isoformat()
    response = admin_client_.post(
        url("sign", association, pk=agreement.pk), {"signed_on": today, "scan": scan}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    scan_response = admin_client_.get(url("scan", association, pk=agreement.pk))
    assert b"".join(scan_response.streaming_content) == TINY_PDF


def test_a_domain_error_is_a_form_error_not_a_500(admin_client_, association, car, driver):
    car.tariffs.all().delete()
    response = admin_client_.post(url("new", association), {"vehicle": car.pk, "driver": driver.pk})
    assert response.status_code == 400
    assert "tarif" in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_bad_signature_date_changes_nothing(admin_client_, association, car, driver):
    agreement = AgreementFactory(
        vehicle=car, driver=driver, status=Agreement.Status.PRINTED, signed_on=None
    )
    response = admin_client_.post(
        url("sign", association, pk=agreement.pk), {"signed_on": "2099-01-01"}
    )
    assert response.status_code == 400
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PRINTED


def test_the_outdated_page_lists_and_marks(admin_client_, association, car, driver):
    agreement = AgreementFactory(vehicle=car, driver=driver)
    car.tariffs.update(price_per_km="0.40")
    page = admin_client_.get(url("outdated", association))
    assert [item.agreement for item in page.context["outdated"]] == [agreement]
    assert admin_client_.post(url("outdated", association)).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.TO_RESIGN


def test_membership_forms_and_logbooks(
    member_client, admin_client_, association, member, owner, car, tmp_path
):
    own = member_client.get(url("membership_form", association, pk=member.pk))
    assert own["Content-Type"] == "application/pdf"
    assert member.user.last_name in pdf_text(own.content, tmp_path)
    assert member_client.get(url("membership_form", association, pk=owner.pk)).status_code == 403
    assert admin_client_.get(url("membership_form", association, pk=owner.pk)).status_code == 200
    assert member_client.get(url("membership_form_blank", association)).status_code == 200
    assert member_client.get(url("logbook", association, vehicle_pk=car.pk)).status_code == 403
    owner_client = client_for(owner)
    logbook = owner_client.get(url("logbook", association, vehicle_pk=car.pk))
    assert "AB-123-CD" in pdf_text(logbook.content, tmp_path)


def test_the_logbook_of_another_associations_car_is_not_found(admin_client_, association, outsider):
    foreign_car = owned_vehicle(outsider)
    response = admin_client_.get(url("logbook", association, vehicle_pk=foreign_car.pk))
    assert response.status_code == 404


SOURCE = "<h1>Contrat de {{ association.name }}</h1>\n<p>{{ driver.full_name }}</p>\n"


def test_a_template_is_previewed_then_saved_as_a_new_version(admin_client_, association):
    edit = url("template_edit", association, kind="agreement")
    assert admin_client_.get(edit).status_code == 200
    unpreviewed = admin_client_.post(edit, {"source": SOURCE, "action": "save"})
    assert unpreviewed.status_code == 400
    assert not TemplateVersion.objects.exists()
    preview = admin_client_.post(edit, {"source": SOURCE, "action": "preview"})
    assert preview.status_code == 200
    assert "Contrat d'Autopartage de Testville" in preview.context["preview_document"]
    assert "sandbox title=" in preview.content.decode()
    assert preview.context["form"].initial["previewed_sha256"] == sha256_text(SOURCE)
    saved = admin_client_.post(
        edit,
        {
            "source": SOURCE,
            "note": "plus court",
            "previewed_sha256": sha256_text(SOURCE),
            "action": "save",
        },
    )
    assert saved.status_code == 302
    version = TemplateVersion.objects.get()
    assert (version.number, version.source, version.note) == (1, SOURCE, "plus court")
    history = admin_client_.get(url("template_history", association, kind="agreement"))
    assert list(history.context["versions"]) == [version]
    diff = admin_client_.get(url("template_version", association, kind="agreement", number=1))
    kinds = {line.kind for line in diff.context["diff"]}
    assert {"added", "removed"} <= kinds


def test_a_broken_template_is_refused_with_its_line_not_a_500(admin_client_, association):
    edit = url("template_edit", association, kind="agreement")
    response = admin_client_.post(
        edit, {"source": "<p>a</p>\n<p>{% if %}</p>", "action": "preview"}
    )
    assert response.status_code == 400
    assert "Ligne 2" in response.content.decode()
    sneaky = "<p>{{ settings.SECRET_KEY }}</p>"
    response = admin_client_.post(
        edit, {"source": sneaky, "previewed_sha256": sha256_text(sneaky), "action": "save"}
    )
    assert response.status_code == 400
    assert not TemplateVersion.objects.exists()


def test_a_pdf_preview_of_the_edited_text(admin_client_, association, tmp_path):
    edit = url("template_edit", association, kind="agreement")
    response = admin_client_.post(edit, {"source": SOURCE, "action": "preview_pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert "Contrat d'Autopartage de Testville" in pdf_text(response.content, tmp_path)


def test_copying_the_default_and_unknown_kinds(admin_client_, association):
    response = admin_client_.post(url("template_copy", association, kind="logbook"))
    assert response.status_code == 302
    assert TemplateVersion.objects.get().source == rendering.default_source("logbook")
    assert admin_client_.post(url("template_copy", association, kind="logbook")).status_code == 302
    assert TemplateVersion.objects.count() == 1
    assert admin_client_.get(url("template_edit", association, kind="nonsense")).status_code == 404
    listing = admin_client_.get(url("templates", association))
    assert listing.status_code == 200
