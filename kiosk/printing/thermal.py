"""The queue ticket as ESC/POS commands for a thermal roll printer.

Thermal ticket printers do not take PDF: the ticket is sent as text in the
printer's own Chinese font (GBK, after ``FS &`` selects Chinese mode), the
number in 4× type, the QR code drawn by the printer itself (``GS ( k``), then a
cut (``GS V``).  The bytes are built in memory first (python-escpos ``Dummy``),
so the device gets the whole ticket in one write or nothing.
"""

from __future__ import annotations

from escpos.printer import Dummy

from kiosk.printing.layout import local_time
from kiosk.printing.slip import TicketSlip, qr_text, windows_text

CHINESE_MODE = b"\x1c\x26"  # FS &: two-byte (GB) characters from here on
COLUMNS = 48  # font A on 80 mm paper: 48 half-width columns, 24 Chinese characters
QR_DOT = 6  # module size in printer dots: about 25 mm for a short URL


def gbk(text: str) -> bytes:
    # A character outside GBK would come out as garbage on the printer; '?' is honest.
    return text.encode("gbk", errors="replace")


def escpos_ticket(slip: TicketSlip, status_url: str | None = None) -> bytes:
    p = Dummy()
    p.hw("INIT")
    p._raw(CHINESE_MODE)

    def line(text: str = "") -> None:
        p._raw(gbk(text) + b"\n")

    p.set(align="center", normal_textsize=True)
    line(slip.hall_name)
    line("-" * COLUMNS)
    line("您的排队号码")
    p.set(align="center", custom_size=True, width=4, height=4)
    line(slip.number)
    p.set(align="center", normal_textsize=True)
    if slip.priority:
        # The lane's own name is the queue line below (绿色通道, 爱心通道…: the catalog's).
        p.set(align="center", invert=True, double_height=True)
        line(" 优先办理 ")
        p.set(align="center", invert=False, normal_textsize=True)
    p.set(align="center", double_height=True)
    line(slip.queue_name)
    p.set(align="center", normal_textsize=True)
    line(f"请到 {windows_text(slip.windows)} 号窗口办理")
    line("- " * (COLUMNS // 2))
    if slip.people_ahead is None:
        line("网络暂时中断，无法显示前面等候人数")
        line("请留意大厅叫号屏和语音叫号")
    else:
        line(f"您前面还有 {slip.people_ahead} 人等候")
        if slip.wait_minutes is not None:
            line(f"预计等候约 {slip.wait_minutes} 分钟")
    line(f"取号时间：{local_time(slip.issued_at)}")
    if slip.masked_id:
        line(f"身份证号：{slip.masked_id}")
    if slip.submission_code:
        line("- " * (COLUMNS // 2))
        line("办件编号")
        p.set(align="center", double_height=True, double_width=True)
        line(slip.submission_code)
        p.set(align="center", normal_textsize=True)
        # native=True: the printer draws the code itself (GS ( k), sharp at any size.
        # Centring comes from ESC a above; python-escpos only refuses its own centring.
        p.qr(qr_text(slip.submission_code, status_url), size=QR_DOT, native=True)
        line()
        line("扫码或凭编号查询办理进度")
    line("-" * COLUMNS)
    line("过号请到导服台重新取号 · 请妥善保管本票")
    p.cut()
    return p.output
