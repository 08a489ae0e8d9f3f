"""Rendering documents: the agreement's text, its variants, custom templates, security."""

import itertools
import socket
from decimal import Decimal

import pytest

from contracts.context import agreement_data, logbook_context, membership_form_context
from contracts.kinds import KINDS
from contracts.models import DocumentKind
from contracts.rendering import (
    DocumentTemplateError,
    current_template,
    default_source,
    render_document,
    render_sample,
)
from contracts.services import save_template_version
from core.timeutils import add_months, local_today
from tests.pdftools import first_page_ink, pdf_text
from vehicles.models import InsurancePolicy, Tariff, Vehicle

pytestmark = pytest.mark.django_db


def agreement_text(car, driver, tmp_path):
    data = agreement_data(vehicle=car, driver=driver)
    document = render_document(
        association=car.association, kind=DocumentKind.AGREEMENT, context=data.context
    )
    return document, pdf_text(document.pdf, tmp_path)


def test_the_agreement_prints_the_parties_the_car_and_the_terms(car, driver, tmp_path):
    document, text = agreement_text(car, driver, tmp_path)
    assert 3 <= document.page_count <= 4
    assert "Camille Roux" in text and "Bruno Lefèvre" in text
    assert "AB-123-CD" in text
    assert driver.user.driver_profile.licence_number in text
    assert "500,00 €" in text  # the deductible
    assert "0,30 € par kilomètre" in text  # the tariff
    assert "Option 1 : remise en main propre" in text
    assert "tous risques" in text
    assert f"Page 1 / {document.page_count}" in text
    assert f"Page {document.page_count} / {document.page_count}" in text
    assert text.count("Paraphes") == document.page_count
    assert text.count("Autopartage de Testville") >= document.page_count
    assert "Annexe — Attestation d'assurance" in text


def test_page_one_of_the_agreement_is_not_blank(car, driver, tmp_path):
    document, _text = agreement_text(car, driver, tmp_path)
    png, ink = first_page_ink(document.pdf, tmp_path)
    assert png.stat().st_size > 5_000
    assert 0.01 < ink < 0.5


def test_the_wording_follows_the_cover_the_key_option_the_fuel_and_the_deposit(
    car, driver, tmp_path
):
    InsurancePolicy.objects.filter(vehicle=car).update(
        cover=InsurancePolicy.Cover.THIRD_PARTY,
        deductible=Decimal("800.00"),
        substitute_policy="Assur'Partage n° SP-42",
    )
    Tariff.objects.filter(vehicle=car).update(
        fuel_policy=Tariff.FuelPolicy.REFILL, price_per_hour=Decimal("1.00")
    )
    Vehicle.objects.filter(pk=car.pk).update(
        key_mode=Vehicle.KeyMode.SPARE_KEY, key_arrangement="Boîte aux lettres de la mairie"
    )
    car.association.deposit_rule = "fixed"
    car.association.deposit_amount = Decimal("1000.00")
    car.association.save()
    car.refresh_from_db()
    _document, text = agreement_text(car, driver, tmp_path)
    assert "assuré au tiers seulement" in text
    assert "tous risques" not in text
    assert "Option 2 : double des clés" in text
    assert "Boîte aux lettres de la mairie" in text
    assert "Le carburant n'est pas compris" in text
    assert "1,00 € par heure" in text
    assert "Assur'Partage n° SP-42" in text
    assert "1 000,00 €" in text.replace("\u202f", " ")  # deposit: the fixed amount, above 800


def test_the_deposit_is_never_below_the_deductible(car, driver, tmp_path):
    car.association.deposit_rule = "fixed"
    car.association.deposit_amount = Decimal("100.00")
    car.association.save()
    data = agreement_data(vehicle=car, driver=driver)
    assert data.context["deposit"] == {"required": True, "amount": Decimal("500.00")}


def test_a_young_driver_gets_the_higher_deductible(car, driver, tmp_path):
    profile = driver.user.driver_profile
    profile.licence_issued_on = add_months(local_today(car.association.tz), -7)
    profile.save()
    InsurancePolicy.objects.filter(vehicle=car).update(
        min_licence_years=2,
        young_driver_rule=InsurancePolicy.YoungDriverRule.HIGHER_DEDUCTIBLE,
        young_driver_deductible=Decimal("1200.00"),
    )
    _document, text = agreement_text(car, driver, tmp_path)
    assert "jeune conducteur" in text
    assert "portée à 1 200,00 €" in text.replace("\u202f", " ")


def test_the_owner_signs_as_main_driver(car, owner, tmp_path):
    _document, text = agreement_text(car, owner, tmp_path)
    assert "en qualité de conducteur principal" in text
    assert "Le co-utilisateur :" not in text


