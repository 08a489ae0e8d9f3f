"""URL converter for period keys: 2026-11 (a month) or 2026-Q4 (a quarter)."""

from __future__ import annotations

from ledger.periods import BadPeriod, Span, parse_period


class PeriodConverter:
    regex = r"\d{4}-(?:0[1-9]|1[0-2]|Q[1-4])"

    def to_python(self, value: str) -> Span:
        try:
            return parse_period(value)
        except BadPeriod as error:  # a year outside 2000–2100: no such page
            raise ValueError(str(error)) from None

    def to_url(self, value: Span | str) -> str:
        return value.key if isinstance(value, Span) else value
