import socket

import pytest

from core.pdf import PdfTimeout, css_string, page_css, render_pdf, static_file_map
from tests.pdftools import pdf_text

DOCUMENT = "<html><body><h1>Titre</h1><p>Texte accentué : é à ç</p>{extra}</body></html>"


def render(extra="", **kwargs):
    options = {"title": "Contrat d'essai", "header": "Autopartage de Testville"} | kwargs
    return render_pdf(html=DOCUMENT.format(extra=extra), **options)


def test_pages_carry_the_association_the_title_and_their_number(tmp_path):
    result = render(extra='<p style="break-before: page">Deuxième page</p>')
    assert result.pdf.startswith(b"%PDF-")
    assert result.page_count == 2
    text = pdf_text(result.pdf, tmp_path)
    assert text.count("Autopartage de Testville") == 2
    assert "Contrat d'essai" in text
    assert "Page 1 / 2" in text and "Page 2 / 2" in text
    assert "Texte accentué : é à ç" in text


def test_the_initials_box_is_on_every_page_when_asked(tmp_path):
    with_box = render(extra='<p style="break-before: page">2</p>', initials_box=True)
    without = render(extra='<p style="break-before: page">2</p>')
    assert pdf_text(with_box.pdf, tmp_path).count("Paraphes") == 2
    assert "Paraphes" not in pdf_text(without.pdf, tmp_path)


def test_the_sha256_is_the_digest_of_the_bytes():
    import hashlib

    result = render()
    assert result.sha256 == hashlib.sha256(result.pdf).hexdigest()


@pytest.fixture
def listener():
    """A local TCP server: it must never see a connection from the renderer."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.5)
    yield server
    server.close()


def _connections(server) -> int:
    try:
        connection, _address = server.accept()
    except TimeoutError:
        return 0
    connection.close()
    return 1


def test_nothing_outside_the_static_files_is_fetched(listener, tmp_path, caplog):
    port = listener.getsockname()[1]
    extra = (
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">'
        f'<img src="http://127.0.0.1:{port}/pixel.png">'
        '<img src="file:///etc/passwd">'
        '<a rel="attachment" href="file:///etc/passwd">pièce jointe</a>'
        '<img src="data:image/svg+xml;base64,PHN2Zy8+">'
        '<img src="/static/../../../../etc/passwd">'
        '<img src="../settings.py">'
    )
    with caplog.at_level("WARNING", logger="core.pdf"):
        result = render(extra=extra)
    assert _connections(listener) == 0
    assert b"root:" not in result.pdf
    assert b"/EmbeddedFile" not in result.pdf
    assert "root:" not in pdf_text(result.pdf, tmp_path)
    refused = set(result.refused_urls)
    assert f"http://127.0.0.1:{port}/x.css" in refused
    assert "file:///etc/passwd" in refused
    assert any(url.startswith("data:") for url in refused)
    assert len(refused) >= 5
    assert "refused to fetch file:///etc/passwd" in caplog.text


def test_the_projects_static_files_are_served(tmp_path):
    assert "img/favicon.svg" in static_file_map()
    result = render(extra='<img src="/static/img/favicon.svg"><img src="img/favicon.svg">')
    assert result.refused_urls == ()


def test_a_document_that_renders_too_long_is_stopped(settings):
    settings.PDF_RENDER_TIMEOUT_SECONDS = 1
    rows = "<tr><td>x</td><td>y</td></tr>" * 60_000
    with pytest.raises(PdfTimeout):
        render(extra=f"<table>{rows}</table>")


def test_css_strings_cannot_break_out_of_the_page_rules():
    header = 'Asso "}" @import url(http://x/) \\ </style>'
    css = page_css(
        title="t", header=header, initials_box=False, landscape=False, labels={"page": "Page"}
    )
    assert '"}"' not in css and "@import" not in css.replace("@top", "")
    assert css_string('a"b') == '"a\\000022 b"'


def test_the_header_is_printed_literally(tmp_path):
    result = render(header='Les "Amis" de l\'auto & Co')
    assert 'Les "Amis" de l\'auto & Co' in pdf_text(result.pdf, tmp_path)
