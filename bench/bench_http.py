"""HTTP benchmark: the app under waitress beside the floor app, 1, 4 and 16 clients, then a rebuild under load.

    .venv/bin/python bench/bench_http.py [--seconds 20] [--clients 1 4 16]

Needs Debian's ``wrk`` (``apt-get install wrk``): a load generator in C, so that the clients
cost little of this 2-core machine's CPU (Python client threads would compete for it).

Side by side in one run, on loopback, against a copy of the bundled corpus:

* **floor**: ``bench/floor_app.py``, Flask + waitress answering each query by a brute-force scan
  (no ranking, facets, highlights or templates): the cost of the web stack itself;
* **searcher**: ``searcher serve`` (waitress, 8 threads) answering ``/api/search`` (the first
  page: ranking, facets, highlights, the related tier on a last page), with its response cache;
* **searcher, no cache**: the same with ``SEARCHER_RESPONSE_CACHE=0``, so that every request
  reaches the engine (the cost of a query nobody asked before).

Each server gets the same URLs (16 queries, cycled by every connection). Then a last run: 16
clients against ``searcher serve`` with its corpus watcher on, while ``searcher build`` runs
from another process and a corpus file changes; it counts failed or empty responses and the
seconds until the change is searchable. Figures are throughput, p50/p95/p99 latency and their
ratios to the floor.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
QUERIES = ["湾区", "粵港澳大灣區", "科技创新", "港珠澳大桥", "横琴", "一带一路", "水资源", "广州都市圈", "营商环境",
           "人才", "机场", "前海", "南沙", "碳达峰", "数字经济", "灣區"]
LUA = r"""
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
local bad = 0
response = function(status, headers, body)
  if status ~= 200 or #body == 0 then bad = bad + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %%d, "seconds": %%f, "errors": %%d, "p50": %%d, "p95": %%d, "p99": %%d}\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, limit: float = 300.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url}: no answer within {limit:.0f} s")


def wrk(base: str, clients: int, seconds: int, script: Path) -> dict:
    command = ["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{seconds}s", "--timeout", "10s",
               "-s", str(script), base]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def serve(corpus: Path, index: Path, port: int, cache: bool, watch: bool) -> subprocess.Popen:
    env = dict(os.environ, SEARCHER_RESPONSE_CACHE="1024" if cache else "0")
    command = [PYTHON, "-m", "searcher.cli", "serve", "--corpus", str(corpus), "--index", str(index),
               "--port", str(port), "--threads", "8", "--watch" if watch else "--no-watch"]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def change_searchable(base: str, target: Path, marker: str, limit: float) -> float | None:
    """Append a paragraph to a plan and return the seconds until a search finds it (None: not within limit)."""
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(f"\n推进{marker}协同发展。\n")
    changed = time.monotonic()
    while time.monotonic() - changed < limit:
        with urllib.request.urlopen(base + "/api/search?q=" + urllib.parse.quote(marker), timeout=10) as response:
            if json.load(response)["total"]:
                return time.monotonic() - changed
        time.sleep(0.05)
    return None


