"""The volunteer admin's month (issue 14), played in Chromium in French and counted.

One month of the association as its admin does it: two joins with their handover
(agreement, signature, deposit), one page of the Kangoo's paper logbook (12 trips, 2 fuel
receipts), 5 payments from the bank's CSV export, the monthly insurance instalment, a
damage, the month's close, its settlement, every statement, the insurance renewal, a
maintenance amount corrected and a fine's driver designation. Every form submission goes
through `Month.submit` and is counted: a POST, or a GET form the admin fills in (the
fine's search and notice). Page loads, links and downloads are not submissions. The count
must stay at 20 or below; it is printed with its breakdown (docs/FIELD.md).

The scheduled jobs run as the scheduler would (the instalment), not as submissions. The
live server runs on the real clock: the month is the previous calendar month.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from bookings.models import Trip
from contracts.models import Agreement
from core.timeutils import local_today
from ledger.models import BankImport, Deposit, LedgerTransaction, Period, RecurringExpense
from ledger.scans import scan_recurring_expenses
from ledger.services import member_account, sync_maintenance_expense
from ledger.services.expenses import maintenance_reference
from members.models import AuditEntry, Membership
from tests.browser.journeys import DESKTOP, PHONE
from tests.factories.contracts import AgreementFactory
from tests.factories.ledger import platform, tariffed_vehicle
from tests.factories.members import (
    AssociationFactory,
    DriverProfileFactory,
    MembershipFactory,
    UserFactory,
)
from tests.factories.vehicles import MaintenanceEventFactory
from tests.ledger.conftest import PARIS
from vehicles.models import InsurancePolicy, MaintenanceEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-carshare"
LIMIT = 20


def previous_month(today: dt.date) -> tuple[dt.date, dt.date]:
    last = today.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last


@dataclass
class Month:
    """The admin's tab, and the count of what they submitted, by step of the month."""

    page: Page
    base: str
    steps: Counter[str] = field(default_factory=Counter)
    posts_seen: int = 0

    def __post_init__(self) -> None:
        self.page.on("request", self._seen)

    def _seen(self, request) -> None:  # type: ignore[no-untyped-def]
        if request.method == "POST" and request.is_navigation_request():
            self.posts_seen += 1

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def submit(self, step: str, button: Locator) -> None:
        """Submit a form by its button (one submission of `step`), wait for the answer."""
        self.steps[step] += 1
        with self.page.expect_navigation():
            button.click()
        self.no_form_error(step)

    def no_form_error(self, step: str) -> None:
        """The month goes without a refused form: show what a refusal said."""
        errors = self.page.locator(".errorlist, .message--error")
        where = self.page.locator(".errorlist").evaluate_all(
            "lists => lists.map(l => (l.closest('td,p,div')||l).innerHTML.slice(0, 300))"
        )
        assert not errors.count(), f"{step}: {errors.all_inner_texts()} {where}"

    def submit_for_download(self, step: str, button: Locator) -> bytes:
        """Submit a form that answers with a file (a GET form: the browser shows the PDF)."""
        self.steps[step] += 1
        form = button.locator("xpath=ancestor::form")
        query = form.evaluate("f => new URLSearchParams(new FormData(f)).toString()")
        response = self.page.request.get(f"{self.page.url.split('?')[0]}?{query}")
        assert response.ok and response.headers["content-type"] == "application/pdf", (
            f"{step}: {response.status} {response.text()[:300]}"
        )
        return response.body()

    def download(self, link: Locator) -> bytes:
        """What a link opens (a PDF, shown or saved by the browser): not a submission."""
        href = link.get_attribute("href")
        assert href, "the link has no address"
        response = self.page.request.get(self.base + href if href.startswith("/") else href)
        assert response.ok, f"{href}: {response.status}"
        return response.body()

    def expect_message(self, text: str) -> None:
        expect(self.page.locator(".messages")).to_contain_text(text)

    @property
    def total(self) -> int:
        return sum(self.steps.values())


