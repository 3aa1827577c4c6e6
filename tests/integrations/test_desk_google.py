"""A member's actions on a Google Sheet, where nothing locks the tracker: a person typing between the
action's read and its write is never written over, and two actions that read together never write
one ID twice (the sync's lease refuses the second write, which is made again afresh)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from braingain.core.tracker.schema import TrackerWrite, Unwritten
from braingain.integrations import compose
from braingain.integrations.desk import Desk, Refused
from braingain.integrations.retry import RetryPolicy
from braingain.integrations.tracker.google_sheets import GoogleSheets
from tests.fakes.fixtures import service_account_info
from tests.fakes.google import FakeGoogle
from tests.integrations.test_google_sheets import GUARD, NOW, backend, make_config, sample_rows, tabs_of


@pytest.fixture
def account(tmp_path: Path, fake_google: FakeGoogle) -> Path:
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(service_account_info(fake_google)), encoding="utf-8")
    return path


@pytest.fixture
def policy() -> RetryPolicy:
    return RetryPolicy(sleep=lambda _: None, random=lambda: 0.5, now=lambda: NOW)


@pytest.fixture
def sheet(fake_google: FakeGoogle, account: Path, policy: RetryPolicy) -> str:
    """The sample group's sheet, synced once (it holds the sync's lease, released)."""
    spreadsheet_id = fake_google.new_spreadsheet("t", tabs_of(sample_rows()))
    config = make_config(fake_google, account, spreadsheet_id=spreadsheet_id)
    compose.run_sync(
        config, apply=True, at=NOW, backend=backend(fake_google, account, spreadsheet_id, policy)
    )
    return spreadsheet_id


def desk(fake: FakeGoogle, account: Path, sheet: str, policy: RetryPolicy) -> Desk:
    config = make_config(fake, account, spreadsheet_id=sheet)
    return Desk(config, backend=backend(fake, account, sheet, policy), clock=lambda: NOW, wait=0)


def task_row(fake: FakeGoogle, sheet: str, ident: str) -> dict[str, object]:
    values = fake.values(sheet, "Tasks")
    return dict(
        zip([str(h) for h in values[0]], next(r for r in values if r and r[0] == ident), strict=False)
    )


def test_a_status_a_person_types_just_before_the_write_is_not_written_over(
    fake_google: FakeGoogle, account: Path, sheet: str, policy: RetryPolicy
) -> None:
    values = fake_google.values(sheet, "Tasks")
    number = next(i for i, r in enumerate(values, start=1) if r and r[0] == "SR-T08")
    status = values[0].index("Status") + 1
    typed = False

    def person(route: str) -> None:
        nonlocal typed
        if route == GUARD and not typed:  # the head changes their mind on the sheet itself
            typed = True
            fake_google.set_values(sheet, "Tasks", f"{chr(64 + status)}{number}", [["cancelled"]])

    counter = desk(fake_google, account, sheet, policy)
    amara = counter.member(slack_user="U02AMARAO")
    before = task_row(fake_google, sheet, "SR-T08")
    fake_google.on_request(person)
    try:
        with pytest.raises(Refused) as caught:
            counter.submit(amara, "SR-T08")
    finally:
        fake_google.on_request(None)
    assert typed
    after = task_row(fake_google, sheet, "SR-T08")
    assert after["Status"] == "cancelled"  # the person's value stays
    assert after.get("Status changed by") == before.get("Status changed by")  # and is not put on the member
    assert after.get("Review note") == before.get("Review note")
    assert "not applied yet" in caught.value.reason  # read afresh: the sheet says cancelled, unsynced
    assert "@" not in str(caught.value)


def test_two_offers_read_together_land_on_two_rows_with_distinct_ids(
    fake_google: FakeGoogle, account: Path, sheet: str, policy: RetryPolicy
) -> None:
    first, second = desk(fake_google, account, sheet, policy), desk(fake_google, account, sheet, policy)
    amara, zainab = first.member(slack_user="U02AMARAO"), second.member(slack_user="U02ZAINAB")
    before = len(fake_google.values(sheet, "Volunteers"))
    raced = False

    class Racing(GoogleSheets):
        """Zainab's action writes just after Amara's read, before Amara's write."""

        def write(self, changes: TrackerWrite) -> tuple[Unwritten, ...]:
            nonlocal raced
            if not raced:
                raced = True
                second.volunteer(zainab, "CS-T01")
            return super().write(changes)

    config = make_config(fake_google, account, spreadsheet_id=sheet)
    racing = Racing.from_config(config, retry=policy)
    Desk(config, backend=racing, clock=lambda: NOW, wait=5).volunteer(amara, "cs-t01")
    assert raced
    values = fake_google.values(sheet, "Volunteers")
    added = {r[2]: r[0] for r in values[before:]}
    assert set(added) == {"amara.okorafor", "zainab.musawa"}
    assert added["zainab.musawa"] != added["amara.okorafor"]
    assert len(values) == before + 2
