"""The peers of bench_scale.py: what an analyst would write with pandas and matplotlib.

Run as a script by the benchmark (each run a fresh process, like ``capex-gui``):

    python bench_scale_peers.py summary DB            # prints JSON like `summary --json`
    python bench_scale_peers.py chart KIND DB OUT     # KIND: spend | suppliers | companies

The summary peer reads the figure tables with ``pandas.read_sql`` and groups them: spend per
company, year, category and region in USD (the app's no-double-count rule for quarters and
full years, spans left out), supplier shares by value and by units, the domestic share, and
the ids of the rows each figure leaves out. The chart peers read the same columns and draw a
comparable chart with matplotlib (stacked bars per company and year; a pie of supplier shares;
bars per company) at 1920×1080. Needs the ``bench`` extra (pandas, matplotlib).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pandas as pd

SOFT = ("estimate", "planned")


def _connect(db: str) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{Path(db).resolve()}?mode=ro", uri=True)


def _rates(con: sqlite3.Connection) -> pd.DataFrame:
    rates = pd.read_sql("SELECT currency, year, rate_scaled FROM fx_rates", con)
    rates["rate"] = rates["rate_scaled"] / 1e10
    usd = pd.DataFrame({"currency": "USD", "year": range(1990, 2101), "rate": 1.0})
    return pd.concat([rates[["currency", "year", "rate"]], usd], ignore_index=True)


def _investments(con: sqlite3.Connection) -> pd.DataFrame:
    inv = pd.read_sql(
        "SELECT i.id, c.name AS company, i.year, k.name AS category, r.name AS region, "
        "i.amount_minor, i.currency, i.period_start, i.period_end, i.period_kind, i.period_year_end, i.status "
        "FROM investments i JOIN companies c ON c.id = i.company_id "
        "JOIN categories k ON k.id = i.category_id JOIN regions r ON r.id = i.region_id",
        con,
    )
    inv = inv.merge(_rates(con), on=["currency", "year"], how="left")
    inv["usd"] = inv["amount_minor"] / 100 / inv["rate"]
    return inv


def _orders(con: sqlite3.Connection) -> pd.DataFrame:
    orders = pd.read_sql(
        "SELECT o.id, c.name AS company, c.country AS buyer, o.year, s.name AS supplier, "
        "s.country AS maker, o.units, o.value_minor, o.currency, o.period_kind "
        "FROM chip_orders o JOIN companies c ON c.id = o.company_id "
        "JOIN suppliers s ON s.id = o.supplier_id",
        con,
    )
    orders = orders.merge(_rates(con), on=["currency", "year"], how="left")
    orders["usd"] = orders["value_minor"] / 100 / orders["rate"]
    return orders


def _counted_spend(inv: pd.DataFrame) -> pd.DataFrame:
    """Per company, category and year as written (calendar or fiscal): the four quarters when
    all are there, else the full-year figure, else the parts present. Spans never count, nor
    rows without a rate."""
    inv = inv[(inv["period_kind"] != "span") & inv["rate"].notna()].copy()
    end_year, end_month = inv["period_end"] // 100, inv["period_end"] % 100
    ye = inv["period_year_end"]
    inv["window"] = (end_year + (end_month > ye).astype(int)) * 100 + ye
    key = ["company", "category", "window"]
    is_year = (inv["period_kind"] == "year").to_numpy()
    quarters = inv[inv["period_kind"] == "quarter"].groupby(key)["period_start"].nunique()
    idx = inv.set_index(key).index
    complete = idx.isin(quarters[quarters == 4].index)
    has_year = idx.isin(inv[is_year].groupby(key).size().index)
    use_parts = complete | ~has_year
    return inv[(use_parts & ~is_year) | (~use_parts & is_year)]


def summary(db: str) -> dict[str, object]:
    """The figures `capex-gui summary --json` prints (USD), computed with pandas."""
    con = _connect(db)
    inv, orders = _investments(con), _orders(con)
    counted = _counted_spend(inv)
    spend = counted.groupby(["company", "year", "category", "region"])["usd"].sum().reset_index()
    totals = counted.groupby(["company", "year"])["usd"].sum().reset_index()
    yearly = orders[orders["period_kind"] != "span"]
    valued = yearly[yearly["usd"].notna()]
    by_value = valued.groupby(["company", "year", "supplier"])["usd"].sum()
    by_units = (
        yearly[yearly["units"].notna()].groupby(["company", "year", "supplier"])["units"].sum()
    )
    shares = []
    for metric, series in (("value", by_value), ("units", by_units)):
        share = series / series.groupby(level=[0, 1]).transform("sum")
        for (company, year, supplier), value in share.items():
            shares.append(
                {
                    "company": company,
                    "year": int(year),
                    "metric": metric,
                    "supplier": supplier,
                    "share": round(float(value), 6),
                }
            )
    valued = valued.assign(home=valued["buyer"] == valued["maker"])
    domestic = (
        valued[valued["home"]].groupby(["company", "year"])["usd"].sum()
        / valued.groupby(["company", "year"])["usd"].sum()
    ).fillna(0)
    excluded = [
        *({"table": "investments", "id": int(i)} for i in inv.loc[inv["rate"].isna(), "id"]),
        *({"table": "chip_orders", "id": int(i)} for i in orders.loc[orders["usd"].isna(), "id"]),
        *({"table": "chip_orders", "id": int(i)} for i in orders.loc[orders["units"].isna(), "id"]),
    ]
    return {
        "currency": "USD",
        "spend": [
            {
                "company": r.company,
                "year": int(r.year),
                "category": r.category,
                "region": r.region,
                "amount": f"{r.usd:.2f}",
            }
            for r in spend.itertuples()
        ],
        "totals": [
            {"company": r.company, "year": int(r.year), "amount": f"{r.usd:.2f}"}
            for r in totals.itertuples()
        ],
        "supplier_shares": shares,
        "domestic_share": [
            {"company": c, "year": int(y), "metric": "value", "share": round(float(v), 6)}
            for (c, y), v in domestic.items()
        ],
        "excluded": excluded,
    }


def chart(kind: str, db: str, out: str) -> None:
    """A chart comparable to `capex-gui export-chart --chart KIND`, drawn with matplotlib."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    con = _connect(db)
    fig, ax = plt.subplots(figsize=(19.2, 10.8), dpi=100)
    if kind == "spend":
        counted = _counted_spend(_investments(con))
        table = counted.pivot_table(
            index=["company", "year"], columns="category", values="usd", aggfunc="sum"
        ).fillna(0)
        table.plot.bar(stacked=True, ax=ax, width=0.66)
        ax.set_title("Spend by company and year, by category (USD)")
    elif kind == "suppliers":
        orders = _orders(con)
        orders = orders[(orders["period_kind"] != "span") & orders["usd"].notna()]
        latest = int(orders["year"].max())
        shares = orders[orders["year"] == latest].groupby("supplier")["usd"].sum()
        ax.pie(shares, labels=shares.index, autopct="%1.0f%%")
        ax.set_title(f"Supplier shares {latest}, all companies, by value")
    else:
        counted = _counted_spend(_investments(con))
        orders = _orders(con)
        latest = int(counted["year"].max())
        spend = counted[counted["year"] == latest].groupby("company")["usd"].sum()
        units = orders[orders["year"] == latest].groupby("company")["units"].sum()
        both = pd.DataFrame({"spend (USD)": spend, "chips ordered": units}).fillna(0)
        both.plot.bar(ax=ax, secondary_y="chips ordered")
        ax.set_title(f"Companies compared, {latest}")
    fig.text(0.01, 0.01, "Source: synthetic data", fontsize=9)
    fig.savefig(out)
    plt.close(fig)


def main(argv: list[str]) -> int:
    """Dispatch."""
    if argv[:1] == ["summary"]:
        print(json.dumps(summary(argv[1]), indent=2))
        return 0
    if argv[:1] == ["chart"]:
        chart(argv[1], argv[2], argv[3])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
