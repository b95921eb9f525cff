"""The staff mode's own words in Chinese and English, and the marks shown beside entered values.

Kept apart from :mod:`kiosk.ui.text` (the visitor's wording) so the staff panel
can grow without touching the visitor's table; looked up the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.forms.filling import EnteredValue

STRINGS: dict[str, tuple[str, str]] = {
    # entry
    "store_problem": ("本机存储出现问题：{problem}", "The kiosk's store has a problem: {problem}"),
    "store_remedy": ("处理办法：{remedy}", "What to do: {remedy}"),
    "pin_title": ("导服人员登录", "Guide staff sign-in"),
    "pin_hint": ("请输入导服密码", "Enter the staff PIN"),
    "pin_wrong": ("密码不正确，还可以再试 {left} 次", "Wrong PIN; {left} more tries"),
    "pin_locked": (
        "输入错误次数较多，为安全起见暂停登录，倒计时结束后可再试。",
        "Too many wrong PINs: sign-in is paused for safety until the countdown ends.",
    ),
    "pin_unset": (
        # Whoever taps the corner may be a visitor: no operator commands here (the operator
        # finds `kiosk set-pin` in the log and in `kiosk config check`).
        "本机暂时不能进入导服模式，请联系大厅工作人员。",
        "Staff mode is not available on this kiosk right now; please ask a member of staff.",
    ),
    "pin_checking": ("正在核对…", "Checking…"),
    "pin_enter": ("进入", "Sign in"),
    "cancel": ("取消", "Cancel"),
    "key_clear": ("清空", "Clear"),
    # the band and the bar
    "staff_mode": ("导服模式", "Staff mode"),
    "staff_kiosk": ("本机 {kiosk}", "Kiosk {kiosk}"),
    "assist": ("帮助当前访客", "Help this visitor"),
    "assisting": ("导服协助中：您填写的内容将标记为导服代填", "Helping: what you type is marked"),
    "to_panel": ("导服面板", "Staff panel"),
    "exit_staff": ("退出导服模式", "Leave staff mode"),
    "refresh": ("刷新", "Refresh"),
    "loading": ("正在读取…", "Loading…"),
    "failed": ("暂时无法读取：{reason}", "Could not load: {reason}"),
    "not_wired": (
        "本机未接入后台服务，此功能不可用。",
        "Not available: no services on this kiosk.",
    ),
    # page names
    "page_sync": ("数据同步", "Sync"),
    "page_printers": ("打印机", "Printers"),
    "page_today": ("今日情况", "Today"),
    "page_reprint": ("补打", "Reprint"),
    "page_catalog": ("事项目录", "Catalog"),
    "page_kiosk": ("本机设置", "This kiosk"),
    # sync
    "sync_now": ("立即同步", "Sync now"),
    "sync_state": ("同步状态", "State"),
    "sync_none": (
        "未配置审批局数据库，办件只保存在本机。",
        "No bureau database is configured; data stays on this kiosk.",
    ),
    "sync_running": ("自动同步：运行中", "Automatic sync: running"),
    "sync_stopped": ("自动同步：未运行", "Automatic sync: not running"),
    "sync_online": ("审批局数据库：已连接", "Bureau database: connected"),
    "sync_offline": ("审批局数据库：暂时无法连接", "Bureau database: not reachable"),
    "sync_backlog": ("待上传 {count} 条", "{count} waiting to be sent"),
    "sync_last_success": ("最近一次成功：{at}", "Last success: {at}"),
    "sync_last_error": ("最近一次错误（{at}）：{error}", "Last error ({at}): {error}"),
    "sync_never": ("尚无", "never"),
    "sync_failures": ("连续失败 {count} 次", "{count} failures in a row"),
    "sync_result": ("已上传 {sent} 条，取回状态 {statuses} 条", "Sent {sent}, pulled {statuses}"),
    "quarantine_title": ("隔离的记录（与审批局不一致，需人工核对）", "Quarantined (differs)"),
    "quarantine_none": ("没有隔离的记录。", "Nothing is quarantined."),
    "quarantine_diff": (
        "{field}：本机「{kiosk}」，审批局「{bureau}」",
        "{field}: here {kiosk!r}, bureau {bureau!r}",
    ),
    "quarantine_unchecked": ("未能与审批局比对", "Not compared with the bureau"),
    # printers
    "printer_kind_ticket": ("号票打印机", "Ticket printer"),
    "printer_kind_notice": ("告知单打印机", "Notice printer"),
    "printer_kind_form": ("申请表打印机", "Form printer"),
    "test_page": ("打印测试页", "Print a test page"),
    "test_ok": ("测试页已打印", "Test page printed"),
    "test_failed": ("测试页未打印：{reason}", "Test page not printed: {reason}"),
    # today
    "today_title": ("{day} 本机数据", "This kiosk on {day}"),
    "today_tickets": ("取号（按队列）", "Tickets by queue"),
    "today_submissions": ("申请（按事项）", "Applications by service"),
    "today_ratings": ("评价", "Ratings"),
    "today_bad": ("差评及原因", "Poor ratings and why"),
    "today_help": ("待处理的呼叫导服", "Open calls for a guide"),
    "today_none": ("暂无", "None yet"),
    "help_at": ("{time} · 在「{screen}」页面 · {spoken}", "{time} · on {screen} · {spoken}"),
    "help_done": ("已处理", "Done"),
    "rating_very_satisfied": ("非常满意", "Very satisfied"),
    "rating_satisfied": ("满意", "Satisfied"),
    "rating_basically_satisfied": ("基本满意", "Fairly satisfied"),
    "rating_dissatisfied": ("不满意", "Dissatisfied"),
    "rating_very_dissatisfied": ("非常不满意", "Very dissatisfied"),
    # reprint
    "reprint_hint": (
        "输入办件编号（如 K7QXM-3P9RT）或今天的号票号码（如 A005），或直接扫描二维码。",
        "Type the code (e.g. K7QXM-3P9RT) or today's ticket number (e.g. A005), or scan it.",
    ),
    "reprint_placeholder": ("办件编号或号票号码", "Code or ticket number"),
    "reprint_go": ("补打", "Reprint"),
    "reprint_ticket": ("号票 {number}：{outcome}", "Ticket {number}: {outcome}"),
    "reprint_forms": ("申请表：{outcome}", "Forms: {outcome}"),
    "printed": ("已打印", "printed"),
    "not_printed": ("未打印", "not printed"),
    # catalog
    "catalog_now": (
        "正在使用：版本 {version} · {items} 个事项 · {bundles} 个主题联办",
        "In use: version {version} · {items} services · {bundles} bundles",
    ),
    "catalog_file": ("目录文件：{path}", "Catalog file: {path}"),
    "catalog_reload": ("校验并重新载入", "Check and reload"),
    "catalog_ok": (
        "新目录已生效：版本 {version}（原版本 {previous}）",
        "The new catalog is in use: version {version} (was {previous})",
    ),
    "catalog_bad": (
        "目录文件有 {count} 处错误，未载入；本机继续使用版本 {version}。",
        "The file has {count} problem(s) and was not loaded; still using version {version}.",
    ),
    # this kiosk
    "default_language": ("下一位访客的默认语言", "Default language for the next visitors"),
    "default_theme": ("下一位访客的显示风格", "Display style for the next visitors"),
    "language_zh": ("中文", "Chinese"),
    "language_en": ("English", "English"),
    "theme_standard": ("标准", "Standard"),
    "theme_elder": ("长者大字", "Large (elder)"),
    "theme_contrast": ("高对比度", "High contrast"),
    "exit_kiosk_title": ("关闭自助机", "Close the kiosk"),
    "exit_kiosk_hint": (
        "停止上传并关闭程序。下次开机或由管理员重新启动。",
        "Stops syncing and closes the program until it is started again.",
    ),
    "exit_kiosk": ("关闭自助机", "Close the kiosk"),
    "exit_kiosk_confirm": ("再按一次确认关闭", "Press again to close"),
    "exit_kiosk_busy": ("正在关闭…", "Closing…"),
    # ID card
    "card_read": ("读取身份证", "Read ID card"),
    "card_hint": (
        "将身份证平放在读卡区，再按“读取身份证”，姓名、证件号码等会自动填好。",
        'Lay the ID card on the reader and press "Read ID card" to fill in the details.',
    ),
    "card_filled": (
        "已从身份证填入 {count} 项，请核对。",
        "{count} detail(s) filled from the card.",
    ),
    "card_nothing": ("身份证已读取，本页没有需要填写的项目。", "Card read; nothing to fill here."),
    # marks beside values
    "mark_staff": ("导服代填", "Typed by staff"),
    "mark_card": ("来自身份证", "From the ID card"),
}


def say(key: str, language: str, **values: object) -> str:
    zh, en = STRINGS[key]
    template = en if language == "en" else zh
    return template.format(**values) if values else template


def source_mark(entered: EnteredValue | None, language: str) -> str:
    """The small tag beside a value that the visitor did not type themselves ("" if they did)."""
    if entered is None:
        return ""
    # By value, not by importing Source: this module loads with the window's first paint.
    if entered.source == "staff":
        return say("mark_staff", language)
    if entered.source == "id_card":
        return say("mark_card", language)
    return ""
