"""Django admin for platform operators: read-mostly views of templates and agreements
(association admins use the pages; changes go through the services)."""

from django.contrib import admin

from contracts.models import Agreement, DocumentTemplate, TemplateVersion


class TemplateVersionInline(admin.TabularInline):
    model = TemplateVersion
    extra = 0
    fields = ("number", "note", "created_by", "created_at", "source_sha256")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    list_display = ("association", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("association__name", "association__slug")
    inlines = [TemplateVersionInline]


@admin.register(TemplateVersion)
class TemplateVersionAdmin(admin.ModelAdmin):
    list_display = ("template", "number", "created_at", "created_by")
    readonly_fields = ("template", "number", "source", "source_sha256", "created_by", "created_at")


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("vehicle", "driver", "association", "status", "signed_on", "generated_at")
    list_filter = ("status",)
    search_fields = ("vehicle__plate", "vehicle__name", "driver__user__email")
    raw_id_fields = ("vehicle", "driver", "template_version")
    readonly_fields = (
        "pdf",
        "pdf_sha256",
        "snapshot",
        "terms",
        "template_label",
        "template_sha256",
        "generated_at",
        "signature_recorded_by",
        "signature_recorded_at",
    )
