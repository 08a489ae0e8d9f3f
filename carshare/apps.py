from django.apps import AppConfig


class CarshareConfig(AppConfig):
    """The project package, installed for its management commands (seed_demo, seed_bench)
    and the layout's template tags."""

    name = "carshare"
    verbose_name = "carshare"

    def ready(self) -> None:
        from carshare.templatetags.layout import (
            FOOTER_PLACEHOLDER,
            HEADER_PLACEHOLDER,
            footer_html,
            header_html,
        )
        from core.pages import register_layout_part

        register_layout_part(HEADER_PLACEHOLDER, header_html)
        register_layout_part(FOOTER_PLACEHOLDER, footer_html)
