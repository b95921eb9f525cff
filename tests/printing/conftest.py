"""Fixtures for the printing tests: a small catalog of our own (with a bundle), filled cases,
and the real cupsd queue with a way to find what cups-pdf wrote for a job."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.catalog import Catalog, parse_catalog
from kiosk.consult import BundleConsultation, Consultation, MaterialsNotice, build_notice
from kiosk.forms.filling import Filling, Source
from kiosk.printing.slip import TicketSlip

CATALOG = """
meta:
  bureau: {zh: 测试镇行政审批局（便民服务中心）, en: Test Town Approval Bureau}
  version: "test-1"
  note: {zh: 测试用目录。, en: Test catalog.}
  contact: {zh: 咨询电话 0512-1234 5678, en: "Enquiries 0512-1234 5678"}
  address: {zh: 测试镇人民路 1 号, en: "1 Renmin Road"}
categories:
  - {code: business, name: {zh: 生产经营, en: Business}}
departments:
  - {code: scjg, name: {zh: 市场监督管理局, en: Market Regulation}, phone: "0512-1111 2222"}
  - {code: sw, name: {zh: 税务局, en: Taxation}}
queues:
  - code: business
    prefix: C
    name: {zh: 生产经营综合窗口, en: Business windows}
    windows: [6, 7]
