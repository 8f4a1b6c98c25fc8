"""The status page on the center's LAN: a read-only HTTP server of two files. No Qt.

Waiting-room tablets and phones on the guest Wi-Fi read the same ``status.html`` and
``status.json`` the publishing writes. The server is waitress (a WSGI server, pure Python,
on PyPI and in Debian) with a fixed number of worker threads, a cap on connections and
time limits on idle and slow clients; the application answers GET and HEAD for exactly
those two files (and ``/`` for the page), from the publishing folder, and nothing else:
no other path, no directory listing, no way up the folder (paths are looked up in a fixed
table, never joined to the folder), no method that writes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from app.status.publish import JSON_NAME, PAGE_NAME

#: Path → (file in the folder, content type).
ROUTES = {
    "/": (PAGE_NAME, "text/html; charset=utf-8"),
    f"/{PAGE_NAME}": (PAGE_NAME, "text/html; charset=utf-8"),
    f"/{JSON_NAME}": (JSON_NAME, "application/json; charset=utf-8"),
}
#: What the page may do in a browser: its own inline style and script, read status.json.
POLICY = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
          "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")  # fmt: skip
#: waitress' limits: worker threads, open connections, seconds a client may stay idle or
#: take to send its request, and the largest request it may send.
THREADS, CONNECTIONS, IDLE_S, HEADER_BYTES = 4, 500, 30, 8192

StartResponse = Callable[..., Any]


def status_app(folder: Path) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """Returns the WSGI application serving the two files of ``folder``."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        route = ROUTES.get(environ.get("PATH_INFO") or "/")
        method = environ.get("REQUEST_METHOD", "GET")
        common = [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer")]
        if route is None:
            return _plain(start_response, "404 Not Found", b"not found\n", common)
        if method not in ("GET", "HEAD"):
            return _plain(start_response, "405 Method Not Allowed", b"read only\n",
                          [*common, ("Allow", "GET, HEAD")])  # fmt: skip
        name, kind = route
        try:
            body = (folder / name).read_bytes()
        except OSError:
            return _plain(start_response, "503 Service Unavailable", b"not published yet\n",
                          [*common, ("Retry-After", "10")])  # fmt: skip
        start_response("200 OK", [
            *common, ("Content-Type", kind), ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"), ("Content-Security-Policy", POLICY)])  # fmt: skip
        return [b""] if method == "HEAD" else [body]

    return app


def _plain(start_response: StartResponse, status: str, body: bytes,
           headers: list[tuple[str, str]]) -> list[bytes]:  # fmt: skip
    start_response(status, [*headers, ("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Length", str(len(body)))])  # fmt: skip
    return [body]


class StatusServer:
    """The LAN page server, running in a thread of its own until :meth:`stop`.

    Args:
        folder: the publishing folder.
        host: the address to listen on (``0.0.0.0``: every network of the PC).
        port: the port (0: any free one, see :attr:`port`).
    """

    def __init__(self, folder: Path, host: str = "127.0.0.1", port: int = 8080) -> None:
        from waitress.server import create_server  # loaded only on the PC that serves

        self.server = create_server(
            status_app(folder), host=host, port=port, threads=THREADS,
            connection_limit=CONNECTIONS, channel_timeout=IDLE_S, cleanup_interval=10,
            max_request_header_size=HEADER_BYTES, max_request_body_size=0,
            expose_tracebacks=False, ident="madoguchi", clear_untrusted_proxy_headers=True,
        )  # fmt: skip
        self._thread = threading.Thread(target=self.server.run, name="status-server",
                                        daemon=True)  # fmt: skip

    @property
    def port(self) -> int:
        """Returns the port the server listens on."""
        return int(self.server.effective_port)

    def start(self) -> StatusServer:
        """Starts serving in the background; returns itself."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stops serving: the listening socket and every connection are closed by the
        server's own thread (closing them from here would pull them from under its
        ``select``), then its worker threads end."""
        if self._thread.is_alive():
            self.server.trigger.pull_trigger(self._close_all)
            self._thread.join(timeout=5)
        else:
            self.server.close()
        self.server.task_dispatcher.shutdown(timeout=5)

    def _close_all(self) -> None:
        """Closes every socket of the server (runs in its thread: its loop then ends)."""
        for channel in list(self.server._map.values()):
            channel.close()


def parse_listen(text: str) -> tuple[str, int]:
    """Returns (host, port) of a ``host:port`` setting (``status.serve``).

    Raises:
        ValueError: it is not ``host:port``.
    """
    host, _, port = text.strip().rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(
            f"status.serve = {text!r} は「アドレス:ポート」にしてください（例 0.0.0.0:8080）"
        )
    return host, int(port)
