import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from members.models import DriverProfile
from tests.factories.members import DriverProfileFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _url(name, association, **kwargs):
    return reverse(f"members:{name}", kwargs={"slug": association.slug, **kwargs})


def test_member_list_shows_members_with_badges(admin_client_, admin, member):
    young = MembershipFactory(association=admin.association, user=UserFactory(first_name="Léa"))
    DriverProfileFactory(
        user=young.user, birth_date=dt.date(2007, 1, 1), licence_issued_on=dt.date(2026, 1, 15)
    )
    response = admin_client_.get(_url("list", admin.association), HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert response.status_code == 200
    assert member.user.email in html
    assert "jeune conducteur" in html
    assert html.count("permis renseigné") == 3


def test_member_list_filters(admin_client_, admin, member):
    response = admin_client_.get(_url("list", admin.association), {"role": "admin"})
    assert member.user.email not in response.content.decode()
    assert admin.user.email in response.content.decode()


def test_member_list_query_count_does_not_grow_with_rows(
    admin_client_, admin, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client_.get(_url("list", admin.association)).status_code == 200
        return len(queries)

    few = count()
    for _ in range(40):
        DriverProfileFactory(user=MembershipFactory(association=admin.association).user)
    assert count() == few


def test_member_detail_shows_driver_data_to_the_admin(admin_client_, admin, member):
    response = admin_client_.get(_url("detail", admin.association, pk=member.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert member.user.driver_profile.licence_number in html


def test_a_member_of_another_association_is_404(admin_client_, admin, outsider):
    for name in ("detail", "licence_scan"):
        response = admin_client_.get(_url(name, admin.association, pk=outsider.pk))
        assert response.status_code == 404
    for name in ("suspend", "remove", "role", "fee", "accept", "refuse", "reactivate"):
        response = admin_client_.post(_url(name, admin.association, pk=outsider.pk))
        assert response.status_code == 404, name


def test_licence_scan_is_for_the_admins_only(admin_client_, member_client, admin, member):
    profile = DriverProfile.objects.get(user=member.user)
    profile.licence_scan.save("permis.pdf", ContentFile(b"%PDF-1.4 scan"), save=True)
    url = _url("licence_scan", admin.association, pk=member.pk)
    response = admin_client_.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 scan"
    assert response["Cache-Control"] == "private, no-store"
    assert member_client.get(url).status_code == 403
    assert (
        admin_client_.get(_url("licence_scan", admin.association, pk=admin.pk)).status_code == 404
    )


def test_csv_export_lists_the_association_members(admin_client_, admin, member, outsider):
    response = admin_client_.get(_url("export_csv", admin.association))
    text = response.content.decode("utf-8-sig")
    assert response["Content-Disposition"].startswith('attachment; filename="testville-members-')
    assert member.user.email in text
    assert outsider.user.email not in text


def test_whole_association_export_is_a_zip(admin_client_, admin):
    import io
    import zipfile

    response = admin_client_.get(_url("export", admin.association))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "members/members.csv" in archive.namelist()
