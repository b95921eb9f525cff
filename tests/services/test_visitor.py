"""The visitor's other calls: 取号 and 补打, 一次性告知, 好差评, 办件查询, 呼叫导服;
and what the visitor is told when the kiosk's own store fails."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.engine import URL

from kiosk.app import main as kiosk_main
from kiosk.catalog import Catalog
from kiosk.numbering import queues_of
from kiosk.services import (
    LAST_KNOWN,
    NO_TICKET_NUMBER,
    NOT_FOUND_OFFLINE,
    REASONS_NEEDED,
    STORE_DOWN,
    UNKNOWN_CODE,
    KioskServices,
    RatingIncomplete,
    ServiceUnavailable,
)
from kiosk.statuses import Satisfaction, SubmissionStatus
from kiosk.store.gateway import BureauGateway
from kiosk.store.models import AuditEvent, PrintJob, Rating
from kiosk.sync import Syncer
from tests.printing.pdfcheck import squash, text
from tests.services.conftest import (
    ITEM,
    MakeServices,
    closed_port_url,
    id_number,
    item_visit,
    url_text,
)

pytestmark = pytest.mark.db


def jobs(services: KioskServices) -> list[PrintJob]:
    with services.store.sessions() as session:
        return list(session.scalars(select(PrintJob).order_by(PrintJob.id)))


# ── 取号 ──
def test_ticket_only_offers_a_reprint_for_the_same_id(online: KioskServices) -> None:
    taken = online.tickets.take("livelihood", id_number=id_number(1))
    assert taken.printed is None and not taken.reprint_offered  # stored; the slip comes next
    assert taken.ticket is not None and not online.store.tickets.get(taken.ticket.id).printed  # type: ignore[union-attr]
    first = online.tickets.print(taken)
    assert first.ticket is not None and first.ticket.number.startswith("B")
    assert first.printed is not None and first.printed.accepted and not first.reprint_offered
    assert Path(str(first.printed.result.job)).read_bytes().startswith(b"%PDF")
    assert online.store.tickets.get(first.ticket.id).printed  # type: ignore[union-attr]

    again = online.tickets.take("livelihood", id_number=f" {id_number(1).lower()} ")
    assert online.tickets.print(again) == again  # a held ticket: nothing new to print
    assert again.reprint_offered and again.printed is None and again.message is None
    assert again.ticket is not None and again.ticket.number == first.ticket.number
    assert len(jobs(online)) == 1  # nothing printed until the visitor accepts the offer

    reprinted = online.tickets.reprint(again.ticket.id, id_number=again.id_tail)
    assert reprinted.printed is not None and reprinted.printed.accepted
    assert [(j.document, j.reprint) for j in jobs(online)] == [("ticket", False), ("ticket", True)]
    slip = squash(text(Path(str(reprinted.printed.result.job))))
    assert id_number(1)[-4:] in slip and id_number(1) not in slip
    with online.store.sessions() as session:
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "reprint_ticket")
        ).one()
    assert audit.actor == "visitor"

    other = online.tickets.take("livelihood", id_number=id_number(2))
    other_queue = online.tickets.take("invest", id_number=id_number(1))
    anonymous = [online.tickets.take("livelihood") for _ in range(2)]
    numbers = {t.ticket.number for t in (first, other, other_queue, *anonymous) if t.ticket}
    assert len(numbers) == 5 and not any(t.reprint_offered for t in anonymous)
    assert other_queue.ticket is not None and other_queue.ticket.number.startswith("A")


def test_priority_ticket_goes_to_the_green_channel(online: KioskServices, catalog: Catalog) -> None:
    (green,) = catalog.priority_queues()
    result = online.tickets.take("livelihood", priority=True)
    assert result.ticket is not None and result.ticket.priority
    assert result.ticket.queue == green.code and result.ticket.number.startswith(green.prefix)


def test_no_ticket_number_offline_is_a_calm_answer_and_submit_still_saves(
    make_services: MakeServices, catalog: Catalog
) -> None:
    services = make_services(bureau=closed_port_url())  # never reached: no blocks leased
    result = services.tickets.take("livelihood", id_number=id_number(3))
    assert result.ticket is None and result.problem == NO_TICKET_NUMBER
    assert services.tickets.print(result) == result
    assert result.message == NO_TICKET_NUMBER and jobs(services) == []

    submitted = services.submissions.submit(item_visit(catalog).draft())
    assert submitted.ticket is None and not submitted.ticket_to_print
    assert submitted.message is not None and "导服台取号" in submitted.message.zh
    assert services.store.submissions.status(submitted.code) is not None
    prints = services.submissions.print(submitted)
    assert prints.forms_print is not None and prints.forms_print.accepted
    assert prints.ticket_print is None and prints.ticket is None


def test_a_second_submission_by_the_same_holder_offers_the_ticket_again(
    online: KioskServices, catalog: Catalog
) -> None:
    first = online.submissions.submit(item_visit(catalog, id_number(4)).draft())
    second = online.submissions.submit(item_visit(catalog, id_number(4)).draft())
    assert second.reprint_offered and not second.ticket_to_print and second.message is None
    assert first.ticket is not None and second.ticket is not None
    assert second.ticket.number == first.ticket.number and second.code != first.code
    prints = online.submissions.print(second)
    assert prints.ticket_print is None  # the held ticket is offered 补打, not printed again
    assert prints.forms_print is not None and prints.forms_print.accepted  # the forms print
    again = online.tickets.reprint(
        second.ticket.id, submission_code=second.code, id_number=second.id_tail
    )
    assert again.printed is not None and again.printed.accepted


# ── 一次性告知 ──
def test_print_notice(online: KioskServices, catalog: Catalog) -> None:
    notice = item_visit(catalog).notice
    assert notice is not None
    result = online.printers.notice(notice)
    assert result.accepted
    printed = squash(text(Path(str(result.job))))
    assert "一次性告知" in printed and "出生医学证明" not in printed  # has a hukou book
    assert [(j.document, j.subject_id) for j in jobs(online)] == [("notice", None)]


# ── 好差评 ──
def test_rating_rules(online: KioskServices, catalog: Catalog) -> None:
    result = online.submissions.submit(item_visit(catalog, id_number(5)).draft())
    with pytest.raises(RatingIncomplete) as missing:
        online.ratings.rate(
            Satisfaction.DISSATISFIED, ["  "], submission_id=result.receipt.submission_id
        )
    assert missing.value.message == REASONS_NEEDED
    with pytest.raises(RatingIncomplete):
        online.ratings.rate("very_dissatisfied", ticket_id=result.ticket.id)  # type: ignore[union-attr]
    with pytest.raises(RatingIncomplete) as unknown:
        online.ratings.rate("satisfied", code="ZZZZZZZZZZ")
    assert unknown.value.message == UNKNOWN_CODE

    good = online.ratings.rate("very_satisfied", submission_id=result.receipt.submission_id)
    bad = online.ratings.rate(
        Satisfaction.DISSATISFIED,
        [" 等候时间太长 ", ""],
        code=result.display_code.lower(),
        comment="  ",
    )
    assert good.level is Satisfaction.VERY_SATISFIED and good.reasons == ()
    assert bad.reasons == ("等候时间太长",) and bad.submission_id == result.receipt.submission_id
    assert bad.ticket_id == result.ticket.id  # type: ignore[union-attr]
    with online.store.sessions() as session:
        rows = session.scalars(select(Rating).order_by(Rating.created_at)).all()
    assert [(r.level, r.reasons, r.comment) for r in rows] == [
        ("very_satisfied", [], None),
        ("dissatisfied", ["等候时间太长"], None),
    ]
    assert online.staff.sync_now().error is None and online.store.outbox.backlog() == 0


# ── 办件查询 ──
def test_status_from_the_bureau(
    online: KioskServices, catalog: Catalog, pg_bureau_url: URL, make_services: MakeServices
) -> None:
    result = online.submissions.submit(item_visit(catalog, id_number(6)).draft())
    before = online.status.query(result.code)  # not sent yet: this kiosk knows it
    assert before.found and before.status is SubmissionStatus.RECEIVED and not before.from_bureau
    assert not before.bureau_unreachable and before.message is None
    assert online.staff.sync_now().error is None
    url = url_text(pg_bureau_url)
    assert kiosk_main(["bureau", "set-status", result.code, "ready", "--bureau", url]) == 0

    answer = online.status.query(result.display_code.lower())
    assert answer.found and answer.from_bureau and not answer.bureau_unreachable
    assert answer.status is SubmissionStatus.READY and answer.status_text is not None
    assert "领取" in answer.status_text.zh and answer.target_code == ITEM
    assert answer.ticket_number == result.ticket.number  # type: ignore[union-attr]

    # another kiosk of the hall finds it too, straight from the bureau
    elsewhere = make_services(bureau=url, kiosk_id="kiosk-02").status.query(result.code)
    assert elsewhere.found and elsewhere.from_bureau and elsewhere.status is SubmissionStatus.READY
    assert elsewhere.target_code is None  # submitted at another kiosk

    for typed in ("ZZZZZZZZZZ", "not a code"):
        missing = online.status.query(typed)
        assert not missing.found and missing.message == UNKNOWN_CODE


def test_status_offline_is_honest_and_fast(
    make_services: MakeServices, catalog: Catalog, pg_bureau: Engine
) -> None:
    services = make_services(bureau=closed_port_url())
    # numbers leased earlier, while the bureau was reachable
    Syncer(
        services.store, BureauGateway(pg_bureau), book=services.book, queues=queues_of(catalog)
    ).top_up()
    result = services.submissions.submit(item_visit(catalog).draft())
    assert result.ticket is not None and result.ticket.offline  # no waiting counts offline
    services.store.submissions.apply_statuses(  # pulled before the bureau went away
        [(result.receipt.submission_id, "accepted", result.ticket.issued_at)]
    )
    started = time.perf_counter()
    answer = services.status.query(result.code)
    assert time.perf_counter() - started < 3
    assert answer.found and answer.bureau_unreachable and not answer.from_bureau
    assert answer.status is SubmissionStatus.ACCEPTED and answer.message == LAST_KNOWN
    assert answer.changed_at == result.ticket.issued_at

    unknown = services.status.query("ZZZZZZZZZZ")
    assert not unknown.found and unknown.bureau_unreachable
    assert unknown.message == NOT_FOUND_OFFLINE
    sync = services.staff.sync_now()
    assert sync.error is not None and sync.detail and sync.panel.backlog > 0


# ── 呼叫导服 ──
def test_help_requests_are_kept_until_staff_close_them(
    make_services: MakeServices, tmp_path: Path
) -> None:
    services = make_services()
    first = services.staff.request_help("apply", "en")
    services.staff.request_help("home", "zh")
    assert [(r.screen, r.language, r.open) for r in services.staff.open_help_requests()] == [
        ("apply", "en", True),
        ("home", "zh", True),
    ]
    closed = services.staff.close_help_request(first.id)
    assert closed is not None and not closed.open and closed.closed_by == "staff"
    assert services.staff.close_help_request(first.id) == closed  # a second "done" changes nothing
    assert services.staff.close_help_request(services.staff.audit("x")) is None  # no such request
    assert [r.screen for r in services.staff.open_help_requests()] == ["home"]
    with services.store.sessions() as session:
        audits = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "close_help_request")
        ).all()
    assert [a.subject for a in audits] == [str(first.id)]

    services.close()  # durable: a restarted kiosk still shows the open request
    restarted = make_services()
    assert [r.screen for r in restarted.staff.open_help_requests()] == ["home"]


# ── the local store failing ──
def test_an_unusable_store_is_a_known_error_and_nothing_is_half_done(
    make_services: MakeServices, catalog: Catalog
) -> None:
    services = make_services()
    path = services.settings.local_db_path
    services.store.engine.dispose()
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    path.mkdir()  # the file is gone and cannot be made again: "unable to open database file"
    try:
        with pytest.raises(ServiceUnavailable) as submit:
            services.submissions.submit(item_visit(catalog).draft())
        assert submit.value.message == STORE_DOWN and "本机暂时无法保存" in submit.value.message.zh
        with pytest.raises(ServiceUnavailable):
            services.staff.request_help("home", "zh")
        with pytest.raises(ServiceUnavailable):
            services.status.query("ZZZZZZZZZZ")
    finally:
        shutil.rmtree(path)
