"""The wait estimate's error, measured on simulated days."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from app.cli.main import main
from app.sim.estimates import errors_of


def test_the_figures_of_estimates_against_waits() -> None:
    errors = errors_of([(10, 10), (20, 5), (0, 30), (15, 20)])  # errors 0, +15, −30, −5
    assert errors.tickets == 4
    assert errors.mean_wait == 16.2  # 65 / 4 = 16.25, rounded half to even
    assert (errors.mean_abs, errors.bias) == (12.5, -5.0)
    assert errors.within_10 == 0.5
    assert (errors.under_by_15, errors.over_by_15) == (0.25, 0.25)
    assert errors.p90_abs == 30
    with pytest.raises(ValueError):
        errors_of([])


def test_simulate_measures_the_estimate_of_every_walk_in_called(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    day = date(2026, 10, 2)  # a busy Friday
    code = main(["--data-dir", str(tmp_path / "sim"), "--json", "simulate", "--from",
                 day.isoformat(), "--to", day.isoformat(), "--estimates"])  # fmt: skip
    assert code == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["tickets"] > 10
    assert 0 <= figures["within_10"] <= 1 and figures["mean_abs"] >= abs(figures["bias"])
