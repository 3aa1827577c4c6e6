"""Issue 12's proof on Google: the sample group's syncs, with the tracker on a Google Sheet and the
group's folders on Google Drive, through the real clients (gspread, and googleapiclient on httplib2)
against the loopback Google fake, as ``compose.platform_setup`` builds them from a braingain.toml.

The folder tree is made once and linked in the tracker; a sync with nothing new asks Drive nothing;
permissions follow the roster over joins and leaves and never touch a share made by hand; a service
account is told plainly what it needs; corrected minutes replace a Doc nobody edited and never one a
person did; and a sync stopped after any Drive call, or whose answer Drive lost after it committed,
is finished by the next with nothing made twice.

Drive's search lags here by an hour (``drive_search_lag``): nothing may rely on a search seeing a
file right after it was made."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from braingain.core.drive.folders import FolderSpec, desired_folders, desired_shares
from braingain.core.drive.minutes import MinutesDoc
from braingain.core.ports import Permission, StoredFile
from braingain.integrations import compose
from braingain.integrations.cli import EXIT_OK, main
from braingain.integrations.drive.google import FOLDER_MIME_TYPE, GoogleDrive, drive_for
from braingain.integrations.tracker.google_sheets import CREDENTIAL_VARIABLES, GoogleSheets
from tests.fakes.fixtures import SERVICE_ACCOUNT_EMAIL, service_account_info
from tests.fakes.framework import reset_after_commit
from tests.fakes.google import DOCUMENT_MIME_TYPE, FakeGoogle
from tests.integrations.chart_support import CountingSource
from tests.integrations.drive_google_support import (
    GoogleGroup,
    by_key,
    drive_requests,
    google_group,
    sync,
    type_into,
)
from tests.integrations.platform_support import NOON, TODAY, Crash, Stopper

LAG = 3600.0
"""Seconds a new file stays out of Drive's search: longer than any test runs."""
EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
READS = ("spreadsheets.get", "values.batchGet")
WRITES = ("spreadsheets.batchUpdate", "values.batchUpdate")
LEAVER = "ngozi.ukpebor"
"""A member who works on the systematic review (sr-migration) and is not a leader."""
NEWCOMER = "osas.igbinoba"
"""A member who works on the systematic review and not on the cohort study (cohort-careers)."""
MEETING = "2027-01-02"
"""The sample group's last meeting before TODAY, with minutes, about no one project."""
LATER = NOON + timedelta(days=2)
"""Tuesday 12 January 2027, noon UTC: after the roster changes these tests make (on the 11th)."""


@pytest.fixture
def fake(fake_google: FakeGoogle) -> FakeGoogle:
    fake_google.drive_search_lag = LAG
    return fake_google


def one(fake: FakeGoogle, key: str) -> str:
    """The id of the one file carrying ``key``."""
    made = by_key(fake).get(key, [])
    assert len(made) == 1, f"{len(made)} files carry the key {key}"
    return made[0]


def shares(fake: FakeGoogle, file_id: str) -> dict[str, str]:
    """Who the file itself (not a folder above) is shared with: email address (or "anyone") -> role;
    the owner left out."""
    return {
        str(p.get("emailAddress") or p["type"]): str(p["role"])
        for p in fake.permissions(file_id)
        if p["role"] != "owner"
    }


def shape(fake: FakeGoogle) -> Counter[tuple[str, str, str]]:
    """Every file braingain made, by key and name, and every permission on it, counted (ids left
    out: they differ from run to run)."""
    found: Counter[tuple[str, str, str]] = Counter()
    for key, ids in by_key(fake).items():
        for file_id in ids:
            found[(key, "file", str(fake.file(file_id)["name"]))] += 1
            for who, role in shares(fake, file_id).items():
                found[(key, who, role)] += 1
    return found


def column(fake: FakeGoogle, group: GoogleGroup, tab: str, header: str) -> dict[str, object]:
    """The cells of ``header`` on ``tab``, by row ID."""
    grid = fake.values(group.sheet, tab)
    at = grid[0].index(header)
    return {str(row[0]): row[at] if at < len(row) else "" for row in grid[1:] if row and row[0]}


def email_of(fake: FakeGoogle, group: GoogleGroup, member: str) -> str:
    return str(column(fake, group, "Members", "Email")[member])


