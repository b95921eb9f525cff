"""取号 without a form: the queue, the priority lane, the optional ID number and its 补打 offer.

Ticket numbers come from blocks leased from the bureau database (PostgreSQL); a kiosk with
no bureau configured numbers them itself.  A kiosk whose bureau it has never reached has
none to give, and says so calmly.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from kiosk.kinds import DocumentKind
from kiosk.statuses import PrintState
from kiosk.store.repositories import TicketView
from kiosk.ui.demo import page_of
from kiosk.ui.demo.person import Person
from kiosk.ui.navigation import Done, Screen
from kiosk.ui.screens.done import DoneScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.ticket import TicketScreen
from tests.services.conftest import closed_port_url

from .conftest import window_services
from .visitor import pdf_text, printed, settle_work, tap, texts

HOLDER = "11010519491231002X"


class Spoken:
    """The window's voice slot, keeping what it was asked to say."""

    def __init__(self) -> None:
        self.sentences: list[tuple[str, str]] = []

    def announce(self, sentence: str, language: str) -> None:
        self.sentences.append((sentence, language))

    def close(self) -> None:
        """Nothing to release."""


def bureau(pg_bureau_url) -> str:
    return pg_bureau_url.render_as_string(hide_password=False)


def take(window, queue: str = "business", id_number: str = "", priority: bool = False):
    """On the 取号 screen: a queue, maybe the priority lane, maybe an ID on the keypad."""
    if window.current is not Screen.TICKET:
        tap(page_of(window, HomeScreen).tiles["tile_ticket"])
    page = page_of(window, TicketScreen)
    tap(page.queue_rows[queue])
    if priority:
        tap(page.priority)
    if id_number:
        visitor = Person(window)
        visitor.fill(page.id_edit, id_number)  # on the pad the dock opens for it
        visitor.tap(window.dock.hide_button)
    tap(page.take_button)
    settle_work(window)
    return page


@pytest.mark.db
def test_a_ticket_with_an_id_then_the_same_id_again_offers_a_reprint(
    make_window, make_kiosk, pg_bureau_url
):
    kiosk = make_kiosk(bureau=bureau(pg_bureau_url))
    voice = Spoken()
    window = make_window(services=window_services(kiosk, voice))
    take(window, id_number=HOLDER)
    assert window.current is Screen.DONE
    done = page_of(window, DoneScreen)
    assert done.number.text() == "C001"
    assert done.title.text() == "取号成功"
    assert done.printed_list.text() == "✓ 排队号票：已打印"
    assert not done.offer.isVisible()
    assert voice.sentences == [("您已领取C001号，前方等待0人", "zh")]
    assert len(printed(kiosk, "ticket")) == 1

    window.back()
    take(window, id_number=HOLDER)
    assert done.title.text() == "您已有排队号码"
    assert done.number.text() == "C001", "the ticket already held, not a new number"
    assert done.offer.isVisible()
    assert "您今天已领取 C001 号" in done.offer_text.text()
    assert len(voice.sentences) == 1, "nothing new to announce"
    assert len(printed(kiosk, "ticket")) == 1, "nothing printed until the visitor asks"

    tap(done.reprint_button)
    settle_work(window)
    assert not done.offer.isVisible()
    assert window.toast.message.text() == "号票已补打，请在下方出纸口取走。"
    assert len(printed(kiosk, "ticket")) == 2
    assert "✓ 排队号票" in done.printed_list.text()


@pytest.mark.db
def test_the_priority_lane_on_request_and_no_id_needed(make_window, make_kiosk, pg_bureau_url):
    kiosk = make_kiosk(bureau=bureau(pg_bureau_url))
    window = make_window(services=window_services(kiosk))
    page = take(window, priority=True)
    assert page.priority.check.text() == "✓"
    done = page_of(window, DoneScreen)
    assert done.number.text().startswith("V"), "the priority lane has its own windows"
    assert done.caption.text() == "您的排队号码 · 优先办理"
    assert done.queue.text() == "爱心通道", "the lane's own name, from the catalog"


