"""Whatever bytes reach the LAN port, a PC only ever refuses them (by a reason it counts) or
takes an authentic packet; nothing else happens, and the log holds only real events."""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.node import Node
from app.lan.path import LanPath
from app.lan.wire import MAGIC, Rejected, lan_key, open_packet
from tests.helpers.clock import clock_at
from tests.helpers.nodes import KEY, site_node

LAN_KEY = lan_key(bytes.fromhex(KEY))
HLC = 1_795_000_000_000 << 16

#: Values of every JSON kind, and the rows and bodies a confused or hostile PC could send.
values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats()
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=5),
    max_leaves=20,
)  # fmt: skip
rows = st.lists(values, min_size=10, max_size=10) | st.tuples(
    st.text(max_size=8), st.integers(-5, 2**64), st.integers(-5, 2**64),
    st.sampled_from(["ticket.called", "ticket.issued", "staff.added", "ticket."]),
    st.text(max_size=8) | st.none(), st.sampled_from(["[]", "[1]", "{", '["a"]', "5"]),
    st.text(max_size=8), st.text(max_size=4) | st.none(),
    st.sampled_from(["{}", "[]", '{"number": 1}', '{"reason": "個人番号 123456789018"}',
                     "not json", '{"a": {"b": [1, 2]}}']),
    st.integers(-1, 3),
).map(list)  # fmt: skip
bodies = st.fixed_dictionaries(
    {"s": st.sampled_from(["test", "other"]), "n": st.text(max_size=6) | values,
     "e": st.integers(-1, 2**64) | values, "c": st.integers(-1, 2**64),
     "k": st.sampled_from(["h", "v", "a", "x"]) | values},
    optional={"ev": st.lists(rows, max_size=3) | values, "pv": st.lists(rows, max_size=3),
              "ids": st.lists(st.text(max_size=10), max_size=60) | values,
              "r": values, "m": values, "p": values, "h": values, "sh": values,
              "pc": st.lists(st.lists(st.text(max_size=10), max_size=3), max_size=20)},
)  # fmt: skip


def signed(body: Any) -> bytes:
    raw = json.dumps(body, ensure_ascii=False).encode()
    return MAGIC + hmac.digest(LAN_KEY, MAGIC + raw, "sha256") + raw


@pytest.fixture(scope="module")
def receiver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Node, LanPath]]:
    node = site_node(tmp_path_factory.mktemp("site"), "display", clock_at(), block=3,
                     role="display", staff=False)  # fmt: skip
    path = LanPath(node)
    assert path.open()
    yield node, path
    path.close()
    node.close()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=1600))
def test_any_bytes_are_refused_by_a_reason(data: bytes) -> None:
    with pytest.raises(Rejected) as caught:
        open_packet(LAN_KEY, data, "test")
    assert caught.value.reason in ("oversized", "garbage", "forged")


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(bodies)
def test_an_authentic_packet_of_any_shape_is_taken_whole_or_refused(body: Any) -> None:
    """What a PC with the key may send: either a valid packet of the site, every field of
    the type its kind says, or a refusal."""
    try:
        packet = open_packet(LAN_KEY, signed(body), "test")
    except Rejected as exc:
        assert exc.reason in ("foreign", "malformed", "oversized")
        return
    assert isinstance(packet.node, str) and isinstance(packet.count, int)
    for event in (*packet.events, *packet.provisional):
        assert event.type.startswith("ticket.") and isinstance(event.ticket_id, str)
        assert isinstance(event.seq, int) and isinstance(event.hlc, int)
        assert isinstance(dict(event.payload), dict)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(st.lists(bodies, min_size=1, max_size=4))
def test_a_pc_takes_authentic_nonsense_without_harm(
    receiver: tuple[Node, LanPath], sent: list[Any]
) -> None:
    """Fed to a PC's path: it refuses by a counted reason, or applies real ticket events
    through the exactly-once apply; never an error, never a My Number in its log."""
    node, path = receiver
    before = dict(path.ignored)
    for body in sent:
        try:
            path.receive(signed(body), "127.0.0.9")
        except Rejected as exc:
            path.ignored[exc.reason] += 1
    assert path.ignored["error"] == before.get("error", 0)
    for row in node.store.rows("SELECT type, payload FROM events"):
        assert row["type"].startswith("ticket.")
        assert "123456789018" not in row["payload"]
    live = node.store.projection_dump()
    node.store.rebuild()
    assert node.store.projection_dump() == live


def test_a_bad_row_among_good_ones_refuses_the_whole_packet(tmp_path: Path) -> None:
    good = ["nc1", 1, HLC, "ticket.called", "nr-1", "[]", "cl", "1", "{}", 1]
    bad = ["nc1", 2, HLC, "ticket.called", "nr-1", "[]", "cl", "1", "{oops", 1]
    body = {"s": "test", "n": "nc1", "e": 1, "c": 1, "k": "v", "ev": [good, bad], "pv": []}
    with pytest.raises(Rejected) as caught:
        open_packet(LAN_KEY, signed(body), "test")
    assert caught.value.reason == "malformed"