def test_html_typed_by_members_is_printed_as_text(car, driver, tmp_path, listener_port):
    driver.user.first_name = f'<img src="http://127.0.0.1:{listener_port[0]}/x.png">'
    driver.user.last_name = '<link rel=stylesheet href="file:///etc/passwd">'
    driver.user.save()
    car.parking_place = '<b>Place</b> <img src="file:///etc/passwd">'
    car.save()
    _document, text = agreement_text(car, driver, tmp_path)
    assert '<img src="http://127.0.0.1:' in text
    assert "<b>Place</b>" in text
    assert "root:" not in text
    assert listener_port[1]() == 0


@pytest.fixture
def listener_port():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.3)

    def connections():
        try:
            connection, _ = server.accept()
        except TimeoutError:
            return 0
        connection.close()
        return 1

    yield server.getsockname()[1], connections
    server.close()


def test_a_template_fetching_files_or_urls_renders_without_them(
    association, admin, car, driver, tmp_path, listener_port
):
    port, connections = listener_port
    hostile = (
        '<img src="file:///etc/passwd">'
        f'<link rel=stylesheet href="http://127.0.0.1:{port}/x.css">'
        f'<img src="http://127.0.0.1:{port}/y.png">'
        "<p>Véhicule {{ vehicle.plate }}</p>"
    )
    save_template_version(actor=admin, association=association, kind="agreement", source=hostile)
    document, text = agreement_text(car, driver, tmp_path)
    assert "Véhicule AB-123-CD" in text
    assert "root:" not in text and b"root:" not in document.pdf
    assert connections() == 0


def test_the_associations_latest_version_is_used_and_recorded(
    association, admin, car, driver, tmp_path
):
    version = save_template_version(
        actor=admin,
        association=association,
        kind="agreement",
        source="<h1>Notre contrat</h1><p>{{ driver.full_name }} — {{ vehicle.plate }}</p>",
    )
    document, text = agreement_text(car, driver, tmp_path)
    assert "Notre contrat" in text and "Bruno Lefèvre — AB-123-CD" in text
    assert document.template_version_id == version.pk
    assert document.template_label == "v1"
    assert current_template(association=association, kind="agreement").version == version


def test_a_template_that_fails_on_real_data_is_a_domain_error_with_its_line(
    association, admin, car, driver
):
    # Fine with the sample (a 9-character licence number), a division by zero with the
    # factory's 12-character numbers.
    source = (
        "<p>ok</p>\n{{ driver.licence.number }}\n{{ 1 / (driver.licence.number|length - 12) }}\n"
    )
    save_template_version(actor=admin, association=association, kind="agreement", source=source)
    data = agreement_data(vehicle=car, driver=driver)
    with pytest.raises(DocumentTemplateError) as caught:
        render_document(association=association, kind="agreement", context=data.context)
    assert caught.value.extra["line"] == 3
    assert caught.value.code == "template_invalid"


def test_a_context_missing_a_key_is_a_programming_error(association):
    with pytest.raises(ValueError, match="booking"):
        render_document(association=association, kind="handover_checklist", context={})


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_default_renders_with_its_sample_and_documents_its_keys(association, kind, tmp_path):
    source = default_source(kind)
    header = source.split("#}", 1)[0]
    for key in ("association", "today", *KINDS[kind].keys):
        assert key in header, f"{kind}: {key} is not documented"
    document = render_sample(association=association, kind=kind, source=source)
    text = pdf_text(document.pdf, tmp_path)
    assert "Page 1 / " in text
    assert "Autopartage de Testville" in text


def test_membership_form_and_logbook_print_their_data(association, owner, car, tmp_path):
    form = render_document(
        association=association,
        kind=DocumentKind.MEMBERSHIP_FORM,
        context=membership_form_context(owner),
    )
    assert "Roux" in pdf_text(form.pdf, tmp_path)
    logbook = render_document(
        association=association, kind=DocumentKind.LOGBOOK, context=logbook_context(car)
    )
    text = pdf_text(logbook.pdf, tmp_path)
    assert "Carnet de bord — Clio" in text and "AB-123-CD" in text
    assert "Km au départ" in text
    assert logbook.page_count >= 2


def test_a_template_that_builds_gigabytes_of_text_is_refused(association):
    from contracts.rendering import render_sample_body

    lines = ['{% set a = "x" * 100000 %}']
    for previous, name in itertools.pairwise("abcde"):
        lines.append(f"{{% set {name} = {' ~ '.join([previous] * 10)} %}}")
    lines.append("{{ e|length }}")  # e would be 10^9 characters
    with pytest.raises(DocumentTemplateError, match="memory"):
        render_sample_body(association=association, kind="agreement", source="\n".join(lines))