@pytest.fixture
def villerouge():
    """The association before the month: an admin, the Kangoo (owned by Camille, insured,
    its insurance paid monthly by Camille), four drivers with their agreements, two people
    who asked to join, a maintenance bill typed 189,90 € instead of 198,90 €."""
    today = local_today(PARIS)
    first, last = previous_month(today)
    association = AssociationFactory(
        name="Autopartage de Villerouge",
        slug="villerouge",
        agreement_required=True,
        iban="FR7630001007941234567890185",
    )
    people = {}
    for key, first_name, last_name, role in [
        ("alice", "Alice", "Martin", Membership.Role.ADMIN),
        ("camille", "Camille", "Roux", Membership.Role.MEMBER),
        ("bruno", "Bruno", "Lefèvre", Membership.Role.MEMBER),
        ("chloe", "Chloé", "Petit", Membership.Role.MEMBER),
        ("hugo", "Hugo", "Garnier", Membership.Role.MEMBER),
    ]:
        membership = MembershipFactory(
            association=association,
            role=role,
            user=UserFactory(
                email=f"{key}@villerouge.example",
                first_name=first_name,
                last_name=last_name,
                iban="FR7630006000011234567890189" if key == "camille" else "",
            ),
        )
        DriverProfileFactory(user=membership.user)
        people[key] = membership
    for key, first_name, last_name in [("dora", "Dora", "Blanc"), ("emile", "Émile", "Faure")]:
        membership = MembershipFactory(
            association=association,
            status=Membership.Status.PENDING,
            user=UserFactory(
                email=f"{key}@villerouge.example", first_name=first_name, last_name=last_name
            ),
        )
        DriverProfileFactory(user=membership.user)
        people[key] = membership
    kangoo = tariffed_vehicle(
        association,
        owners=[(people["camille"], 100)],
        name="Kangoo",
        plate="FG-456-HJ",
        valid_from=first - dt.timedelta(days=400),
    )
    for key in ("alice", "camille", "bruno", "chloe", "hugo"):
        AgreementFactory(vehicle=kangoo, driver=people[key], signed_on=first - dt.timedelta(90))
    RecurringExpense.objects.create(
        association=association,
        vehicle=kangoo,
        category=LedgerTransaction.Category.INSURANCE,
        description="MAIF, mensualité",
        amount=Decimal("38.40"),
        paid_by=member_account(people["camille"]),
        frequency=RecurringExpense.Frequency.MONTHLY,
        starts_on=first + dt.timedelta(days=9),
        ends_on=first + dt.timedelta(days=9),
    )
    typo = MaintenanceEventFactory(
        vehicle=kangoo,
        date=first + dt.timedelta(days=4),
        cost=Decimal("189.90"),
        description="Vidange",
        paid_by=people["alice"],
        odometer=None,
    )
    sync_maintenance_expense(event=typo, actor=platform(typo))
    return association, people, kangoo, typo, (first, last)


def log_in(month: Month, email: str) -> None:
    month.go("/accounts/login/")
    month.page.get_by_label("Courriel").fill(email)
    month.page.get_by_label("Mot de passe").fill(PASSWORD)
    month.submit("log-in", month.page.get_by_role("button", name="Connexion"))


def form_of(page: Page, action_ends: str) -> Locator:
    return page.locator(f'form[action$="{action_ends}"]')


def join_with_handover(month: Month, member: Membership, kangoo) -> None:
    """Accept the request, prepare the agreement, print it, record signature + deposit."""
    page = month.page
    month.go(f"/villerouge/members/{member.pk}/")
    month.submit("joins", form_of(page, f"/members/{member.pk}/accept/").locator("button"))
    month.expect_message("est maintenant membre")
    month.go("/villerouge/agreements/new/")
    page.get_by_label("Véhicule").select_option(str(kangoo.pk))
    page.get_by_label("Conducteur").select_option(str(member.pk))
    month.submit("joins", page.get_by_role("button", name="Préparer le contrat"))
    month.expect_message("Le contrat est prêt à imprimer.")
    agreement = Agreement.objects.get(driver=member)
    pdf = month.download(page.locator(f'a[href$="/agreements/{agreement.pk}/pdf/"]').first)
    assert pdf.startswith(b"%PDF-")
    month.go(f"/villerouge/ledger/handover/{agreement.pk}/")
    page.locator('[name="deposit_means"]').select_option("cheque")
    page.locator('[name="cheque_number"]').fill(f"00{member.pk}4512")
    month.submit("joins", page.get_by_role("button", name="Enregistrer la remise en main"))
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED


