"""A kiosk process that leases ticket blocks as fast as it can (the leasing contention test
and ``make bench``).

argv: bureau_url kiosk_id leases block_size queue_code
Prints "ready", waits for "go" on stdin, leases ``leases`` blocks from the bureau one after
another (each its own transaction, as a kiosk's sync worker does), and prints one JSON line:
the blocks it got, how many failed and why, and when it started and ended.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime

from kiosk.numbering import service_day
from kiosk.store.db import BureauUnavailable
from kiosk.store.gateway import BureauGateway, BureauRefused


def main() -> None:
    bureau_url, kiosk_id, leases, block_size, queue = sys.argv[1:6]
    gateway = BureauGateway.connect(bureau_url)
    day = service_day(datetime.now(UTC), 0)
    print("ready", flush=True)
    sys.stdin.readline()
    blocks: list[list[int]] = []
    failures: list[str] = []
    started = time.time()
    for _ in range(int(leases)):
        try:
            lease = gateway.lease_block(queue, day, kiosk_id, int(block_size))
        except (BureauUnavailable, BureauRefused) as exc:
            failures.append(str(exc)[:200])
            continue
        if lease is not None:
            blocks.append([lease.first, lease.last])
    ended = time.time()
    gateway.dispose()
    print(json.dumps({"blocks": blocks, "failures": failures, "start": started, "end": ended}))


if __name__ == "__main__":
    main()
