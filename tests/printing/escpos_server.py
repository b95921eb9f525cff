"""A fake ESC/POS thermal printer on 127.0.0.1 that answers status like an Epson TM does.

It speaks the same bytes a real one does over its raw TCP port: ``DLE EOT n``
(real-time status, answered at once) and ``GS r 1`` (paper sensor, answered in
sequence after what came before); everything else is ticket data, kept in
:attr:`FakeThermalPrinter.received`.  Faults a hall meets, switched on per test:

* ``paper = "out"`` / ``"low"``, ``online = False``, ``cover_open = True``;
* ``runs_out_mid_ticket`` — status fine before, paper end once the ticket came;
* ``behaviour = "silent"`` — reads everything, never answers (no status support,
  or a wedged controller);
* ``behaviour = "never_reads"`` — accepts the connection, never reads a byte;
* ``behaviour = "never_accepts"`` — the port is open but its accept queue is full,
  so a connection attempt hangs (a printer that froze).
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from typing import Literal

DLE_EOT = b"\x10\x04"
GS_R = b"\x1dr"

Behaviour = Literal["answers", "silent", "never_reads", "never_accepts"]


@dataclass
class FakeThermalPrinter:
    behaviour: Behaviour = "answers"
    paper: Literal["ok", "low", "out"] = "ok"
    online: bool = True
    cover_open: bool = False
    runs_out_mid_ticket: bool = False
    port: int = 0  # 0: any free port; a given one to come back at the same address
    received: bytearray = field(default_factory=bytearray)
    questions: list[bytes] = field(default_factory=list)
    connections: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", self.port))
        self._clients: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self.port = self._server.getsockname()[1]
        self._plugs: list[socket.socket] = []

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    # ── lifecycle ──
    def start(self) -> FakeThermalPrinter:
        if self.behaviour == "never_accepts":
            self._server.listen(0)
            # Linux keeps backlog + 1 finished handshakes; fill that, and every further
            # connection attempt waits for an accept that never comes.
            plug = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            self._plugs.append(plug)
            return self
        self._server.listen(8)
        self._server.settimeout(0.1)
        self._spawn(self._accept_loop)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=10)
        for sock in [*self._clients, *self._plugs, self._server]:
            sock.close()

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._clients.append(client)
            if self.behaviour != "never_reads":
                self._spawn(self._serve, client)

    # ── the printer ──
    def _serve(self, client: socket.socket) -> None:
        client.settimeout(0.1)
        pending = b""
        while not self._stop.is_set():
            try:
                chunk = client.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if not chunk:
                return
            pending += chunk
            pending = self._work_through(client, pending)

    def _work_through(self, client: socket.socket, data: bytes) -> bytes:
        """Answer every complete question in ``data``; keep the rest as ticket data."""
        while True:
            at = min((i for i in (data.find(DLE_EOT), data.find(GS_R)) if i >= 0), default=-1)
            if at < 0:
                keep = 1 if data.endswith((b"\x10", b"\x1d")) else 0  # a question cut in two
                self._took(data[: len(data) - keep])
                return data[len(data) - keep :]
            if len(data) < at + 3:
                self._took(data[:at])
                return data[at:]
            self._took(data[:at])
            question = data[at : at + 3]
            data = data[at + 3 :]
            with self._lock:
                self.questions.append(question)
            answer = self._answer(question)
            if answer is not None and self.behaviour == "answers":
                try:
                    client.sendall(bytes([answer]))
                except OSError:
                    return b""

    def _took(self, data: bytes) -> None:
        if data:
            with self._lock:
                self.received += data
                if self.runs_out_mid_ticket:
                    self.paper = "out"

    def _answer(self, question: bytes) -> int | None:
        paper_out, paper_low = self.paper == "out", self.paper == "low"
        if question == DLE_EOT + b"\x01":
            return 0x12 | (0x08 if not self.online or paper_out or self.cover_open else 0)
        if question == DLE_EOT + b"\x02":
            return 0x12 | (0x04 if self.cover_open else 0) | (0x20 if paper_out else 0)
        if question == DLE_EOT + b"\x04":
            return 0x12 | (0x0C if paper_low else 0) | (0x60 if paper_out else 0)
        if question == GS_R + b"\x01":
            return (0x03 if paper_low else 0) | (0x0C if paper_out else 0)
        return None
