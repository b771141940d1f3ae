"""Load test of the dashboard: N concurrent sessions against a real `streamlit run` server for S seconds.

Each session speaks the app's own websocket (/_stcore/stream) as the browser does: it asks for a page with
a filter link (a BackMsg rerun_script carrying the query string and the page) and waits for the run to
finish (the ForwardMsg script_finished). Sessions go round every page of the site map with links built
from the real filter options (single values, pairs, two values of one filter, searches, empty results, a
value not in the data, record links); after a few visits a session leaves and a new one connects. A run
fails when it does not finish successfully, shows an exception, runs another page than asked, or takes
longer than the run timeout. Before the load one session visits every page once (the data load and first
builds), so the times and the memory growth are those of a warm server.

    .venv/bin/python scripts/load.py [--sessions 20] [--seconds 60] [--bare] [--json OUT]

Reports runs per second, p50/p95 run time, failed runs, tracebacks in the server's output, and the
server's resident memory (with its child processes) fresh, warm, at peak and after the load. With --bare
the same load runs against a bare page (a title and a 100-row table) for a ratio. Exits non-zero when a
target is missed (20 sessions, 60 s, 2-core machine): no failed run, no traceback, p95 < 2 s, memory
growth (after minus warm) < 100 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from landscape import filters, sitemap  # noqa: E402
from landscape.model import Landscape  # noqa: E402

TARGET_P95_S, TARGET_GROWTH_MB = 2.0, 100.0
RUN_TIMEOUT_S = 60.0  # a run slower than this counts as failed and its session is dropped
CONNECT_TIMEOUT_S = 20.0
VISITS_PER_SESSION = (5, 15)  # a session makes this many visits, then leaves and a new one connects
SAMPLE_EVERY_S = 1.0  # how often the server's memory is sampled for its peak


@dataclass(frozen=True)
class Visit:
    page: str  # the page's URL path ("" for the default page)
    query: str  # the query string of the link, without "?"


@dataclass
class Run:
    page: str  # the page asked for
    query: str
    seconds: float
    ok: bool
    ran: str | None = None  # the page the server ran (None when no run was reported)
    problem: str = ""


@dataclass
class Result:
    runs: list[Run] = field(default_factory=list)
    seconds: float = 0.0
    sessions: int = 0
    memory_mb: dict[str, float] = field(default_factory=dict)
    tracebacks: list[str] = field(default_factory=list)
    server_cpu_s: float = 0.0  # CPU time the server (and its children) used during the load
    client_cpu_s: float = 0.0  # CPU time this script used to drive it
    think_s: float = 0.0


def build_links(landscape: Landscape, seed: int = 0, per_kind: int = 12) -> list[str]:
    """Return filter links (query strings) drawn from the real filter options: no filter, single values,
    pairs of filters, two values of one filter, searches, states that match no trial, a value not in the
    data, and agent and trial record links."""
    rng = random.Random(seed)
    options = {
        spec.key: values for spec in filters.FILTERS if (values := filters.filter_options(landscape.frames(), spec.key))
    }
    keys = sorted(options)
    states: list[filters.FilterState] = [filters.FilterState()]
    singles = [(key, value) for key in keys for value in options[key]]
    states += [filters.FilterState({key: (value,)}) for key, value in rng.sample(singles, min(per_kind, len(singles)))]
    for _ in range(per_kind):
        first, second = rng.sample(keys, 2)
        states.append(
            filters.FilterState({first: (rng.choice(options[first]),), second: (rng.choice(options[second]),)})
        )
    several = [key for key in keys if len(options[key]) > 1]
    for key in rng.sample(several, min(per_kind // 2, len(several))):
        states.append(filters.FilterState({key: tuple(rng.sample(options[key], 2))}))
    names = [str(n) for n in landscape.agents["name"].dropna()] + [str(n) for n in landscape.trials["acronym"].dropna()]
    searches = [rng.choice(names) for _ in range(per_kind // 2)] + [
        rng.choice(names)[:4].lower(),
        "NCT0",
        "zzz-no-such-thing",
        "ünïcödé 中文",
        "<b>x</b>",
    ]
    states += [filters.FilterState(text=text) for text in searches]
    empty: list[filters.FilterState] = []
    for _ in range(200):
        if len(empty) >= per_kind // 2:
            break
        first, second, third = rng.sample(keys, 3)
        state = filters.FilterState({key: (rng.choice(options[key]),) for key in (first, second, third)})
        if filters.apply_filters(landscape.trials, state).empty:
            empty.append(state)
    states += empty
    links = [urlencode(filters.state_to_query(state), doseq=True) for state in states]
    links.append(urlencode({"phase": "Phase 9", "nonsense": "1"}))
    links += [urlencode({"agent": agent}) for agent in rng.sample(sorted(landscape.agents["agent_id"]), 3)]
    links += [urlencode({"trial": trial}) for trial in rng.sample(sorted(landscape.trials["trial_id"]), 3)]
    return list(dict.fromkeys(links))


def plan_visits(pages: list[str], links: list[str], session: int, count: int, rng: random.Random) -> list[Visit]:
    """Return one session's visits: every page in turn (each session starting elsewhere), a random link each."""
    return [Visit(pages[(session + k) % len(pages)], rng.choice(links)) for k in range(count)]


