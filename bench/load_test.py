"""Load test: concurrent clients against `searcher serve` (waitress) while the index is rebuilt.

Loopback only, bounded in time and request count. It copies the bundled corpus to a temp
folder, starts the real server on a free 127.0.0.1 port, and runs CLIENTS threads issuing a mix
of search, provision, document and compare requests. Halfway through it (1) runs `searcher build`
in another process against the same index folder and (2) changes a corpus file, which the running
app must notice and index by itself. Every response must be a 200 with a non-empty body; the
search responses must still find hits. Prints requests, errors, throughput and latency percentiles.

    .venv/bin/python bench/load_test.py                 # the full run: 16 clients, 60 s
    .venv/bin/python bench/load_test.py --seconds 8     # the short version CI runs
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["湾区", "粵港澳大灣區", "科技创新", "牵头单位", "港珠澳大桥", "横琴", "一带一路", "金融 OR 保险",
           "创新 -香港", '"国际 科技"', "doc:gd-action-plan 机场", "水资源", "广州都市圈", "灣區"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 30.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until_up(base: str, process: subprocess.Popen, limit: float = 300.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode} before answering")
        try:
            if fetch(base + "/api/docs", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit("server did not answer within the limit")


def url_mix(base: str) -> list[str]:
    docs = json.loads(fetch(base + "/api/docs")[1])["documents"]
    provision_ids: list[str] = []
    for doc in docs:
        detail = json.loads(fetch(f"{base}/api/docs/{doc['id']}")[1])
        provision_ids += [p["id"] for p in detail["provisions"]]
    rng = random.Random(7)
    sample = rng.sample(provision_ids, 40)
    urls = [f"{base}/api/search?q={urllib.parse.quote(q)}" for q in QUERIES]
    urls += [f"{base}/search?q={urllib.parse.quote(q)}" for q in QUERIES[:6]]
    urls += [f"{base}/p/{pid}" for pid in sample[:20]] + [f"{base}/api/p/{pid}" for pid in sample[20:]]
    urls += [f"{base}/d/{doc['id']}" for doc in docs]
    urls += [f"{base}/compare?a={urllib.parse.quote(a)}&b={urllib.parse.quote(b)}"
             for a, b in zip(sample[:10], sample[10:20])]
    return urls


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.failures: list[str] = []

    def record(self, url: str, seconds: float, status: int, body: bytes) -> None:
        problem = None
        if status != 200:
            problem = f"{status} {url}"
        elif not body.strip():
            problem = f"empty body {url}"
        elif "/api/search" in url and b'"total": 0' in body.replace(b'"total":0', b'"total": 0'):
            problem = f"no hits {url}"
        with self.lock:
            self.latencies.append(seconds)
            if problem:
                self.failures.append(problem)


def client(urls: list[str], stop_at: float, max_requests: int, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(max_requests):
        if time.monotonic() >= stop_at:
            return
        url = rng.choice(urls)
        started = time.perf_counter()
        try:
            status, body = fetch(url)
        except OSError as error:
            status, body = 0, str(error).encode()
        tally.record(url, time.perf_counter() - started, status, body)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=200_000, help="cap per run (all clients)")
    args = parser.parse_args()

    searcher = str(Path(sys.executable).with_name("searcher"))
    workdir = Path(tempfile.mkdtemp(prefix="searcher-load-"))
    corpus, index = workdir / "corpus", workdir / "index"
    shutil.copytree(ROOT / "corpus", corpus)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([searcher, "serve", "--host", "127.0.0.1", "--port", str(port),
                               "--corpus", str(corpus), "--index", str(index)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_up(base, server)
        urls = url_mix(base)
        tally = Tally()
        stop_at = time.monotonic() + args.seconds
        per_client = max(1, args.max_requests // args.clients)
        threads = [threading.Thread(target=client, args=(urls, stop_at, per_client, tally, n))
                   for n in range(args.clients)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        # Halfway: a rebuild from another process, then a corpus change the app must pick up.
        time.sleep(args.seconds / 3)
        rebuild = subprocess.run([searcher, "build", "--corpus", str(corpus), "--index", str(index)],
                                 capture_output=True, text=True)
        outline = next(corpus.glob("000_*.txt"))
        with outline.open("a", encoding="utf-8") as handle:
            handle.write("\n\n负载测试追加的段落。用于检验运行中的服务能否自动重建索引。\n")
        changed_at = time.monotonic()
        picked_up_after = None
        probe = f"{base}/api/search?q={urllib.parse.quote('负载测试追加的段落')}"
        # The load keeps running while the app notices the change, rebuilds and switches;
        # the probe waits for that (up to two minutes) even after the load has stopped.
        while time.monotonic() < changed_at + 120:
            status, body = fetch(probe)
            if status == 200 and json.loads(body).get("total", 0) > 0:
                picked_up_after = time.monotonic() - changed_at
                break
            time.sleep(0.5)
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(workdir, ignore_errors=True)

    latencies = tally.latencies
    report = {
        "clients": args.clients, "load_seconds": args.seconds, "wall_seconds": round(elapsed, 1),
        "requests": len(latencies), "errors": len(tally.failures),
        "throughput_rps": round(len(latencies) / args.seconds, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1),
        "cli_rebuild_exit": rebuild.returncode,
        "corpus_change_searchable_after_s": round(picked_up_after, 1) if picked_up_after else None,
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    for failure in tally.failures[:20]:
        print("FAIL", failure)
    ok = not tally.failures and rebuild.returncode == 0 and picked_up_after is not None
    print("load test:", "passed" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
