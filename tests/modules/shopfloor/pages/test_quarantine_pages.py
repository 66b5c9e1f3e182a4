"""The quarantine page: list with filters, payloads, fix and discard through the service."""

from __future__ import annotations

import re

from loom.kernel.web.i18n import LOCALE_COOKIE
from loom.testing.factory import Factory
from tests.modules.shopfloor.figures_seed import API, PAGES, quarantine_entries, seed_figures
from tests.modules.shopfloor.pages.test_dashboard_pages import zh


def _row_ids(text: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="quarantine-row" data-id="(\d+)"', text)]


def test_list_filters_and_payloads_in_chinese(factory: Factory) -> None:
    s = seed_figures(factory)
    e = quarantine_entries(factory, s)
    text = s.client.get(f"{PAGES}/quarantine").text
    assert zh("Quarantined scans") in text
    assert _row_ids(text) == [e["bundle"], e["operator"], e["malformed"]]  # newest first
    assert zh("Unknown operator badge") in text
    assert zh("Malformed scan") in text
    assert "&#34;operator&#34;: &#34;X99&#34;" in text  # the payload as received, escaped
    assert "2026-03-12 10:01" in text  # received 02:01 UTC, shown on the factory's clock
    assert text.count('data-testid="fix-form"') == 2  # the malformed entry holds no event
    assert text.count('data-testid="discard-form"') == 3
    assert f'data-confirm="{zh("Discard this scan for good? It will never count.")}"' in text
    only = s.client.get(f"{PAGES}/quarantine?reason=unknown_bundle").text
    assert _row_ids(only) == [e["bundle"]]
    assert zh("No quarantined scans here.") in s.client.get(f"{PAGES}/quarantine?status=fixed").text


def test_list_in_english(factory: Factory) -> None:
    s = seed_figures(factory)
    quarantine_entries(factory, s)
    s.client.cookies.set(LOCALE_COOKIE, "en")
    text = s.client.get(f"{PAGES}/quarantine").text
    assert "Quarantined scans" in text
    assert "Unknown operator badge" in text
    assert zh("Quarantined scans") not in text


def test_fix_applies_the_scan_and_moves_the_pay(factory: Factory) -> None:
    s = seed_figures(factory)
    e = quarantine_entries(factory, s)
    w2 = s.ids["W2"]
    before = s.client.get(f"{API}/operators/{w2}/pay?month=2026-03").json()["totals"]["pay_e4"]
    done = s.client.post(
        f"{PAGES}/quarantine/{e['operator']}/fix",
        data={"bundle_no": "", "operation_id": "", "operator_code": "W2"},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"{PAGES}/quarantine?status=open&done=fixed"
    after = s.client.get(f"{API}/operators/{w2}/pay?month=2026-03").json()
    # figures_seed.quarantine_entries: 4 pieces of OP-040 at 0.1000 on local 03-12
    assert after["totals"]["pay_e4"] - before == 4_000
    assert [d["pay"] for d in after["days"] if d["day"] == "2026-03-12"] == ["0.40"]
    listed = s.client.get(f"{PAGES}/quarantine?status=fixed").text
    assert _row_ids(listed) == [e["operator"]]
    assert zh("Fixed and applied") in listed


def test_a_fix_still_wrong_names_the_field_and_changes_nothing(factory: Factory) -> None:
    s = seed_figures(factory)
    e = quarantine_entries(factory, s)
    refused = s.client.post(f"{PAGES}/quarantine/{e['bundle']}/fix", data={"bundle_no": "998"})
    assert refused.status_code == 422
    assert 'data-field="bundle_no"' in refused.text
    typo = s.client.post(f"{PAGES}/quarantine/{e['bundle']}/fix", data={"bundle_no": "12a"})
    assert typo.status_code == 422
    assert zh("%(field)s: a whole number from 1 is required", field="bundle_no") in typo.text
    # the malformed entry holds no stored event: the service refuses, the page says why
    nothing = s.client.post(f"{PAGES}/quarantine/{e['malformed']}/fix", data={"bundle_no": "1"})
    assert nothing.status_code == 409
    assert 'data-testid="fix-error"' in nothing.text
    entry = s.client.get(f"{API}/quarantine/{e['bundle']}").json()
    assert entry["status"] == "open"


def test_discard_sets_the_scan_aside(factory: Factory) -> None:
    s = seed_figures(factory)
    e = quarantine_entries(factory, s)
    gone = s.client.post(
        f"{PAGES}/quarantine/{e['malformed']}/discard",
        data={"reason": "malformed"},
        follow_redirects=False,
    )
    assert gone.status_code == 303
    assert (
        gone.headers["location"]
        == f"{PAGES}/quarantine?status=open&done=discarded&reason=malformed"
    )
    assert zh("The scan was discarded.") in s.client.get(gone.headers["location"]).text
    assert _row_ids(s.client.get(f"{PAGES}/quarantine?status=discarded").text) == [e["malformed"]]
    again = s.client.post(f"{PAGES}/quarantine/{e['malformed']}/discard", data={})
    assert again.status_code == 409  # already discarded: said, not done twice
