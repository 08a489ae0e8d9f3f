import pytest
from django.test import RequestFactory

from core.clientip import UNKNOWN, client_ip


def request_from(remote="192.0.2.10", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from(forwarded="203.0.113.5")) == "192.0.2.10"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the client wrote the first one
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", "192.0.2.10"),  # fewer entries than proxies: not through them
        (1, "not-an-address", "192.0.2.10"),
        (1, "", "192.0.2.10"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_with_trusted_proxies_the_nth_address_from_the_right_counts(
    settings, count, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request_from(forwarded=forwarded)) == expected


def test_a_missing_remote_address_is_a_placeholder(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from(remote="")) == UNKNOWN
