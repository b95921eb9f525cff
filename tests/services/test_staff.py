"""The staff panel's calls: sync state with quarantine differences, printers, today's figures,
补打 by code, catalog reload, and the audit trail of each."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.engine import URL

from kiosk import SHIPPED_CATALOG
from kiosk.catalog import Catalog
from kiosk.printing.printers import PrinterState
from kiosk.services import NO_BUREAU, UNKNOWN_CODE, KioskServices
from kiosk.statuses import Satisfaction
from kiosk.store.bureau_tables import BureauSubmission
from kiosk.store.models import AuditEvent, OutboxEntry, OutboxState
from tests.printing.conftest import CATALOG as SMALL_CATALOG
from tests.services.conftest import (
    ITEM,
    MakeServices,
    id_number,
    item_visit,
    submit,
    take_ticket,
    url_text,
)

pytestmark = pytest.mark.db


def audit_trail(services: KioskServices, action: str) -> list[AuditEvent]:
    with services.store.sessions() as session:
        return list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        )


# ── sync ──
def test_sync_without_a_bureau(make_services: MakeServices, catalog: Catalog) -> None:
    services = make_services()
    assert services.sync is None and services.bureau is None
    submit(services, item_visit(catalog))
    panel = services.staff.sync_state()
    # the submission, the ticket this kiosk numbered itself, and the ticket's "printed" mark
    assert not panel.configured and not panel.running and panel.backlog == 3
    result = services.staff.sync_now()
    assert result.error == NO_BUREAU and result.sent == 0
    assert [a.actor for a in audit_trail(services, "sync_now")] == ["staff"]


def test_the_sync_worker_built_for_the_kiosk_sends_on_its_own(
    make_services: MakeServices, pg_bureau_url: URL, pg_bureau: Engine, catalog: Catalog
) -> None:
    services = make_services(bureau=url_text(pg_bureau_url))
    assert services.sync is not None and not services.staff.sync_state().running
    progress = threading.Event()
    services.sync.on_change = progress.set  # every success or failure of the worker

    def until(condition: Callable[[], bool]) -> bool:
        deadline = time.monotonic() + 30
        while not condition():
            if time.monotonic() > deadline:
                return False
            progress.wait(1)
            progress.clear()
        return True

    services.start()
    assert until(lambda: services.staff.sync_state(compare=False).last_success is not None)
    panel = services.staff.sync_state()
    assert panel.running and panel.online and panel.failures == 0
    result = submit(services, item_visit(catalog))  # the commit wakes the worker
    assert result.ticket is not None  # it had leased numbers on its own

    def arrived() -> bool:
        with pg_bureau.connect() as connection:
            return (
                connection.execute(
                    select(BureauSubmission.id).where(BureauSubmission.code == result.code)
                ).first()
                is not None
            )

    assert until(arrived)
    assert until(lambda: services.staff.sync_state(compare=False).backlog == 0)


def test_sync_state_shows_a_quarantined_submission_with_its_differences(
    online: KioskServices, catalog: Catalog, pg_bureau: Engine
) -> None:
    result = submit(online, item_visit(catalog, id_number(9)))
    first = online.staff.sync_now()
    assert first.error is None and first.sent == 3 and first.panel.backlog == 0
    assert first.panel.configured and first.panel.quarantined == ()
    # The bureau now holds different content under the same id (someone edited it there) …
    with pg_bureau.begin() as connection:
        row = connection.execute(
            select(BureauSubmission.fields).where(BureauSubmission.code == result.code)
        ).scalar_one()
        row[ITEM]["child_name"]["value"] = "李小宝"
        connection.execute(
            update(BureauSubmission)
            .where(BureauSubmission.code == result.code)
            .values(fields=row, payload_hash="edited")
        )
    # … and the kiosk sends its row again (as after a reconcile): it must not overwrite it.
    with online.store.sessions.begin() as session:
        session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.entity_id == result.receipt.submission_id)
            .values(state=OutboxState.PENDING.value)
        )
    again = online.staff.sync_now()
    assert again.error is None
    (quarantined,) = again.panel.quarantined
    assert quarantined.label == result.display_code and quarantined.compared
    assert quarantined.item.kind == "submission" and "different content" in quarantined.item.reason
    assert [(d.field, d.kiosk, d.bureau) for d in quarantined.differences] == [
        (f"fields.{ITEM}.child_name.value", "张小宝", "李小宝")
    ]
    unchecked = online.staff.sync_state(compare=False).quarantined
    assert [q.label for q in unchecked] == [result.display_code] and not unchecked[0].compared
    with pg_bureau.connect() as connection:
        kept = connection.execute(
            select(BureauSubmission.fields).where(BureauSubmission.code == result.code)
        ).scalar_one()
    assert kept[ITEM]["child_name"]["value"] == "李小宝"  # never overwritten


# ── printers ──
def test_printer_status_and_test_pages(make_services: MakeServices, tmp_path: Path) -> None:
    services = make_services()
    status = services.staff.printer_status()
    assert set(status) == {"ticket", "notice", "form"}
    assert all(s.state is PrinterState.READY and s.backend == "pdf-folder" for s in status.values())
    for kind in ("ticket", "form"):
        result = services.staff.test_page(kind)
        assert result.accepted
        path = Path(str(result.job))
        assert path.name.endswith(f"test-page-{kind}.pdf") and path.read_bytes()[:4] == b"%PDF"
    assert [(a.subject, a.detail["accepted"]) for a in audit_trail(services, "test_page")] == [
        ("ticket", True),
        ("form", True),
    ]
    with pytest.raises(ValueError):
        services.staff.test_page("poster")


# ── today ──
def test_today_figures(online: KioskServices, catalog: Catalog) -> None:
    submitted = [submit(online, item_visit(catalog, id_number(20 + i))) for i in range(3)]
    take_ticket(online, "invest")
    take_ticket(online, "livelihood")
    ids = [s.receipt.submission_id for s in submitted]
    online.ratings.rate("very_satisfied", submission_id=ids[0])
    online.ratings.rate("satisfied", submission_id=ids[1])
    online.ratings.rate(
        "very_dissatisfied", ["等候时间太长", "材料要求反复变化"], submission_id=ids[2]
    )
    invest_ticket = take_ticket(online, "invest", id_number=id_number(30)).ticket
    assert invest_ticket is not None
    online.ratings.rate(
        "dissatisfied", ["自助机操作不方便"], ticket_id=invest_ticket.id, comment="字太小"
    )
    online.staff.request_help("review", "zh")

    figures = online.staff.today()
    assert figures.day == online.book.day(submitted[0].ticket.issued_at)  # type: ignore[union-attr]
    assert [(t.code, t.name.zh, t.count) for t in figures.tickets] == [
        ("invest", "投资建设综合窗口", 2),
        ("livelihood", "民生服务综合窗口", 4),
    ]
    assert [(t.code, t.count) for t in figures.submissions] == [(ITEM, 3)]
    assert figures.submissions[0].name == catalog.items[ITEM].name
    assert figures.ratings == {
        Satisfaction.VERY_SATISFIED: 1,
        Satisfaction.SATISFIED: 1,
        Satisfaction.BASICALLY_SATISFIED: 0,
        Satisfaction.DISSATISFIED: 1,
        Satisfaction.VERY_DISSATISFIED: 1,
    }
    worst, ticket_only = figures.bad_ratings
    assert worst.level is Satisfaction.VERY_DISSATISFIED
    assert worst.reasons == ("等候时间太长", "材料要求反复变化")
    assert worst.submission_code == submitted[2].code and worst.target_code == ITEM
    assert worst.ticket_number == submitted[2].ticket.number  # type: ignore[union-attr]
    assert (ticket_only.reasons, ticket_only.comment) == (("自助机操作不方便",), "字太小")
    assert ticket_only.ticket_number == invest_ticket.number
    assert ticket_only.submission_code is None
    assert [h.screen for h in figures.help_requests] == ["review"]


# ── 补打 ──
def test_reprint_by_ticket_number_and_unknown_codes(online: KioskServices) -> None:
    taken = take_ticket(online, "livelihood", id_number=id_number(40))
    assert taken.ticket is not None
    by_number = online.staff.reprint(taken.ticket.number.lower())
    assert by_number.found and by_number.ticket == online.store.tickets.get(taken.ticket.id)
    assert by_number.ticket_print is not None and by_number.ticket_print.accepted
    assert by_number.forms_print is None and by_number.problems == ()

    for typed in ("ZZZZZZZZZZ", "Z999", "hello"):
        missing = online.staff.reprint(typed)
        assert not missing.found and missing.problems == (UNKNOWN_CODE,)
    trail = audit_trail(online, "reprint")
    assert [(a.subject, a.detail["found"]) for a in trail] == [
        (taken.ticket.number, True),
        ("ZZZZZZZZZZ", False),
        ("Z999", False),
        ("HELLO", False),
    ]


def test_forms_of_a_purged_submission_are_not_reprinted(
    online: KioskServices, catalog: Catalog
) -> None:
    result = submit(online, item_visit(catalog, id_number(41)))
    assert online.staff.sync_now().error is None
    with online.store.sessions.begin() as session:  # confirmed long ago
        session.execute(update(OutboxEntry).values(synced_at=datetime(2000, 1, 1, tzinfo=UTC)))
    assert online.store.purge(30) == 1
    reprint = online.staff.reprint(result.code)
    assert reprint.found and reprint.ticket_print is not None and reprint.ticket_print.accepted
    assert reprint.forms_print is None and len(reprint.problems) == 1
    assert "已按规定清除" in reprint.problems[0].zh


# ── the catalog ──
def test_reload_catalog_keeps_the_old_one_when_the_file_is_broken(
    online: KioskServices, catalog: Catalog, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        SMALL_CATALOG.replace("queue: business\n    materials", "queue: nowhere\n    materials"),
        encoding="utf-8",
    )
    result = online.staff.reload_catalog(broken)
    assert not result.ok and result.catalog is None and result.previous_version == catalog.version
    assert result.problems and all(re.match(r"broken\.yaml:\d+:\d+ ", p) for p in result.problems)
    assert any("nowhere" in p for p in result.problems)
    assert online.hall.catalog is catalog  # the kiosk keeps the last good catalog

    good = tmp_path / "small.yaml"
    good.write_text(SMALL_CATALOG, encoding="utf-8")
    loaded = online.staff.reload_catalog(good)
    assert (
        loaded.ok
        and loaded.catalog is online.hall.catalog
        and online.hall.catalog.version == "test-1"
    )
    assert online.sync is not None
    assert [q.code for q in online.sync.syncer.queues] == ["business"]
    ticket = take_ticket(online, "business").ticket  # the new catalog's queue is in force
    assert ticket is not None and ticket.number.startswith("C")

    assert online.staff.reload_catalog(SHIPPED_CATALOG).ok  # back to the shipped one
    trail = audit_trail(online, "reload_catalog")
    assert [(a.subject, a.detail["ok"]) for a in trail] == [
        (str(broken), False),
        (str(good), True),
        (str(SHIPPED_CATALOG), True),
    ]
    assert trail[0].detail["problems"] == len(result.problems)
    assert trail[1].detail["version"] == "test-1"


def test_reload_catalog_reports_a_missing_file(online: KioskServices, tmp_path: Path) -> None:
    result = online.staff.reload_catalog(tmp_path / "nowhere.yaml")
    assert not result.ok and len(result.problems) == 1 and "file not found" in result.problems[0]


# ── the audit trail ──
def test_audit_records_staff_actions(make_services: MakeServices) -> None:
    services = make_services()
    services.staff.audit("staff_mode_entered", None)
    services.staff.audit("set_theme", "elder", previous="standard")
    trail = audit_trail(services, "set_theme")
    assert [(a.actor, a.subject, a.detail) for a in trail] == [
        ("staff", "elder", {"previous": "standard"})
    ]
    assert len(audit_trail(services, "staff_mode_entered")) == 1