def _run_message(visit: Visit, page_hashes: dict[str, str]) -> bytes:
    message = BackMsg()
    message.rerun_script.query_string = visit.query
    # As the browser does: the page's hash once the app has named its pages, its URL path before.
    if visit.page in page_hashes:
        message.rerun_script.page_script_hash = page_hashes[visit.page]
    else:
        message.rerun_script.page_name = visit.page
    return message.SerializeToString()


async def _await_run(ws, visit: Visit, page_hashes: dict[str, str]) -> Run:
    """Wait for the run asked for to finish and return what happened."""
    start = time.perf_counter()
    ran: str | None = None
    problem = ""
    while True:
        message = ForwardMsg()
        message.ParseFromString(await ws.recv())
        kind = message.WhichOneof("type")
        if kind == "navigation":
            pages = {p.page_script_hash: p.url_pathname for p in message.navigation.app_pages}
            page_hashes.update({path: page_hash for page_hash, path in pages.items()})
            ran = pages.get(message.navigation.page_script_hash)
        elif kind == "page_not_found":
            problem = problem or "page not found"
        elif (
            kind == "delta"
            and message.delta.WhichOneof("type") == "new_element"
            and message.delta.new_element.WhichOneof("type") == "exception"
        ):
            exception = message.delta.new_element.exception
            problem = problem or f"exception: {exception.type}: {exception.message}"[:300]
        elif kind == "session_event" and message.session_event.WhichOneof("type") == "script_compilation_exception":
            problem = problem or "script compilation error"
        elif kind == "script_finished" and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            # FINISHED_EARLY_FOR_RERUN: the script called st.rerun (a deep link on a fresh server does);
            # the run goes on.
            if message.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                problem = problem or f"script finished with status {message.script_finished}"
            break
    ran = visit.page if ran is None and not page_hashes else ran  # a single-page app names no pages
    if not problem and ran != visit.page:
        problem = f"ran page {ran!r} instead of {visit.page!r}"
    return Run(visit.page, visit.query, time.perf_counter() - start, not problem, ran, problem)


