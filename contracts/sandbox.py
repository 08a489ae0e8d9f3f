"""The sandbox in which templates edited by association admins are rendered.

Choice: Jinja2's ImmutableSandboxedEnvironment, narrowed further, rather than Django's
engine (whose templates can {% load %} any library, reach model methods and settings
through the context, and have no sandbox). What a template can do:

- read a plain-data context (`ensure_plain`: str, int, bool, Decimal, date, datetime,
  None, lists and dicts of those; no model instance, nothing of the settings); dict keys
  are read as keys (`vehicle.items` is the key "items", never the dict method); on other
  values only a few harmless attributes (a date's year, a loop's index...);
- output only escaped text (autoescape on; no `safe` filter, no {% autoescape false %});
- use a whitelist of filters and tests; `range` is capped at MAX_RANGE items;
- no {% include %}, {% extends %}, {% import %}, {% from %}: there is no loader and
  these nodes are refused when the template is checked; extensions ({% debug %},
  {% do %}, i18n) are not loaded, so their tags are syntax errors.

Long or huge outputs (a loop inside a loop) are bounded by the worker process that
renders templates (core.bounded: time limit, then SIGKILL); repeating a string is capped.
"""

from __future__ import annotations

import datetime as dt
import functools
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, nodes
from jinja2.filters import FILTERS
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from contracts import formats

MAX_SOURCE_CHARS = 200_000
MAX_RANGE = 1_000
MAX_REPEAT_CHARS = 100_000
TEMPLATE_NAME = "<template>"

# Left out on purpose: safe (unescaped output), format, attr, xmlattr, tojson, pprint,
# urlize, urlencode, filesizeformat, random, float (money is never a float), and center,
# indent, batch, slice, whose size arguments can blow up the output.
ALLOWED_FILTERS = frozenset(
    {
        *("abs", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first"),
        *("groupby", "int", "join", "last", "length", "list", "lower", "map", "max", "min"),
        *("reject", "rejectattr", "replace", "reverse", "round", "select", "selectattr"),
        *("sort", "string", "striptags", "sum", "title", "trim", "truncate", "unique"),
        *("upper", "wordcount", "wordwrap"),
    }
)
FORBIDDEN_TAGS: dict[type[nodes.Node], str] = {
    nodes.Extends: "extends",
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from",
    nodes.ScopedEvalContextModifier: "autoescape",
    nodes.EvalContextModifier: "autoescape",
}
PLAIN_SCALARS = (str, int, bool, Decimal, dt.date, type(None))  # datetime is a date
PLAIN_ATTRIBUTES: dict[type, frozenset[str]] = {
    dt.date: frozenset({"year", "month", "day"}),
    dt.datetime: frozenset({"year", "month", "day", "hour", "minute"}),
}
LOOP_ATTRIBUTES = frozenset(
    {
        *("index", "index0", "revindex", "revindex0", "first", "last", "length", "depth"),
        *("depth0", "previtem", "nextitem", "cycle", "changed"),
    }
)


@dataclass(frozen=True)
class TemplateProblem:
    """Why a template was refused, and where (line numbers start at 1)."""

    reason: str
    line: int | None = None


class TemplateRefused(Exception):
    def __init__(self, problem: TemplateProblem) -> None:
        super().__init__(problem.reason)
        self.problem = problem


def ensure_plain(value: Any, *, path: str = "context") -> Any:
    """A deep copy of `value` made only of plain data; TypeError on anything else."""
    if isinstance(value, dict):
        copy: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path}: keys must be strings, got {key!r}")
            copy[key] = ensure_plain(item, path=f"{path}.{key}")
        return copy
    if isinstance(value, list | tuple):
        return [ensure_plain(item, path=f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, str):
        return str.__str__(value)  # a plain str: no Markup (unescaped), no enum member
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if type(value) in PLAIN_SCALARS or type(value) is dt.datetime:
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            raise TypeError(f"{path}: datetimes must be aware")
        return value
    raise TypeError(f"{path}: {type(value).__name__} is not plain data")


class DocumentSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict):
            if attribute in obj:
                return obj[attribute]
            return self.undefined(obj=obj, name=attribute)
        if isinstance(obj, (*PLAIN_SCALARS, list)):
            if attribute in PLAIN_ATTRIBUTES.get(type(obj), ()):
                return getattr(obj, attribute)
            return self.undefined(obj=obj, name=attribute)
        if isinstance(obj, LoopContext) and attribute not in LOOP_ATTRIBUTES:
            return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, dict | list | str) and isinstance(argument, str | int | slice):
            try:
                return obj[argument]  # type: ignore[index]
            except (LookupError, TypeError):
                return self.undefined(obj=obj, name=str(argument))
        if isinstance(argument, str):
            return self.getattr(obj, argument)
        return self.undefined(obj=obj, name=str(argument))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 100:
            raise ValueError("exponent too large")
        if operator == "*":
            _check_repeat(left, right)
        return super().call_binop(context, operator, left, right)


