"""The window's own words in Chinese and English: the visitor's screens and the staff pages.

One table of (zh, en) pairs by name, looked up with :func:`text` (or kept as a
:class:`~kiosk.message.Message` with :func:`words`) — the same ``Message`` the
services hand the window for their calm sentences (kiosk.services.messages).  Catalog
content (item names, questions, materials) carries its own zh/en
:class:`~kiosk.catalog.model.Text`; this table holds only the kiosk's fixed wording —
buttons, titles, hints — so a language switch is a lookup.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kiosk.message import Message

if TYPE_CHECKING:  # kiosk.forms is heavy; this module is on the cold-start path
    from kiosk.forms.filling import EnteredValue

STRINGS: dict[str, tuple[str, str]] = {
    # header and footer
    "language_switch": ("English", "中文"),
    "call_guide": ("呼叫导服", "Call a guide"),
    "guide_called": (
        "已通知导服人员，请在原地稍候，工作人员马上过来。",
        "A guide has been called. Please wait here; someone is on the way.",
    ),
    "guide_failed": (
        "暂时无法呼叫，请向大厅内穿马甲的工作人员招手。",
        "Could not call a guide just now; please wave to a staff member in a vest.",
    ),
    "back": ("返回", "Back"),
    "home": ("首页", "Home"),
    "busy": ("请稍候…", "One moment…"),
    # home
    "welcome": ("您好，请选择要办理的业务", "Hello — what would you like to do?"),
    "welcome_hint": (
        "轻触下面的大按钮。需要帮助请按右上角“呼叫导服”。",
        'Touch one of the large buttons. For help, press "Call a guide" at the top.',
    ),
    "tile_apply": ("我要办", "Apply"),
    "tile_apply_hint": (
        "选择事项，回答几个问题，填写并打印申请表",
        "Choose a service, answer a few questions, fill in and print the form",
    ),
    "tile_ticket": ("取号", "Take a ticket"),
    "tile_ticket_hint": ("直接排队到窗口办理", "Queue for a window"),
    "tile_guide": ("办事指南/咨询", "Guide & questions"),
    "tile_guide_hint": ("查条件、时限、材料", "Conditions, time limits, documents"),
    "tile_bundle": ("主题联办", "Bundled services"),
    "tile_bundle_hint": ("几件事一次申请", "Several services in one go"),
    "tile_event": ("一件事", "Life events"),
    "tile_event_hint": ("按人生大事查找", "Find by life event"),
    "tile_status": ("办件查询", "Check status"),
    "tile_status_hint": ("输入或扫描办件码", "Type or scan your code"),
    "tile_rating": ("评价", "Rate us"),
    "tile_rating_hint": ("好差评", "Tell us how we did"),
    # catalog
    "catalog_title": ("选择事项", "Choose a service"),
    "catalog_guide_title": ("办事指南", "Service guide"),
    "catalog_hint": (
        "按类别浏览，或在搜索框输入名称、拼音或拼音首字母（如 xsr）",
        "Browse by category, or search by name or pinyin (e.g. xsr)",
    ),
    "search_caption": ("搜索事项", "Search"),
    "search_placeholder": (
        "搜索事项，如：医保、营业执照、ybcb",
        "Search by name, e.g. insurance, licence, yibao",
    ),
    "all_categories": ("全部", "All"),
    "no_results": (
        "没有找到相关事项。可以换个说法，或按“呼叫导服”请工作人员帮忙。",
        'Nothing found. Try other words, or press "Call a guide".',
    ),
    "bundle_tag": ("主题联办", "Bundle"),
    "immediate": ("即办件", "Same-day"),
    "promised": ("承诺件 · {days} 个工作日", "{days} working days"),
    "online_too": ("也可网上办", "Also online"),
    "windows": ("{windows} 号窗口", "Window {windows}"),
    # item detail
    "item_conditions": ("受理条件", "Who can apply"),
    "item_time": ("办理时限", "Time limit"),
    "item_time_immediate": (
        "即办件，材料齐全当场办结",
        "Done on the spot when documents are complete",
    ),
    "item_time_promised": (
        "承诺 {promised} 个工作日（法定 {statutory} 个工作日）",
        "{promised} working days promised ({statutory} by law)",
    ),
    "item_fee": ("收费标准", "Fee"),
    "item_window": ("办理窗口", "Where"),
    "item_department": ("主管部门", "Department"),
    "item_basis": ("办理依据", "Legal basis"),
    "item_start": ("开始办理", "Start"),
    "item_start_hint": (
        "先回答几个问题，确认能否办理，并告诉您需要带哪些材料。",
        "First a few questions: whether you can apply, and which documents to bring.",
    ),
    # consultation
    "consult_title": ("回答几个问题", "A few questions"),
    "consult_progress": ("第 {n} 题", "Question {n}"),
    "consult_about": ("关于：{item}", "About: {item}"),
    "yes": ("是", "Yes"),
    "no": ("否", "No"),
    # verdict
    "verdict_title": ("咨询结果", "Result"),
    "verdict_ok": ("您可以办理", "You can apply"),
    "verdict_ok_bundle": ("这些事项您都可以办理", "You can apply for all of these"),
    "verdict_no": ("暂时不能在这里办理", "This cannot be done here yet"),
    "verdict_instead": ("建议：{instead}", "Instead: {instead}"),
    "materials_title": ("请准备以下材料（一次性告知）", "Please bring (complete list)"),
    "material_counts": (
        "原件 {originals} 份 · 复印件 {copies} 份",
        "{originals} original · {copies} copy",
    ),
    "material_original_only": ("原件 {originals} 份", "{originals} original"),
    "material_either": ("纸质或电子版均可", "Paper or electronic"),
    "material_electronic": ("电子版", "Electronic"),
    "material_for": ("用于：{items}", "For: {items}"),
    "material_obtain": ("如何取得：{obtain}", "How to get it: {obtain}"),
    "print_notice": ("打印材料清单", "Print this list"),
    "notice_printed": ("材料清单已打印，请在下方出纸口取走。", "Printed — please take it below."),
    "print_failed": (
        "打印机暂时不可用，请用手机拍下这一页，或请导服人员帮忙。",
        "The printer is unavailable; take a photo of this page or ask a guide.",
    ),
    "fill_forms": ("填写申请表", "Fill in the form"),
    "change_items": ("修改办理事项", "Change the services"),
    # bundles and life events
    "bundles_title": ("主题联办", "Bundled services"),
    "bundles_hint": (
        "一次申请多个相关事项，共用的信息只填一次。",
        "Apply for several related services at once; shared details typed once.",
    ),
    "bundle_members": ("{count} 个事项", "{count} services"),
    "picker_hint": (
        "必办事项已为您选好；可选事项轻触即可加入或取消。",
        "Required services are already in; touch an optional one to add or remove it.",
    ),
    "required": ("必办", "Required"),
    "optional": ("可选", "Optional"),
    "chosen": ("已选", "Chosen"),
    "picker_next": ("下一步（共 {count} 项）", "Next ({count} services)"),
    "events_title": ("一件事", "Life events"),
    "events_hint": (
        "按人生大事查找需要办理的事项和先后顺序。",
        "Find what to do, and in which order, for a life event.",
    ),
    "event_steps": ("共 {count} 个步骤", "{count} steps"),
    "event_then": ("之后通常办理：{items}", "Usually next: {items}"),
    "view_guide": ("查看 ›", "View ›"),
    # apply
    "apply_title": ("填写申请表", "Application form"),
    "apply_progress": ("第 {n} 页，共 {total} 页 · {page}", "Page {n} of {total} · {page}"),
    "shared_feeds": ("这些信息将自动填入：{items}", "These details go on every form: {items}"),
    "optional_field": ("（选填）", "(optional)"),
    "next_page": ("下一页", "Next"),
    "to_review": ("核对填写内容", "Check your answers"),
    "back_to_review": ("回到核对页", "Back to the summary"),
    "page_has_errors": (
        "还有 {count} 处需要修改，请看红色提示。",
        "{count} answer(s) need attention; see the red notes.",
    ),
    "keypad_for": ("正在填写：{field}", "Typing: {field}"),
    "keypad_idle": (
        "轻触输入框开始填写：号码用这里的数字键盘，中文用屏幕键盘上的拼音。",
        "Touch a box to start: numbers on this keypad, text on the on-screen keyboard.",
    ),
    "key_clear": ("清空", "Clear"),
    "key_done": ("完成", "Done"),
    "key_next": ("下一项", "Next field"),
    "key_hide": ("收起键盘", "Hide keyboard"),
    "elder_off": ("大字", "Large text"),
    "elder_on": ("✓ 大字", "✓ Large"),
    "read_aloud": ("朗读", "Read aloud"),
    "read_no_audio": ("无声音", "No sound"),
    "nothing_to_read": ("这一页没有可朗读的内容。", "There is nothing to read on this page."),
    "leave_form_title": ("要离开这张表吗？", "Leave this form?"),
    "leave_form_body": (
        "您已经填写的内容会全部清除。",
        "Everything you have filled in will be cleared.",
    ),
    "leave_form_stay": ("继续填写", "Keep filling in"),
    "leave_form_go": ("放弃填写", "Discard and leave"),
    "prefilled_from": ("来自：{source}", "From: {source}"),
    "date_choose": ("点这里选择日期", "Tap to choose the date"),
    "date_shown": ("{y} 年 {m} 月 {d} 日", "{d} {month} {y}"),
    "address_choose": ("点这里选择省、市、区", "Tap to choose province, city, district"),
    "picker_decade": ("请选择年份", "Choose the year"),
    "picker_year": ("请选择年份", "Choose the year"),
    "picker_month": ("{y} 年 · 请选择月份", "{y} · choose the month"),
    "picker_day": ("{y} 年 {m} 月 · 请选择日", "{month} {y} · choose the day"),
    "picker_decade_button": ("{y} 年代", "{y}s"),
    "picker_year_button": ("{y} 年", "{y}"),
    "picker_month_button": ("{m} 月", "{month}"),
    "picker_back": ("上一步", "Back"),
    "picker_cancel": ("取消", "Cancel"),
    "picker_province": ("请选择省份", "Choose the province"),
    "picker_city": ("{province} · 请选择城市", "{province} · choose the city"),
    "picker_district": (
        "{province} {city} · 请选择区县",
        "{province} {city} · choose the district",
    ),
    "picker_other_province": ("换省份", "Another province"),
    "picker_other_city": ("换城市", "Another city"),
    "address_province": ("省", "Province"),
    "address_city": ("市", "City"),
    "address_district": ("区（县）", "District"),
    "address_detail": ("详细地址（街道、门牌号）", "Street and number"),
    # review
    "review_title": ("核对填写内容", "Check your answers"),
    "review_hint": ("轻触任意一行即可返回修改。", "Touch any line to change it."),
    "review_empty": ("未填写", "Not filled in"),
    "review_change": ("修改", "Change"),
    "review_missing": (
        "还有 {count} 项需要补充，轻触红色的行去填写。",
        "{count} item(s) still needed; touch a red line to fill it in.",
    ),
    "review_ready": (
        "全部填写完整，请核对后提交。",
        "Everything is filled in; check, then submit.",
    ),
    "submit": ("确认提交", "Submit"),
    "to_preview": ("下一步：预览申请表", "Next: preview the forms"),
    # preview
    "preview_title": ("申请表预览", "Preview of your forms"),
    "preview_hint": (
        "这就是将为您打印的申请表。请核对，无误后点“确认提交”。",
        'These are the forms that will be printed. Check them, then press "Submit".',
    ),
    "preview_rendering": ("正在生成预览…", "Preparing the preview…"),
    "preview_pages": ("共 {count} 页", "{count} page(s)"),
    "preview_scroll": ("上下拖动可翻页", "Drag up or down to turn the pages"),
    "preview_failed": (
        "预览暂时无法显示，您仍然可以提交，申请表会照常打印。",
        "The preview cannot be shown just now; you can still submit and the forms will print.",
    ),
    "preview_next": (
        "确认提交后，本机保存您的申请，并打印排队号票和这份申请表。",
        "When you submit, the kiosk saves your application and prints your ticket and these forms.",
    ),
    "preview_change": ("返回修改", "Change something"),
    # done (after submit or 取号)
    "done_title": ("办理完成", "All done"),
    "done_ticket_title": ("取号成功", "Your ticket"),
    "done_held_title": ("您已有排队号码", "You already have a ticket"),
    "done_your_number": ("您的排队号码", "Your ticket number"),
    "done_priority": ("优先办理", "Served first"),
    "done_go_to": ("请到 {windows} 号窗口等候叫号", "Please wait for window {windows} to call you"),
    "done_ahead": (
        "前面还有 {ahead} 人，预计等候约 {minutes} 分钟",
        "{ahead} ahead of you, about {minutes} min wait",
    ),
    "done_ahead_none": (
        "前面没有人等候，请留意叫号",
        "Nobody is ahead of you; listen for your number",
    ),
    "done_ahead_no_wait": ("前面还有 {ahead} 人", "{ahead} ahead of you"),
    "done_offline": (
        "暂时联系不到审批局系统，无法显示前面的等候人数，请留意大厅叫号屏。",
        "The bureau's system cannot be reached, so the number of people ahead is unknown; "
        "please watch the calling screen.",
    ),
    "done_standalone": (
        "请留意大厅叫号屏，听到您的号码后前往窗口。",
        "Please watch the calling screen and go to the window when your number is called.",
    ),
    "done_no_ticket": ("本机暂时无法取号", "No ticket number right now"),
    "done_code": ("办件编号", "Application code"),
    "done_code_hint": (
        "凭此编号可查询办理进度，也可请导服人员补打。",
        "Use this code to check progress, or to have staff reprint your papers.",
    ),
    "done_papers": ("打印", "Printing"),
    "done_printing_line": ("{doc}：正在打印…", "{doc}: printing…"),
    "done_printed_line": ("✓ {doc}：已打印", "✓ {doc}: printed"),
    "done_failed_line": (
        "✗ {doc}：未能打印：请凭办件编号到导服台补打",
        "✗ {doc}: not printed — show your application code at the guide desk to reprint it",
    ),
    "done_failed_ticket_line": (
        "✗ {doc}：未能打印：请记住您的号码，可到导服台补打",
        "✗ {doc}: not printed — remember your number; the guide desk can reprint it",
    ),
    "done_take_papers": (
        "请在下方出纸口取走，带上申请表和材料到窗口。",
        "Take them from the slot below; bring the forms and your documents to the window.",
    ),
    "done_take_ticket": ("请在下方出纸口取走号票。", "Take your ticket from the slot below."),
    "done_while_waiting": (
        "等候期间，可以在“办事指南”查看要带的材料，或在“我要办”提前填好申请表，到窗口更快。",
        'While you wait: see which documents to bring under "Guide", or fill in the form '
        'under "Apply" — it is quicker at the window.',
    ),
    "doc_ticket": ("排队号票", "Queue ticket"),
    "doc_form": ("申请表", "Application forms"),
    "ticket_not_printed": (
        "号票未能打印，请记住您的号码 {number}，留意叫号；需要纸质号票可请导服人员补打。",
        "The ticket did not print. Please remember your number {number} and listen for it; "
        "a guide can reprint it.",
    ),
    "reprint_offer": (
        "您今天已领取 {number} 号，仍在等候中，无需重新取号。需要重新打印号票吗？",
        "You already hold ticket {number}, still waiting; no new number is needed. "
        "Print that ticket again?",
    ),
    "reprint": ("补打号票", "Reprint my ticket"),
    "reprinted": ("号票已补打，请在下方出纸口取走。", "Reprinted — please take it below."),
    "rate_this": ("评价本次服务", "Rate this service"),
    "finish": ("完成，返回首页", "Finish"),
    "announce_ticket": (
        "您已领取{number}号，前方等待{ahead}人",
        "You have ticket {number}. {ahead} people are ahead of you.",
    ),
    "announce_ticket_offline": ("您已领取{number}号", "You have ticket {number}."),
    # 取号
    "ticket_title": ("取号", "Take a ticket"),
    "ticket_hint": (
        "选择要办理的业务类别，取号后到对应窗口等候叫号。",
        "Choose what you have come for, then wait for those windows to call you.",
    ),
    "ticket_queue_windows": ("{windows} 号窗口", "Windows {windows}"),
    "ticket_priority": ("我需要走{lane}", "I need the {lane}"),
    "ticket_id": ("身份证号码（选填）", "ID number (optional)"),
    "ticket_id_hint": (
        "填写后，同一证件同类业务每天只发一个号，已取的号可以补打。",
        "With it, one ticket per ID per service a day; a ticket you hold can be reprinted.",
    ),
    "ticket_take": ("取号", "Take a ticket"),
    "ticket_failed": (
        "暂时无法取号，请稍后再试，或到导服台取号。",
        "No ticket just now; please try again or ask at the guide desk.",
    ),
    "ticket_choose": ("请先选择业务类别", "Choose a service first"),
    # 好差评
    "rating_title": ("服务评价", "Rate our service"),
    "rating_hint": (
        "您的评价直接送达审批局，帮助我们改进。",
        "Your rating goes straight to the bureau and helps us improve.",
    ),
    "rating_of": ("评价：{label}", "Rating: {label}"),
    "rating_code": ("请输入要评价的办件编号", "Type the application code you want to rate"),
    "level_very_satisfied": ("非常满意", "Very satisfied"),
    "level_satisfied": ("满意", "Satisfied"),
    "level_basically_satisfied": ("基本满意", "Mostly satisfied"),
    "level_dissatisfied": ("不满意", "Dissatisfied"),
    "level_very_dissatisfied": ("非常不满意", "Very dissatisfied"),
    "rating_reasons": (
        "请选择不满意的原因（至少一项，可多选）",
        "What went wrong? (at least one; choose all that apply)",
    ),
    "rating_send": ("提交评价", "Send rating"),
    "rating_choose": ("请先选择满意程度", "Choose how satisfied you were"),
    "rating_need_reason": ("请至少选择一项原因", "Choose at least one reason"),
    "rating_need_code": ("请输入办件编号", "Type the application code"),
    "rating_thanks": ("感谢您的评价！", "Thank you for your rating!"),
    "rating_thanks_hint": (
        "我们会认真对待每一条意见。",
        "Every rating is read and followed up.",
    ),
    "rating_failed": (
        "评价暂时没有保存，请稍后再试，或按“呼叫导服”。",
        'The rating was not saved just now; please try again or press "Call a guide".',
    ),
    # 办件查询
    "status_title": ("办件查询", "Check the status"),
    "status_hint": (
        "输入申请表上的办件编号，或把申请表上的二维码对准扫描口。",
        "Type the application code from your forms, or hold their QR code to the scanner.",
    ),
    "status_placeholder": ("例如 K7QXM-3P9RT", "e.g. K7QXM-3P9RT"),
    "status_query": ("查询", "Check"),
    "status_code": ("办件编号 {code}", "Code {code}"),
    "status_item": ("办理事项：{item}", "Service: {item}"),
    "status_ticket": ("排队号码：{number}", "Ticket: {number}"),
    "status_changed": ("更新时间：{at}", "Updated: {at}"),
    "status_from_bureau": ("以上为审批局系统的实时进度。", "Live from the bureau's system."),
    "status_unreachable": (
        "暂时无法连接审批局系统，请稍后再试，或到窗口咨询。",
        "The bureau's system cannot be reached right now; please try later or ask at a window.",
    ),
    "status_failed": (
        "暂时无法查询，请稍后再试，或到窗口咨询。",
        "The status cannot be checked just now; please try later or ask at a window.",
    ),
    "status_need_code": ("请先输入办件编号", "Type the code first"),
    # the code keyboard
    "codepad_hint": (
        "编号只有数字 2–9 和字母，没有 0、1、I、O。",
        "Codes use the digits 2–9 and letters, never 0, 1, I or O.",
    ),
    "submit_failed": (
        "暂时无法提交，您填写的内容还在。请稍后再试，或按“呼叫导服”。",
        "Could not submit just now; nothing you typed is lost. Try again or call a guide.",
    ),
    # idle
    "idle_title": ("您还在吗？", "Are you still there?"),
    "idle_body": (
        "{seconds} 秒后将回到首页，并清除您填写的全部信息。",
        "In {seconds} seconds the kiosk returns to the start and forgets everything you entered.",
    ),
    "idle_continue": ("继续办理", "Continue"),
    # the catalog's case constructs (#13): progress, "later", fees, provided, no form
    "consult_progress_of": ("第 {n} 题，共 {m} 题", "Question {n} of {m}"),
    "verdict_later": ("暂时还不能办理", "Not yet: one step first"),
    "verdict_first": ("请先：{first}", "First: {first}"),
    "verdict_where": ("办理地点：{where}", "Where: {where}"),
    "materials_come_back": (
        "办好后，请带齐以下材料再来（一次性告知）",
        "When that is done, come back with (complete list)",
    ),
    "fees_title": ("收费", "Fees"),
    "fee_line": ("{note}：{amount} 元", "{note}: {amount} yuan"),
    "fee_total": ("合计 {amount} 元", "Total {amount} yuan"),
    "provided_title": (
        "以下材料由本次一起办理的事项产生，无需提交",
        "Not needed: another service you apply for produces them",
    ),
    "provided_line": ("{material}（由“{item}”办理后产生）", "{material} (from {item})"),
    "nothing_to_bring": ("无需提交材料", "Nothing to bring"),
    "take_ticket": ("取号办理", "Take a ticket"),
    "no_form_hint": (
        "这项业务无需填表：看清材料清单后，在下一页选择“{queue}”取号，到窗口办理。",
        'No form to fill: read the list, then take a ticket for "{queue}" on the next page.',
    ),
    "item_start_hint_no_form": (
        "先回答几个问题，确认能否办理、需要带哪些材料；这项业务无需填表，之后取号到窗口办理。",
        "First a few questions, then the list to bring; no form to fill — take a ticket after.",
    ),
    # ── staff mode (kiosk.ui.staff): the guide's PIN pad, panel pages and marks ──
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
    "not_ready": (
        "本机正在启动，请稍后再试。",
        "The kiosk is still starting; please try again in a moment.",
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
    "printer_down_since": (
        "{time} 起不可用，每 5 秒自动重试",
        "down since {time}; retried every 5 s",
    ),
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


def words(key: str) -> Message:
    """A fixed wording as a zh/en Message (kept by a screen and shown in either language)."""
    return Message(*STRINGS[key])


def text(key: str, language: str, **values: object) -> str:
    """The wording ``key`` in ``language``, ``{name}`` filled in from ``values``."""
    return words(key)(language, **values)


def source_mark(entered: EnteredValue | None, language: str) -> str:
    """The small tag beside a value that the visitor did not type themselves ("" if they did)."""
    if entered is None:
        return ""
    # By value, not by importing Source: this module loads with the window's first paint.
    if entered.source == "staff":
        return text("mark_staff", language)
    if entered.source == "id_card":
        return text("mark_card", language)
    return ""


def listing(parts: Iterable[object], language: str) -> str:
    """Items in a row, punctuated for the language: 3、4、5 in Chinese, 3, 4, 5 in English."""
    return ("、" if language == "zh" else ", ").join(str(part) for part in parts)
