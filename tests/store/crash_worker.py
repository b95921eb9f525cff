"""A kiosk that gets killed: the crash-safety test's worker, run as a fork server.

``python crash_worker.py`` imports the store once and then, for every JSON
line on stdin (local store path, bureau URL, kiosk id, mode, seed), forks a
child that submits and/or syncs until it is killed with SIGKILL.  The child
prints "pid N" first, "ack ID" after each submit returned (the visitor would
now be told "submitted"), and a line at several points of each sync step, so
the test can kill it anywhere.  The server prints "exit N" when the child is
gone.  Forking a pre-imported process keeps 200 trials to seconds.
"""

from __future__ import annotations

import json
import os
import random
import sys

from kiosk.numbering import QueueRef
from kiosk.store.gateway import BureauGateway
from kiosk.store.local import LocalStore
from kiosk.store.ticket_book import TicketBook
from kiosk.submission import SubmissionDraft
from kiosk.sync import Syncer

QUEUES = [QueueRef(f"q{i}", "B") for i in range(10)]


def draft(rng: random.Random) -> SubmissionDraft:
    return SubmissionDraft(
        target_kind="item",
        target_code="MS-YB-001",
        item_codes=("MS-YB-001",),
        catalog_version="crash-1",
        language="zh",
        queue=rng.choice(QUEUES),
        answers={"MS-YB-001": {"agent": rng.random() < 0.5}},
        fields={"MS-YB-001": {"name": {"value": "张三" * rng.randint(1, 50), "source": "citizen"}}},
        notice={"lines": []},
        holder_id=str(rng.getrandbits(64)),
    )


def say(line: str) -> None:
    """One whole line in one write() (atomic on a pipe): print() writes the text and the
    newline separately, and a SIGKILL between the two glued "leased" to the next line."""
    os.write(1, f"{line}\n".encode())


def child(job: dict[str, str]) -> None:
    rng = random.Random(int(job["seed"]))
    store = LocalStore.open(f"sqlite:///{job['store']}", job["kiosk"], upgrade=False)
    bureau = BureauGateway.connect(job["bureau"])
    book = TicketBook(job["kiosk"], block_size=10)
    syncer = Syncer(store, bureau, book=book, queues=QUEUES, batch_size=rng.choice([1, 4, 16]))
    mode = job["mode"]
    say(f"pid {os.getpid()}")
    while True:
        if mode in ("submit", "both"):
            receipt = store.submit(draft(rng), book)
            say(f"ack {receipt.submission_id}")
        if mode in ("sync", "both"):
            syncer.top_up()
            say("leased")
            result = syncer.push_once()
            say(f"pushed {result.sent}")


def main() -> None:
    say("server ready")
    for line in sys.stdin:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            try:
                child(job)
            finally:
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        say(f"exit {status}")


if __name__ == "__main__":
    main()