async def drive_session(
    url: str,
    visits: list[Visit],
    deadline: float,
    runs: list[Run],
    think: float = 0.0,
    rng: random.Random | None = None,
) -> None:
    """One session: connect, make the visits one after another until the deadline, leave; between two
    visits it pauses a random time of mean `think` seconds, as a reader does. A run that times out ends
    the session (its server state is unknown)."""
    from websockets.asyncio.client import connect

    page_hashes: dict[str, str] = {}
    ws_url = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    try:
        async with connect(
            ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=CONNECT_TIMEOUT_S, compression=None
        ) as ws:
            for number, visit in enumerate(visits):
                if number and think and rng:
                    await asyncio.sleep(min(rng.uniform(0, 2 * think), max(0.0, deadline - time.monotonic())))
                if time.monotonic() >= deadline:
                    return
                start = time.perf_counter()
                await ws.send(_run_message(visit, page_hashes))
                try:
                    async with asyncio.timeout(RUN_TIMEOUT_S):
                        runs.append(await _await_run(ws, visit, page_hashes))
                except TimeoutError:
                    runs.append(
                        Run(
                            visit.page,
                            visit.query,
                            time.perf_counter() - start,
                            False,
                            None,
                            f"no result within {RUN_TIMEOUT_S:.0f} s",
                        )
                    )
                    return
    except (OSError, TimeoutError) as error:
        runs.append(Run(visits[0].page, visits[0].query, 0.0, False, None, f"connection: {error}"[:300]))
    except Exception as error:  # a dropped connection is a failed run, not a crash of the load
        runs.append(
            Run(visits[0].page, visits[0].query, 0.0, False, None, f"session: {type(error).__name__}: {error}"[:300])
        )


async def drive_user(
    url: str, pages: list[str], links: list[str], user: int, deadline: float, runs: list[Run], seed: int, think: float
) -> None:
    """One concurrent user: a session after another until the deadline."""
    rng = random.Random(seed * 100_003 + user)
    generation = 0
    while time.monotonic() < deadline:
        visits = plan_visits(pages, links, user + generation, rng.randint(*VISITS_PER_SESSION), rng)
        await drive_session(url, visits, deadline, runs, think, rng)
        generation += 1


def _process_tree(pid: int) -> list:
    import psutil

    try:
        process = psutil.Process(pid)
        return [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def server_rss_mb(pid: int) -> float:
    """Return the resident memory of a process and all its children, in MB."""
    import psutil

    total = 0
    for member in _process_tree(pid):
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 2**20


def server_cpu_s(pid: int) -> float:
    """Return the CPU seconds a process and its children have used."""
    import psutil

    total = 0.0
    for member in _process_tree(pid):
        try:
            times = member.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


async def _sample_peak(pid: int, stop: asyncio.Event, peak: list[float]) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], await asyncio.to_thread(server_rss_mb, pid))
        try:
            await asyncio.wait_for(stop.wait(), SAMPLE_EVERY_S)
        except TimeoutError:
            pass


async def _load(
    url: str, pid: int, pages: list[str], links: list[str], sessions: int, seconds: float, seed: int, think: float
) -> tuple[list[Run], float, float]:
    runs: list[Run] = []
    stop, peak = asyncio.Event(), [0.0]
    sampler = asyncio.create_task(_sample_peak(pid, stop, peak))
    start = time.monotonic()
    deadline = start + seconds
    users = [drive_user(url, pages, links, user, deadline, runs, seed, think) for user in range(sessions)]
    # Every run is bounded by the run timeout, so this bound is never reached unless the client hangs.
    await asyncio.wait_for(asyncio.gather(*users), seconds + RUN_TIMEOUT_S + CONNECT_TIMEOUT_S + 30)
    elapsed = time.monotonic() - start
    stop.set()
    await sampler
    return runs, elapsed, peak[0]


