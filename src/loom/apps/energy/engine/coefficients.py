"""Energy kinds, their units and their standard-coal coefficients (GB/T 2589-2020).

Coefficients are kilograms of standard coal equivalent (kgce) per unit of the kind. One kgce
is 29,307.6 kJ of low calorific value (7,000 kcal). The values below are the reference values
of GB/T 2589-2020 《综合能耗计算通则》 appendix A (and of its 2008 predecessor, which the 2020
edition keeps for these kinds); ``docs/energy.md`` lists them with their sources and explains
the choices an enterprise may change in the app's settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

#: kJ in one kgce (GB/T 2589-2020 §3: 1 kgce = 29 307.6 kJ)
KJ_PER_KGCE = Decimal("29307.6")


@dataclass(frozen=True)
class Kind:
    """One kind of energy (or water) a meter measures."""

    key: str
    unit: str
    #: kgce per unit; ``None`` where the enterprise's settings decide (electricity, gas, steam)
    kgce: Decimal | None
    #: whether the kind is energy in GB/T 2589 (water is an energy-consuming medium, not energy)
    energy: bool = True


KINDS: dict[str, Kind] = {
    "electricity": Kind("electricity", "kWh", None),
    "natural_gas": Kind("natural_gas", "m³", None),
    "steam": Kind("steam", "t", None),
    # GB/T 2589-2020 appendix A: diesel 42 652 kJ/kg, LPG 50 179 kJ/kg, gasoline 43 070 kJ/kg
    "diesel": Kind("diesel", "kg", Decimal("1.4571")),
    "lpg": Kind("lpg", "kg", Decimal("1.7143")),
    "gasoline": Kind("gasoline", "kg", Decimal("1.4714")),
    # purchased heat (hot water) by its heat content: 1 MJ / 29.3076 MJ per kgce
    "heat": Kind("heat", "GJ", Decimal("34.12")),
    # 新水 (fresh water) as an energy-consuming medium: 2.51 MJ/t (GB/T 2589-2008 appendix B)
    "water": Kind("water", "t", Decimal("0.0857"), energy=False),
}

#: electricity's equivalent value (当量值): 3 600 kJ/kWh ÷ 29 307.6 kJ/kgce, as the standard rounds
ELECTRICITY_EQUIVALENT = Decimal("0.1229")
#: electricity's equal value (等价值): the national average coal used per kWh supplied by thermal
#: power plants; 300.7 gce/kWh for 2022 (China Electricity Council). Enterprises set the year's.
ELECTRICITY_EQUAL_DEFAULT = Decimal("0.3007")
#: natural gas: the standard gives 1.1000–1.3300 kgce/m³; 1.2143 is the gas-field reference value
#: (35 544 kJ/m³) used by energy statistics unless the supplier's calorific value is known
NATURAL_GAS_DEFAULT = Decimal("1.2143")
NATURAL_GAS_RANGE = (Decimal("1.1000"), Decimal("1.3300"))
#: low-pressure steam: 3 763 MJ/t, the standard's reference (0.1286 kgce/kg = 128.6 kgce/t)
STEAM_DEFAULT = Decimal("128.6")


@dataclass(frozen=True)
class Coefficients:
    """The kgce per unit an enterprise converts with, by kind."""

    electricity: Decimal = ELECTRICITY_EQUIVALENT
    natural_gas: Decimal = NATURAL_GAS_DEFAULT
    steam: Decimal = STEAM_DEFAULT
    #: count water in the total (off by default: GB/T 2589 does not count purchased water)
    include_water: bool = False

    def kgce_per_unit(self, kind: str) -> Decimal:
        """Return the kgce one unit of ``kind`` is worth."""
        chosen = {
            "electricity": self.electricity,
            "natural_gas": self.natural_gas,
            "steam": self.steam,
        }
        if kind in chosen:
            return chosen[kind]
        fixed = KINDS[kind].kgce
        if fixed is None:  # every kind without a fixed value is listed above
            raise KeyError(kind)
        return fixed

    def counted(self, kind: str) -> bool:
        """Return whether ``kind`` counts in the comprehensive energy consumption."""
        return KINDS[kind].energy or self.include_water


def steam_kgce_per_t(enthalpy_kj_per_kg: Decimal) -> Decimal:
    """Return kgce per tonne of steam of a given enthalpy (the standard's enthalpy method)."""
    return enthalpy_kj_per_kg * 1000 / KJ_PER_KGCE


def to_kgce(amount: Decimal, kind: str, coefficients: Coefficients) -> Decimal:
    """Return the kgce of ``amount`` units of ``kind``."""
    return amount * coefficients.kgce_per_unit(kind)


def to_tce(amount: Decimal, kind: str, coefficients: Coefficients) -> Decimal:
    """Return the tonnes of standard coal equivalent of ``amount`` units of ``kind``."""
    return to_kgce(amount, kind, coefficients) / 1000
