"""`make lighthouse`: Lighthouse (mobile) on the routine page and the home page, as production serves them.

Optional: it needs Node.js and Lighthouse from npm (the make target installs a pinned version under
var/lighthouse/) and Debian's Chromium. It starts the same server as `make bench` (gunicorn, DEBUG off,
WhiteNoise, the starter content), runs Lighthouse's default mobile audit on each page, prints the four
category scores, writes each report to var/lighthouse/<page>.json, and fails when a score is under 0.95.
Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from backspasm.bench import ROOT, start_server

PAGES = {"routine": "/routines/cold-pack-cycles/", "home": "/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM = 0.95
OUT = ROOT / "var" / "lighthouse"
LIGHTHOUSE = OUT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"


def audit(url: str, report: Path) -> dict[str, float]:
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
        timeout=300,
    )
    categories = json.loads(report.read_text())["categories"]
    return {name: categories[name]["score"] for name in CATEGORIES}


def main() -> int:
    if not LIGHTHOUSE.exists():
        print(f"error: Lighthouse is not installed at {LIGHTHOUSE} (run `make lighthouse`)", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="backspasm-lighthouse-"))
    server, base = start_server(workdir, workers=2)
    try:
        scores = {name: audit(base + path, OUT / f"{name}.json") for name, path in PAGES.items()}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{'page':<10}" + "".join(f"{name:>16}" for name in CATEGORIES))
    for name, found in scores.items():
        print(f"{name:<10}" + "".join(f"{found[category]:>16.2f}" for category in CATEGORIES))
    low = [
        (name, category)
        for name, found in scores.items()
        for category in CATEGORIES
        if found[category] < MINIMUM
    ]
    if low:
        print(
            f"under {MINIMUM}: " + ", ".join(f"{name} {category}" for name, category in low), file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