materials:
  - id: id_card
    name: {zh: 经营者居民身份证, en: Operator's ID card}
    copies: 1
    issuer: {zh: 公安机关, en: Police}
    obtain: {zh: 本人携带, en: Bring it}
  - id: lease
    name: {zh: 经营场所租赁合同, en: Lease of the premises}
    copies: 1
    issuer: {zh: 出租方, en: Landlord}
    obtain: {zh: 与出租方签订, en: Signed with the landlord}
fields:
  - id: shop_name
    type: text
    max_length: 60
    label: {zh: 个体工商户名称, en: Shop name}
    example: 测试镇小敏餐饮店
  - id: operator_name
    type: text
    max_length: 40
    id_card: name
    label: {zh: 经营者姓名, en: Operator}
    example: 张小敏
  - id: operator_id
    type: id_number
    id_card: id_number
    label: {zh: 经营者身份证号码, en: Operator ID}
    example: "11010519491231002X"
  - id: mobile
    type: mobile
    label: {zh: 联系电话, en: Mobile}
    example: "13812345678"
  - id: premises
    type: address
    label: {zh: 经营场所, en: Premises}
    example: {province: 江苏省, city: 苏州市, district: 吴中区, detail: 测试镇商业街 18 号}
items:
  - code: SC-T-001
    name: {zh: 个体工商户设立登记, en: Sole trader registration}
    category: business
    department: scjg
    legal_basis: {zh: 《促进个体工商户发展条例》, en: Sole trader regulation}
    statutory_days: 3
    promised_days: 1
    fee: {zh: 不收费, en: Free}
    kind: promised
    queue: business
    questions:
      - {id: rents, text: {zh: 经营场所是否为租赁？, en: "Rented premises?"}}
    materials:
      - use: id_card
      - {use: lease, when: {question: rents, equals: true}}
    fields:
      - use: shop_name
      - use: operator_name
      - use: operator_id
      - use: mobile
      - use: premises
      - id: form
        type: choice
        label: {zh: 组成形式, en: Form}
        options:
          - {value: personal, label: {zh: 个人经营, en: Personal}}
          - {value: family, label: {zh: 家庭经营, en: Family}}
        example: personal
      - {id: capital, type: money, label: {zh: 资金数额（万元）, en: Capital}, example: "5.00"}
      - {id: staff, type: integer, label: {zh: 从业人数, en: Staff}, example: 3}
      - {id: opening, type: date, label: {zh: 拟开业日期, en: Opening}, example: "2026-12-01"}
      - id: online_shop
        type: yesno
        label: {zh: 是否开展网络经营, en: "Online?"}
        required: false
        example: false
      - id: scope
        type: long_text
        max_length: 2000
        label: {zh: 经营范围, en: Scope}
        example: 餐饮服务；食品销售（仅销售预包装食品）
  - code: SW-T-002
    name: {zh: 新办纳税人涉税事项套餐, en: New taxpayer package}
    category: business
    department: sw
    legal_basis: {zh: 《中华人民共和国税收征收管理法》, en: Tax collection law}
    statutory_days: 0
    promised_days: 0
    fee: {zh: 不收费, en: Free}
    kind: immediate
    queue: business
    materials:
      - use: id_card
    fields:
      - use: shop_name
      - use: operator_name
      - use: operator_id
      - use: mobile
      - id: invoices
        type: multi_choice
        label: {zh: 申领发票种类, en: Invoices}
        options:
          - {value: general, label: {zh: 增值税普通发票, en: General}}
          - {value: special, label: {zh: 增值税专用发票, en: Special}}
          - {value: electronic, label: {zh: 全面数字化电子发票, en: Digital}}
        example: [general]
bundles:
  - code: BD-T-START
    name: {zh: 我要开餐馆, en: Open a restaurant}
    queue: business
    members:
      - {item: SC-T-001}
      - {item: SW-T-002, required: false}
    shared_fields: [shop_name, operator_name, operator_id, mobile]
end: true
"""

# 2,000 characters: the longest business scope the form allows, no two lines alike.
LONG_SCOPE = "".join(f"第{n:03d}项经营范围：餐饮服务与预包装食品销售；" for n in range(1, 200))[
    :2000
]


@pytest.fixture(scope="session")
def test_catalog() -> Catalog:
    return parse_catalog(CATALOG, "printing-test.yaml")


@dataclass
class Case:
    catalog: Catalog
    filling: Filling
    notice: MaterialsNotice


def fill_examples(filling: Filling, source: Source = Source.CITIZEN) -> None:
    """Every slot's example, as the catalog check types them (a pre-filled one is left be)."""
    assert filling.fill_examples(source) == {}


@pytest.fixture
def item_case(test_catalog: Catalog) -> Case:
    item = test_catalog.items["SC-T-001"]
    consultation = Consultation(item)
    consultation.answer("rents", True)
    filling = Filling.for_item(item)
    fill_examples(filling)
    filling.set("SC-T-001.mobile", "13912345678", Source.STAFF)
    return Case(test_catalog, filling, build_notice(test_catalog, [consultation]))


@pytest.fixture
def bundle_case(test_catalog: Catalog) -> Case:
    bundle = test_catalog.bundles["BD-T-START"]
    chosen = ["SC-T-001", "SW-T-002"]
    consultation = BundleConsultation.start(test_catalog, bundle, chosen)
    consultation.answer(False)
    filling = Filling.for_bundle(bundle, [test_catalog.items[c] for c in chosen])
    fill_examples(filling)
    return Case(test_catalog, filling, consultation.notice())


@pytest.fixture
def slip() -> TicketSlip:
    return TicketSlip(
        hall_name="测试镇行政审批局",
        number="C012",
        queue_name="生产经营综合窗口",
        windows=(6, 7),
        issued_at=datetime(2026, 11, 28, 8, 30, tzinfo=UTC),
        people_ahead=4,
        wait_minutes=48,
        priority=True,
        submission_code="K7M2Q9XP",
        id_tail="002X",
    )


# ── the real cupsd ─────────────────────────────────────────────────────────


def cups_queue_name() -> str:
    return os.environ.get("KIOSK_TEST_CUPS_QUEUE", "PDF")


@pytest.fixture(scope="session")
def cups_queue() -> str:
    """The cups-pdf queue `make test` creates (scripts/start-cupsd.sh); missing → fail, not skip."""
    queue = cups_queue_name()
    if shutil.which("lpstat") is None:
        pytest.fail("CUPS client tools are not installed: run `make system-packages cupsd`")
    probe = subprocess.run(
        ["lpstat", "-p", queue], capture_output=True, text=True, timeout=10, check=False
    )
    if probe.returncode != 0:
        pytest.fail(f"no CUPS queue {queue!r} ({probe.stderr.strip()}): run `make cupsd`")
    subprocess.run(["cupsenable", queue], check=True, timeout=10)
    subprocess.run(["cupsaccept", queue], check=True, timeout=10)
    return queue


def cups_pdf_dirs() -> list[Path]:
    """Where cups-pdf may write: its configured ``Out`` (for root and for the spool user) and
    the anonymous folder — read from /etc/cups/cups-pdf.conf when it is there."""
    out = "${HOME}/PDF"
    anon = "/var/spool/cups-pdf/ANONYMOUS"
    conf = Path("/etc/cups/cups-pdf.conf")
    if conf.exists():
        for line in conf.read_text(encoding="utf-8", errors="replace").splitlines():
            match = re.match(r"^\s*(Out|AnonDirName)\s+(\S+)", line)
            if match and match.group(1) == "Out":
                out = match.group(2)
            elif match:
                anon = match.group(2)
    dirs = [Path(anon), Path("/var/spool/cups-pdf")]
    for home in ("/root", str(Path.home()), "/var/spool/cups-pdf"):
        dirs.append(Path(out.replace("${HOME}", home).replace("${USER}", "root")))
    return [d for d in dict.fromkeys(dirs)]


def find_cups_pdf(job_id: str, since: float) -> Path | None:
    """The PDF cups-pdf wrote for a job: named …job_N.pdf, else the newest one since submit."""
    number = job_id.rsplit("-", 1)[-1]
    fresh: list[Path] = []
    for folder in cups_pdf_dirs():
        if not folder.is_dir():
            continue
        for path in folder.rglob("*.pdf"):
            if path.stat().st_mtime + 1 < since:
                continue
            if path.name.endswith(f"job_{number}.pdf"):
                return path
            fresh.append(path)
    return max(fresh, key=lambda p: p.stat().st_mtime, default=None)


@pytest.fixture
def disabled_queue(cups_queue: str) -> Iterator[str]:
    """The same queue, disabled (cupsdisable) for one test and always re-enabled."""
    subprocess.run(["cupsdisable", cups_queue], check=True, timeout=10)
    try:
        yield cups_queue
    finally:
        subprocess.run(["cupsenable", cups_queue], check=True, timeout=10)


def free_port() -> int:
    """A loopback port nothing listens on (a printer that is switched off)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RawSocketPrinter:
    """A network printer's raw port (9100 style) on loopback: reads each job to the end.

    ``reads=False``: accepts connections but never reads (a printer that froze mid-job).
    """

    def __init__(self, port: int = 0, *, reads: bool = True):
        self.server = socket.create_server(("127.0.0.1", port), reuse_port=False)
        self.server.settimeout(0.1)
        self.port = int(self.server.getsockname()[1])
        self.reads = reads
        self.jobs: list[bytes] = []
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            if not self.reads:
                self._held.append(connection)
                continue
            with connection:
                connection.settimeout(30)
                chunks = []
                try:
                    while chunk := connection.recv(65536):
                        chunks.append(chunk)
                except OSError:
                    pass
                self.jobs.append(b"".join(chunks))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        for connection in self._held:
            connection.close()
        self.server.close()


_queues = itertools.count(1)


@pytest.fixture
def socket_queue(cups_queue: str) -> Iterator[Callable[[int], str]]:
    """Make CUPS queues whose device is socket://127.0.0.1:<port>; removed afterwards."""
    made: list[str] = []

    def make(port: int) -> str:
        name = f"KIOSK_TEST_SOCKET_{os.getpid()}_{next(_queues)}"
        subprocess.run(
            ["lpadmin", "-p", name, "-v", f"socket://127.0.0.1:{port}", "-E"],
            check=True,
            timeout=10,
            capture_output=True,
        )
        made.append(name)
        return name

    yield make
    for name in made:
        subprocess.run(["cancel", "-a", name], timeout=10, check=False, capture_output=True)
        subprocess.run(["lpadmin", "-x", name], timeout=10, check=False, capture_output=True)


def queue_jobs(queue: str) -> list[str]:
    """Every job CUPS holds for a queue (any state)."""
    out = subprocess.run(
        ["lpstat", "-W", "all", "-o", queue],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    ).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]
