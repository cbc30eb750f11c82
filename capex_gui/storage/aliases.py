"""Company aliases in the database: tickers, other-language and former names.

An alias is unique across companies (compared as ``name_key``: case, width and spaces folded)
and may not read like another company's own name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from capex_gui.domain.aliases import AliasKind, CompanyAlias, NameIndex, clean_name, name_key
from capex_gui.errors import ConstraintError, StorageError
from capex_gui.storage.changes import WRITE_INTENT
from capex_gui.storage.imports import new_id
from capex_gui.storage.schema import CompanyAliasRow, CompanyRow, utcnow

if TYPE_CHECKING:
    from sqlalchemy import Engine


def _writing(engine: Engine) -> Engine:
    """*engine* for a transaction that writes (it takes the write lock as it begins)."""
    return engine.execution_options(**{WRITE_INTENT: True})


def _failed(exc: SQLAlchemyError) -> StorageError:
    return StorageError(f"The database could not be used: {getattr(exc, 'orig', None) or exc}")


def company_aliases(engine: Engine, company: str | None = None) -> list[CompanyAlias]:
    """Every alias (of *company*, or of all), by company then alias."""
    q = (
        select(CompanyAliasRow.alias, CompanyAliasRow.kind, CompanyAliasRow.id, CompanyRow.name)
        .join(CompanyRow, CompanyAliasRow.company_id == CompanyRow.id)
        .order_by(CompanyRow.name, CompanyAliasRow.alias)
    )
    if company is not None:
        q = q.where(CompanyRow.name == company)
    try:
        with engine.connect() as conn:
            return [
                CompanyAlias(name, alias, AliasKind(kind), id_)
                for alias, kind, id_, name in conn.execute(q)
            ]
    except SQLAlchemyError as exc:
        raise _failed(exc) from exc


def company_index(engine: Engine) -> NameIndex:
    """Every company name and alias, for matching what people type or files say."""
    try:
        with engine.connect() as conn:
            names = list(conn.execute(select(CompanyRow.name)).scalars())
            pairs = conn.execute(
                select(CompanyAliasRow.alias, CompanyRow.name).join(
                    CompanyRow, CompanyAliasRow.company_id == CompanyRow.id
                )
            )
            return NameIndex(names, [(a, n) for a, n in pairs])
    except SQLAlchemyError as exc:
        raise _failed(exc) from exc


def add_alias(engine: Engine, alias: CompanyAlias) -> CompanyAlias:
    """Store an alias; ConstraintError when it is taken or reads like a company's name."""
    text = clean_name(alias.alias)
    key = name_key(text)
    try:
        with _writing(engine).begin() as conn:
            company_id = conn.execute(
                select(CompanyRow.id).where(CompanyRow.name == alias.company)
            ).scalar()
            if company_id is None:
                raise ConstraintError(f"there is no company called {alias.company!r}")
            for other in conn.execute(select(CompanyRow.name)).scalars():
                if name_key(other) == key:
                    raise ConstraintError(f"“{text}” is the name of the company {other}")
            holder = conn.execute(
                select(CompanyRow.name)
                .join(CompanyAliasRow, CompanyAliasRow.company_id == CompanyRow.id)
                .where(CompanyAliasRow.alias_key == key)
            ).scalar()
            if holder is not None:
                raise ConstraintError(f"“{text}” is already an alias of {holder}")
            now = utcnow()
            result = conn.execute(
                insert(CompanyAliasRow).values(
                    company_id=company_id,
                    alias=text,
                    alias_key=key,
                    kind=alias.kind.value,
                    created_at=now,
                    updated_at=now,
                )
            )
            made = new_id(result)
            return CompanyAlias(alias.company, text, alias.kind, made)
    except IntegrityError as exc:
        raise ConstraintError(f"“{text}” cannot be an alias: {exc.orig}") from exc
    except SQLAlchemyError as exc:
        raise _failed(exc) from exc


def delete_alias(engine: Engine, company: str, alias: str) -> CompanyAlias | None:
    """Remove *alias* of *company*; returns it (for undo), or None if there was none."""
    try:
        with _writing(engine).begin() as conn:
            found = Session(conn).scalar(
                select(CompanyAliasRow)
                .join(CompanyRow, CompanyAliasRow.company_id == CompanyRow.id)
                .where(CompanyRow.name == company, CompanyAliasRow.alias_key == name_key(alias))
            )
            if found is None:
                return None
            gone = CompanyAlias(company, found.alias, AliasKind(found.kind), found.id)
            conn.execute(delete(CompanyAliasRow).where(CompanyAliasRow.id == found.id))
            return gone
    except SQLAlchemyError as exc:
        raise _failed(exc) from exc