def logbook_page(month: Month, people: dict[str, Membership], kangoo, first: dt.date) -> None:
    """Twelve trips of the Kangoo's paper logbook, two of them with a fuel receipt."""
    page = month.page
    month.go(f"/villerouge/logbook/new/?vehicle={kangoo.pk}")
    page.locator('[name="vehicle"]').select_option(str(kangoo.pk))
    drivers = ["bruno", "chloe", "hugo", "camille"]
    km = 84_000
    for line in range(12):
        day = first + dt.timedelta(days=1 + 2 * line)
        prefix = f"line-{line}-"
        page.locator(f'[name="{prefix}driver"]').select_option(str(people[drivers[line % 4]].pk))
        page.locator(f'[name="{prefix}start"]').fill(f"{day.isoformat()}T09:00")
        page.locator(f'[name="{prefix}end"]').fill(f"{day.isoformat()}T12:00")
        if line == 0:
            page.locator(f'[name="{prefix}odometer_out"]').fill(str(km))
        km += 40 + line
        page.locator(f'[name="{prefix}odometer_in"]').fill(str(km))
        page.locator(f'[name="{prefix}fuel_level"]').fill("70")
        if line in (3, 8):
            page.locator(f'[name="{prefix}receipt_1"]').fill("42,50")
    month.submit("logbook page", page.get_by_role("button", name="Enregistrer la page"))
    month.expect_message("12 trajets saisis depuis le carnet")
    assert Trip.objects.filter(booking__vehicle=kangoo).count() == 12


def bank_payments(month: Month, people: dict[str, Membership], last: dt.date) -> None:
    """Five transfers received, read from the bank's CSV export, confirmed once."""
    page = month.page
    lines = ["Date;Libellé;Débit euros;Crédit euros"]
    for key, amount in [
        ("bruno", "12,30"),
        ("chloe", "25,00"),
        ("hugo", "8,70"),
        ("dora", "20,00"),
        ("emile", "20,00"),
    ]:
        person = people[key]
        label = f"VIR SEPA RECU DE {person.user.display_name.upper()} ADH-{person.pk}"
        lines.append(f"{last.strftime('%d/%m/%Y')};{label};;{amount}")
    month.go("/villerouge/ledger/bank/")
    page.locator('[name="file"]').set_input_files(
        files=[
            {
                "name": "releve.csv",
                "mimeType": "text/csv",
                "buffer": ("\r\n".join(lines) + "\r\n").encode("cp1252"),
            }
        ]
    )
    month.submit("bank payments", page.get_by_role("button", name="Lire le relevé"))
    month.submit("bank payments", page.get_by_role("button", name="Enregistrer les paiements"))
    assert BankImport.objects.get().confirmed_at is not None


def damage(month: Month, people: dict[str, Membership], kangoo, first: dt.date) -> None:
    page = month.page
    month.go("/villerouge/ledger/damage/new/")
    page.locator('[name="driver"]').select_option(str(people["hugo"].pk))
    page.locator('[name="vehicle"]').select_option(str(kangoo.pk))
    page.locator('[name="amount"]').fill("80")
    page.locator('[name="occurred_on"]').fill((first + dt.timedelta(days=20)).isoformat())
    page.locator('[name="description"]').fill("Rétroviseur droit cassé")
    month.submit("damage", page.locator("main form button[type=submit]").last)


def close_and_settle(month: Month, key: str) -> bytes:
    """Close the month, settle it in one action, print every statement in one PDF."""
    page = month.page
    month.go("/villerouge/ledger/periods/")
    month.submit("month close", form_of(page, f"/ledger/periods/{key}/close/").locator("button"))
    assert Period.objects.filter(key=key).exists()
    month.go(f"/villerouge/ledger/settlement/?period={key}")
    month.submit(
        "settlement",
        form_of(page, "/ledger/settlement/record-all/").locator("button[type=submit]"),
    )
    month.go(f"/villerouge/ledger/periods/{key}/")
    return month.download(page.locator(f'a[href$="/ledger/periods/{key}/statements.pdf"]').first)


