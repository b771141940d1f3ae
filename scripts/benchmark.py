"""Speed and memory benchmark of the dashboard.

Start-up: launches `streamlit run` fresh for every sample and times it from the launch until the first page
(Overview) shows its main content in headless Chromium, its run has finished and the server is idle; the
same for a bare app (a title and a 100-row table), alternately, so both see the same machine; then the first
page with 100x synthetic data. Pages: times every page's warm rerun under Streamlit's AppTest (median of
repeated runs) beside a bare page in the same process, at the bundled data size and with 10x and 100x
synthetic copies (fresh ids, written to a temporary directory); then serves the app with `streamlit run`,
visits every page in headless Chromium, and reports the server's resident memory after the visits and at its
peak.

    .venv/bin/python scripts/benchmark.py [--factors 1 10 100] [--runs 7] [--no-memory]
    .venv/bin/python scripts/benchmark.py --startup-only [--startup-runs 3]

Targets (2-core machine): a cold start within 1.2x of the bare app's; the first page at 100x within 3 s of
the launch (each data copy validated once before, as `python -m landscape validate` or the first start does:
the validation is cached by content); each page <= 10x the bare page at bundled size, <= 300 ms at 100x,
growth no worse than linear, server memory < 400 MB after visiting every page and at the server's peak (the
validator runs in a child process that exits after the load; its peak is reported beside). Exits non-zero
when a target is missed. Results also go to artifacts/benchmark.json. The pages are those of the site map
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
from landscape.paths import BUNDLED_DATA_DIR, CACHE_ENV_VAR, ENV_VAR  # noqa: E402
from landscape.synthetic import scale_data_dir  # noqa: E402
from tests.serving import BARE_PAGE  # noqa: E402

PAGES = {page.name: page for page in sitemap.PAGES}
TARGET_RATIO, TARGET_MS_100X, TARGET_MB = 10.0, 300.0, 400.0
TARGET_STARTUP_RATIO, TARGET_STARTUP_100X_S = 1.2, 3.0
# The server is idle once it has used under IDLE_CPU of a core for IDLE_QUIET_S (sampled every IDLE_SAMPLE_S).
IDLE_SAMPLE_S, IDLE_QUIET_S, IDLE_CPU = 0.05, 0.5, 0.1
# True once the selector's element is drawn (a box with a size) and no run is going (no running indicator,
# no skeleton). Checked on every animation frame, so the time is not rounded up to a polling interval.
SHOWN_JS = """(selector) => {
  const el = document.querySelector(selector);
  if (!el) return false;
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.height > 0
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-testid="stSkeleton"]');
}"""
BARE_MAIN_ELEMENT = '[data-testid="stDataFrame"]'


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


def server_memory_mb(data_dir: Path, cache: Path) -> dict[str, float]:
    """Serve the app (with an empty start-up cache, so it validates and builds the data: the first start
    on new data), visit every page in Chromium and return the server's resident memory in MB:
    `after` every page was visited, its run finished and the server fell idle (with any child process);
    `peak` of the server process itself while it started, loaded and served (sampled every 50 ms); and
    `peak_with_validator`, the peak with its child processes (the data validator runs in one at load)."""
    import threading

    import psutil
    from playwright.sync_api import expect, sync_playwright

    from tests.serving import start_server, stop_server
    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS

    proc, url = start_server(env={ENV_VAR: str(data_dir), CACHE_ENV_VAR: str(cache)})
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


def startup_s(browser, script: Path, env: dict[str, str], main_element: str) -> dict[str, float]:
    """Launch `streamlit run script` (a fresh server) and open its first page in a fresh browser context.
    Return `s`, the seconds from the launch until the page shows main_element, its run has finished and the
    server (with any child process) is idle; and where the time went: `server_cpu_s` and `browser_cpu_s`,
    the CPU seconds the server and Chromium used meanwhile (less sensitive than the wall clock to other work
    on a shared machine)."""
    import psutil

    from tests.serving import start_server, stop_server

    start = time.perf_counter()
    browser_cpu = chromium_cpu_s()
    proc, url = start_server(env=env, script=script, poll_s=0.01)
    try:
        server = psutil.Process(proc.pid)
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function(SHOWN_JS, arg=main_element, polling="raf", timeout=600_000)
        shown = time.perf_counter()
        idle = idle_since(server, shown)
        server_cpu = sum(server.cpu_times()[:4])
        browser_cpu = chromium_cpu_s() - browser_cpu
        context.close()
        return {"s": max(shown, idle) - start, "server_cpu_s": server_cpu, "browser_cpu_s": browser_cpu}
    finally:
        stop_server(proc)
        proc.log.unlink(missing_ok=True)


def chromium_cpu_s() -> float:
    """Return the CPU seconds used so far by the Chromium processes this benchmark launched."""
    import psutil

    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            if "chrom" in child.name():
                total += sum(child.cpu_times()[:2])
        except psutil.Error:  # it exited while we looked
            pass
    return total


def idle_since(process, since: float, limit_s: float = 120.0) -> float:
    """Return the perf_counter time at which the process (with its children) last used more than IDLE_CPU of
    a core in a sample, once IDLE_QUIET_S have passed without any; `since` when it was already quiet."""

    def cpu() -> float:
        total = sum(process.cpu_times()[:2])
        for child in process.children(recursive=True):
            try:
                total += sum(child.cpu_times()[:2])
            except Exception:  # it exited while we looked
                pass
        return total

    last_busy, used, previous = since, cpu(), time.perf_counter()
    deadline = previous + limit_s
    while time.perf_counter() < deadline:
        time.sleep(IDLE_SAMPLE_S)
        now, at = cpu(), time.perf_counter()
        if now - used > IDLE_CPU * (at - previous):
            last_busy = at
        elif at - last_busy >= IDLE_QUIET_S:
            return last_busy
        used, previous = now, at
    return last_busy


def measure_startup(runs: int, x100_dir: Path, bare: Path, cache: Path) -> dict:
    """Return start-up samples of fresh servers (see startup_s), each with its median: `bare` and `app` on
    the bundled data, in pairs (bare, then app), `runs` pairs; `app_x100` on the 100x copy, `runs` times.
    The start-up cache is the benchmark's own and empty at first, so the first launch of the app validates
    and builds the data (reported as `app_uncached`, no target); the 100x copy is first checked by the
    command-line validator, as a curator does before serving it, and its first launch builds it
    (`app_x100_uncached`)."""
    import subprocess

    from playwright.sync_api import sync_playwright

    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS

    overview = next(p for p in PAGES.values() if p.default).main_element
    env = {CACHE_ENV_VAR: str(cache), ENV_VAR: str(BUNDLED_DATA_DIR)}
    env_x100 = env | {ENV_VAR: str(x100_dir)}
    dashboard = ROOT / "dashboard.py"
    samples: dict[str, list[dict[str, float]]] = {k: [] for k in ("bare", "app", "app_x100")}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            startup_s(browser, bare, env, BARE_MAIN_ELEMENT)  # warms the disk cache; not counted
            samples["app_uncached"] = [startup_s(browser, dashboard, env, overview)]
            for _ in range(runs):
                samples["bare"].append(startup_s(browser, bare, env, BARE_MAIN_ELEMENT))
                samples["app"].append(startup_s(browser, dashboard, env, overview))
                print(
                    f"  start-up: bare {samples['bare'][-1]['s']:.2f} s, app {samples['app'][-1]['s']:.2f} s",
                    flush=True,
                )
            subprocess.run(
                [sys.executable, "-m", "landscape", "validate", str(x100_dir)],
                cwd=ROOT,
                env=os.environ | env_x100,
                check=True,
                capture_output=True,
            )
            samples["app_x100_uncached"] = [startup_s(browser, dashboard, env_x100, overview)]
            for _ in range(runs):
                samples["app_x100"].append(startup_s(browser, dashboard, env_x100, overview))
                print(f"  start-up x100: {samples['app_x100'][-1]['s']:.2f} s", flush=True)
        finally:
            browser.close()
    result: dict = {}
    for name, values in samples.items():
        result[name] = {"samples": values} | {
            f"median_{k}": statistics.median(v[k] for v in values) for k in ("s", "server_cpu_s", "browser_cpu_s")
        }
    # Each app launch against the bare launch just before it: the two saw the same machine.
    result["pair_ratios"] = [a["s"] / b["s"] for a, b in zip(samples["app"], samples["bare"], strict=True)]
    return result


def report_startup(startup: dict) -> list[str]:
    """Print the start-up numbers against their targets (PASS or FAIL, with the spread of the samples: on a
    shared machine one sample says little) and return the names of those missed."""
    failures = []
    pairs = startup["pair_ratios"]
    ratio = statistics.median(pairs)
    ok = ratio <= TARGET_STARTUP_RATIO
    failures += [] if ok else ["start-up ratio"]
    print(
        f"cold start to the first page idle: app/bare {ratio:.2f}x, target <= {TARGET_STARTUP_RATIO}x   "
        f"{'PASS' if ok else 'FAIL'}\n"
        f"  median of {len(pairs)} pairs (app {startup['app']['median_s']:.2f} s, bare app "
        f"{startup['bare']['median_s']:.2f} s); each pair's ratio: {', '.join(f'{r:.2f}' for r in pairs)}"
    )
    x100 = startup["app_x100"]["median_s"]
    ok = x100 <= TARGET_STARTUP_100X_S
    failures += [] if ok else ["start-up x100"]
    samples = sorted(s["s"] for s in startup["app_x100"]["samples"])
    print(
        f"cold start to the first page idle at 100x: {x100:.2f} s, target <= {TARGET_STARTUP_100X_S} s   "
        f"{'PASS' if ok else 'FAIL'}\n"
        f"  median of {len(samples)} launches, from {samples[0]:.2f} to {samples[-1]:.2f} s"
    )
    print("  where the time went (medians; CPU seconds from the launch until idle):")
    for name in ("bare", "app", "app_x100", "app_uncached", "app_x100_uncached"):
        row = startup[name]
        print(
            f"    {name:<18} {row['median_s']:6.2f} s   server CPU {row['median_server_cpu_s']:5.2f} s   "
            f"Chromium CPU {row['median_browser_cpu_s']:5.2f} s"
        )
    print(
        "  (uncached: the first launch on data never seen, which validates (bundled) or builds (100x, validated "
        "beforehand) and caches it; no target)"
    )
    return failures


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
    parser.add_argument("--startup-only", action="store_true", help="only the start-up times (bundled and 100x)")
    parser.add_argument("--startup-runs", type=int, default=3, help="fresh launches of each app (default 3)")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up times")
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)

    results: dict = {"startup": {}, "pages": {}, "bare_ms": {}, "rows": {}, "memory_mb": {}}
    with tempfile.TemporaryDirectory() as tmp:
        # The benchmark's own start-up cache: nothing found in or left in the user's.
        os.environ[CACHE_ENV_VAR] = str(Path(tmp) / "cache")
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE_PAGE, encoding="utf-8")
        if not args.no_startup:
            x100 = Path(tmp) / "x100"
            results["rows"][100] = scale_data_dir(BUNDLED_DATA_DIR, x100, 100)
            results["startup"] = measure_startup(args.startup_runs, x100, bare, Path(tmp) / "cache")
            if args.startup_only:
                return finish(results, report_startup(results["startup"]))
        measure_pages(results, args.factors, args.runs, bare, Path(tmp))
        if not args.no_memory:
            results["memory_mb"][1] = server_memory_mb(BUNDLED_DATA_DIR, Path(tmp) / "cache-memory-x1")
            if 100 in args.factors:
                results["memory_mb"][100] = server_memory_mb(Path(tmp) / "x100", Path(tmp) / "cache-memory-x100")
    print()
    failures = report_startup(results["startup"]) if results["startup"] else []
    failures += report_pages(results, args.factors) + report_memory(results["memory_mb"])
    return finish(results, failures)


def measure_pages(results: dict, factors: list[int], runs: int, bare: Path, tmp: Path) -> None:
    """Time the bare page and every page's warm rerun at each size (synthetic copies written under tmp)."""
    for factor in factors:
        data_dir = BUNDLED_DATA_DIR if factor == 1 else tmp / f"x{factor}"
        if factor != 1 and not data_dir.is_dir():
            results["rows"][factor] = scale_data_dir(BUNDLED_DATA_DIR, data_dir, factor)
        os.environ[ENV_VAR] = str(data_dir)
        repeats = runs if factor < 100 else max(3, runs // 2)
        results["bare_ms"][factor] = time_app(bare, None, repeats)
        for page in PAGES:
            results["pages"].setdefault(page, {})[factor] = time_app(ROOT / "dashboard.py", page, repeats)
            print(f"  x{factor:<4} {page:<10} {results['pages'][page][factor]:8.1f} ms", flush=True)


def report_pages(results: dict, factors: list[int]) -> list[str]:
    """Print every page's rerun times against their targets and return the pages that missed one."""
    failures = []
    print("page        " + "".join(f"{'x' + str(f):>10}" for f in factors) + "   x1/bare   growth/x   verdict")
    print("bare page   " + "".join(f"{results['bare_ms'][f]:10.1f}" for f in factors))
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
            + f"{ratio:10.1f}x{growth:10.3f}   {'PASS' if ok else 'FAIL'}"
        )
    print("growth/x = (time at the largest size / time at bundled size) / size factor; <= 1 is linear or better")
    return failures


def report_memory(memory_mb: dict) -> list[str]:
    """Print the server's memory against its target and return the sizes that missed it."""
    failures = []
    for factor, mb in memory_mb.items():
        ok = mb["after"] < TARGET_MB and mb["peak"] < TARGET_MB
        if not ok:
            failures.append(f"memory x{factor}")
        print(
            f"server resident memory (x{factor}): {mb['after']:.0f} MB after visiting every page, "
            f"peak {mb['peak']:.0f} MB   {'PASS' if ok else 'FAIL'}   "
            f"(peak with the load's validator process: {mb['peak_with_validator']:.0f} MB)"
        )
    return failures


def finish(results: dict, failures: list[str]) -> int:
    """Write the results to artifacts/benchmark.json, say which targets were missed, return the exit code."""
    out = ROOT / "artifacts" / "benchmark.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"targets missed: {', '.join(failures)}" if failures else "all targets met")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
