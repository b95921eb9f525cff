"""Faults and contention against the bureau database (issue #12's bench).

* 20 kiosk processes × 40 leases each against one counter row, on PostgreSQL and on
  MariaDB: success % and leases/s (target 100 %).
* Recovery after a 150 s outage (a TCP proxy refusing every connection): seconds from
  the bureau's return to the first block leased (target ≤ 5 s) and to a backlog of
  1,000 submissions drained (target ≤ 10 s).
* SIGKILL trials: kiosks killed at random points of submit and sync, then synced to
  the end — submissions lost and duplicated (target 1,000 trials, 0 and 0).  The test
  suite runs the same trials with a smaller count (KIOSK_CRASH_TRIALS, default 200).

Fresh ``kiosk_bench_<random>`` databases on the servers at KIOSK_TEST_PG_URL and
KIOSK_TEST_MARIADB_URL, dropped afterwards.
"""

from __future__ import annotations

import itertools
import os
import secrets
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from kiosk.numbering import BAND_LEASE, NoTicketNumber, QueueRef
from kiosk.store.gateway import BureauGateway
from kiosk.store.local import LocalStore
from kiosk.store.models import TicketBlock
from kiosk.store.ticket_book import TicketBook
from kiosk.sync import Syncer, SyncWorker
from tests.store.conftest import add_backlog
from tests.store.tcp_proxy import TcpProxy
from tests.store.test_crash import crash_trials
from tests.store.test_leasing import run_leasers

PG_URL = os.environ.get("KIOSK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
MARIADB_URL = os.environ.get("KIOSK_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
QUEUE = QueueRef("livelihood", "B", minutes_per_visitor=8, windows=3)
OUTAGE_S = float(os.environ.get("KIOSK_BENCH_OUTAGE_S", "150"))
CRASH_TRIALS = int(os.environ.get("KIOSK_BENCH_CRASH_TRIALS", "1000"))


class Scratch:
    """A migrated bureau database of its own, dropped afterwards."""

    def __init__(self, server_url: str) -> None:
        self.server = make_url(server_url)
        self.name = f"kiosk_bench_{secrets.token_hex(4)}"
        self.admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
        self.postgres = self.server.get_backend_name() == "postgresql"

    def __enter__(self) -> str:
        quoted = f'"{self.name}"' if self.postgres else f"`{self.name}` CHARACTER SET utf8mb4"
        with self.admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {quoted}"))
        url = self.server.set(database=self.name).render_as_string(hide_password=False)
        gateway = BureauGateway.connect(url)
        gateway.upgrade()
        gateway.dispose()
        return url

    def __exit__(self, *exc: object) -> None:
        drop = f'"{self.name}" WITH (FORCE)' if self.postgres else f"`{self.name}`"
        with self.admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {drop}"))
        self.admin.dispose()


def bench_leasing(url: str) -> tuple[float, float, int]:
    """(success %, leases/s, failures) of 20 processes × 40 leases of one number each."""
    results = run_leasers(url, kiosks=20, leases=40, block_size=1)
    ok = sum(len(r["blocks"]) for r in results)
    failures = sum(len(r["failures"]) for r in results)
    elapsed = max(r["end"] for r in results) - min(r["start"] for r in results)
    return 100.0 * ok / 800, ok / elapsed, failures


def _leases(store: LocalStore) -> int:
    with store.sessions() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(TicketBlock).where(TicketBlock.band == BAND_LEASE)
            )
            or 0
        )


def _until(condition, limit: float) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    pause = threading.Event()
    while not condition():
        if time.monotonic() - started > limit:
            return float("nan")
        pause.wait(0.01)
    return time.monotonic() - started


