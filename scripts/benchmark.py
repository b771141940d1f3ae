"""Speed and memory benchmark of the dashboard.

Times every page's warm rerun under Streamlit's AppTest (median of repeated runs) beside a bare page (a
title and a 100-row table) in the same process, at the bundled data size and with 10x and 100x synthetic
copies (fresh ids, written to a temporary directory); then serves the app with `streamlit run`, visits every
page in headless Chromium, and reports the server's resident memory after the visits and at its peak.

    .venv/bin/python scripts/benchmark.py [--factors 1 10 100] [--runs 7] [--no-memory]

Targets (2-core machine): each page <= 10x the bare page at bundled size, <= 300 ms at 100x, growth no
worse than linear, server memory < 400 MB after visiting every page and at the server's peak (the validator
runs in a child process that exits after the load; its peak is reported beside). Exits non-zero when a
target is missed. Results also go to artifacts/benchmark.json. The pages are those of the site map
(landscape.sitemap).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from landscape import sitemap  # noqa: E402
from landscape.paths import BUNDLED_DATA_DIR, ENV_VAR  # noqa: E402
from landscape.synthetic import scale_data_dir  # noqa: E402
from tests.serving import BARE_PAGE  # noqa: E402

PAGES = {page.name: page for page in sitemap.PAGES}
TARGET_RATIO, TARGET_MS_100X, TARGET_MB = 10.0, 300.0, 400.0


def time_app(script: Path, page: str | None, runs: int) -> float:
    """Return the median warm rerun time in ms of one page (first run discarded as cold)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(script), default_timeout=600)
    if page:
        at.switch_page(PAGES[page].file)
    at.run()
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def server_memory_mb(data_dir: Path) -> dict[str, float]:
    """Serve the app, visit every page in Chromium and return the server's resident memory in MB:
    `after` every page was visited, its run finished and the server fell idle (with any child process);
    `peak` of the server process itself while it started, loaded and served (sampled every 50 ms); and
    `peak_with_validator`, the peak with its child processes (the data validator runs in one at load)."""
    import threading

    import psutil
    from playwright.sync_api import expect, sync_playwright

    from tests.serving import start_server, stop_server
    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS

    proc, url = start_server(env={ENV_VAR: str(data_dir)})
    server = psutil.Process(proc.pid)
    peaks = {"peak": 0.0, "peak_with_validator": 0.0}
    done = threading.Event()

    def resident() -> tuple[float, float]:
        own = server.memory_info().rss
        children = 0
        for child in server.children(recursive=True):
            try:
                children += child.memory_info().rss
            except psutil.Error:  # it exited while we looked
                pass
        return own / 2**20, (own + children) / 2**20

    def sample() -> None:
        while not done.is_set():
            own, total = resident()
            peaks["peak"] = max(peaks["peak"], own)
            peaks["peak_with_validator"] = max(peaks["peak_with_validator"], total)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            for spec in PAGES.values():
                page.goto(f"{url}/{spec.slug}")
                # The page's main content, then no running indicator: its run has finished (the title line
                # alone appears before a slow page has built its content).
                expect(page.locator(spec.main_element).first).to_be_attached(timeout=600_000)
                expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=600_000)
                expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=600_000)
            wait_until_idle(server)
            browser.close()
        return {"after": resident()[1], **peaks}
    finally:
        done.set()
        sampler.join()
        stop_server(proc)
        proc.log.unlink(missing_ok=True)


def wait_until_idle(process, quiet_s: float = 1.0, limit_s: float = 60.0) -> None:
    """Wait until the process used under 5% of a core for quiet_s (no run still going), at most limit_s."""
    deadline = time.monotonic() + limit_s
    used = sum(process.cpu_times()[:2])
    while time.monotonic() < deadline:
        time.sleep(quiet_s)
        now = sum(process.cpu_times()[:2])
        if now - used < 0.05 * quiet_s:
            return
        used = now


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)

    results: dict = {"pages": {}, "bare_ms": {}, "rows": {}, "memory_mb": {}}
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE_PAGE, encoding="utf-8")
        for factor in args.factors:
            data_dir = BUNDLED_DATA_DIR if factor == 1 else Path(tmp) / f"x{factor}"
            if factor != 1:
                results["rows"][factor] = scale_data_dir(BUNDLED_DATA_DIR, data_dir, factor)
            os.environ[ENV_VAR] = str(data_dir)
            runs = args.runs if factor < 100 else max(3, args.runs // 2)
            results["bare_ms"][factor] = time_app(bare, None, runs)
            for page in PAGES:
                results["pages"].setdefault(page, {})[factor] = time_app(ROOT / "dashboard.py", page, runs)
                print(f"  x{factor:<4} {page:<10} {results['pages'][page][factor]:8.1f} ms", flush=True)
        if not args.no_memory:
            results["memory_mb"][1] = server_memory_mb(BUNDLED_DATA_DIR)
            if 100 in args.factors:
                results["memory_mb"][100] = server_memory_mb(Path(tmp) / "x100")

    factors = args.factors
    print()
    print("page        " + "".join(f"{'x' + str(f):>10}" for f in factors) + "   x1/bare   growth/x   verdict")
    print("bare page   " + "".join(f"{results['bare_ms'][f]:10.1f}" for f in factors))
    failures = []
    for page in PAGES:
        times = results["pages"][page]
        ratio = times[1] / results["bare_ms"][1] if 1 in times else float("nan")
        top = max(factors)
        growth = (times[top] / times[1]) / top if 1 in times and top > 1 else float("nan")
        ok = ratio <= TARGET_RATIO and (100 not in times or times[100] <= TARGET_MS_100X) and not growth > 1.0
        if not ok:
            failures.append(page)
        print(
            f"{page:<12}"
            + "".join(f"{times[f]:10.1f}" for f in factors)
            + f"{ratio:10.1f}x{growth:10.3f}   {'ok' if ok else 'MISSED'}"
        )
    for factor, mb in results["memory_mb"].items():
        ok = mb["after"] < TARGET_MB and mb["peak"] < TARGET_MB
        if not ok:
            failures.append(f"memory x{factor}")
        print(
            f"server resident memory (x{factor}): {mb['after']:.0f} MB after visiting every page, "
            f"peak {mb['peak']:.0f} MB   {'ok' if ok else 'MISSED'}   "
            f"(peak with the load's validator process: {mb['peak_with_validator']:.0f} MB)"
        )
    print("growth/x = (time at the largest size / time at bundled size) / size factor; <= 1 is linear or better")
    out = ROOT / "artifacts" / "benchmark.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"targets missed: {', '.join(failures)}" if failures else "all targets met")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
