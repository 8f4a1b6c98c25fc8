"""シ double checks (asked at the counter, signed off by city staff only) and ソ fee flags
(counts to match the city's register, never money), as events every PC agrees on and the
daily report counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.actor import Actor, AuthError
from app.core.node import Node
from app.queue.checks import DoubleChecks
from app.queue.tickets import TicketError, TicketService
from app.reports.figures import explain, figures_for
from app.reports.inquiry_reports import build_report
from tests.helpers.clock import OPEN_DAY, FakeClock
from tests.helpers.nodes import assert_converged, site_node, sync_rounds

CITY = Actor("city", "city_staff", "5")
FLOOR = Actor("fm", "floor_manager")
DAY = OPEN_DAY.isoformat()


def _serving(node: Node, clerk: Actor, procedure: str = "certificate") -> str:
    tickets = TicketService(node)
    ticket = tickets.issue(FLOOR, procedure, "self")
    tickets.call(clerk, ticket["ticket_id"])
    tickets.start(clerk, ticket["ticket_id"])
    return str(ticket["ticket_id"])


def _table(node: Node, title: str) -> list[list[object]]:
    report = build_report(node, "daily", DAY)
    return {t.title: t for t in report.tables()}[title].rows


def test_a_check_is_asked_without_moving_the_ticket_and_signed_by_city_staff(
    node: Node, clock: FakeClock, clerk: Actor
) -> None:
    checks, tickets = DoubleChecks(node), TicketService(node)
    ticket = _serving(node, clerk)
    checks.request(clerk, ticket)
    assert tickets.get(ticket)["state"] == "serving", "the visitor stays at the counter"
    with pytest.raises(TicketError, match="依頼済み"):
        checks.request(clerk, ticket)
    assert [w["ticket_id"] for w in checks.waiting()] == [ticket]
    with pytest.raises(AuthError):
        checks.sign(clerk, ticket)  # a contractor's clerk cannot
    with pytest.raises(AuthError):
        checks.sign(Actor("sm", "site_manager"), ticket)
    clock.advance(minutes=6)
    checks.sign(CITY, ticket)
    assert checks.waiting() == []
    with pytest.raises(TicketError, match="確認待ち"):
        checks.sign(CITY, ticket)
    [check] = checks.checks(ticket)
    assert (check.signed_ms - check.requested_ms, check.signed_by) == (6 * 60_000, "city")
    tickets.done(clerk, ticket)
    with pytest.raises(TicketError, match="対応中ではない"):
        checks.request(clerk, ticket)
    second = _serving(node, clerk)
    checks.request(clerk, second)
    assert _table(node, "ダブルチェック（シ）") == [[2, 1, 1, 6.0, 6.0, 6.0]]
    assert [e.ticket_id for e in explain(node, f"{DAY}/checks_waiting")] == [second]
    before = node.store.projection_dump()
    node.store.rebuild()
    assert node.store.projection_dump() == before


def test_fees_are_flags_of_a_completed_procedure(node: Node, clerk: Actor) -> None:
    tickets = TicketService(node)
    reissue = _serving(node, clerk, "loss")
    tickets.done(clerk, reissue, "completed", fee="reissue")
    express = _serving(node, clerk, "express")
    tickets.done(clerk, express, "completed", fee="express")
    plain = _serving(node, clerk)
    with pytest.raises(TicketError, match="完了"):
        tickets.done(clerk, plain, "revisit", fee="reissue")
    with pytest.raises(TicketError, match="手数料"):
        tickets.done(clerk, plain, "completed", fee="1000円")
    tickets.done(clerk, plain)
    assert _table(node, "手数料の対象となった手続（ソ）") == [["再交付", 1], ["特急発行", 1],
                                                            ["合計", 2]]  # fmt: skip
    tickets.reopen(clerk, express, "押し間違い")
    tickets.done(clerk, express)  # done again, without the fee
    figures = figures_for(node, DAY)
    assert (figures.count("fee_reissue"), figures.count("fee_express")) == (1, 0)
    assert [e.ticket_id for e in explain(node, f"{DAY}/fee_reissue")] == [reissue]


def test_checks_converge_across_pcs(tmp_path: Path, clock: FakeClock) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    city = site_node(tmp_path, "counter-5", clock, block=2, counter="5")
    clerk = Actor("cl", "clerk", "1")
    ticket = TicketService(reception).issue(FLOOR, "certificate", "self")["ticket_id"]
    sync_rounds(reception, counter, city)
    TicketService(counter).call(clerk, ticket)
    TicketService(counter).start(clerk, ticket)
    DoubleChecks(counter).request(clerk, ticket)
    sync_rounds(counter, city)
    assert [w["ticket_id"] for w in DoubleChecks(city).waiting()] == [ticket]
    clock.advance(minutes=4)
    DoubleChecks(city).sign(CITY, ticket)
    clock.advance(minutes=1)
    TicketService(counter).done(clerk, ticket, fee="express")  # before the sign-off arrives
    sync_rounds(reception, counter, city)
    assert_converged(reception, counter, city)
    rows = [_table(n, "ダブルチェック（シ）") for n in (reception, counter, city)]
    assert rows[0] == rows[1] == rows[2] == [[1, 1, 0, 4.0, 4.0, 4.0]]
    for n in (reception, counter, city):
        n.close()


def test_cli_asks_lists_and_signs_checks(node: Node, clerk: Actor, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from app.cli.main import main

    ticket = _serving(node, clerk)
    number = ticket  # the command line's clock is not the test's: the id, not today's number
    folder = str(node.data_dir)
    node.close()
    monkeypatch.setenv("MADOGUCHI_PIN", "2222")
    base = ["--data-dir", folder, "--counter", "1"]
    assert main([*base, "--staff", "cl", "check", "request", number]) == 0
    assert main([*base, "--staff", "cl", "check", "sign", number]) == 2
    assert "「ダブルチェックの確認」はできません" in capsys.readouterr().err
    assert main([*base, "--json", "check", "list"]) == 0
    assert capsys.readouterr().out.strip() == "[]"  # a check of another day is not listed
    monkeypatch.setenv("MADOGUCHI_PIN", "3333")
    assert main([*base, "--staff", "city", "check", "sign", number]) == 0
    assert "確認しました" in capsys.readouterr().out
    assert main([*base, "--staff", "city", "done", number, "--fee", "1000"]) == 2
    assert main([*base, "--staff", "city", "done", number, "--fee", "express"]) == 0
