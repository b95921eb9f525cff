"""Crash safety: kiosks killed with SIGKILL at random points during submit and during sync.

Every submission acknowledged to the visitor (the worker printed its id after
``submit`` returned) must end up in the bureau database exactly once after a
final sync, with nothing quarantined and every ticket number unique.
:func:`crash_trials` is also what ``make bench`` runs, with 1,000 trials.
"""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import URL

from kiosk.store.bureau_tables import BureauSubmission, BureauTicket
from kiosk.store.gateway import BureauGateway
from kiosk.store.local import LocalStore
from kiosk.store.models import OutboxEntry, Submission, Ticket
from kiosk.sync import Syncer

pytestmark = pytest.mark.db

TRIALS = int(os.environ.get("KIOSK_CRASH_TRIALS", "200"))
KIOSKS = ("kiosk-a", "kiosk-b")


@dataclass
class CrashReport:
    trials: int
    modes: dict[str, int]
    acknowledged: int  # submissions the visitor was told were saved
    lost: int  # acknowledged but not in the bureau after the final sync
    duplicated: int  # in the bureau more than once, or more rows than the kiosk has
    quarantined: int
    ticket_mismatches: int  # tickets here and in the bureau differ
    seconds: float


def crash_trials(url: str, folder: Path, trials: int, seed: str = "2026") -> CrashReport:
    """Kill kiosks ``trials`` times at random points, then sync to the end and count."""
    started = time.monotonic()
    rng = random.Random(seed)
    paths = {k: folder / f"{k}.sqlite3" for k in KIOSKS}
    for kiosk, path in paths.items():  # migrated once, as a kiosk does at start
        LocalStore.open(f"sqlite:///{path}", kiosk).close()
    errors = (folder / "worker.err").open("w+")  # a child that dies by itself says why
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("crash_worker.py"))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
        bufsize=1,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    assert server.stdin is not None and server.stdout is not None
    worker = _Lines(server.stdout, errors)
    acknowledged: dict[str, set[uuid.UUID]] = {k: set() for k in KIOSKS}
    modes = {"submit": 0, "sync": 0, "both": 0}
    try:
        assert worker.next() == ["server", "ready"]
        for trial in range(trials):
            kiosk = KIOSKS[trial % 2]
            mode = rng.choice(["submit", "sync", "both"]) if trial >= 4 else "submit"
            modes[mode] += 1
            job = {
                "store": str(paths[kiosk]),
                "bureau": url,
                "kiosk": kiosk,
                "mode": mode,
                "seed": str(rng.getrandbits(32)),
            }
            worker.transcript.append(f"-- trial {trial} ({mode}, {kiosk})")
            server.stdin.write(json.dumps(job) + "\n")
            first = worker.next()
            assert first[0] == "pid", worker.story()
            pid = int(first[1])
            for _ in range(rng.randint(0, 12)):  # let it run a random number of steps …
                line = worker.next()
                assert line[0] != "exit", worker.story("the kiosk died by itself")
                if line[0] == "ack":
                    acknowledged[kiosk].add(uuid.UUID(line[1]))
            os.kill(pid, signal.SIGKILL)  # … and kill it wherever it is now
            while (line := worker.next())[0] != "exit":
                if line[0] == "ack":
                    acknowledged[kiosk].add(uuid.UUID(line[1]))
    finally:
        server.stdin.close()
        server.wait(30)
        server.stdout.close()
        errors.close()

    report = CrashReport(trials, modes, sum(len(a) for a in acknowledged.values()), 0, 0, 0, 0, 0)
    gateway = BureauGateway.connect(url)
    try:
        for kiosk, path in paths.items():  # the kiosk restarts and syncs to the end
            store = LocalStore.open(f"sqlite:///{path}", kiosk)
            Syncer(store, gateway, batch_size=500).drain()
            report.quarantined += len(store.outbox.quarantined()) + store.outbox.backlog()
            with store.sessions() as session:
                local_ids = set(session.scalars(select(Submission.id)))
                local_tickets = set(session.scalars(select(Ticket.id)))
                unsynced = session.scalar(select(func.count()).where(OutboxEntry.state != "synced"))
                report.quarantined += int(unsynced or 0)
            store.close()
            with gateway.engine.connect() as connection:
                in_bureau = list(
                    connection.execute(
                        select(BureauSubmission.id).where(BureauSubmission.kiosk_id == kiosk)
                    ).scalars()
                )
                bureau_tickets = set(
                    connection.execute(
                        select(BureauTicket.id).where(BureauTicket.kiosk_id == kiosk)
                    ).scalars()
                )
            report.lost += len(acknowledged[kiosk] - set(in_bureau))
            report.duplicated += len(in_bureau) - len(set(in_bureau))
            report.duplicated += len(set(in_bureau) - local_ids)
            report.ticket_mismatches += len(bureau_tickets ^ local_tickets)
    finally:
        gateway.dispose()
    report.seconds = time.monotonic() - started
    return report


@pytest.mark.timeout(900)  # 200 trials: ~30 s alone, minutes on a loaded 2-core box
def test_acknowledged_submissions_survive_sigkill(
    pg_bureau_url: URL, pg_bureau: Engine, tmp_path: Path
) -> None:
    url = pg_bureau_url.render_as_string(hide_password=False)
    report = crash_trials(url, tmp_path, TRIALS, os.environ.get("KIOSK_CRASH_SEED", "2026"))
    assert report.acknowledged > TRIALS
    assert min(report.modes.values()) > TRIALS // 5
    assert (report.lost, report.duplicated, report.quarantined) == (0, 0, 0), report
    assert report.ticket_mismatches == 0, report


class _Lines:
    """The worker's output, line by line, read on a thread: a silent worker fails the
    test after a minute with what it said so far, instead of hanging the run."""

    WAIT_S = 60.0

    def __init__(self, stream: IO[str], errors: IO[str]):
        self.errors = errors
        self.transcript: list[str] = []
        self._lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line)
        self._lines.put("")  # end of output

    def next(self) -> list[str]:
        try:
            line = self._lines.get(timeout=self.WAIT_S)
        except queue.Empty:
            silent = f"no word from the worker in {self.WAIT_S:.0f} s"
            raise AssertionError(self.story(silent)) from None
        assert line, self.story("the worker server ended")
        self.transcript.append(line.rstrip("\n"))
        return line.split()

    def story(self, what: str = "unexpected line") -> str:
        self.errors.seek(0)
        said = "\n".join(self.transcript[-40:])
        return f"{what}\n--- worker said:\n{said}\n--- its stderr:\n{self.errors.read()[-3000:]}"