def find_tracebacks(log: Path) -> list[str]:
    """Return, for each traceback in the server's output, its exception line ("ValueError: ..."). Plain
    and rich (boxed, coloured) tracebacks alike: the first unindented line after the header that is not
    part of the box."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", log.read_text(encoding="utf-8", errors="replace"))
    found = []
    for chunk in text.split("Traceback")[1:]:
        lines = chunk.splitlines()[1:]
        found.append(
            next(
                (
                    line.strip()
                    for line in lines
                    if line.strip() and not line[0].isspace() and not line.startswith(("─", "╰", "└"))
                ),
                "(no exception line)",
            )[:300]
        )
    return found


def measure(
    script: Path,
    pages: list[str],
    links: list[str],
    sessions: int,
    seconds: float,
    seed: int = 0,
    think: float = 0.0,
    env: dict | None = None,
) -> Result:
    """Serve `script`, warm it (every page once), drive the load, and return what happened."""
    from tests.serving import start_server, stop_server

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        proc, url = start_server(env=env, script=script, log=log)
        try:
            result = Result(sessions=sessions, think_s=think)
            result.memory_mb["fresh"] = server_rss_mb(proc.pid)
            warm: list[Run] = []
            asyncio.run(drive_session(url, [Visit(page, "") for page in pages], time.monotonic() + 600, warm))
            result.runs += [run for run in warm if not run.ok]  # a page that fails cold fails the load too
            result.memory_mb["warm"] = server_rss_mb(proc.pid)
            cpu_before, client_before = server_cpu_s(proc.pid), time.process_time()
            runs, result.seconds, peak = asyncio.run(_load(url, proc.pid, pages, links, sessions, seconds, seed, think))
            result.server_cpu_s, result.client_cpu_s = (
                server_cpu_s(proc.pid) - cpu_before,
                time.process_time() - client_before,
            )
            result.runs += runs
            result.memory_mb["after"] = server_rss_mb(proc.pid)
            result.memory_mb["peak"] = max(peak, result.memory_mb["after"])
            result.tracebacks = find_tracebacks(log)
        finally:
            stop_server(proc)
    return result


def summarize(result: Result) -> dict:
    """Return the numbers of one load: overall and per page."""

    def stats(runs: list[Run]) -> dict:
        times = sorted(run.seconds for run in runs if run.ok)
        return {
            "runs": len(runs),
            "failed": sum(not run.ok for run in runs),
            "p50_s": statistics.median(times) if times else float("nan"),
            "p95_s": times[min(len(times) - 1, int(0.95 * len(times)))] if times else float("nan"),
        }

    pages = sorted({run.page for run in result.runs})
    memory = result.memory_mb
    return {
        "sessions": result.sessions,
        "think_s": result.think_s,
        "seconds": round(result.seconds, 1),
        **stats(result.runs),
        "runs_per_s": len(result.runs) / result.seconds if result.seconds else 0.0,
        "finished_by_page": {page: sum(run.ok and run.ran == page for run in result.runs) for page in pages},
        "by_page": {page: stats([run for run in result.runs if run.page == page]) for page in pages},
        "problems": sorted(
            {f"{run.page or '(default)'}?{run.query}: {run.problem}" for run in result.runs if not run.ok}
        )[:20],
        "tracebacks": len(result.tracebacks),
        "traceback_heads": sorted(set(result.tracebacks))[:10],
        "memory_mb": {key: round(value, 1) for key, value in memory.items()},
        "growth_mb": round(memory["after"] - memory["warm"], 1),
        # CPU seconds per second of load: 1.0 is one core busy all the time.
        "server_cores": round(result.server_cpu_s / result.seconds, 2) if result.seconds else 0.0,
        "client_cores": round(result.client_cpu_s / result.seconds, 2) if result.seconds else 0.0,
    }


def missed_targets(app: dict, bare: dict | None = None) -> list[str]:
    """Return the targets the load missed, in words."""
    missed = []
    if app["runs"] == 0:
        missed.append("no run finished")
    if app["failed"]:
        missed.append(f"{app['failed']} failed run(s)")
    if app["tracebacks"]:
        missed.append(f"{app['tracebacks']} traceback(s) in the server output")
    if not app["p95_s"] < TARGET_P95_S:
        missed.append(f"p95 {app['p95_s']:.2f} s (target < {TARGET_P95_S:.0f} s)")
    if not app["growth_mb"] < TARGET_GROWTH_MB:
        missed.append(f"memory growth {app['growth_mb']:.0f} MB (target < {TARGET_GROWTH_MB:.0f} MB)")
    if bare is not None and (bare["failed"] or bare["tracebacks"]):
        missed.append("the bare page failed: the measurement itself is broken")
    return missed


def print_report(app: dict, bare: dict | None) -> None:
    print(
        f"{app['sessions']} sessions for {app['seconds']} s"
        + (
            f", pausing {app['think_s']:g} s on average between visits"
            if app["think_s"]
            else ", no pause between visits"
        )
    )
    print(f"{'page':<12}{'runs':>7}{'failed':>8}{'p50 s':>8}{'p95 s':>8}")
    for page, row in app["by_page"].items():
        print(f"{page or '(default)':<12}{row['runs']:>7}{row['failed']:>8}{row['p50_s']:>8.2f}{row['p95_s']:>8.2f}")
    rows = [("app", app)] + ([("bare page", bare)] if bare else [])
    print()
    print(
        f"{'':<12}{'runs/s':>8}{'runs':>7}{'failed':>8}{'p50 s':>8}{'p95 s':>8}{'tracebacks':>12}"
        f"{'MB fresh':>10}{'warm':>7}{'peak':>7}{'after':>7}{'growth':>8}{'cores':>7}"
    )
    for name, row in rows:
        m = row["memory_mb"]
        print(
            f"{name:<12}{row['runs_per_s']:>8.1f}{row['runs']:>7}{row['failed']:>8}"
            f"{row['p50_s']:>8.2f}{row['p95_s']:>8.2f}{row['tracebacks']:>12}"
            f"{m['fresh']:>10.0f}{m['warm']:>7.0f}{m['peak']:>7.0f}{m['after']:>7.0f}"
            f"{row['growth_mb']:>8.0f}{row['server_cores']:>7.2f}"
        )
    if bare:
        print(
            f"app / bare page: p50 {app['p50_s'] / bare['p50_s']:.1f}x, "
            f"throughput {bare['runs_per_s'] / app['runs_per_s']:.1f}x lower"
        )
    for problem in app["problems"]:
        print(f"  failed: {problem}")
    for head in app["traceback_heads"]:
        print(f"  traceback: {head}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions (default 20)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the load runs (default 60)")
    parser.add_argument(
        "--bare", action="store_true", help="also load a bare page (a title and a 100-row table) for a ratio"
    )
    parser.add_argument("--json", type=Path, help="write the numbers to this file")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause in seconds between a session's visits (default 0: the next visit as soon as a run ends)",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.sessions < 1 or not 0 < args.seconds <= 3600 or not 0 <= args.think <= 60:
        parser.error("--sessions must be at least 1, --seconds between 0 and 3600, --think between 0 and 60")

    from landscape.load import load_tables
    from landscape.model import build_landscape
    from tests.serving import BARE_PAGE, ENTRY

    tables = load_tables()  # the data the server will serve: LANDSCAPE_DATA_DIR or the bundled data
    if not tables.ok:
        print("the data does not validate: run python -m landscape validate", file=sys.stderr)
        return 2
    links = build_links(build_landscape(tables.tables), args.seed)
    pages = [page.slug for page in sitemap.PAGES]
    print(f"{len(pages)} pages x {len(links)} links", flush=True)
    app = summarize(measure(ENTRY, pages, links, args.sessions, args.seconds, args.seed, args.think))
    bare = None
    if args.bare:
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "bare.py"
            script.write_text(BARE_PAGE, encoding="utf-8")
            bare = summarize(measure(script, [""], [""], args.sessions, args.seconds, args.seed, args.think))
    print_report(app, bare)
    missed = missed_targets(app, bare)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({"app": app, "bare": bare, "links": links, "missed": missed}, indent=2, default=str),
            encoding="utf-8",
        )
    print(f"targets missed: {'; '.join(missed)}" if missed else "all targets met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
