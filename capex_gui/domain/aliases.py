"""Names that mean the same company: tickers (MSFT, 0700.HK), other-language and former names.

Matching ignores case, width (full-width ＭＳＦＴ), and runs of spaces, so "msft", "MSFT " and
"Microsoft" all find Microsoft once MSFT is one of its aliases.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from capex_gui.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterable

#: Longest alias kept.
MAX_ALIAS = 200


class AliasKind(StrEnum):
    """What an alias is, for the Companies view."""

    TICKER = "ticker"
    NAME = "other name"
    FORMER = "former name"


def name_key(text: str) -> str:
    """The form names are compared in: NFKC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def clean_name(text: str) -> str:
    """A name as stored: single spaces, no spaces at the ends."""
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class CompanyAlias:
    """Another name of a company."""

    company: str
    alias: str
    kind: AliasKind = AliasKind.NAME
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.alias.strip():
            raise ValidationError("an alias cannot be empty")
        if len(self.alias) > MAX_ALIAS:
            raise ValidationError(f"an alias is at most {MAX_ALIAS} characters")


class NameIndex:
    """Finds the stored name that a text means: a name itself or one of its aliases."""

    def __init__(self, names: Iterable[str] = (), aliases: Iterable[tuple[str, str]] = ()) -> None:
        self._by_key: dict[str, str] = {}
        self._alias_keys: set[str] = set()
        for name in names:
            self.add(name)
        for alias, name in aliases:
            self.add_alias(alias, name)

    def add(self, name: str) -> None:
        """Know *name* (a stored name beats an alias that reads the same)."""
        self._by_key[name_key(name)] = name
        self._alias_keys.discard(name_key(name))

    def add_alias(self, alias: str, name: str) -> None:
        """Know *alias* as another name of *name* (never overriding a stored name)."""
        key = name_key(alias)
        if key not in self._by_key:
            self._by_key[key] = name
            self._alias_keys.add(key)

    def find(self, text: str) -> str | None:
        """The stored name *text* means, or None."""
        return self._by_key.get(name_key(text))

    def is_alias(self, text: str) -> bool:
        """True when *text* was found through an alias, not the name itself."""
        return name_key(text) in self._alias_keys

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and name_key(text) in self._by_key

    def __len__(self) -> int:
        return len(self._by_key)
