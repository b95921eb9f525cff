"""好差评: five levels; the two lowest need a reason; tied to what was just done, or to a code."""

from __future__ import annotations

from kiosk.statuses import Satisfaction
from kiosk.ui.demo import page_of
from kiosk.ui.demo.person import Person
from kiosk.ui.navigation import Screen
from kiosk.ui.screens.done import DoneScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.preview import PreviewScreen
from kiosk.ui.screens.rating import RatingScreen
from kiosk.ui.screens.review import ReviewScreen

from .conftest import window_services
from .test_bundle import fill_bundle
from .visitor import settle_work, tap, texts


def submitted(window) -> DoneScreen:
    fill_bundle(window)
    tap(page_of(window, ReviewScreen).submit_button)
    settle_work(window)
    tap(page_of(window, PreviewScreen).submit_button)
    settle_work(window)
    assert window.current is Screen.DONE
    return page_of(window, DoneScreen)


def test_a_low_rating_needs_a_reason_and_belongs_to_the_submission(make_window, make_kiosk):
    kiosk = make_kiosk()
    window = make_window(services=window_services(kiosk))
    done = submitted(window)
    code = done.done.code if done.done else ""
    tap(done.rate_button)
    rating = page_of(window, RatingScreen)
    assert rating.about.text() == f"评价：{code[:5]}-{code[5:]}"
    assert not rating.code_panel.isVisible(), "nothing to type: it is this submission"
    assert not rating.send_button.isEnabled()
    assert [b.text() for b in rating.levels.values()] == [
        "非常满意",
        "满意",
        "基本满意",
        "不满意",
        "非常不满意",
    ]
    assert not any(choice.isVisible() for choice in rating.reasons)

    tap(rating.levels[Satisfaction.VERY_DISSATISFIED])
    assert all(choice.isVisible() for choice in rating.reasons)
    assert rating.reasons_caption.text() == "请选择不满意的原因（至少一项，可多选）"
    assert rating.problem.text() == "请至少选择一项原因"
    assert not rating.send_button.isEnabled(), "no reason yet: cannot send"
    tap(rating.reasons[0])
    tap(rating.reasons[4])
    assert rating.send_button.isEnabled()
    tap(rating.send_button)
    settle_work(window)
    assert rating.thanks.isVisible() and rating.thanks_title.text() == "感谢您的评价！"

    (bad,) = kiosk.staff.today().bad_ratings
    assert bad.level is Satisfaction.VERY_DISSATISFIED
    assert bad.reasons == ("等候时间太长", "自助机操作不方便")  # stored in Chinese
    assert bad.submission_code == code
    tap(rating.finish_button)
    assert window.current is Screen.HOME and window.session.target_code is None


def test_a_good_rating_needs_no_reason_and_reasons_go_when_the_level_rises(make_window, make_kiosk):
    kiosk = make_kiosk()
    window = make_window(services=window_services(kiosk))
    tap(submitted(window).rate_button)
    rating = page_of(window, RatingScreen)
    tap(rating.levels[Satisfaction.DISSATISFIED])
    tap(rating.reasons[1])
    tap(rating.levels[Satisfaction.SATISFIED])  # thought better of it
    assert not any(choice.isVisible() for choice in rating.reasons)
    tap(rating.send_button)
    settle_work(window)
    figures = kiosk.staff.today()
    assert figures.ratings[Satisfaction.SATISFIED] == 1
    assert figures.bad_ratings == ()


def test_from_the_home_screen_the_visitor_types_the_code(make_window, make_kiosk):
    kiosk = make_kiosk()
    window = make_window(services=window_services(kiosk))
    code = submitted(window).done.code
    tap(page_of(window, DoneScreen).finish_button)
    tap(page_of(window, HomeScreen).tiles["tile_rating"])
    rating = page_of(window, RatingScreen)
    assert rating.code_panel.isVisible()
    tap(rating.levels[Satisfaction.VERY_SATISFIED])
    assert rating.problem.text() == "请输入办件编号"
    visitor = Person(window)
    visitor.fill(rating.code_edit, "2222222222")  # a code no submission has
    visitor.tap(window.dock.hide_button)
    tap(rating.send_button)
    settle_work(window)
    assert rating.problem.text() == "没有找到这个办件编号，请核对后再试"
    assert not rating.thanks.isVisible()
    visitor.fill(rating.code_edit, code or "")
    visitor.tap(window.dock.hide_button)
    assert rating.code_edit.text() == f"{code[:5]}-{code[5:]}"
    tap(rating.send_button)
    settle_work(window)
    assert rating.thanks.isVisible()
    assert kiosk.staff.today().ratings[Satisfaction.VERY_SATISFIED] == 1


def test_the_rating_screen_speaks_english_too(make_window, make_kiosk):
    window = make_window(services=window_services(make_kiosk()))
    tap(window.header.language)
    tap(page_of(window, HomeScreen).tiles["tile_rating"])
    rating = page_of(window, RatingScreen)
    tap(rating.levels[Satisfaction.DISSATISFIED])
    shown = texts(rating, visible_only=True)
    assert "Dissatisfied" in shown and "Waited too long" in shown
    assert "Choose at least one reason" in shown
