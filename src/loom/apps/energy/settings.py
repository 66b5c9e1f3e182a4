"""The energy app's per-enterprise settings: coefficients and the periods R1 compares."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy.orm import Session

from loom.apps.energy.engine.coefficients import (
    ELECTRICITY_EQUAL_DEFAULT,
    ELECTRICITY_EQUIVALENT,
    NATURAL_GAS_DEFAULT,
    NATURAL_GAS_RANGE,
    STEAM_DEFAULT,
    Coefficients,
)
from loom.kernel.plugins.enablement import stored_settings

SLUG = "energy"
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class EnergySettings(BaseModel):
    """Coefficients an enterprise converts with, and the two periods R1 compares."""

    model_config = ConfigDict(extra="forbid")

    #: "equivalent" (当量值, 0.1229 kgce/kWh) or "equal" (等价值, coal used per kWh supplied)
    electricity_basis: Literal["equivalent", "equal"] = "equivalent"
    electricity_equal_kgce: Decimal = Field(
        default=ELECTRICITY_EQUAL_DEFAULT, ge=Decimal("0.2"), le=Decimal("0.5")
    )
    natural_gas_kgce: Decimal = Field(
        default=NATURAL_GAS_DEFAULT, ge=NATURAL_GAS_RANGE[0], le=NATURAL_GAS_RANGE[1]
    )
    steam_kgce_per_t: Decimal = Field(default=STEAM_DEFAULT, ge=Decimal(50), le=Decimal(200))
    include_water: bool = False
    #: months "YYYY-MM"; blank means the default (the year before last against last year)
    before_from: str = ""
    before_to: str = ""
    after_from: str = ""
    after_to: str = ""

    @field_validator("before_from", "before_to", "after_from", "after_to")
    @classmethod
    def _month(cls, value: str) -> str:
        text = value.strip()
        if text and not MONTH.match(text):
            raise ValueError("a month such as 2025-01 is expected")
        return text

    @model_validator(mode="after")
    def _ordered(self) -> EnergySettings:
        for start, end in (("before_from", "before_to"), ("after_from", "after_to")):
            first, last = getattr(self, start), getattr(self, end)
            if bool(first) != bool(last):
                raise ValueError(f"{start} and {end} go together")
            if first and first > last:
                raise ValueError(f"{end} is before {start}")
        return self

    def coefficients(self) -> Coefficients:
        """Return the coefficients these settings choose."""
        electricity = (
            ELECTRICITY_EQUIVALENT
            if self.electricity_basis == "equivalent"
            else self.electricity_equal_kgce
        )
        return Coefficients(
            electricity=electricity,
            natural_gas=self.natural_gas_kgce,
            steam=self.steam_kgce_per_t,
            include_water=self.include_water,
        )

    def periods(self, today: date) -> tuple[tuple[date, date], tuple[date, date]]:
        """Return (before, after) as (first month, last month); defaults to whole years."""
        if self.before_from and self.after_from:
            return (
                (_month(self.before_from), _month(self.before_to)),
                (_month(self.after_from), _month(self.after_to)),
            )
        # R1's form asks for last year's and the year before's figures
        last, previous = today.year - 1, today.year - 2
        return (
            (date(previous, 1, 1), date(previous, 12, 1)),
            (date(last, 1, 1), date(last, 12, 1)),
        )


def _month(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def load_settings(session: Session, org_id: int) -> EnergySettings:
    """Return an enterprise's energy settings (defaults when it never saved any)."""
    # the transaction's enablement rows, which the request's app check has read already
    return EnergySettings.model_validate(stored_settings(session, org_id, SLUG))
