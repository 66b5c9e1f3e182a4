"""The registry sheet downloads are documented as workbooks (the fuzzer found JSON claimed)."""

from __future__ import annotations

from loom.testing.factory import Factory
from tests.modules.programme.registry_service import API, XLSX, bureau

DOWNLOADS = [("get", "/export.xlsx"), ("get", "/template.xlsx"), ("post", "/import/errors.xlsx")]


def test_sheet_downloads_document_the_workbook_they_send(factory: Factory) -> None:
    _org, client = bureau(factory)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for method, path in DOWNLOADS:
        content = paths[API + path][method]["responses"]["200"]["content"]
        assert list(content) == [XLSX], (method, path)
    for path in ("/export.xlsx", "/template.xlsx"):
        response = client.get(API + path)
        assert response.status_code == 200
        assert response.headers["content-type"] == XLSX
