"""The agreement page's "Télécharger le PDF" downloads the file (Chromium would otherwise
open the inline PDF in its viewer, and a headless one shows nothing to print)."""

import re

import pytest
from django.urls import reverse

from tests.factories.contracts import AgreementFactory

pytestmark = pytest.mark.django_db


def test_the_download_button_of_an_agreement_downloads(admin_client_, association, car, driver):
    agreement = AgreementFactory(vehicle=car, driver=driver)
    page = admin_client_.get(
        reverse("contracts:detail", kwargs={"slug": association.slug, "pk": agreement.pk})
    )
    pdf_url = reverse("contracts:pdf", kwargs={"slug": association.slug, "pk": agreement.pk})
    [link] = re.findall(rf'<a [^>]*href="{pdf_url}"[^>]*>Télécharger le PDF</a>', page.text)
    assert re.search(r"\sdownload[\s>]", link), link
