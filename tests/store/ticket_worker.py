"""A kiosk process that issues tickets (run by test_queue's concurrency test).

argv: bureau_url local_sqlite_path kiosk_id count block_size queue_code
Prints "ready", waits for "go" on stdin, issues ``count`` tickets (leasing
blocks from the bureau as a kiosk's sync worker would), sends its outbox to
the bureau, and prints one JSON line with the numbers it handed out.
"""

from __future__ import annotations

import json
import sys

from kiosk.numbering import QueueRef
from kiosk.store.gateway import BureauGateway
from kiosk.store.local import LocalStore
from kiosk.store.ticket_book import TicketBook
from kiosk.sync import Syncer


def main() -> None:
    bureau_url, path, kiosk_id, count, block_size, queue_code = sys.argv[1:7]
    queue = QueueRef(queue_code, "B")
    store = LocalStore.open(f"sqlite:///{path}", kiosk_id)
    bureau = BureauGateway.connect(bureau_url)
    book = TicketBook(kiosk_id, block_size=int(block_size))
    syncer = Syncer(store, bureau, book=book, queues=[queue])
    print("ready", flush=True)
    sys.stdin.readline()
    numbers = []
    for _ in range(int(count)):
        syncer.top_up()
        ticket, _reprint = store.issue_ticket(queue, book)
        numbers.append(ticket.number)
    syncer.drain()
    print(json.dumps(numbers), flush=True)


if __name__ == "__main__":
    main()
