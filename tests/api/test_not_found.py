"""A path the URL map refuses still answers in JSON under /api/, and as a page elsewhere."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_invalid_slug_under_the_api_is_a_json_404_in_french(client, member):
    client.force_login(member.user)
    response = client.get("/api/v1/associations/C~/availability/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Non trouvé."}


def test_an_unknown_page_is_an_html_404(client):
    response = client.get("/no-such~page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
