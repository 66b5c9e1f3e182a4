"""The import page: "imported N", or every error with the marked-up sheet to download."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import openpyxl
from fastapi import FastAPI

from loom.kernel.tenancy.models import Role
from loom.modules.programme.registry import messages as msg
from loom.testing.factory import Factory
from tests.modules.programme.registry_service import (
    API,
    PAGES,
    XLSX,
    bureau,
    code,
    good_values,
    upload,
    workbook,
    zh,
)

BAD = [good_values(1), good_values(2), [*good_values(3)[:6], "many", *good_values(3)[7:]]]


def _imports(app: FastAPI) -> Path:
    return Path(app.state.loom.settings.data_dir) / "programme" / "imports"


def test_a_clean_upload_imports_and_says_how_many(factory: Factory) -> None:
    _district, client = bureau(factory)
    page = client.get(f"{PAGES}/import")
    assert page.status_code == 200
    assert zh("Import enterprises from Excel") in page.text
    done = upload(client, workbook([good_values(1), good_values(2)]), f"{PAGES}/import")
    assert done.status_code == 200  # followed the redirect to the list
    assert str(done.url).endswith("/apps/programme/registry?imported=2")
    assert zh("Imported %(num)s enterprises.", num=2) in done.text
    assert client.get(API).json()["total"] == 2


def test_a_bad_upload_lists_every_error_and_offers_the_marked_sheet(
    factory: Factory, loom_app: FastAPI
) -> None:
    district, client = bureau(factory)
    refused = upload(client, workbook(BAD), f"{PAGES}/import")
    assert refused.status_code == 422
    assert client.get(API).json()["total"] == 0
    # one problem: row 4 (the third data row), employees "many"
    announced = zh(
        "%(num)s problem in %(name)s; nothing was imported.", num=1, name="企业名录.xlsx"
    )
    assert announced in refused.text
    assert '<td class="num">4</td><td>员工人数</td><td>应为整数，现在是“many”</td>' in refused.text
    link = refused.text.split('href="', refused.text.count('href="'))  # noqa: F841 - kept simple
    token = refused.text.split("/apps/programme/registry/import/errors/", 1)[1].split(".xlsx", 1)[0]
    sheet = client.get(f"{PAGES}/import/errors/{token}.xlsx")
    assert sheet.status_code == 200
    assert sheet.headers["content-type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    assert [r[:2] for r in book[msg.ERROR_SHEET].iter_rows(min_row=3, values_only=True)] == [
        (4, "员工人数")
    ]
    stored = list(_imports(loom_app).glob("*/*.xlsx"))
    assert [p.name for p in stored] == [f"{token}.xlsx"]

    # a colleague of the same bureau cannot fetch it, nor can a made-up or odd token
    factory.user("deputy", (district, Role.MANAGER))
    deputy = factory.client("deputy")
    assert deputy.get(f"{PAGES}/import/errors/{token}.xlsx").status_code == 404
    assert client.get(f"{PAGES}/import/errors/{'x' * 24}.xlsx").status_code == 404
    assert client.get(f"{PAGES}/import/errors/..%2F..%2Fsecret.xlsx").status_code == 404

    # the next refused upload replaces it: one workbook per user
    again = upload(client, workbook(BAD), f"{PAGES}/import")
    newer = again.text.split("/apps/programme/registry/import/errors/", 1)[1].split(".xlsx", 1)[0]
    assert newer != token
    assert client.get(f"{PAGES}/import/errors/{token}.xlsx").status_code == 404
    assert [p.name for p in _imports(loom_app).glob("*/*.xlsx")] == [f"{newer}.xlsx"]


def test_an_old_error_sheet_has_expired(factory: Factory, loom_app: FastAPI) -> None:
    _district, client = bureau(factory)
    refused = upload(client, workbook(BAD), f"{PAGES}/import")
    token = refused.text.split("/apps/programme/registry/import/errors/", 1)[1].split(".xlsx", 1)[0]
    (path,) = _imports(loom_app).glob(f"*/{token}.xlsx")
    hour_ago = time.time() - 3601
    os.utime(path, (hour_ago, hour_ago))
    gone = client.get(f"{PAGES}/import/errors/{token}.xlsx")
    assert gone.status_code == 404
    assert zh("this error sheet has expired; upload the file again") in gone.text
    assert not path.exists()


def test_an_unreadable_file_is_refused_in_words(factory: Factory) -> None:
    _district, client = bureau(factory)
    refused = upload(client, b"\xd0\xcf\x11\xe0 an old .xls", f"{PAGES}/import")
    assert refused.status_code == 422
    assert msg.NOT_XLSX in refused.text
    assert zh("The file %(name)s cannot be imported:", name="企业名录.xlsx") in refused.text
    empty = upload(client, workbook([]), f"{PAGES}/import")
    assert empty.status_code == 422
    assert zh("file: the sheet holds no enterprise") in empty.text


def test_viewers_cannot_import(factory: Factory) -> None:
    district, _client = bureau(factory)
    factory.user("clerk", (district, Role.VIEWER))
    clerk = factory.client("clerk")
    assert clerk.get(f"{PAGES}/import").status_code == 403
    assert upload(clerk, workbook([good_values(1)]), f"{PAGES}/import").status_code == 403
    assert code(1) not in clerk.get(PAGES).text
