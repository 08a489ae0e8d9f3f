"""French typography: elision of "de" before a vowel, "1er" for the first of a month and
no-break spaces before the high punctuation and the euro sign.

- `de(name)`: "de Villerouge", "d'Autopartage de Villerouge" (a name that follows "de").
- `long_date(day)`: "1er novembre 2026" in French, the locale's long date otherwise.
- `french(text)`: the three rules on a plain text (an e-mail, a subject line).
- `french_html(html)`: the same on the text of an HTML page, never inside a tag, a script,
  a style sheet, a text area (what people typed goes back as they typed it) or code.

Pages in French get `french_html` from `core.middleware.FrenchTypographyMiddleware`, the
outbox applies `french` to what it sends in French, and printed documents (French) get
`french_html` before WeasyPrint: catalogues and templates keep plain spaces and
"de %(name)s", and the reader sees "d'Autopartage", "1er mars" and "Total : 3 €" with
no-break spaces. Runs in the PDF worker too: no Django set-up needed but for `long_date`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.safestring import SafeData, mark_safe

from core.money import NARROW_NBSP, NBSP

APOSTROPHE = "'"
MONTHS = (
    *("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"),
    *("septembre", "octobre", "novembre", "décembre"),
)
VOWELS = "aeiouàâäéèêëîïôöùûüœæ"
# Words that start with a vowel and keep "de" ("de onze heures", "de oui ou de non").
NO_ELISION = frozenset({"onze", "onzième", "onzièmes", "oui", "ouistiti", "uhlan", "ululement"})

_LETTERS = r"[^\W\d_]"
# "de" as a word, its space(s), then the word.
_DE = re.compile(rf"(?<!{_LETTERS})([Dd])[Ee][ \u00a0]+({_LETTERS}+)")
# A day 1 before a month, full or abbreviated as Django writes them ("1 nov.", "1 Nov").
_MONTH_WORDS = "|".join(
    (
        *MONTHS,
        *("janv", "févr", "avr", "juil", "sept", "oct", "nov", "déc"),
        *("jan", "fév", "mar", "jui", "jul", "aoû", "sep"),
    )
)
_FIRST = re.compile(rf"(?<![\w,.])1(?= (?:{_MONTH_WORDS})(?![^\W\d_]))", re.IGNORECASE)
_BEFORE_COLON = re.compile(r"[ \u202f](?=:(?!//))")
_BEFORE_HIGH = re.compile(r"[ \u00a0](?=[;!?](?![\w=]))")
_BEFORE_EURO = re.compile(r"(?<=[\d)]) (?=€)")
_GUILLEMETS = (re.compile(r"« "), re.compile(r" »"))
# What french_html leaves alone: comments, scripts, styles, typed text, code, and tags.
# A fragment already typeset (`typeset`, cached fragments) is marked: a page's typography
# passes over it in one step instead of going through its texts again.
TYPESET_START = "<!--typeset-->"
TYPESET_END = "<!--/typeset-->"
# No capturing group: `split` gives the texts between them.
_UNTOUCHED = re.compile(
    "|".join(
        (
            r"<!--.*?-->",
            *(rf"<{tag}\b.*?</{tag}\s*>" for tag in ("script", "style", "textarea", "pre", "code")),
            r"<[^>]*>",
        )
    ),
    re.DOTALL | re.IGNORECASE,
)


def elides(word: str) -> bool:
    """Whether "de" becomes "d'" before `word`: a vowel, or a Y before a consonant
    ("d'Yves", "de Yannick"); an H is taken as aspirated, never elided."""
    if not word:
        return False
    lower = word.lower()
    if lower in NO_ELISION:
        return False
    if lower[0] == "y":
        return len(lower) > 1 and lower[1] not in VOWELS + "y"
    return lower[0] in VOWELS


def de(name: str) -> str:
    """The French "de" before `name`: "de Villerouge", "d'Autopartage de Villerouge"."""
    name = name.strip()
    first_word = re.match(rf"{_LETTERS}+", name)
    if first_word and elides(first_word.group(0)):
        return f"d{APOSTROPHE}{name}"
    return f"de {name}"


def long_date(day: dt.date, *, language: str | None = None) -> str:
    """ "1er novembre 2026" in French (the documents' and the pages' long date); Django's
    long date format in the active language otherwise."""
    from django.utils import translation
    from django.utils.formats import date_format

    language = language or translation.get_language() or "fr"
    if language.startswith("fr"):
        first = "1er" if day.day == 1 else str(day.day)
        return f"{first} {MONTHS[day.month - 1]} {day.year}"
    with translation.override(language):
        return date_format(day, "DATE_FORMAT")


def _elide(match: re.Match[str]) -> str:
    d, word = match.groups()
    return f"{d}{APOSTROPHE}{word}" if elides(word) else match.group(0)


def french(text: str) -> str:
    """French typography on a plain text (see the module's doc)."""
    if not text:
        return text
    text = _DE.sub(_elide, text)
    text = _FIRST.sub("1er", text)
    return _spaces(text)


def _spaces(text: str) -> str:
    text = _BEFORE_COLON.sub(NBSP, text)
    text = _BEFORE_HIGH.sub(NARROW_NBSP, text)
    text = _BEFORE_EURO.sub(NBSP, text)
    opening, closing = _GUILLEMETS
    return closing.sub(f"{NBSP}»", opening.sub(f"«{NBSP}", text))


def french_html(html: str) -> str:
    """French typography on the text of an HTML document or fragment, tags left alone, and
    typeset fragments (between TYPESET_START and TYPESET_END) as they are.

    A "de" that ends a text may elide before the word that starts the next one, behind
    inline tags ("de <strong>Autopartage</strong>")."""
    if TYPESET_START not in html:
        return _french_html(html)
    parts = []
    position = 0
    while (start := html.find(TYPESET_START, position)) >= 0:
        end = html.find(TYPESET_END, start)
        if end < 0:
            break
        end += len(TYPESET_END)
        parts += [_french_html(html[position:start]), html[start:end]]
        position = end
    parts.append(_french_html(html[position:]))
    return "".join(parts)


def _french_html(html: str) -> str:
    if not html:
        return html
    # Most texts of a page (the spaces between tags, names, times) hold nothing a rule could
    # change: a large page has ~1,000 texts, ~1 % of them need `french`. They are found on
    # the page's texts joined by a NUL (no rule's match can hold one), in C, not one by one.
    texts = _UNTOUCHED.split(html)
    if "\x00" in html:
        candidates = [index for index, text in enumerate(texts) if _MAY_CHANGE.search(text)]
    else:
        joined = "\x00".join(texts)
        candidates = sorted(
            {joined.count("\x00", 0, found.start()) for found in _MAY_CHANGE.finditer(joined)}
        )
    if not candidates:
        return html
    tokens: list[str] = [""] * (2 * len(texts) - 1)  # texts at even indexes, kept parts between
    tokens[::2] = texts
    tokens[1::2] = _UNTOUCHED.findall(html)
    for index in candidates:
        tokens[2 * index] = french(texts[index])
    for index in candidates:
        if _DE_AT_END.search(tokens[2 * index]):
            tokens[2 * index] = _elide_at_end(tokens[2 * index], _next_word(tokens, 2 * index))
    return "".join(tokens)


# What any rule of `french` needs to find in a text; a text without it is left as it is.
_MAY_CHANGE = re.compile("[Dd][Ee][ \u00a0]|1 |[ \u202f\u00a0][:;!?€]|« | »")
_DE_AT_END = re.compile(rf"(?<!{_LETTERS})([Dd])[Ee][ \u00a0]+$")
_INLINE_OPENING = re.compile(r"<(?:a|b|em|i|span|strong)\b[^<>]*>", re.IGNORECASE)


def _next_word(tokens: list[str], index: int) -> str:
    """The word that starts the text after `index`, behind inline opening tags only (texts
    at even indexes of `tokens`, the untouched parts between them)."""
    for position in range(index + 1, len(tokens)):
        content = tokens[position]
        if position % 2 == 0:
            if content:
                found = re.match(rf"{_LETTERS}+", content)
                return found.group(0) if found else ""
            continue
        if not _INLINE_OPENING.fullmatch(content):
            return ""
    return ""


def _elide_at_end(text: str, word: str) -> str:
    if not elides(word):
        return text
    return _DE_AT_END.sub(lambda match: f"{match.group(1)}{APOSTROPHE}", text)


def typeset(html: str, language: str | None) -> str:
    """`french_html(html)` marked as typeset when `language` is French (a cached fragment:
    typeset once, not on every page that shows it); `html` as it is otherwise. Safe HTML
    (a rendered template) stays safe."""
    if not html or not (language or "").startswith("fr"):
        return html
    typeset_html = f"{TYPESET_START}{french_html(html)}{TYPESET_END}"
    return mark_safe(typeset_html) if isinstance(html, SafeData) else typeset_html  # noqa: S308


def apply_french(value: Any, language: str | None) -> Any:
    """`french(value)` when `language` is French and `value` a text; else `value`."""
    if isinstance(value, str) and (language or "").startswith("fr"):
        return french(value)
    return value