def renew_insurance(month: Month, kangoo) -> None:
    """The renewal form comes filled from the current policy: the admin only submits."""
    page = month.page
    month.go(f"/villerouge/vehicles/{kangoo.pk}/insurance/new/")
    month.submit("insurance renewal", page.locator("main form button[type=submit]"))
    assert kangoo.insurance_policies.filter(is_active=True).count() == 1
    assert kangoo.insurance_policies.count() == 2


def correct_maintenance(month: Month, kangoo, typo: MaintenanceEvent) -> None:
    page = month.page
    month.go(f"/villerouge/vehicles/{kangoo.pk}/")
    page.locator(f'a[href$="/maintenance/{typo.pk}/edit/"]').click()
    page.locator('[name="cost"]').fill("198.90")
    month.submit("maintenance correction", page.locator("main form button[type=submit]"))
    expect(page.locator("ins", has_text="198,90")).to_be_visible()


def designate_driver(month: Month, kangoo, moment: dt.datetime) -> bytes:
    """A speed camera's notice: find who drove, print the letter that designates them."""
    page = month.page
    month.go("/villerouge/who-drove/")
    page.locator('[name="vehicle"]').select_option(str(kangoo.pk))
    page.locator('[name="moment"]').fill(moment.strftime("%Y-%m-%dT%H:%M"))
    month.submit("fine designation", page.locator("main form button[type=submit]"))
    page.get_by_role("link", name="Lettre de désignation du conducteur (PDF)").click()
    page.locator('[name="notice_number"]').fill("12345678901")
    page.locator('[name="place"]').fill("D 2089, Villerouge")
    page.locator('[name="offence"]').fill("Excès de vitesse inférieur à 20 km/h")
    return month.submit_for_download(
        "fine designation", page.locator("main form button[type=submit]")
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "360px"])
def test_the_admins_month_takes_at_most_20_submissions(
    live_server, browser, villerouge, viewport, settings
):
    # A month of PDFs (agreements, statements, the letter) printed within two minutes here:
    # the per-person rate limit of renders is meant for a person, not for this replay.
    settings.PDF_RENDERS_PER_USER_PER_MINUTE = 100
    association, people, kangoo, typo, (first, last) = villerouge
    context = browser.new_context(viewport=viewport, locale="fr-FR", timezone_id="Europe/Paris")
    month = Month(context.new_page(), live_server.url)
    key = first.strftime("%Y-%m")

    log_in(month, "alice@villerouge.example")
    for newcomer in ("dora", "emile"):
        join_with_handover(month, people[newcomer], kangoo)
    logbook_page(month, people, kangoo, first)
    bank_payments(month, people, last)
    # The instalment of the insurance: the nightly job posts it, nobody types it.
    scan_recurring_expenses(now=timezone.now())
    assert LedgerTransaction.objects.filter(reference__startswith="recurring:").count() == 1
    damage(month, people, kangoo, first)
    correct_maintenance(month, kangoo, typo)
    statements = close_and_settle(month, key)
    assert statements.startswith(b"%PDF-")
    renew_insurance(month, kangoo)
    trip = Trip.objects.filter(booking__vehicle=kangoo).order_by("checked_out_at")[5]
    letter = designate_driver(month, kangoo, trip.checked_out_at + dt.timedelta(hours=1))
    assert letter.startswith(b"%PDF-")

    # What the month left: two members with their agreements and deposits, the corrected
    # maintenance posted once, a settled month.
    assert Membership.objects.filter(association=association, status="active").count() == 7
    assert Deposit.objects.filter(association=association).count() == 2
    assert LedgerTransaction.objects.get(
        reference=maintenance_reference(typo.pk), is_reversed=False
    ).amount == Decimal("198.90")
    assert AuditEntry.objects.filter(action="ledger.period_settled").count() == 1
    assert InsurancePolicy.objects.filter(vehicle=kangoo, is_active=True).count() == 1

    steps = {step: n for step, n in month.steps.items() if step != "log-in"}
    counted = sum(steps.values())
    posts = month.posts_seen - month.steps["log-in"]
    gets = month.steps["fine designation"]  # the fine's search and its notice are GET forms
    assert posts == counted - gets, "a form was submitted without being counted"
    breakdown = ", ".join(f"{step} {n}" for step, n in steps.items())
    print(f"\nadmin's month at {viewport['width']} px: {counted} submissions ({breakdown})")
    assert counted <= LIMIT
    context.close()
