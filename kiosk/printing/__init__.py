"""Documents (queue ticket, 一次性告知 notice, pre-filled forms) as PDF bytes; printer backends.

Import from the modules (this package stays light, so the store can build a
``TicketSlip`` without loading ReportLab):

* :mod:`kiosk.printing.slip` — ``TicketSlip``, what a ticket says (plain data);
* :mod:`kiosk.printing.documents` — ``ticket_document``, ``notice_document``,
  ``application_document``: render and label a document for printing;
* :mod:`kiosk.printing.printers` — ``print_document`` / ``printer_for(settings, kind)``
  → ``PrintResult`` (accepted, or the calm reason why not) and ``status()`` for staff;
* :mod:`kiosk.printing.breaker` — ``PrinterSet``: the kiosk's printers, each behind a
  circuit breaker (what the services print through); :mod:`~kiosk.printing.escpos_wire`
  — the ESC/POS link and status bytes;
* :mod:`kiosk.printing.ticket`, :mod:`~kiosk.printing.notice`, :mod:`~kiosk.printing.form`
  — the ReportLab renderers (``TicketRenderer``, ``NoticeRenderer``, ``FormRenderer``,
  ``BundleRenderer``; ``render()`` → PDF bytes), built from the shared pieces in
  :mod:`~kiosk.printing.layout`; :mod:`~kiosk.printing.thermal` — the ESC/POS ticket;
* :mod:`kiosk.printing.fonts` — the shipped CJK font (``font_path()`` for Qt too).

Everything here is synchronous and may block on a printer: call it off the GUI thread.
"""
