"""Share paths as IT staff type them on Windows, and the site ids that become folders."""

from __future__ import annotations

import pytest

from app.core.sharepath import (
    DEEPEST,
    MAX_PATH,
    ShareError,
    check_site_id,
    normalise_share,
    windows_name_problem,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (r"\\server\madoguchi", r"\\server\madoguchi"),
        (r"\\server\madoguchi\\", r"\\server\madoguchi"),
        (r'"\\server\madoguchi\center"', r"\\server\madoguchi\center"),  # Copy as path
        ("  //server/madoguchi/center ", r"\\server\madoguchi\center"),
        (r"\\fs01.city.local\share$\madoguchi", r"\\fs01.city.local\share$\madoguchi"),
        (r"Z:\madoguchi", r"Z:\madoguchi"),
        ("Z:\\", "Z:\\"),
    ],
)
def test_unc_paths_and_mapped_drives_are_taken_as_windows_takes_them(
    typed: str, stored: str
) -> None:
    assert normalise_share(typed, "yokosuka-plaza", windows=True) == stored


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        (r"\\server", "共有名"),
        ("Z:madoguchi", "完全なパス"),
        (r"madoguchi\share", "完全なパス"),
        (r"\\server\madoguchi\CON", "予約"),
        (r"\\server\madoguchi\center.", "最後"),
        (r"\\server\madoguchi\a:b", "使えない文字"),
        ("", "空"),
    ],
)
def test_share_paths_windows_cannot_use_are_refused_with_what_to_type(typed: str, why: str) -> None:
    with pytest.raises(ShareError, match=why):
        normalise_share(typed, "yokosuka-plaza", windows=True)


def test_a_share_too_deep_for_the_deepest_segment_path_is_refused() -> None:
    site = "yokosuka-plaza"
    room = MAX_PATH - DEEPEST - len(site)
    fits = "\\\\server\\" + "d" * (room - len("\\\\server\\"))
    assert normalise_share(fits, site, windows=True) == fits
    with pytest.raises(ShareError, match="長すぎます"):
        normalise_share(fits + "x", site, windows=True)
    # the deepest path madoguchi writes under the longest share accepted fits MAX_PATH
    deepest = (fits + rf"\madoguchi\v1\{site}\days\2026-09-01\nodes\n0123456789ab"
               r"\seg-000000001-0123abcd-0123ab-0123-p0123.log")  # fmt: skip
    assert len(deepest) == MAX_PATH


def test_elsewhere_a_unc_path_is_refused_and_a_mounted_folder_taken() -> None:
    with pytest.raises(ShareError, match="マウント"):
        normalise_share(r"\\server\madoguchi", windows=False)
    assert normalise_share(" /mnt/madoguchi ", windows=False) == "/mnt/madoguchi"


@pytest.mark.parametrize("site", ["Yokosuka", "CON", "nul", "plaza.", "a b", "a:b", "x" * 41, ""])
def test_site_ids_are_folder_names_windows_makes_and_finds_whatever_the_case(site: str) -> None:
    with pytest.raises(ShareError):
        check_site_id(site)
    assert check_site_id("yokosuka-plaza_2") == "yokosuka-plaza_2"
    assert windows_name_problem("seg-000000001-0123abcd-0123ab-0123.log") is None
