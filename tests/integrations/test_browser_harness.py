"""The browser harness itself: it must see what it exists to catch, or a clean report proves nothing."""

from __future__ import annotations

from pathlib import Path

from tests.integrations.browser import open_page

DOT = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_a_self_contained_page_loads_with_no_console_error_and_its_image_drawn(tmp_path: Path) -> None:
    page = tmp_path / "good.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Fine</title></head>'
        f'<body><p>Hello</p><img alt="a dot" src="{DOT}"><svg width="10" height="10"></svg></body></html>',
        encoding="utf-8",
    )
    seen = open_page(page, tmp_path)
    assert seen.title == "Fine"
    assert seen.console == []
    assert seen.remote == []
    assert [(i.alt, i.loaded, i.width) for i in seen.images] == [("a dot", True, 1)]
    assert seen.svgs == 1
    assert "Hello" in seen.text
    assert seen.screenshot.startswith(b"\x89PNG")


def test_a_broken_image_a_console_error_and_a_remote_resource_are_all_reported(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bad</title></head><body>'
        '<img alt="gone" src="missing.png"><img alt="far" src="https://example.invalid/x.png">'
        '<script>console.error("boom"); notDefined();</script></body></html>',
        encoding="utf-8",
    )
    seen = open_page(page, tmp_path)
    assert [(i.alt, i.loaded) for i in seen.images] == [("gone", False), ("far", False)]
    assert "boom" in seen.errors
    assert any("notDefined" in e for e in seen.errors)
    assert any("missing.png" in e for e in seen.errors)
    assert seen.remote == ["https://example.invalid/x.png"]
