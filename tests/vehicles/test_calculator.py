from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import translation

from core.errors import DomainError
from vehicles.calculator import (
    CalculatorInputs,
    calculate_price_per_km,
    calculation_record,
    check_rounded_price,
)

D = Decimal

# The issue's case: insurance 600, test 80, maintenance 400, tyres 150, tax 0, assistance 50,
# 6 L/100 km at 1.85 €/L, 9,000 € over 150,000 km, 6,000 own km + 4,000 shared km.
ISSUE_CASE = CalculatorInputs(
    insurance=D("600"),
    roadworthiness_test=D("80"),
    maintenance=D("400"),
    tyres=D("150"),
    tax=D("0"),
    assistance=D("50"),
    fuel_included=True,
    consumption_per_100km=D("6"),
    energy_price=D("1.85"),
    purchase_value=D("9000"),
    depreciation_km=D("150000"),
    own_km=D("6000"),
    shared_km=D("4000"),
)


def test_the_issue_case_gives_0_299_per_km():
    result = calculate_price_per_km(ISSUE_CASE)
    # 6 × 1.85 / 100 = 0.111; 1,280 / 10,000 = 0.128; 9,000 / 150,000 = 0.060
    assert result.fuel_per_km == D("0.111")
    assert result.fixed_costs_per_km == D("0.128")
    assert result.depreciation_per_km == D("0.060")
    assert result.total_per_km == D("0.299")
    assert str(result.depreciation_per_km) == "0.060"  # three decimals kept


def test_fuel_not_included_has_no_fuel_part():
    result = calculate_price_per_km(replace(ISSUE_CASE, fuel_included=False))
    assert result.fuel_per_km == D("0.000")
    assert result.total_per_km == D("0.188")  # 0.128 + 0.060


def test_electric_consumption_in_kwh_per_100_km():
    # 17 kWh/100 km at 0.2516 €/kWh = 0.042772 → 0.043 €/km
    electric = replace(ISSUE_CASE, consumption_per_100km=D("17"), energy_price=D("0.2516"))
    result = calculate_price_per_km(electric)
    assert result.fuel_per_km == D("0.043")
    assert result.total_per_km == D("0.231")  # 0.043 + 0.128 + 0.060


def test_parts_are_rounded_half_up_to_the_tenth_of_a_cent():
    # fixed: 1,000 / 8,000 = 0.125 exactly; 1,001 / 8,000 = 0.125125 → 0.125;
    # 1,004 / 8,000 = 0.1255 → 0.126 (half up)
    base = replace(
        ISSUE_CASE,
        insurance=D("1004"),
        roadworthiness_test=D("0"),
        maintenance=D("0"),
        tyres=D("0"),
        assistance=D("0"),
        own_km=D("5000"),
        shared_km=D("3000"),
        purchase_value=D("0"),
        fuel_included=False,
    )
    assert calculate_price_per_km(base).fixed_costs_per_km == D("0.126")
    assert calculate_price_per_km(replace(base, insurance=D("1001"))).total_per_km == D("0.125")


def test_the_total_is_the_sum_of_the_rounded_parts():
    # fuel 5.5 × 1.789 / 100 = 0.098395 → 0.098; fixed 1,333 / 9,000 = 0.14811 → 0.148;
    # depreciation 7,777 / 180,000 = 0.043205 → 0.043; total 0.289 (the exact sum 0.2897
    # would round to 0.290, but the parts shown must add up to the price)
    inputs = replace(
        ISSUE_CASE,
        insurance=D("700"),
        roadworthiness_test=D("83"),
        maintenance=D("400"),
        tyres=D("100"),
        tax=D("0"),
        assistance=D("50"),
        consumption_per_100km=D("5.5"),
        energy_price=D("1.789"),
        purchase_value=D("7777"),
        depreciation_km=D("180000"),
        own_km=D("5000"),
        shared_km=D("4000"),
    )
    result = calculate_price_per_km(inputs)
    assert (result.fuel_per_km, result.fixed_costs_per_km, result.depreciation_per_km) == (
        D("0.098"),
        D("0.148"),
        D("0.043"),
    )
    assert result.total_per_km == D("0.289")


def test_a_fully_depreciated_car_has_no_depreciation_part_and_needs_no_km():
    result = calculate_price_per_km(
        replace(ISSUE_CASE, purchase_value=D("0"), depreciation_km=D("0"))
    )
    assert result.depreciation_per_km == D("0.000")
    assert result.total_per_km == D("0.239")


def test_zero_shared_km_is_refused_with_a_message():
    with pytest.raises(DomainError) as caught:
        calculate_price_per_km(replace(ISSUE_CASE, shared_km=D("0")))
    assert caught.value.code == "no_shared_km"
    with translation.override("fr"):
        assert "il lui faut donc des km partagés" in str(caught.value.message)


def test_a_purchase_value_without_depreciation_km_is_refused():
    with pytest.raises(DomainError) as caught:
        calculate_price_per_km(replace(ISSUE_CASE, depreciation_km=D("0")))
    assert caught.value.code == "no_depreciation_km"


def test_negative_inputs_are_refused():
    with pytest.raises(DomainError) as caught:
        calculate_price_per_km(replace(ISSUE_CASE, tyres=D("-1")))
    assert caught.value.code == "negative_input"


def test_the_owner_may_round_up_by_at_most_one_cent():
    check_rounded_price(proposed=D("0.299"), chosen=D("0.30"))
    check_rounded_price(proposed=D("0.299"), chosen=D("0.309"))
    check_rounded_price(proposed=D("0.299"), chosen=D("0.25"))  # lower is always fine
    with pytest.raises(DomainError) as caught:
        check_rounded_price(proposed=D("0.299"), chosen=D("0.310"))
    assert caught.value.code == "price_above_costs"


def test_calculation_record_is_plain_json_with_inputs_and_result():
    result = calculate_price_per_km(ISSUE_CASE)
    record = calculation_record(
        energy="petrol", inputs=ISSUE_CASE, breakdown=result, chosen=D("0.30")
    )
    assert record["method"] == "adetec"
    assert record["inputs"]["insurance"] == "600"
    assert record["inputs"]["fuel_included"] is True
    assert record["yearly_fixed_costs"] == "1280"
    assert record["expected_km"] == "10000"
    assert record["result"] == {
        "fuel_per_km": "0.111",
        "fixed_costs_per_km": "0.128",
        "depreciation_per_km": "0.060",
        "total_per_km": "0.299",
    }
    assert record["chosen_price_per_km"] == "0.30"
