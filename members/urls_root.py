"""Pages outside any association: the person's own pages, invitations, joining."""

from django.urls import URLPattern, URLResolver

app_name = "account"

urlpatterns: list[URLPattern | URLResolver] = []
