"""Pages of one association, under /<association-slug>/ (see carshare/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from contracts.views import agreements, documents, templates

app_name = "contracts"

urlpatterns: list[URLPattern | URLResolver] = [
    path("agreements/", agreements.agreement_list, name="list"),
    path("agreements/mine/", agreements.my_agreements, name="mine"),
    path("agreements/new/", agreements.agreement_new, name="new"),
    path("agreements/outdated/", agreements.outdated_agreements, name="outdated"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="detail"),
    path("agreements/<int:pk>/pdf/", agreements.agreement_pdf, name="pdf"),
    path("agreements/<int:pk>/scan/", agreements.agreement_scan, name="scan"),
    path("agreements/<int:pk>/printed/", agreements.agreement_printed, name="printed"),
    path("agreements/<int:pk>/sign/", agreements.agreement_sign, name="sign"),
    path("agreements/<int:pk>/end/", agreements.agreement_end, name="end"),
    path("agreements/<int:pk>/regenerate/", agreements.agreement_regenerate, name="regenerate"),
    path(
        "documents/membership-form/", documents.blank_membership_form, name="membership_form_blank"
    ),
    path("documents/membership-form/<int:pk>/", documents.membership_form, name="membership_form"),
    path("documents/logbook/<int:vehicle_pk>/", documents.logbook, name="logbook"),
    path("documents/founding-kit/", documents.founding_kit, name="founding_kit"),
    path("documents/founding-kit/statutes/", documents.statutes, name="statutes"),
    path(
        "documents/founding-kit/internal-rules/",
        documents.internal_rules,
        name="internal_rules",
    ),
    path("documents/templates/", templates.template_list, name="templates"),
    path("documents/templates/<slug:kind>/copy/", templates.template_copy, name="template_copy"),
    path("documents/templates/<slug:kind>/edit/", templates.template_edit, name="template_edit"),
    path(
        "documents/templates/<slug:kind>/history/",
        templates.template_history,
        name="template_history",
    ),
    path(
        "documents/templates/<slug:kind>/versions/<int:number>/",
        templates.template_version,
        name="template_version",
    ),
    path(
        "documents/templates/<slug:kind>/default/",
        templates.template_default,
        name="template_default",
    ),
]
