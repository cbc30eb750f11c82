"""Reading and writing headline totals and stated shares (``headlines``, ``stated_shares``)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from capex_gui.domain.entities import Status
from capex_gui.domain.money import from_minor, to_minor
from capex_gui.domain.parsing import Bound
from capex_gui.domain.statements import HeadlineTotal, StatedShare
from capex_gui.storage.schema import CompanyRow, HeadlineRow, RegionRow, StatedShareRow, utcnow

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from sqlalchemy.orm import Session

    from capex_gui.storage.repository import Repository

#: Shares are stored as integer parts per million (0.6 -> 600000).
SHARE_SCALE = 1_000_000
#: Named suppliers of a share are stored joined by this.
SUPPLIER_SEPARATOR = "; "


class StatementRepository:
    """Headline totals and stated shares, through the main repository's transactions."""

    def __init__(self, repo: Repository) -> None:
        self._repo = repo

    # -- headlines --------------------------------------------------------------------------
    def headlines(self, ids: Iterable[int] | None = None) -> list[HeadlineTotal]:
        """Headline totals (all, or those with *ids*), by id."""
        q = (
            select(HeadlineRow, CompanyRow.name)
            .join(CompanyRow, HeadlineRow.company_id == CompanyRow.id)
            .order_by(HeadlineRow.id)
        )
        if ids is not None:
            q = q.where(HeadlineRow.id.in_(list(ids)))
        with self._repo._tx() as s:
            return [_to_headline(row, company) for row, company in s.execute(q).all()]

    def shares(self, ids: Iterable[int] | None = None) -> list[StatedShare]:
        """Stated shares (all, or those with *ids*), by id."""
        q = (
            select(StatedShareRow, CompanyRow.name, RegionRow.name)
            .join(CompanyRow, StatedShareRow.company_id == CompanyRow.id)
            .outerjoin(RegionRow, StatedShareRow.region_id == RegionRow.id)
            .order_by(StatedShareRow.id)
        )
        if ids is not None:
            q = q.where(StatedShareRow.id.in_(list(ids)))
        with self._repo._tx() as s:
            return [_to_share(row, company, region) for row, company, region in s.execute(q).all()]

    def add(
        self, headlines: Sequence[HeadlineTotal], shares: Sequence[StatedShare]
    ) -> tuple[list[HeadlineTotal], list[StatedShare]]:
        """Insert both kinds in ONE transaction (keeping ids they carry); returns them with ids."""
        ref = self._repo._ref
        with self._repo._tx(write=True) as s:  # read-modify-write: lock first
            made_heads = []
            for head in headlines:
                row = HeadlineRow(**self._headline_values(s, head))
                made_heads.append(head.with_changes(id=self._flush(s, row, head.id)))
            made_shares = []
            for share in shares:
                region_id = ref(s, RegionRow, share.region, "region") if share.region else None
                row2 = StatedShareRow(
                    company_id=ref(s, CompanyRow, share.company, "company"),
                    year=share.year,
                    region_id=region_id,
                    share_ppm=int(share.share * SHARE_SCALE),
                    origin=share.origin,
                    suppliers=SUPPLIER_SEPARATOR.join(share.suppliers),
                    **_sourced(share),
                )
                made_shares.append(share.with_changes(id=self._flush(s, row2, share.id)))
            return made_heads, made_shares

    def update_headline(self, head: HeadlineTotal) -> HeadlineTotal:
        """Replace the stored headline with id *head.id*; returns the old value."""
        old = self.headlines([head.id or 0])
        with self._repo._tx(write=True) as s:  # read-modify-write: lock first
            row = s.get(HeadlineRow, head.id)
            if row is None or not old:
                from capex_gui.errors import StorageError

                raise StorageError(f"headline {head.id} no longer exists")
            for key, value in self._headline_values(s, head).items():
                setattr(row, key, value)
            row.updated_at = utcnow()
        return old[0]

    def delete(
        self, headline_ids: Iterable[int], share_ids: Iterable[int]
    ) -> tuple[list[HeadlineTotal], list[StatedShare]]:
        """Delete rows of both kinds; returns what was deleted (for undo)."""
        heads, shares = list(headline_ids), list(share_ids)
        gone = (self.headlines(heads) if heads else [], self.shares(shares) if shares else [])
        with self._repo._tx(write=True) as s:  # read-modify-write: lock first
            if heads:
                s.execute(delete(HeadlineRow).where(HeadlineRow.id.in_(heads)))
            if shares:
                s.execute(delete(StatedShareRow).where(StatedShareRow.id.in_(shares)))
        return gone

    def _headline_values(self, s: Session, head: HeadlineTotal) -> dict[str, Any]:
        return {
            "company_id": self._repo._ref(s, CompanyRow, head.company, "company"),
            "year": head.year,
            "amount_minor": to_minor(head.amount),
            "currency": head.currency,
            **_sourced(head),
        }

    @staticmethod
    def _flush(s: Session, row: HeadlineRow | StatedShareRow, id_: int | None) -> int:
        if id_ is not None:
            row.id = id_
        s.add(row)
        s.flush()
        return row.id


def _sourced(item: HeadlineTotal | StatedShare) -> dict[str, Any]:
    return {
        "status": item.status.value,
        "bound": item.bound.value,
        "source": item.source,
        "source_url": item.source_url,
        "reported_on": item.reported_on,
        "quote": item.quote,
        "notes": item.notes,
    }


def _sourced_fields(row: HeadlineRow | StatedShareRow) -> dict[str, Any]:
    return {
        "status": Status(row.status),
        "bound": Bound(row.bound),
        "source": row.source,
        "source_url": row.source_url,
        "reported_on": row.reported_on,
        "quote": row.quote,
        "notes": row.notes,
    }


def _to_headline(row: HeadlineRow, company: str) -> HeadlineTotal:
    return HeadlineTotal(
        company=company,
        year=row.year,
        amount=from_minor(row.amount_minor),
        currency=row.currency,
        id=row.id,
        **_sourced_fields(row),
    )


def _to_share(row: StatedShareRow, company: str, region: str | None) -> StatedShare:
    suppliers = tuple(n for n in row.suppliers.split(SUPPLIER_SEPARATOR) if n)
    return StatedShare(
        company=company,
        year=row.year,
        share=(Decimal(row.share_ppm) / SHARE_SCALE).normalize(),
        region=region or "",
        origin=row.origin,
        suppliers=suppliers,
        id=row.id,
        **_sourced_fields(row),
    )
