"""Rendering is the costliest thing a member can ask for (a worker process allowed 768 MiB
for 20 s). Renders are capped per process (a busy server answers 429 with Retry-After) and
per person (at once and per minute), in core.pdf, which every document goes through."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
import time_machine
from rest_framework.test import APIRequestFactory

from core import pdf
from core.api import exception_handler

pytestmark = pytest.mark.django_db

# Thousands of table cells: seconds of layout, stopped by the time limit anyway.
SLOW_HTML = "<table>" + "<tr><td>cellule</td><td>cellule</td></tr>" * 6000 + "</table>"


def blank_form(client, association):
    return client.get(f"/{association.slug}/documents/membership-form/", HTTP_ACCEPT_LANGUAGE="fr")


def render_in_background(settings, owner=None):
    """Start a slow render in another thread (as `owner`, if given), killed after 8 s, and
    wait until it holds its slot; returns the thread (join it). Renders started after this
    get a generous time limit again (the machine may be loaded)."""
    settings.PDF_RENDER_TIMEOUT_SECONDS = 8

    def slow():
        try:
            with pdf.renders_by(owner):
                pdf.render_pdf(html=SLOW_HTML, title="lent", header="lent")
        except pdf.PdfError:
            pass  # killed by the test's short time limit: that is fine

    thread = threading.Thread(target=slow)
    thread.start()
    deadline = time.monotonic() + 5
    while pdf.renders_in_progress() == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    settings.PDF_RENDER_TIMEOUT_SECONDS = 60  # the slow render read its limit already
    return thread


def test_a_busy_process_answers_429_with_retry_after_in_french(
    settings, association, member_client
):
    settings.PDF_RENDERS_PER_PROCESS = 1
    thread = render_in_background(settings)
    try:
        response = blank_form(member_client, association)
    finally:
        thread.join()
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Trop de documents" in response.content.decode()
    assert blank_form(member_client, association).status_code == 200  # free again


def test_one_person_cannot_render_more_at_once_than_allowed(
    settings, association, member, member_client, admin_client_
):
    settings.PDF_RENDERS_PER_PROCESS = 4
    settings.PDF_RENDERS_PER_USER = 1
    thread = render_in_background(settings, owner=pdf.owner_of_user(member.user))
    try:
        mine = blank_form(member_client, association)
        someone_else = blank_form(admin_client_, association)
    finally:
        thread.join()
    assert mine.status_code == 429
    assert "Retry-After" in mine
    assert someone_else.status_code == 200


def test_one_person_cannot_render_more_per_minute_than_allowed(
    settings, association, member_client, admin_client_
):
    settings.PDF_RENDERS_PER_USER_PER_MINUTE = 3
    # The cap counts per clock minute: the four renders start at a minute's first second so
    # that a loaded machine (a few seconds per render) cannot spread them over two minutes.
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)):
        statuses = [blank_form(member_client, association).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert blank_form(admin_client_, association).status_code == 200


def test_the_api_answers_429_json_with_retry_after():
    request = APIRequestFactory().get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="fr")
    response = exception_handler(pdf.RenderBusy(retry_after=7), {"request": request})
    assert response.status_code == 429
    assert response["Retry-After"] == "7"
    assert response.data["code"] == "render_busy"