def test_the_priority_row_says_the_lane_and_who_it_is_for_from_the_catalog(make_window):
    window = make_window()
    tap(page_of(window, HomeScreen).tiles["tile_ticket"])
    row = page_of(window, TicketScreen).priority
    assert "我需要走爱心通道" in texts(row) and "老年人、残疾人、孕妇优先办理" in texts(row)
    tap(window.header.language)
    assert "Elderly, disabled or pregnant: served first" in texts(row)
    assert "绿色通道" not in texts(row)


def test_a_wrong_id_number_is_explained_and_nothing_is_taken(make_window, make_kiosk):
    kiosk = make_kiosk()
    window = make_window(services=window_services(kiosk))
    page = take(window, id_number="110105194912310021")
    assert window.current is Screen.TICKET
    assert page.id_error.isVisible()
    assert page.id_error.text() == "身份证号码校验位不对，请逐位核对"
    assert page.id_edit.property("invalid") == "true"
    visitor = Person(window)
    visitor.tap_end(page.id_edit)
    visitor.tap(window.dock.pad.backspace)
    assert page.id_error.isVisible(), "half-way through the fix the message stays"
    visitor.tap(window.dock.pad.keys["X"])
    assert not page.id_error.isVisible(), "the right number clears the message at once"


def test_a_queue_must_be_chosen_first(make_window, make_kiosk):
    window = make_window(services=window_services(make_kiosk()))
    tap(page_of(window, HomeScreen).tiles["tile_ticket"])
    page = page_of(window, TicketScreen)
    assert not page.take_button.isEnabled()
    assert page.choose_hint.text() == "请先选择业务类别"
    assert set(page.queue_rows) == {"business"}, "the priority lane is a request, not a queue"


def test_without_ticket_numbers_the_kiosk_says_where_to_go(make_window, make_kiosk):
    kiosk = make_kiosk(bureau=closed_port_url())  # a bureau, never reached: no blocks leased
    window = make_window(services=window_services(kiosk))
    take(window)
    done = page_of(window, DoneScreen)
    assert done.caption.text() == "本机暂时无法取号"
    assert done.problem_text.text() == "本机暂时无法取号，请到导服台取号"
    assert not done.queue.isVisible()


def offline_ticket() -> TicketView:
    return TicketView(
        id=uuid.uuid4(),
        number="C017",
        queue="business",
        service_day=date(2026, 11, 28),
        issued_at=datetime(2026, 11, 28, 8, 30, tzinfo=UTC),
        priority=False,
        people_ahead=None,  # issued while the bureau could not be asked
        wait_minutes=None,
        status="waiting",
        window=None,
        printed=False,
    )


def test_offline_the_done_screen_is_honest_about_the_queue(make_window, make_kiosk):
    voice = Spoken()
    window = make_window(services=window_services(make_kiosk(), voice))
    window.toggle_language()
    window.go(Done(offline_ticket(), papers=((DocumentKind.TICKET, PrintState.FAILED),)))
    done = page_of(window, DoneScreen)
    assert done.ahead.text().startswith("The bureau's system cannot be reached")
    assert voice.sentences == [("You have ticket C017.", "en")]
    assert done.problem_text.text().startswith("The ticket did not print. Please remember")
    assert "C017" in done.problem_text.text(), "the number, on screen, if not on paper"
    assert done.printed_list.text().startswith("✗ Queue ticket: not printed — remember your")


def test_a_standalone_kiosk_takes_a_ticket_and_does_not_blame_the_network(make_window, make_kiosk):
    """No bureau configured (`make run`): the kiosk numbers the ticket itself, and neither
    the screen nor the slip claims a bureau it was never meant to reach."""
    kiosk = make_kiosk()
    window = make_window(services=window_services(kiosk))
    take(window)
    done = page_of(window, DoneScreen)
    assert done.number.text() == "C001"
    assert done.ahead.text() == "请留意大厅叫号屏，听到您的号码后前往窗口。"
    slip = pdf_text(printed(kiosk, "ticket")[-1])
    assert "C001" in slip and "请留意大厅叫号屏" in slip
    assert "网络暂时中断" not in slip
