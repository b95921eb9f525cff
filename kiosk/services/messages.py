"""The zh/en sentences the services hand the window: problems, statuses, rating reasons.

Only words live here, so a translator or a reviewer of the hall's tone reads one
file; the results and the services pick them.
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.message import Message
from kiosk.statuses import SubmissionStatus

STORE_DOWN = Message(
    "本机暂时无法保存，请稍候再试或联系工作人员",
    "This kiosk cannot save right now; please try again shortly or ask staff",
)
NO_TICKET_NUMBER = Message(
    "本机暂时无法取号，请到导服台取号",
    "No ticket number is available on this kiosk right now; please ask at the guide desk",
)
PRINT_BUG = Message(
    "打印没有完成，工作人员会尽快处理", "Printing did not complete; staff will help"
)
REASONS_NEEDED = Message(
    "请至少选择一项不满意的原因", "Please choose at least one reason you were not satisfied"
)
UNKNOWN_CODE = Message(
    "没有找到这个办件编号，请核对后再试", "No application has this code; please check it"
)
NOT_FOUND_OFFLINE = Message(
    "暂时无法连接审批局系统，本机也没有这个编号的记录，请稍后再试或到窗口咨询",
    "The bureau's system cannot be reached right now and this kiosk has no record of this "
    "code; please try again later or ask at a window",
)
LAST_KNOWN = Message(
    "暂时无法连接审批局系统，以下为本机最近一次获取的进度",
    "The bureau's system cannot be reached right now; this is the last status this kiosk saw",
)
NO_BUREAU = Message(
    "本机未连接审批局数据库，办件数据只保存在本机",
    "This kiosk has no bureau database configured; data stays on this kiosk",
)
BUREAU_DOWN = Message(
    "暂时无法连接审批局数据库，数据已保存在本机，恢复后自动上传",
    "The bureau database cannot be reached; data is kept here and sent when it is back",
)
UNSTORABLE_TEXT = Message(
    "输入的内容含有无法识别的字符，请删除后重新输入",
    "What you typed contains characters that cannot be stored; please delete and retype it",
)
FORMS_PURGED = Message(
    "该申请的个人信息已按规定清除，无法补打申请表",
    "This application's personal data has been erased as required; its forms cannot be reprinted",
)
FORMS_CATALOG_CHANGED = Message(
    "事项目录已更新，该申请的申请表无法按原样补打",
    "The service catalog has changed; this application's forms cannot be reprinted as they were",
)

STATUS_TEXT: Mapping[SubmissionStatus, Message] = {
    SubmissionStatus.RECEIVED: Message("已收件，等待窗口受理", "Received, waiting to be accepted"),
    SubmissionStatus.ACCEPTED: Message("已受理，正在审批", "Accepted, being processed"),
    SubmissionStatus.MORE_MATERIALS: Message(
        "需补正材料，请留意短信或到窗口咨询",
        "More materials are needed; watch for a text message or ask at a window",
    ),
    SubmissionStatus.APPROVED: Message("已办结（准予）", "Approved"),
    SubmissionStatus.REJECTED: Message(
        "不予受理或不予许可，详情请到窗口咨询", "Not approved; please ask at a window for details"
    ),
    SubmissionStatus.READY: Message("已办结，可到窗口领取结果", "Ready to collect at a window"),
}

# Reasons offered for the two lowest ratings (好差评); the visitor may also type their own.
BAD_RATING_REASONS: tuple[Message, ...] = (
    Message("等候时间太长", "Waited too long"),
    Message("办事指南不清楚", "The guidance was unclear"),
    Message("材料要求反复变化", "The materials asked for kept changing"),
    Message("工作人员态度不好", "Staff were unhelpful"),
    Message("自助机操作不方便", "The kiosk was hard to use"),
    Message("需要跑多次", "I had to come more than once"),
)
