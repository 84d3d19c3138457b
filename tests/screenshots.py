"""`make screenshots`: phone-sized pictures of the main pages for the README, made the same way every time.

Serves the app as production does (gunicorn, DEBUG off, whitenoise) on a free loopback port against a
fresh SQLite database holding the starter content, walks it in Debian's Chromium at 390 px wide, and
writes small palette PNGs to docs/screenshots/. Only 127.0.0.1 is ever contacted.

    .venv/bin/python -m tests.screenshots [OUTPUT_DIR]
"""

from __future__ import annotations

import datetime as dt
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

from backspasm.bench import ROOT, start_server
from tests.conftest import CHROMIUM, CHROMIUM_ARGS

OUTPUT = ROOT / "docs" / "screenshots"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
}
# Long pages are cut here: enough to show what the page is, small enough for a README.
MAX_HEIGHT = 1300


def shoot(page: Page, path: Path, *, whole: bool = True) -> None:
    """The page from the top, cut at MAX_HEIGHT (or, not `whole`, the screen as it is now), saved as a
    256-colour PNG: text survives that well at a fraction of the size."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    if whole:
        page.evaluate("window.scrollTo(0, 0)")
        height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
        clip = {"x": 0, "y": 0, "width": PHONE["viewport"]["width"], "height": height}
        raw = page.screenshot(full_page=True, clip=clip)
    else:
        raw = page.screenshot()
    tmp = path.with_suffix(".raw.png")
    tmp.write_bytes(raw)
    with Image.open(tmp) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    tmp.unlink()
    print(
        f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KB"
    )


def first_link(page: Page, prefix: str) -> str:
    return page.locator(f"main a[href^='{prefix}']").first.get_attribute("href")


def continue_to(page: Page, path: str) -> None:
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**{path}")
    page.wait_for_function("() => document.activeElement.tagName === 'H1'")


def tap_to(page: Page, selector: str, path: str) -> None:
    """A one-tap answer: the option (or "None of these") is itself the submit button."""
    page.locator(selector).click()
    page.wait_for_url(f"**{path}")
    page.wait_for_function("() => document.activeElement.tagName === 'H1'")


def start_check(page: Page) -> None:
    page.goto("/check/")
    page.get_by_role("button", name="Start now").click()
    page.wait_for_url("**/check/serious-signs/")


def take_all(page: Page, out: Path) -> None:
    page.goto("/")
    shoot(page, out / "home.png")

    page.goto("/library/")
    shoot(page, out / "library.png")

    page.goto("/handouts/")
    page.goto(first_link(page, "/handouts/"))
    shoot(page, out / "handout.png")

    start_check(page)
    tap_to(page, "#serious-signs-none", "/check/age/")
    page.locator("#value").fill("35")
    continue_to(page, "/check/when-it-started/")
    tap_to(page, "#when-it-started-2", "/check/happened-before/")
    tap_to(page, "#happened-before-2", "/check/pain/")
    shoot(page, out / "check-step.png")
    tap_to(page, "#pain-7", "/check/better-or-worse/")
    tap_to(page, "#better-or-worse-1", "/check/warning-signs/")
    tap_to(page, "#warning-signs-none", "/check/other-signs/")
    tap_to(page, "#other-signs-none", "/check/answers/")
    page.get_by_role("button", name="See your result").click()
    page.wait_for_url("**/check/result/")
    page.wait_for_function("() => document.activeElement.tagName === 'H1'")
    shoot(page, out / "outcome-self-care.png")

    start_check(page)
    page.locator("#serious-signs-1").check()
    continue_to(page, "/check/result/")
    shoot(page, out / "outcome-emergency.png")


def take_timer(page: Page, out: Path) -> None:
    """A routine three minutes in, on Playwright's clock (a fixed time, so the picture never changes)."""
    start = dt.datetime(2025, 3, 1, 14, 0, tzinfo=dt.UTC)
    page.clock.install(time=start - dt.timedelta(seconds=1))
    page.clock.pause_at(start)
    page.goto("/routines/cold-pack-cycles/")
    page.locator("#timer").wait_for(state="visible")
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.run_for("03:00")
    # What a phone shows while the timer runs: the timer itself, under the emergency line.
    page.evaluate("document.getElementById('timer').scrollIntoView()")
    shoot(page, out / "routine-running.png", whole=False)


def main() -> int:
    out = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else OUTPUT
    out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="backspasm-screenshots-"))
    server, base = start_server(workdir, workers=1)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for take in (take_all, take_timer):
                context = browser.new_context(base_url=base, timezone_id="UTC", locale="en-GB", **PHONE)
                take(context.new_page(), out)
                context.close()
            browser.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    total = sum(path.stat().st_size for path in out.glob("*.png"))
    print(f"{total // 1024} KB in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
