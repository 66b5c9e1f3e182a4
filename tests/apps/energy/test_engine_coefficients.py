"""Standard coal: each coefficient of GB/T 2589-2020 applied to hand-computed amounts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from loom.apps.energy.engine.coefficients import (
    KJ_PER_KGCE,
    Coefficients,
    steam_kgce_per_t,
    to_kgce,
    to_tce,
)
from loom.apps.energy.settings import EnergySettings

EQUIVALENT = Coefficients()


@pytest.mark.parametrize(
    ("kind", "amount", "tce"),
    [
        # 10 000 kWh × 0.1229 kgce/kWh = 1 229 kgce = 1.229 tce (equivalent value)
        ("electricity", "10000", "1.229"),
        # 1 000 m³ × 1.2143 kgce/m³ = 1 214.3 kgce
        ("natural_gas", "1000", "1.2143"),
        # 10 t × 128.6 kgce/t (low-pressure steam, 0.1286 kgce/kg) = 1 286 kgce
        ("steam", "10", "1.286"),
        # 100 kg × 1.4571 = 145.71 kgce
        ("diesel", "100", "0.14571"),
        # 100 kg × 1.7143 = 171.43 kgce
        ("lpg", "100", "0.17143"),
        # 100 kg × 1.4714 = 147.14 kgce
        ("gasoline", "100", "0.14714"),
        # 2 GJ × 34.12 kgce/GJ = 68.24 kgce
        ("heat", "2", "0.06824"),
        # 1 000 t × 0.0857 kgce/t = 85.7 kgce (only when the enterprise counts water)
        ("water", "1000", "0.0857"),
    ],
)
def test_each_kind_converts_with_its_coefficient(kind: str, amount: str, tce: str) -> None:
    assert to_tce(Decimal(amount), kind, EQUIVALENT) == Decimal(tce)


def test_electricity_equal_value_uses_the_enterprises_figure() -> None:
    # 10 000 kWh × 0.3007 kgce/kWh (300.7 gce/kWh supplied, CEC 2022) = 3 007 kgce
    equal = EnergySettings(electricity_basis="equal").coefficients()
    assert to_kgce(Decimal(10000), "electricity", equal) == Decimal("3007.0000")
    chosen = EnergySettings(
        electricity_basis="equal", electricity_equal_kgce=Decimal("0.3")
    ).coefficients()
    assert to_tce(Decimal(10000), "electricity", chosen) == Decimal("3")


def test_the_equivalent_value_is_3600_kj_over_the_kgce() -> None:
    # 3 600 kJ/kWh ÷ 29 307.6 kJ/kgce = 0.12284 → 0.1229 as the standard rounds it up
    assert round(Decimal(3600) / KJ_PER_KGCE, 4) == Decimal("0.1228")
    assert EQUIVALENT.electricity == Decimal("0.1229")


def test_steam_by_enthalpy() -> None:
    # 2 763 kJ/kg (saturated steam at 0.6 MPa) × 1 000 kg ÷ 29 307.6 = 94.28 kgce/t
    assert round(steam_kgce_per_t(Decimal(2763)), 2) == Decimal("94.28")


def test_water_counts_only_when_chosen() -> None:
    assert not EQUIVALENT.counted("water")
    assert EQUIVALENT.counted("electricity")
    assert EnergySettings(include_water=True).coefficients().counted("water")


def test_natural_gas_outside_the_standards_range_is_refused() -> None:
    with pytest.raises(ValueError, match="natural_gas_kgce"):
        EnergySettings(natural_gas_kgce=Decimal("1.5"))
    assert EnergySettings(natural_gas_kgce=Decimal("1.33")).coefficients().natural_gas == Decimal(
        "1.33"
    )
