"""Simulated days carry the day as the center runs it: modes, paused counters, priority
visitors, visits of several procedures, and what reception's expected end said."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.queue.modes import ModeService
from app.reports.figures import figures_for
from app.reports.periodic import build_report
from app.sim.config import SimConfig, SimNode
from app.sim.forecasts import ForecastLog, summary
from app.sim.simulate import simulate

FIRST, LAST = date(2026, 10, 9), date(2026, 10, 13)  # Fri, Sat, Sun, Mon (holiday), Tue


def test_a_simulated_week_shows_the_new_features_and_rebuilds_the_same(tmp_path: Path) -> None:
    node = SimNode(tmp_path / "site", start=FIRST)
    log = ForecastLog()
    config = SimConfig(reduced_rate=1.0, priority_rate=0.2, several_rate=0.5)
    made = simulate(node, FIRST, LAST, seed=4, config=config, log=log)
    assert made.open_days == 5 and made.priority > 0 and made.several > 0
    assert made.refused > 0  # walk-ins a 縮小運転 left out, or after its early close
    periods = [p for day in (FIRST, LAST) for p in ModeService(node).periods(day)]
    assert {p.kind for p in periods} >= {"reduced"}
    figures = figures_for(node, f"{FIRST}..{LAST}")
    assert figures.count("procedures") > figures.count("visits")
    assert figures.count("priority") == made.priority
    assert sum(p.minutes for p in figures.facts.pauses) >= 45 * 12 * 5  # a lunch a counter
    daily = build_report(node, "daily", LAST.isoformat())
    [modes] = [t for t in daily.tables() if t.title == "運転モード"]
    assert [row[2] for row in modes.rows] == ["通常", "縮小運転"]
    visit = summary(log.visit_errors)
    assert visit["n"] > 50 and visit["mae"] < summary(log.baseline_errors)["mae"]
    assert log.last_service_errors and log.costs_ms
    live = node.store.projection_dump()
    node.store.rebuild()
    assert node.store.projection_dump() == live
    node.close()
