"""Component ``price_basis``: a deflator parameter, a price index and comparable twins.

Expands into parameter ``deflator`` [%/年, price rise], indicator ``price_index``
[基期 = 100] and, for each listed nominal indicator ``X``, ``X_comparable`` (可比价,
``price_basis: comparable``) = X / price_index × 100. Growth targets stated at
comparable prices go on ``X_comparable``; the audit pairs them with level targets
on ``X`` and compares like with like.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from .._prebuilt import Prebuilt
from . import Component
from ._common import Knob

__all__ = ["PriceBasis", "Nominal"]


class Nominal(Prebuilt):
    """A nominal indicator that gets a comparable-price twin."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    name_zh: str
    unit: str = "亿元"


class PriceBasis(Component):
    """Declares nominal levels and comparable growth, linked by a deflator.

    Attributes
    ----------
    deflator : Knob
        Yearly price rise [%].
    base_year : int, optional
        Price base year (index = 100); default the scenario's base year.
    indicators : list of Nominal
        Nominal indicators to twin.
    """

    kind: Literal["price_basis"]
    deflator: Knob
    base_year: int | None = None
    indicators: list[Nominal] = Field(min_length=1)

    def links(self) -> dict:
        """Map each comparable twin id → (nominal id, price index id)."""
        return {f"{i.id}_comparable": (i.id, "price_index") for i in self.indicators}

    def expand(self, meta, view=None):
        """Scenario entries this component stands for (see :meth:`Component.expand`)."""
        y0 = int(self.base_year or meta.get("base_year", 2020))
        inds = [
            {
                "id": "price_index",
                "name_zh": f"价格指数（{y0}年=100）",
                "name_en": f"Price index ({y0}=100)",
                "unit": "%",
                "category": "经济发展",
                "base": {"year": y0, "value": 100},
                "rule": {"kind": "growth", "rate": "deflator"},
            }
        ]
        for i in self.indicators:
            inds.append(
                {
                    "id": f"{i.id}_comparable",
                    "name_zh": f"{i.name_zh}（{y0}年可比价）",
                    "name_en": f"{i.id} at {y0} prices",
                    "unit": i.unit,
                    "category": "经济发展",
                    "price_basis": "comparable",
                    "rule": {"kind": "formula", "expr": f"{i.id} / price_index * 100"},
                }
            )
        return {
            "parameters": [
                self.deflator.parameter("deflator", "价格指数年均涨幅", "%", "Price rise a year")
            ],
            "indicators": inds,
        }
