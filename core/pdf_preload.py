"""Imported once by the PDF fork server (core.bounded), before any worker is forked:
loads WeasyPrint and renders a tiny page, so that fonts and caches are ready and every
worker forked afterwards starts warm."""

from core.pdf import PdfJob
from core.pdf_worker import write_pdf


def warm_up() -> None:
    write_pdf(
        PdfJob(
            html="<p style=\"font-family: 'DejaVu Sans'\">Aa <b>Bb</b> <i>Cc</i></p>",
            title="warm-up",
            language="fr",
            page_css="@page { size: A4; @bottom-right { content: counter(page) } }",
        )
    )


warm_up()