def bench_recovery(url: str, folder: Path) -> tuple[float, float, float]:
    """(s to the first lease, s to drain 1,000, longest gap between probes) after an outage."""
    bureau = make_url(url)
    store = LocalStore.open(f"sqlite:///{folder / 'recovery.sqlite3'}", "bench-recovery")
    with TcpProxy(bureau.host or "127.0.0.1", bureau.port or 5432) as proxy:
        gateway = BureauGateway.connect(bureau.set(host="127.0.0.1", port=proxy.port))
        book = TicketBook("bench-recovery", block_size=20)
        worker = SyncWorker(Syncer(store, gateway, book=book, queues=[QUEUE]))
        worker.start()
        try:
            _until(lambda: _leases(store) >= 1 and worker.online, 60)
            proxy.cut()
            cut_at = time.monotonic()
            while True:
                try:
                    store.issue_ticket(QUEUE, book)
                except NoTicketNumber:
                    break
            held = _leases(store)
            add_backlog(store, book, 1000)
            _until(lambda: time.monotonic() - cut_at >= OUTAGE_S, OUTAGE_S + 10)
            proxy.restore()
            restored = time.monotonic()
            first_lease = _until(lambda: _leases(store) > held, 120)
            _until(lambda: store.outbox.backlog() == 0, 300)
            drained = time.monotonic() - restored
        finally:
            worker.stop()
            gateway.dispose()
            store.close()
        probes = [cut_at, *(t for t in proxy.refused_at if t > cut_at)]
    gap = max((b - a for a, b in itertools.pairwise(probes)), default=0.0)
    return first_lease, drained, gap


def run() -> str:
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with Scratch(PG_URL) as url:
            pg_ok, pg_rate, pg_failed = bench_leasing(url)
        with Scratch(MARIADB_URL) as url:
            my_ok, my_rate, my_failed = bench_leasing(url)
        with Scratch(PG_URL) as url:
            first_lease, drained, gap = bench_recovery(url, folder)
        with Scratch(PG_URL) as url:
            crash_dir = folder / "crash"
            crash_dir.mkdir()
            crash = crash_trials(url, crash_dir, CRASH_TRIALS)

    def verdict(ok: bool) -> str:
        return "✅" if ok else "❌"

    crash_ok = crash.lost == crash.duplicated == crash.quarantined == crash.ticket_mismatches == 0
    return "\n".join(
        [
            "## Bureau faults and contention (`bench/bench_bureau.py`)",
            "",
            "Bureau: PostgreSQL and MariaDB on this machine; local stores SQLite.",
            f"Load average (1 min) at the start and end of the run: {load_start:.1f} → "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared with other work: "
            "the rates of many processes at once fall as the load rises).",
            "",
            "| measure | target | result | |",
            "| --- | --- | --- | --- |",
            f"| 20 processes × 40 leases, PostgreSQL | 100 % | {pg_ok:.1f} % "
            f"({pg_failed} failed), {pg_rate:,.0f} leases/s | {verdict(pg_ok == 100)} |",
            f"| 20 processes × 40 leases, MariaDB | 100 % | {my_ok:.1f} % "
            f"({my_failed} failed), {my_rate:,.0f} leases/s | {verdict(my_ok == 100)} |",
            f"| {OUTAGE_S:.0f} s outage: bureau back → first block leased | ≤ 5 s | "
            f"{first_lease:.1f} s (probes ≤ {gap:.1f} s apart) | {verdict(first_lease <= 5)} |",
            f"| {OUTAGE_S:.0f} s outage: bureau back → backlog of 1,000 drained | ≤ 10 s | "
            f"{drained:.1f} s | {verdict(drained <= 10)} |",
            f"| SIGKILL trials (submit / sync / both: {crash.modes['submit']} / "
            f"{crash.modes['sync']} / {crash.modes['both']}) | 1,000 trials, 0 lost, "
            f"0 duplicated | {crash.trials:,} trials, {crash.acknowledged:,} acknowledged, "
            f"{crash.lost} lost, {crash.duplicated} duplicated, {crash.quarantined} "
            f"quarantined ({crash.seconds:.0f} s) | {verdict(crash_ok and crash.trials >= 1000)} |",
            "",
        ]
    )


if __name__ == "__main__":
    print(run())
