"""The founding kit: model statutes and internal rules, printed from editable templates with
the association's data, in French with French typography."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from contracts.context import association_context
from contracts.founding import internal_rules_context, statutes_context
from contracts.kinds import KINDS
from contracts.models import DocumentKind
from contracts.rendering import render_document
from contracts.services import save_template_version
from core.errors import DomainError
from members.models import Association
from tests.contracts.test_context import same_shape
from tests.factories.vehicles import InsurancePolicyFactory, TariffFactory, VehicleFactory
from tests.pdftools import first_page_ink, pdf_text
from vehicles.models import InsurancePolicy, Tariff

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"


@pytest.fixture
def testville(association):
    Association.objects.filter(pk=association.pk).update(
        name="Autopartage de Testville",
        commune="Testville",
        postcode="63190",
        address="Mairie, 2 place de la Halle",
        membership_fee=Decimal("12.00"),
        deposit_rule=Association.DepositRule.FIXED,
        deposit_amount=Decimal("300.00"),
        default_notice_hours=12,
        approval_required_default=True,
        settlement_period=Association.SettlementPeriod.QUARTER,
    )
    association.refresh_from_db()
    return association


@pytest.fixture
def fleet(testville):
    zoe = VehicleFactory(
        association=testville,
        name="Zoé de la mairie",
        make="Renault",
        model="Zoé",
        energy="electric",
        key_mode="spare",
        key_arrangement="Boîte",
    )
    InsurancePolicyFactory(
        vehicle=zoe,
        deductible=Decimal("400.00"),
        young_driver_rule=InsurancePolicy.YoungDriverRule.HIGHER_DEDUCTIBLE,
        young_driver_deductible=Decimal("800.00"),
        min_driver_age=21,
        min_licence_years=2,
    )
    TariffFactory(
        vehicle=zoe,
        price_per_km=Decimal("0.180"),
        price_per_hour=Decimal("1.00"),
        daily_hour_cap=Decimal("10.00"),
    )
    kangoo = VehicleFactory(association=testville, name="Kangoo", make="Renault", model="Kangoo")
    InsurancePolicyFactory(
        vehicle=kangoo, young_driver_rule="forbidden", min_driver_age=18, min_licence_years=3
    )
    TariffFactory(
        vehicle=kangoo, price_per_km=Decimal("0.220"), fuel_policy=Tariff.FuelPolicy.REFILL
    )
    VehicleFactory(association=testville, name="Nouvelle", make="Dacia", model="Sandero")
    return zoe, kangoo


def _text(association, kind, context, tmp_path, name):
    document = render_document(association=association, kind=kind, context=context)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(document.pdf)
    text = pdf_text(document.pdf, tmp_path)
    return document, " ".join(text.split())  # lines joined: sentences span line breaks


def test_the_statutes_print_the_associations_data(testville, tmp_path):
    document, text = _text(
        testville, DocumentKind.STATUTES, statutes_context(testville), tmp_path, "statuts"
    )
    assert 3 <= document.page_count <= 6
    assert "Statuts de l'association Autopartage de Testville" in text
    assert "loi du 1er juillet 1901" in text
    assert "Article 1er — Constitution et dénomination" in text
    assert "Article 17 — Dissolution" in text
    assert "habitants de Testville" in text
    assert "Mairie, 2 place de la Halle, 63190 Testville" in text
    assert "12,00 € par an" in text
    for title in (
        "Objet",
        "Siège",
        "Membres",
        "Cotisation",
        "Ressources",
        "Assemblée générale ordinaire",
        "Conseil d'administration",
        "Bureau",
    ):
        assert f"— {title}" in text, title
    _png, ink = first_page_ink(document.pdf, tmp_path)
    assert 0.01 < ink < 0.5


def test_elision_before_a_vowel(testville, tmp_path):
    testville.commune = "Issoire"
    _document, text = _text(
        testville, DocumentKind.STATUTES, statutes_context(testville), tmp_path, "statuts-issoire"
    )
    assert "habitants d'Issoire" in text and "de Issoire" not in text


def test_the_statutes_refuse_to_print_without_a_seat(testville):
    testville.address = "  "
    with pytest.raises(DomainError) as refused:
        statutes_context(testville)
    assert refused.value.code == "seat_missing"


def test_the_internal_rules_print_the_rules_and_each_cars_terms(testville, fleet, tmp_path):
    _document, text = _text(
        testville,
        DocumentKind.INTERNAL_RULES,
        internal_rules_context(testville),
        tmp_path,
        "reglement-interieur",
    )
    assert "Règlement intérieur" in text
    assert "au moins 12 heures à l'avance" in text
    assert "soumise à l'accord du propriétaire" in text
    assert "chaque trimestre" in text
    assert "caution de 300,00 €" in text
    assert "Zoé de la mairie (Renault Zoé) 0,18 € 1,00 €, au plus 10,00 € par jour compris" in text
    assert "Kangoo (Renault Kangoo) 0,22 € — non compris" in text
    assert "admis, franchise de" in text and "800,00 €" in text and "non admis" in text
    assert "Nouvelle (Dacia Sandero) assurance à enregistrer" in text
    assert "tarif à fixer avant toute réservation" in text
    assert "option 2, double des clés" in text
    assert "45 jours" in text and "constat amiable" in text


def test_the_contexts_have_the_sample_shapes(testville, fleet):
    assert same_shape(statutes_context(testville), KINDS["statutes"].sample())
    rules = internal_rules_context(testville)
    rules["cars"] = rules["cars"][:2]  # the sample's cars are insured and priced
    assert same_shape(rules, KINDS["internal_rules"].sample())
    assert {"postcode", "default_notice_hours", "approval_required_default"} <= set(
        association_context(testville)
    )


def test_an_adapted_statutes_template_is_printed(testville, admin, tmp_path):
    save_template_version(
        actor=admin,
        association=testville,
        kind="statutes",
        source="<h1>Statuts {{ association.name|de }}</h1><p>Siège : {{ association.address }}</p>",
    )
    _document, text = _text(
        testville, DocumentKind.STATUTES, statutes_context(testville), tmp_path, "statuts-adaptes"
    )
    assert "Statuts d'Autopartage de Testville" in text


def test_the_kit_pages_are_for_admins(testville, admin_client_, member_client):
    base = f"/{testville.slug}/documents/founding-kit/"
    assert admin_client_.get(base).status_code == 200
    assert member_client.get(base).status_code == 403
    statutes = admin_client_.get(base + "statutes/")
    assert statutes.status_code == 200 and statutes["Content-Type"] == "application/pdf"
    assert "statuts-testville.pdf" in statutes["Content-Disposition"]
    rules = admin_client_.get(base + "internal-rules/")
    assert rules.status_code == 200 and rules.content.startswith(b"%PDF-")
    assert member_client.get(base + "statutes/").status_code == 403
    assert Client().get(base + "statutes/").status_code == 302


def test_the_kit_says_why_the_statutes_cannot_be_printed(testville, admin_client_):
    Association.objects.filter(pk=testville.pk).update(address="")
    response = admin_client_.get(
        f"/{testville.slug}/documents/founding-kit/statutes/", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 400
    assert "saisissez d’abord son adresse" in response.content.decode()


@pytest.mark.parametrize("kind", ["statutes", "internal_rules"])
def test_french_typography_non_breaking_spaces_before_double_punctuation(kind, testville, fleet):
    """Every : ; ! ? of the text sits after a non-breaking space, never after a plain one."""
    from contracts.rendering import base_context, default_source
    from contracts.sandbox import render_source

    builders = {"statutes": statutes_context, "internal_rules": internal_rules_context}
    body = render_source(default_source(kind), base_context(testville) | builders[kind](testville))
    text = re.sub(r"<[^>]+>", " ", body).replace("&nbsp;", "\u00a0")
    loose = re.findall(r".{12}[^\u00a0\w<>'\"/=.-][:;!?](?:\s|$)", text)
    assert loose == []
    assert text.count("\u00a0:") >= 5
    assert "1er" not in text.replace("1 er", "")  # "1er" is set as 1<sup>er</sup>
