"""Pages of one association, under /<association-slug>/ (see carshare/urls.py)."""

from django.urls import URLPattern, URLResolver

app_name = "contracts"

urlpatterns: list[URLPattern | URLResolver] = []
