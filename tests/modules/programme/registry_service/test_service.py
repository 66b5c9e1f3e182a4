"""Registry service rules: sheet-consistent fields, unique codes, links, levels, imports."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from loom.kernel.errors import Conflict, NotFound, ValidationFailed
from loom.kernel.tenancy.models import OrgKind
from loom.modules.programme.models import Enterprise, PilotApplication, Project
from loom.modules.programme.service import registry as svc
from loom.testing.factory import Factory
from tests.modules.programme.registry import good_row
from tests.modules.programme.registry_service import as_bureau, audit_actions, body, code

TODAY = date(2026, 3, 10)


def test_an_entry_holds_what_the_sheet_row_would(factory: Factory) -> None:
    district = factory.org("haishu", OrgKind.BUREAU)
    with as_bureau(factory, district) as (db, scope):
        # sheet spellings are accepted as in the import: Chinese labels, 是/否, a spaced phone
        entry = svc.create(
            db,
            scope,
            body(1, sector="运动休闲服装", size="规上", cloud="是", contact_phone="138 0574 0000"),
        )
        assert svc.as_row(entry) == good_row(1)
    assert audit_actions(factory, district) == ["programme.enterprise.created"]


def test_every_bad_field_is_named_in_one_refusal(factory: Factory) -> None:
    district = factory.org("haishu", OrgKind.BUREAU)
    bad = body(1, credit_code=code(1)[:17] + "0", town="西湖区", employees=-1, name=" ")
    with as_bureau(factory, district) as (db, scope), pytest.raises(ValidationFailed) as caught:
        svc.create(db, scope, bad)
    fields = [d["field"] for d in caught.value.details]
    assert fields == ["name", "credit_code", "town", "employees"]  # the sheet's column order
    messages = {d["field"]: d["message"] for d in caught.value.details}
    # the check character of code(1) is its 18th; "0" is wrong for it (see test_creditcode)
    assert messages["credit_code"] == f"credit_code: 第 18 位校验码应为 {code(1)[17]}，现在是 0"
    assert messages["employees"] == "employees: 不能为负数"
    assert messages["name"] == "name: 必填，不能为空"
    assert caught.value.message == "check these fields: name, credit_code, town, employees"


def test_a_code_is_registered_once_per_registry(factory: Factory) -> None:
    district = factory.org("haishu", OrgKind.BUREAU)
    other = factory.org("yinzhou", OrgKind.BUREAU)
    with as_bureau(factory, district) as (db, scope):
        svc.create(db, scope, body(1))
        with pytest.raises(Conflict) as caught:
            svc.create(db, scope, body(2, credit_code=code(1).lower()))
        assert caught.value.field == "credit_code"
        assert "宁波第1服饰有限公司" in caught.value.message
    with as_bureau(factory, other) as (db, scope):
        # another district's registry is its own: the same legal person may be in both
        svc.create(db, scope, body(1))


def test_update_changes_some_fields_and_checks_the_whole(factory: Factory) -> None:
    district = factory.org("haishu", OrgKind.BUREAU)
    with as_bureau(factory, district) as (db, scope):
        first = svc.create(db, scope, body(1))
        second = svc.create(db, scope, body(2))
        svc.update(db, scope, first.id, {"employees": 250, "cloud": False})
        assert (first.employees, first.cloud, first.town) == (250, False, "集士港镇")
        with pytest.raises(Conflict):
            svc.update(db, scope, first.id, {"credit_code": second.credit_code})
        with pytest.raises(ValidationFailed) as caught:
            svc.update(db, scope, first.id, {"revenue_wan": "12.345"})
        assert caught.value.details == [
            {"field": "revenue_wan", "message": "revenue_wan: 最多保留两位小数"}
        ]
    assert audit_actions(factory, district)[-1] == "programme.enterprise.updated"


def test_delete_is_refused_while_an_application_refers_to_the_entry(factory: Factory) -> None:
    district = factory.org("haishu", OrgKind.BUREAU)
    with as_bureau(factory, district) as (db, scope):
        kept = svc.create(db, scope, body(1))
        gone = svc.create(db, scope, body(2))
        db.add(PilotApplication(org_id=district.id, enterprise_id=kept.id, sector="apparel"))
        db.flush()
        with pytest.raises(Conflict) as caught:
            svc.delete(db, scope, kept.id)
        assert caught.value.params == {
            "name": "宁波第1服饰有限公司",
            "applications": 1,
            "projects": 0,
            "needs": 0,
        }
        svc.delete(db, scope, gone.id)
        assert db.scalar(select(func.count()).select_from(Enterprise)) == 1
    assert audit_actions(factory, district)[-1] == "programme.enterprise.deleted"


def test_link_needs_a_free_enterprise_organisation_and_reaches_the_project(
    factory: Factory,
) -> None:
    district = factory.org("haishu", OrgKind.BUREAU)
    factory_org = factory.org("yongfeng", OrgKind.ENTERPRISE)
    contractor = factory.org("kepu", OrgKind.CONTRACTOR)
    with as_bureau(factory, district) as (db, scope):
        entry = svc.create(db, scope, body(1))
        other = svc.create(db, scope, body(2))
        application = PilotApplication(org_id=district.id, enterprise_id=entry.id, sector="apparel")
        db.add(application)
        project = Project(
            org_id=district.id, enterprise_id=entry.id, title="改造", sector="apparel", batch="1"
        )
        db.add(project)
        db.flush()
        with pytest.raises(ValidationFailed) as wrong_kind:
            svc.link(db, scope, entry.id, contractor.id)
        assert wrong_kind.value.field == "org_id"
        assert [o.id for o in svc.linkable_organisations(db, scope, entry)] == [factory_org.id]

        svc.link(db, scope, entry.id, factory_org.id)
        assert (application.enterprise_org_id, project.enterprise_org_id) == (factory_org.id,) * 2
        with pytest.raises(Conflict) as taken:
            svc.link(db, scope, other.id, factory_org.id)
        assert taken.value.field == "org_id"
        assert svc.linkable_organisations(db, scope, other) == []

        svc.unlink(db, scope, entry.id)
        assert (entry.enterprise_org_id, project.enterprise_org_id) == (None, None)
    actions = audit_actions(factory, district)
    assert actions[-2:] == ["programme.enterprise.linked", "programme.enterprise.unlinked"]


def test_a_recorded_level_keeps_the_latest_known(factory: Factory) -> None:
    district = factory.org("haishu", OrgKind.BUREAU)
    with as_bureau(factory, district) as (db, scope):
        entry = svc.create(db, scope, body(1))
        svc.record_level(db, scope, entry.id, level=2, assessed_on=date(2026, 1, 5), today=TODAY)
        assert (entry.digital_level, entry.level_source, entry.level_on) == (
            2,
            "recorded",
            date(2026, 1, 5),
        )
        with pytest.raises(Conflict) as older:
            svc.record_level(
                db, scope, entry.id, level=1, assessed_on=date(2025, 12, 1), today=TODAY
            )
        assert older.value.field == "assessed_on"
        with pytest.raises(ValidationFailed) as future:
            svc.record_level(
                db, scope, entry.id, level=3, assessed_on=date(2026, 3, 11), today=TODAY
            )
        assert future.value.field == "assessed_on"
        with pytest.raises(ValidationFailed) as too_high:
            svc.record_level(db, scope, entry.id, level=5, assessed_on=TODAY, today=TODAY)
        assert too_high.value.field == "level"
        assert entry.digital_level == 2


def test_smart_factory_date_is_set_and_cleared(factory: Factory) -> None:
    district = factory.org("haishu", OrgKind.BUREAU)
    with as_bureau(factory, district) as (db, scope):
        entry = svc.create(db, scope, body(1))
        svc.mark_smart_factory(db, scope, entry.id, date(2025, 11, 20), today=TODAY)
        assert entry.smart_factory_on == date(2025, 11, 20)
        with pytest.raises(ValidationFailed):
            svc.mark_smart_factory(db, scope, entry.id, date(2026, 4, 1), today=TODAY)
        svc.mark_smart_factory(db, scope, entry.id, None, today=TODAY)
        assert entry.smart_factory_on is None
    assert audit_actions(factory, district).count("programme.enterprise.smart_factory_marked") == 2


def test_import_rows_adds_all_or_nothing_with_one_summary_event(factory: Factory) -> None:
    district = factory.org("haishu", OrgKind.BUREAU)
    with as_bureau(factory, district) as (db, scope):
        svc.create(db, scope, body(3))
    rows = [good_row(1), good_row(2), good_row(3)]
    with as_bureau(factory, district) as (db, scope), pytest.raises(Conflict) as caught:
        svc.import_rows(db, scope, rows)
    assert caught.value.params == {"codes": code(3)}
    with as_bureau(factory, district) as (db, scope):
        assert svc.existing_codes(db, scope) == {code(3)}
        created = svc.import_rows(db, scope, rows[:2], source="abc")
        assert [e.name for e in created] == ["宁波第1服饰有限公司", "宁波第2服饰有限公司"]
        assert svc.existing_codes(db, scope) == {code(1), code(2), code(3)}
        assert created[1].revenue_wan == Decimal("2502.50")
    assert audit_actions(factory, district) == [
        "programme.enterprise.created",
        "programme.enterprise.imported",
    ]


def test_another_registry_entry_is_not_found(factory: Factory) -> None:
    district = factory.org("haishu", OrgKind.BUREAU)
    rival = factory.org("yinzhou", OrgKind.BUREAU)
    with as_bureau(factory, district) as (db, scope):
        entry_id = svc.create(db, scope, body(1)).id
    with as_bureau(factory, rival) as (db, scope):
        for attempt in (
            lambda: svc.get(db, scope, entry_id),
            lambda: svc.update(db, scope, entry_id, {"employees": 1}),
            lambda: svc.delete(db, scope, entry_id),
            lambda: svc.unlink(db, scope, entry_id),
        ):
            with pytest.raises(NotFound):
                attempt()


def test_rows_round_trip_through_the_entry(factory: Factory) -> None:
    district = factory.org("haishu", OrgKind.BUREAU)
    row = replace(good_row(4), contact_phone="", sub_sector="")
    with as_bureau(factory, district) as (db, scope):
        (entry,) = svc.import_rows(db, scope, [row])
        assert svc.rows_of([entry]) == [row]