def _check_repeat(left: Any, right: Any) -> None:
    for sequence, count in ((left, right), (right, left)):
        repeated = isinstance(sequence, str | list) and isinstance(count, int)
        if repeated and len(sequence) * count > MAX_REPEAT_CHARS:
            raise ValueError("repeated text too long")


def capped_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise ValueError(f"range() is limited to {MAX_RANGE} items")
    return numbers


def capped_replace(value: Any, old: str, new: str, count: int | None = None) -> str:
    text = value if isinstance(value, Markup) else str(value)
    result = text.replace(str(old), str(new), -1 if count is None else count)
    if len(result) > MAX_REPEAT_CHARS * 10:
        raise ValueError("replaced text too long")
    return result


def nl2br(value: Any) -> Markup:
    """Escaped text with its line breaks kept."""
    lines = str(value or "").splitlines()
    return Markup("<br>").join(escape(line) for line in lines)


def build_environment() -> DocumentSandbox:
    env = DocumentSandbox(autoescape=True, undefined=StrictUndefined, loader=None)
    env.filters = {name: FILTERS[name] for name in ALLOWED_FILTERS}
    env.filters.update(
        {
            "replace": capped_replace,
            "euros": formats.euros,
            "number": formats.number,
            "date": formats.date,
            "datetime": formats.datetime,
            "nl2br": nl2br,
            "or_blank": formats.or_blank,
            "clause": formats.clause,
            "de": formats.de,
        }
    )
    env.globals = {"range": capped_range}
    return env


ENVIRONMENT = build_environment()


def check_source(source: str) -> None:
    """Parse and compile `source`; TemplateRefused with the line and reason if it is invalid."""
    if len(source) > MAX_SOURCE_CHARS:
        raise TemplateRefused(TemplateProblem(f"longer than {MAX_SOURCE_CHARS} characters"))
    try:
        tree = ENVIRONMENT.parse(source, name=TEMPLATE_NAME)
    except TemplateSyntaxError as error:
        raise TemplateRefused(TemplateProblem(error.message or str(error), error.lineno)) from None
    for node in tree.find_all(tuple(FORBIDDEN_TAGS)):
        tag = FORBIDDEN_TAGS[type(node)]
        raise TemplateRefused(TemplateProblem(f"the tag '{tag}' is not allowed", node.lineno))
    try:
        ENVIRONMENT.compile(source, name=TEMPLATE_NAME)
    except TemplateSyntaxError as error:  # an unknown filter or test
        raise TemplateRefused(TemplateProblem(error.message or str(error), error.lineno)) from None


@functools.lru_cache(maxsize=16)
def compiled(source: str) -> Template:
    """`source` checked and compiled; the fork server compiles the defaults once for all."""
    check_source(source)
    return ENVIRONMENT.from_string(source)


def render_source(source: str, context: Mapping[str, Any]) -> str:
    """The HTML of `source` with `context`; TemplateRefused when it cannot be rendered."""
    template = compiled(source)
    try:
        return template.render(ensure_plain(dict(context)))
    except (TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as error:
        reason = str(error) or type(error).__name__
        raise TemplateRefused(TemplateProblem(reason, _template_line(error))) from None
    except MemoryError as error:  # the worker's memory cap (core.bounded)
        problem = TemplateProblem("the document needs too much memory", _template_line(error))
        raise TemplateRefused(problem) from None


def _template_line(error: BaseException) -> int | None:
    """The template line where `error` was raised (Jinja maps its frames to the template)."""
    line = getattr(error, "lineno", None)
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == TEMPLATE_NAME:
            line = frame.lineno
    return line


def wrap_document(body: str, *, title: str, language: str, head: str = "") -> str:
    """A complete HTML document around a rendered template body."""
    return (
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>{head}</head>"
        f'<body class="document">{body}</body></html>'
    )