def drive_notes(outcome: compose.SyncOutcome) -> list[str]:
    return [n.words for n in outcome.platforms.notes if n.platform == "drive"]


def no_email(said: str) -> None:
    assert not EMAIL_PATTERN.search(said), f"an email address in: {said}"


# -- 1 and 2: the tree made once, then nothing asked ---------------------------------------------------


def test_a_first_sync_makes_the_folder_tree_once_links_it_in_the_tracker_and_shares_it_as_the_roster_says(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    group = google_group(fake, tmp_path / "group")
    fake.reset_counts()
    outcome = sync(group)
    assert outcome.done is not None
    assert not outcome.done.failed
    assert not outcome.done.waiting
    assert drive_requests(fake)["drive.files.generateIds"] == 1, (
        "one request for every id the sync creates with"
    )
    assert drive_requests(fake)["drive.files.list"] == 1, "one search, before the first create"

    the_group = outcome.read.group
    policy = compose.drive_setup(group.config).policy  # type: ignore[union-attr]
    tree = desired_folders(the_group, policy)
    assert len(tree) > 2 + 2 * 2, "stage folders too"
    made = by_key(fake)
    for folder in tree:
        resource = fake.file(one(fake, folder.key))
        assert (resource["name"], resource["mimeType"]) == (folder.name, FOLDER_MIME_TYPE)
        assert resource.get("parents") == ([one(fake, folder.parent)] if folder.parent else None), folder.key
        assert fake.owner(resource["id"]) == "leader@braingain.test", "the leader's own sign-in owns it"

    projects = column(fake, group, "Projects", "Folder")
    for project in the_group.projects:
        assert projects[project] == fake.file(one(fake, project))["webViewLink"]
    docs = column(fake, group, "Meetings", "Minutes doc")
    minuted = [key.removeprefix("minutes:") for key in made if key.startswith("minutes:")]
    assert MEETING in minuted
    for meeting in minuted:
        doc = fake.file(one(fake, f"minutes:{meeting}"))
        assert doc["mimeType"] == DOCUMENT_MIME_TYPE
        assert docs[meeting] == doc["webViewLink"]
        assert doc["parents"] == [one(fake, "minutes")], "meetings about no one project: the group's Minutes"
        minutes = the_group.records[meeting].minutes
        assert minutes
        assert minutes.split("\n")[0][:40] in fake.doc_text(doc["id"])
    assert not docs["2027-01-16"], "a meeting yet to be held has no minutes Doc"

    leaders = {m.email.address for m in the_group.members.values() if m.is_leader and m.email}
    active = {m.email.address for m in the_group.members.values() if m.is_active_on(TODAY) and m.email}
    assert len(leaders) == 3
    assert shares(fake, one(fake, "root")) == dict.fromkeys(leaders, "writer")
    assert shares(fake, one(fake, "minutes")) == dict.fromkeys(active - leaders, "reader")
    review = shares(fake, one(fake, "sr-migration"))
    assert review[email_of(fake, group, LEAVER)] == "writer"
    wanted = desired_shares(the_group, policy, on=NOON)
    for project in the_group.projects:
        people = {m.email.address for m, _ in wanted[project].values() if m.email}
        assert shares(fake, one(fake, project)) == dict.fromkeys(people, "writer"), project
    assert shares(fake, one(fake, "cohort-careers")) == {}, "only leaders work on it: they have it from above"
    assert not set(review) & leaders, "leaders write there through the group's folder"
    for folder in tree:
        if "/" in folder.key:
            assert shares(fake, one(fake, folder.key)) == {}, "a folder inside is shared through its parent"

    created = fake.requests_to("drive.permissions.create")
    assert len(created) == sum(len(shares(fake, one(fake, f.key))) for f in tree)
    for request in created:
        assert request.query.get("sendNotificationEmail") == ["true"], "always said, from [drive] notify"
        assert request.body["type"] == "user"
    for file_id in fake.file_ids():
        assert all(p["type"] == "user" for p in fake.permissions(file_id)), "never anyone, never a domain"


def test_a_second_sync_right_after_asks_drive_nothing_and_reads_the_tracker_twice(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    group = google_group(fake, tmp_path / "group")
    sync(group)
    files = shape(fake)
    fake.reset_counts()
    again = sync(group, NOON + timedelta(hours=1))
    assert drive_requests(fake) == Counter()
    assert sum(fake.count(r) for r in READS) == 2
    assert sum(fake.count(r) for r in WRITES) == 0
    assert [a.key for a in again.platforms.actions if a.platform == "drive"] == []
    assert shape(fake) == files


# -- 3: stopped at every call, answers lost after Drive committed -----------------------------------------


@dataclass
class StoppingDrive:
    """Google Drive, as the core's port, stopping the sync dead right after its ``stopper``'s nth call
    returned: Drive did it, the journal never heard back."""

    drive: GoogleDrive
    stopper: Stopper = field(default_factory=Stopper)

    def new_ids(self, count: int) -> tuple[str, ...]:
        found = self.drive.new_ids(count)
        self.stopper.tick("new_ids")
        return found

    def find(self, tag: str) -> Mapping[str, StoredFile]:
        found = self.drive.find(tag)
        self.stopper.tick("find")
        return found

    def look(self, file_id: str) -> StoredFile | None:
        found = self.drive.look(file_id)
        self.stopper.tick("look")
        return found

    def make_folder(self, folder: FolderSpec, *, parent: str | None, file_id: str, tag: str) -> StoredFile:
        made = self.drive.make_folder(folder, parent=parent, file_id=file_id, tag=tag)
        self.stopper.tick(f"make_folder {folder.key}")
        return made

    def rename(self, file_id: str, name: str) -> StoredFile | None:
        found = self.drive.rename(file_id, name)
        self.stopper.tick("rename")
        return found

    def shares(self, file_id: str) -> Sequence[Permission]:
        found = self.drive.shares(file_id)
        self.stopper.tick("shares")
        return found

    def share(self, file_id: str, email: str, role: str, *, notify: bool, name: str) -> Permission:
        made = self.drive.share(file_id, email, role, notify=notify, name=name)
        self.stopper.tick(f"share {role}")
        return made

    def unshare(self, file_id: str, permission_id: str) -> None:
        self.drive.unshare(file_id, permission_id)
        self.stopper.tick("unshare")

    def save_doc(self, doc: MinutesDoc, *, parent: str, file_id: str, tag: str) -> StoredFile:
        made = self.drive.save_doc(doc, parent=parent, file_id=file_id, tag=tag)
        self.stopper.tick(f"save_doc {doc.meeting_id}")
        return made

    def replace_doc(self, file_id: str, doc: MinutesDoc) -> StoredFile | None:
        found = self.drive.replace_doc(file_id, doc)
        self.stopper.tick(f"replace_doc {doc.meeting_id}")
        return found


def stopping(stopper: Stopper) -> Callable[[GoogleDrive], StoppingDrive]:
    return lambda google: StoppingDrive(google, stopper)


NO_STAGES = "stage_folders = false\n"
"""The crash tests' [drive] section: the tree without stage folders (every kind of call, fewer of them)."""


def finished(fake: FakeGoogle, group: GoogleGroup) -> None:
    """The syncs after a stop: each comes once the stopped sync's hold on the sheet ended; the second
    has nothing left to do."""
    sync(group, NOON + timedelta(minutes=30))
    fake.reset_counts()
    last = sync(group, NOON + timedelta(minutes=60))
    assert [a.key for a in last.platforms.actions if a.platform == "drive"] == []
    assert drive_requests(fake) == Counter()
    assert (
        column(fake, group, "Projects", "Folder")["sr-migration"]
        == fake.file(one(fake, "sr-migration"))["webViewLink"]
    )


def test_a_sync_stopped_after_any_drive_call_is_finished_by_the_next_and_nothing_is_made_twice(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    whole = google_group(fake, tmp_path / "whole", drive=NO_STAGES)
    counted = Stopper()
    sync(whole, wrap=stopping(counted))
    expected = shape(fake)
    calls = len(counted.calls)
    assert {c.split()[0] for c in counted.calls} >= {
        "find",
        "new_ids",
        "make_folder",
        "shares",
        "share",
        "save_doc",
    }
    for stop_after in range(1, calls + 1):
        with FakeGoogle() as alone:
            alone.drive_search_lag = LAG
            group = google_group(alone, tmp_path / f"stop-{stop_after}", drive=NO_STAGES)
            with pytest.raises(Crash):
                sync(group, wrap=stopping(Stopper(stop_after)))
            finished(alone, group)
            assert shape(alone) == expected, f"stopped after {counted.calls[stop_after - 1]} ({stop_after})"
        alone.check()


LOST_ANSWERS = (
    "drive.files.list",
    "drive.files.generateIds",
    "drive.files.create",
    "drive.files.create.media",
    "drive.permissions.list",
    "drive.permissions.create",
)
"""The Drive routes a first sync uses, each of whose answers may be lost after Drive committed."""


@pytest.mark.parametrize("route", LOST_ANSWERS)
def test_an_answer_lost_after_drive_committed_makes_nothing_twice(
    fake: FakeGoogle, tmp_path: Path, route: str
) -> None:
    whole = google_group(fake, tmp_path / "whole", drive=NO_STAGES)
    sync(whole)
    expected = shape(fake)
    with FakeGoogle() as alone:
        alone.drive_search_lag = LAG
        group = google_group(alone, tmp_path / "lost", drive=NO_STAGES)
        alone.faults.add(route, reset_after_commit())
        lost = sync(group)
        assert not alone.faults.pending, f"{route} was used"
        assert lost.done is not None
        for _, why in lost.done.waiting:
            assert "messages" not in why, "Drive's actions wait for Drive, and say so"
        finished(alone, group)
        assert shape(alone) == expected
    alone.check()


# -- 4: joins, leaves, and shares made by hand -------------------------------------------------------------

JOINER = {
    "ID": "new.member",
    "Given names": "New",
    "Surname": "Member",
    "Email": "new.member@example.org",
    "Role": "member",
    "Time zone": "Europe/London",
    "Country of residence": "United Kingdom",
    "Joined": date(2027, 1, 11),
}


def test_a_member_who_joins_is_given_the_minutes_and_one_made_a_contributor_the_projects_folder(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    group = google_group(fake, tmp_path / "group")
    sync(group)
    type_into(fake, group, "Members", None, JOINER)
    assigned = {"Contributors": NEWCOMER, "Mini-team head": NEWCOMER, "Status": "assigned"}
    type_into(fake, group, "Tasks", "CS-T01", assigned | {"Status changed by": "tunde.bakare"})
    fake.reset_counts()
    outcome = sync(group, LATER)
    assert not [p for p in outcome.read.problems if p.tab in ("Members", "Tasks")], "both typed validly"
    task = next(t for t in outcome.read.group.tasks.values() if t.id == "CS-T01")
    assert (task.status.value, task.contributors) == ("assigned", (NEWCOMER,)), "a valid assignment"
    assert shares(fake, one(fake, "minutes"))["new.member@example.org"] == "reader"
    assert shares(fake, one(fake, "cohort-careers")) == {email_of(fake, group, NEWCOMER): "writer"}
    assert drive_requests(fake) == Counter({"drive.permissions.list": 2, "drive.permissions.create": 2}), (
        "each folder's permissions read once, then the two shares: nothing made, nothing searched"
    )


def test_a_member_who_joins_already_shared_by_hand_is_left_as_the_person_made_it(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    group = google_group(fake, tmp_path / "group")
    sync(group)
    minutes = one(fake, "minutes")
    fake.share(minutes, "new.member@example.org", "commenter")  # a leader shared it before the row was typed
    type_into(fake, group, "Members", None, JOINER)
    fake.reset_counts()
    outcome = sync(group, LATER)
    assert fake.count("drive.permissions.create") == 0
    assert shares(fake, minutes)["new.member@example.org"] == "commenter"
    assert outcome.done is not None
    assert any("New Member already has it, shared by hand" in d.words for d in outcome.done.done)
    type_into(fake, group, "Members", "new.member", {"Left": date(2027, 1, 13), "Active": False})
    sync(group, LATER + timedelta(days=2))
    assert shares(fake, minutes)["new.member@example.org"] == "commenter", "never removed: not braingain's"


def test_a_member_who_leaves_loses_what_braingain_gave_and_keeps_every_share_made_by_hand(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    group = google_group(fake, tmp_path / "group")
    sync(group)
    leaver = email_of(fake, group, LEAVER)
    review, minutes, cohort = (one(fake, key) for key in ("sr-migration", "minutes", "cohort-careers"))
    assert (shares(fake, review)[leaver], shares(fake, minutes)[leaver]) == ("writer", "reader")
    fake.share(review, "statistician@example.org", "commenter")
    fake.share_with_anyone(cohort)
    type_into(fake, group, "Members", LEAVER, {"Left": date(2027, 1, 11), "Active": False})

    planned = sync(group, LATER, apply=False)
    keys = [a.key for a in planned.platforms.actions if a.platform == "drive"]
    assert sorted(keys) == [f"drive:unshare:minutes:{LEAVER}", f"drive:unshare:sr-migration:{LEAVER}"]
    fake.reset_counts()
    sync(group, LATER)
    assert drive_requests(fake) == Counter({"drive.permissions.list": 2, "drive.permissions.delete": 2})
    assert leaver not in shares(fake, review)
    assert leaver not in shares(fake, minutes)
    assert shares(fake, review)["statistician@example.org"] == "commenter", "a share made by hand stays"
    assert shares(fake, cohort) == {"anyone": "reader"}, "braingain never touched the folder"

    shown = sync(group, LATER, apply=False, refresh=True)
    notes = drive_notes(shown)
    assert any(
        "folder of sr-migration is also shared with" in n and "(commenter), by hand" in n for n in notes
    )
    assert any(
        "folder of cohort-careers is also shared with anyone with the link (reader)" in n for n in notes
    )
    assert not [a for a in shown.platforms.actions if a.platform == "drive"], "shown, never changed"
    for said in notes:
        no_email(said)


def test_a_share_a_person_made_or_changed_by_hand_is_shown_by_plan_refresh_and_never_taken_away(
    fake: FakeGoogle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    group = google_group(fake, tmp_path / "group")
    sync(group)
    leaver = email_of(fake, group, LEAVER)
    minutes = one(fake, "minutes")
    fake.share(one(fake, "root"), leaver, "commenter")  # a leader gave them the group's folder by hand
    fake.share(minutes, leaver, "writer")  # and made them a writer of the minutes, over braingain's reader
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BRAINGAIN_CONFIG_HOME", str(tmp_path / "home"))

    assert main(["plan", "--refresh", "--config", str(group.path), "--today", "2027-01-12"]) == EXIT_OK
    said = capsys.readouterr()
    no_email(said.out + said.err)
    assert "The group's folder is also shared with Ngozi Ukpebor (commenter), by hand" in said.out
    assert "The group's Minutes folder is also shared with Ngozi Ukpebor (writer), by hand" in said.out

    type_into(fake, group, "Members", LEAVER, {"Left": date(2027, 1, 11), "Active": False})
    sync(group, LATER, refresh=True)
    sync(group, LATER + timedelta(hours=1))
    assert shares(fake, one(fake, "root"))[leaver] == "commenter", "a share made by hand is never removed"
    assert shares(fake, minutes)[leaver] == "writer", "a role a person changed is theirs from then on"
    assert leaver not in shares(fake, one(fake, "sr-migration")), "what braingain alone gave is taken back"


def test_a_lost_answer_to_taking_a_share_back_is_taken_back_once(fake: FakeGoogle, tmp_path: Path) -> None:
    group = google_group(fake, tmp_path / "group", drive=NO_STAGES)
    sync(group)
    type_into(fake, group, "Members", LEAVER, {"Left": date(2027, 1, 11), "Active": False})
    fake.faults.add("drive.permissions.delete", reset_after_commit())
    sync(group, LATER)
    assert not fake.faults.pending
    sync(group, LATER + timedelta(hours=1))
    fake.reset_counts()
    last = sync(group, LATER + timedelta(hours=2))
    assert drive_requests(fake) == Counter()
    assert not [a for a in last.platforms.actions if a.platform == "drive"]
    leaver = email_of(fake, group, LEAVER)
    assert all(leaver not in shares(fake, ids[0]) for ids in by_key(fake).values())


# -- 5: who owns what: a service account, and a shared drive -------------------------------------------------


BOTH_FIXES = (
    "a service account, which owns nothing outside a shared drive",
    "sign in as the leader with `braingain login google`",
    "remove GOOGLE_APPLICATION_CREDENTIALS",
    "add the service account to a shared drive as Content manager",
    "set parent under [drive] in braingain.toml to the shared drive's id",
)


def test_a_service_account_without_a_shared_drive_is_told_both_fixes_and_drive_is_left_alone(
    fake: FakeGoogle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    group = google_group(fake, tmp_path / "group", account=service_account_info(fake))
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BRAINGAIN_CONFIG_HOME", str(tmp_path / "home"))
    fake.reset_counts()

    code = main(["sync", "--config", str(group.path), "--today", "2027-01-10"])

    said = capsys.readouterr()
    assert code == EXIT_OK, "nothing was refused: Drive is not set up, and the sync says why"
    words = " ".join((said.out + said.err).split())
    for fix in BOTH_FIXES:
        assert fix in words
    no_email(said.out + said.err)
    assert drive_requests(fake) == Counter(), "never tried: a service account could own nothing"
    assert by_key(fake) == {}
    assert fake.count("spreadsheets.batchUpdate") >= 1, "the tracker's write goes on"
    assert list((group.folder / "outbox" / "invitations").iterdir()), "the invitations go on"
    assert list((group.folder / "outbox" / "slack").iterdir()), "the messages go on"


def test_a_create_a_service_account_cannot_own_is_refused_in_plain_words_and_only_drive_waits(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    group = google_group(fake, tmp_path / "group", account=service_account_info(fake), drive=NO_STAGES)
    config = group.config
    setup = compose.platform_setup(config)
    google = drive_for(config)  # tried anyway (as with a parent that is not a shared drive)
    sheets = GoogleSheets.from_config(config, clock=lambda: NOON)
    try:
        drive = replace(setup.drive, drive=google, live=True) if setup.drive else None
        outcome = compose.run_sync(
            config, apply=True, at=NOON, backend=sheets, platforms=replace(setup, drive=drive)
        )
    finally:
        google.close()
        sheets.close()
    assert outcome.done is not None
    ((action, why),) = outcome.done.failed
    assert action.key == "drive:folder:root"
    words = " ".join(why.split())
    assert "a service account owns nothing outside a shared drive" in words
    for fix in BOTH_FIXES[1:]:
        assert fix in words
    no_email(why)
    assert by_key(fake) == {}
    assert drive_requests(fake)["drive.files.create"] == 1, "the first refusal stops Drive for this sync"
    waiting = [key for key, _ in outcome.done.waiting]
    assert "drive:folder:minutes" in waiting
    assert outcome.applied, "the tracker's write goes on"
    assert any(d.action.platform in {"calendar", "slack", "email"} for d in outcome.done.done)


def test_a_service_account_makes_the_tree_in_a_shared_drive_set_as_the_parent(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    shared = fake.new_shared_drive("Okafor lab", [SERVICE_ACCOUNT_EMAIL, "leader@braingain.test"])
    group = google_group(
        fake,
        tmp_path / "group",
        account=service_account_info(fake),
        drive=f'{NO_STAGES}\nparent = "{shared}"',
    )
    fake.reset_counts()

    outcome = sync(group)

    assert outcome.done is not None
    assert not outcome.done.failed
    assert not outcome.done.waiting
    root = fake.file(one(fake, "root"))
    assert root["parents"] == [shared]
    assert root["driveId"] == shared
    assert fake.owner(root["id"]) == "", "what a shared drive holds belongs to the drive"
    assert fake.file(one(fake, "sr-migration"))["parents"] == [root["id"]]
    assert len(shares(fake, one(fake, "minutes"))) == 13
    assert (
        column(fake, group, "Projects", "Folder")["sr-migration"]
        == fake.file(one(fake, "sr-migration"))["webViewLink"]
    )
    for route in drive_requests(fake):
        if route != "drive.files.generateIds":  # the one Drive request without the parameter
            assert all(r.query.get("supportsAllDrives") == ["true"] for r in fake.requests_to(route)), route
    assert {r.query.get("corpora", [""])[0] for r in fake.requests_to("drive.files.list")} == {"allDrives"}


# -- 6: minutes as Docs, corrected ---------------------------------------------------------------------------


def test_corrected_minutes_replace_the_doc_nobody_edited_and_are_saved_beside_one_a_person_edited(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    group = google_group(fake, tmp_path / "group")
    sync(group)
    doc = one(fake, f"minutes:{MEETING}")
    link = fake.file(doc)["webViewLink"]
    type_into(fake, group, "Meetings", MEETING, {"Minutes": "Corrected: reviewed the protocol."})
    fake.catch_up_search()  # days later: Drive's search sees every file braingain made
    fake.reset_counts()
    sync(group, NOON + timedelta(hours=1))
    assert drive_requests(fake) == Counter(
        {"drive.files.generateIds": 1, "drive.files.get": 1, "drive.files.update.media": 1}
    ), "no search: the Doc it corrects is known (and an id asked for, in case a person edited it)"
    assert one(fake, f"minutes:{MEETING}") == doc
    assert "Corrected: reviewed the protocol." in fake.doc_text(doc)
    assert column(fake, group, "Meetings", "Minutes doc")[MEETING] == link

    fake.edit_doc(doc, "A person's own notes")
    type_into(fake, group, "Meetings", MEETING, {"Minutes": "Corrected twice."})
    fake.reset_counts()
    sync(group, NOON + timedelta(hours=2))
    assert fake.count("drive.files.update.media") == 0, "a Doc a person edited is never written over"
    assert fake.doc_text(doc) == "A person's own notes"
    (newer,) = [d for d in by_key(fake)[f"minutes:{MEETING}"] if d != doc]
    assert "Corrected twice." in fake.doc_text(newer)
    assert "corrected" in str(fake.file(newer)["name"])
    assert fake.file(newer)["parents"] == fake.file(doc)["parents"]
    assert column(fake, group, "Meetings", "Minutes doc")[MEETING] == fake.file(newer)["webViewLink"]


def test_a_lost_answer_to_replacing_the_minutes_replaces_them_once(fake: FakeGoogle, tmp_path: Path) -> None:
    group = google_group(fake, tmp_path / "group", drive=NO_STAGES)
    sync(group)
    doc = one(fake, f"minutes:{MEETING}")
    type_into(fake, group, "Meetings", MEETING, {"Minutes": "Corrected: reviewed the protocol."})
    fake.faults.add("drive.files.update.media", reset_after_commit())
    sync(group, NOON + timedelta(hours=1))
    assert not fake.faults.pending
    fake.reset_counts()
    last = sync(group, NOON + timedelta(hours=2))
    assert drive_requests(fake) == Counter()
    assert not [a for a in last.platforms.actions if a.platform == "drive"]
    assert by_key(fake)[f"minutes:{MEETING}"] == [doc]
    assert "Corrected: reviewed the protocol." in fake.doc_text(doc)


def test_each_projects_gantt_chart_is_saved_in_its_folder_and_replaced_only_when_it_changes(
    fake: FakeGoogle, tmp_path: Path
) -> None:
    group = google_group(fake, tmp_path / "group")
    sync(group, NOON, charts=CountingSource())
    for project in ("sr-migration", "cohort-careers"):
        folder = one(fake, project)
        png, svg = (
            one(fake, f"file:{project}/gantt-{project}.png"),
            one(fake, f"file:{project}/gantt-{project}.svg"),
        )
        assert fake.file(png)["parents"] == [folder]
        assert fake.file(png)["mimeType"] == "image/png"
        assert fake.file_bytes(png).startswith(b"\x89PNG\r\n\x1a\n")
        assert fake.file(svg)["mimeType"] == "image/svg+xml"
        assert b"<svg" in fake.file_bytes(svg)
    before = fake.file_bytes(one(fake, "file:sr-migration/gantt-sr-migration.svg"))
    fake.reset_counts()
    sync(group, NOON + timedelta(days=1), charts=CountingSource())
    assert sum(drive_requests(fake).values()) == 0, "a chart whose project did not change is not saved again"
    type_into(fake, group, "Tasks", "SR-T01", {"Title": "Protocol drafted and registered"})
    fake.reset_counts()
    sync(group, NOON + timedelta(days=1, hours=1), charts=CountingSource())
    assert drive_requests(fake)["drive.files.update.media"] == 2, "the PNG and the SVG of that project only"
    assert drive_requests(fake)["drive.files.create.media"] == 0
    after = fake.file_bytes(one(fake, "file:sr-migration/gantt-sr-migration.svg"))
    assert b"Protocol drafted and registered" in after
    assert after != before
