"""The LAN page server on 127.0.0.1: two files, read only, nothing else."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.node import Node
from app.status.publish import publish
from app.status.server import StatusServer, parse_listen


@pytest.fixture
def served(node: Node, tmp_path: Path) -> Iterator[tuple[StatusServer, Path]]:
    folder = tmp_path / "web"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    publish(node, folder)
    server = StatusServer(folder, "127.0.0.1", 0).start()
    yield server, folder
    server.stop()


class Answer:
    """A response read whole (the connection is closed)."""

    def __init__(self, server: StatusServer, path: str, method: str) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        try:
            connection.request(method, path)
            response = connection.getresponse()
            self.status, self.body = response.status, response.read()
            self.headers = dict(response.getheaders())
        finally:
            connection.close()

    def getheader(self, name: str) -> str | None:
        return self.headers.get(name)

    def read(self) -> bytes:
        return self.body


def _get(server: StatusServer, path: str, method: str = "GET") -> Answer:
    return Answer(server, path, method)


def test_it_serves_the_page_and_the_status(served: tuple[StatusServer, Path]) -> None:
    server, folder = served
    for path, name in (("/status.html", "status.html"), ("/", "status.html"),
                       ("/status.json?t=1", "status.json")):  # fmt: skip
        response = _get(server, path)
        assert response.status == 200
        assert response.read() == (folder / name).read_bytes()
        assert response.getheader("Cache-Control") == "no-store"
    head = _get(server, "/status.json", "HEAD")
    assert head.status == 200 and head.read() == b""


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/web/",
        "/secret.txt",
        "//etc/passwd",
        "/status.html/..",
        "/.status.json.tmp",
    ],
)
def test_no_other_path_and_no_listing(served: tuple[StatusServer, Path], path: str) -> None:
    response = _get(served[0], path)
    assert response.status == 404
    assert b"secret" not in response.read()


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_nothing_can_be_written(served: tuple[StatusServer, Path], method: str) -> None:
    server, folder = served
    before = (folder / "status.json").read_bytes()
    response = _get(server, "/status.json", method)
    assert response.status == 405 and response.getheader("Allow") == "GET, HEAD"
    assert (folder / "status.json").read_bytes() == before


def test_a_folder_not_published_yet_says_so(tmp_path: Path) -> None:
    server = StatusServer(tmp_path, "127.0.0.1", 0).start()
    try:
        assert _get(server, "/status.json").status == 503
    finally:
        server.stop()


def test_the_listen_setting() -> None:
    assert parse_listen("0.0.0.0:8080") == ("0.0.0.0", 8080)
    for bad in ("8080", "host:", "host:99999", ":80"):
        with pytest.raises(ValueError):
            parse_listen(bad)