def rebuild_under_load(work: Path, index: Path, clients: int, seconds: int, script: Path) -> dict:
    """A one-plan change unloaded; then clients while another process rebuilds and a plan changes again."""
    port = free_port()
    server = serve(work, index, port, cache=True, watch=True)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base + "/api/docs", server)
    time.sleep(3)   # the watcher's builder process starts and loads jieba
    target = next(work.glob("002_*.txt"))   # the largest plan: the slowest one-plan change
    unloaded = change_searchable(base, target, "海洋牧场甲", seconds)
    load = subprocess.Popen(["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds}s", "--timeout", "10s",
                             "-s", str(script), base], stdout=subprocess.PIPE, text=True)
    time.sleep(seconds / 6)
    build = subprocess.run([PYTHON, "-m", "searcher.cli", "build", "--corpus", str(work), "--index", str(index)],
                           cwd=ROOT, capture_output=True, text=True)
    loaded = change_searchable(base, target, "海洋牧场乙", seconds / 2)
    output, _ = load.communicate()
    stop(server)
    figures = json.loads(output.strip().splitlines()[-1])
    figures.update(rps=figures["requests"] / figures["seconds"], build_exit=build.returncode,
                   unloaded=unloaded, searchable=loaded)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20, help="seconds per run (default 20)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench_http.py needs wrk: run `apt-get install wrk` and try again.")
    work_root = Path(tempfile.mkdtemp(prefix="bench-http-"))
    work = work_root / "corpus"
    shutil.copytree(ROOT / "corpus", work)
    index = work_root / "index"
    subprocess.run([PYTHON, "-m", "searcher.cli", "build", "--corpus", str(work), "--index", str(index)],
                   cwd=ROOT, check=True, capture_output=True)
    paths = ", ".join(json.dumps("/api/search?q=" + urllib.parse.quote(q)) for q in QUERIES)
    script = work_root / "mix.lua"
    script.write_text(LUA % paths, encoding="utf-8")
    servers = {}
    floor_port, cached_port, plain_port = free_port(), free_port(), free_port()
    servers["floor"] = (subprocess.Popen([PYTHON, str(ROOT / "bench" / "floor_app.py"), "--port", str(floor_port),
                                          "--corpus", str(work)], stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL), floor_port)
    servers["searcher"] = (serve(work, index, cached_port, cache=True, watch=False), cached_port)
    servers["searcher, no cache"] = (serve(work, index, plain_port, cache=False, watch=False), plain_port)
    try:
        for process, port in servers.values():
            wait_until_up(f"http://127.0.0.1:{port}/api/search?q=%E6%B9%BE%E5%8C%BA", process)
        rows = []
        for clients in args.clients:
            results = {name: wrk(f"http://127.0.0.1:{port}", clients, args.seconds, script)
                       for name, (_, port) in servers.items()}
            floor = results["floor"]
            for name, figures in results.items():
                rows.append((clients, name, figures, figures["rps"] / floor["rps"], figures["p95"] / max(1, floor["p95"])))
    finally:
        for process, _ in servers.values():
            stop(process)
    print(f"{len(QUERIES)} queries cycled; {args.seconds} s a run; wrk on the same machine\n")
    print("| clients | server | requests | errors | req/s | p50 ms | p95 ms | p99 ms | req/s ÷ floor | p95 ÷ floor |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for clients, name, f, ratio, p95_ratio in rows:
        print(f"| {clients} | {name} | {f['requests']:,} | {f['errors']} | {f['rps']:.0f} | {f['p50'] / 1000:.1f} | "
              f"{f['p95'] / 1000:.1f} | {f['p99'] / 1000:.1f} | {ratio:.2f} | {p95_ratio:.2f} |")
    loaded = rebuild_under_load(work, index, max(args.clients), args.seconds * 2, script)
    def after(seconds):
        return f"{seconds:.1f} s" if seconds is not None else "not within the run"

    print(f"\nA one-plan change (the largest plan), unloaded: searchable after {after(loaded['unloaded'])}.")
    print(f"Rebuild under load ({max(args.clients)} clients, {args.seconds * 2} s, `searcher build` from another "
          f"process, then the plan changed again): {loaded['requests']:,} requests, {loaded['errors']} failed or "
          f"empty, {loaded['rps']:.0f} req/s, p50 {loaded['p50'] / 1000:.1f} ms, p95 {loaded['p95'] / 1000:.1f} ms, "
          f"p99 {loaded['p99'] / 1000:.1f} ms; build exit {loaded['build_exit']}; the change was searchable after "
          f"{after(loaded['searchable'])}.")
    shutil.rmtree(work_root, ignore_errors=True)


if __name__ == "__main__":
    main()
