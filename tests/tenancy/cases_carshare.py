"""Project-level and third-party URL patterns."""

from tests.tenancy.registry import Access, Case

CASES = {
    "home": Case(Access.PUBLIC),
    "healthz": Case(Access.PUBLIC),
    # The installable app (issue 16): the same files for everyone, nobody's data.
    "manifest": Case(Access.PUBLIC),
    "service_worker": Case(Access.PUBLIC),
    "offline": Case(Access.PUBLIC),
    "set_language": Case(Access.PUBLIC, methods=("POST",)),
    "api-schema": Case(Access.PUBLIC),
    "api-docs": Case(Access.PUBLIC),
    "api-token": Case(Access.PUBLIC, methods=("POST",), api=True),
    "api-logout": Case(Access.AUTHENTICATED, methods=("POST",), api=True),
    "api-me": Case(Access.AUTHENTICATED, methods=("GET", "PATCH"), api=True),
}

# Patterns of other packages, classified by URL name prefix or namespace.
PREFIXES = {
    "account_": Access.PUBLIC,  # django-allauth: log in, sign up, reset… (own tests)
    "admin:": Access.STAFF,  # the Django admin, for platform operators
}
