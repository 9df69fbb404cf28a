"""axe-core in the browser tests: fetched at test time from the npm registry (`npm pack
axe-core`) into a temporary directory, nothing third-party committed; and its violations on a
page, every default rule run (colour contrast of 4.5:1 included)."""

import json
import subprocess
import tarfile
import tempfile
from functools import cache
from pathlib import Path

import pytest

from tests.support.environment import IN_CI

AXE_VERSION = "4"


@cache
def axe_source() -> str:
    """axe.min.js (fetched once per test run); without npm or the registry the test is
    skipped (locally) or fails (CI)."""
    with tempfile.TemporaryDirectory() as folder:
        return _packed(Path(folder))


def _packed(folder: Path) -> str:
    try:
        done = subprocess.run(
            ["npm", "pack", f"axe-core@{AXE_VERSION}", "--silent"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as problem:
        if IN_CI:
            pytest.fail(f"CI needs axe-core from npm: {problem}")
        pytest.skip(f"needs axe-core from npm: {problem}")
    with tarfile.open(folder / done.stdout.strip().splitlines()[-1]) as archive:
        return archive.extractfile("package/axe.min.js").read().decode()


def violations(page, source: str) -> list[str]:
    """axe-core's violations on the page, every default rule run: colour contrast (4.5:1 for
    text, 3:1 for large text) among them, and checked to have run on some text. The page's
    context needs `bypass_csp=True` (the CSP allows no inline script)."""
    page.add_script_tag(content=source)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document);
            return {
                violations: r.violations,
                contrast: [...r.passes, ...r.violations].some((v) => v.id === "color-contrast"),
            };
        }"""
    )
    found = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}) {json.dumps(v['nodes'][0]['target'])}"
        f" {v['nodes'][0].get('failureSummary', '')[:300]}"
        for v in result["violations"]
    ]
    if not result["contrast"]:
        found.append("color-contrast: not run")
    return found


VIEWPORTS = ({"width": 1366, "height": 900}, {"width": 390, "height": 844})


def violations_at_both_sizes(browser, base_url: str, source: str, pages: dict, visit=None):
    """axe's violations on each of `pages` (name -> path, each answering 200) at 1366x900 and
    390x844, by "<name> <width>"; `visit(page, name)` checks or does what a page needs before
    axe runs. Every page must fit its width."""
    found = {}
    for viewport in VIEWPORTS:
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        page = context.new_page()
        for name, path in pages.items():
            response = page.goto(f"{base_url}{path}")
            assert response.status == 200, path
            if visit:
                visit(page, name)
            found[f"{name} {viewport['width']}"] = violations(page, source)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        context.close()
    return found
