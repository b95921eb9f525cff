"""A small TCP proxy the tests control: forward to a database, cut it mid-stream, restore it.

``cut_on_large_write(n)`` arms a cut: the first client→server chunk of at least
``n`` bytes (an insert batch) is forwarded only halfway, then every connection
is dropped and new ones are refused until ``restore()``.  ``refused_at`` keeps the
monotonic time of every connection refused while down (the kiosk's probes).
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
import time


class TcpProxy:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._up = True
        self._closing = threading.Event()
        self._cut_threshold: int | None = None
        self.cut_happened = threading.Event()
        self.cut_mid_write = False
        self.refused_at: list[float] = []
        self._accepter = threading.Thread(target=self._accept_loop, name="proxy-accept")

    def __enter__(self) -> TcpProxy:
        self._accepter.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        self.cut()
        self._accepter.join(5)
        for thread in list(self._threads):
            thread.join(5)
        self._listener.close()

    def cut_on_large_write(self, threshold: int) -> None:
        self._cut_threshold = threshold

    def cut(self) -> None:
        with self._lock:
            self._up = False
            sockets = list(self._sockets)
            self._sockets.clear()
        for sock in sockets:
            with contextlib.suppress(OSError):  # already closed by the other side
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.cut_happened.set()

    def restore(self) -> None:
        with self._lock:
            self._up = True

    def _accept_loop(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            with self._lock:
                up = self._up
            if not up:
                self.refused_at.append(time.monotonic())
                client.close()  # the server is "down": refuse
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update((client, upstream))
            thread = threading.Thread(target=self._pump, args=(client, upstream), daemon=True)
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
            thread.start()

    def _pump(self, client: socket.socket, upstream: socket.socket) -> None:
        selector = selectors.DefaultSelector()
        selector.register(client, selectors.EVENT_READ, upstream)
        selector.register(upstream, selectors.EVENT_READ, client)
        try:
            while not self._closing.is_set():
                for key, _ in selector.select(timeout=0.1):
                    source: socket.socket = key.fileobj  # type: ignore[assignment]
                    data = source.recv(1 << 16)
                    if not data:
                        return
                    threshold = self._cut_threshold
                    if source is client and threshold is not None and len(data) >= threshold:
                        self._cut_threshold = None
                        key.data.sendall(data[: len(data) // 2])
                        self.cut_mid_write = True
                        self.cut()
                        return
                    key.data.sendall(data)
        except OSError:
            return  # a socket was cut under us
        finally:
            selector.close()
            for sock in (client, upstream):
                sock.close()
