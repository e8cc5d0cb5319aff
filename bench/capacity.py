#!/usr/bin/env python3
"""The client side of bench/capacity.sh, against a running engine (standard library only).

Usage:
  capacity.py answers BASE_URL ANSWERS CONCURRENCY
      One anonymous session; CONCURRENCY conversations, each posting its share of ANSWERS messages
      one after another as streaming POSTs, read to step.finished. Prints one JSON line: answers,
      delta events and the tokens they cover, bytes of SSE received, wall seconds.
  capacity.py snapshot REDIS_PORT PG_PORT DB ENGINE_PIDS
      One JSON line of counters: Redis INFO commandstats/stats/memory and the bytes of the
      grizz:* keys (MEMORY USAGE), PostgreSQL pg_stat_database and pg_stat_user_tables of DB,
      the WAL position, table sizes, and the engines' CPU time (/proc). ENGINE_PIDS is a pid or
      name:pid,name:pid (e.g. gateway:123,worker:456): each one's CPU and their sum.
  capacity.py idle ENGINE_PIDS SECONDS
      Each engine's CPU while no client is connected, over SECONDS, as one JSON line of CPU
      seconds per second by name (its fixed cost: timers, pollers, the garbage collector).
  capacity.py diff BEFORE.json AFTER.json ANSWERS.json [IDLE.json]
      The differences per answer and per delta, as one JSON line and a Markdown table; with
      IDLE.json also each engine's CPU per answer net of its idle CPU over the run's wall time.
  capacity.py sse-idle BASE_URL STREAMS CONVERSATIONS HOLD_SECONDS
      Opens STREAMS idle SSE subscriptions (GET /events, Accept: text/event-stream) over
      CONVERSATIONS conversations, prints "READY <open>" when all have answered 200, holds them
      HOLD_SECONDS, then prints one JSON line and closes them.
"""
import asyncio
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request


def call(base, method, path, body=None, token=None, stream=False):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if stream:
        req.add_header("Accept", "text/event-stream")
    return urllib.request.urlopen(req, timeout=120)


def session(base):
    return json.load(call(base, "POST", "/api/v1/sessions", {}))["access_token"]


def answers(base, total, concurrency):
    token = session(base)
    totals = {"answers": 0, "failed": 0, "delta_events": 0, "delta_tokens": 0, "sse_bytes": 0}
    lock = threading.Lock()

    def worker(n):
        conv = json.load(call(base, "POST", "/api/v1/conversations", {}, token))["id"]
        mine = {"answers": 0, "failed": 0, "delta_events": 0, "delta_tokens": 0, "sse_bytes": 0}
        for i in range(n):
            with call(base, "POST", f"/api/v1/conversations/{conv}/messages",
                      {"content": f"Question {i}: tell me something about capacity planning."},
                      token, stream=True) as response:
                ok = False
                for raw in response:
                    mine["sse_bytes"] += len(raw)
                    line = raw.decode()
                    if not line.startswith("data:"):
                        continue
                    event = json.loads(line[5:])
                    if event["type"] == "message.delta":
                        mine["delta_events"] += 1
                        mine["delta_tokens"] += event["seq"] - event["data"].get("seq_from", event["seq"]) + 1
                    elif event["type"] == "step.finished":
                        ok = event["data"].get("status") == "completed"
                        break
                mine["answers" if ok else "failed"] += 1
        with lock:
            for k, v in mine.items():
                totals[k] += v

    started = time.perf_counter()
    shares = [total // concurrency + (1 if i < total % concurrency else 0) for i in range(concurrency)]
    threads = [threading.Thread(target=worker, args=(n,)) for n in shares if n]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    totals["wall_s"] = round(time.perf_counter() - started, 2)
    print(json.dumps(totals))


async def sse_idle(base, streams, conversations, hold):
    token = session(base)
    convs = [json.load(call(base, "POST", "/api/v1/conversations", {}, token))["id"]
             for _ in range(conversations)]
    url = urllib.parse.urlparse(base)
    limit = asyncio.Semaphore(100)
    opened, failed, writers = 0, 0, []

    async def open_one(i):
        nonlocal opened, failed
        async with limit:
            try:
                reader, writer = await asyncio.open_connection(url.hostname, url.port)
                writer.write((f"GET /api/v1/conversations/{convs[i % len(convs)]}/events HTTP/1.1\r\n"
                              f"Host: {url.netloc}\r\nAccept: text/event-stream\r\n"
                              f"Authorization: Bearer {token}\r\n\r\n").encode())
                await writer.drain()
                status = await asyncio.wait_for(reader.readline(), 30)
                if b" 200" in status:
                    opened += 1
                    writers.append((reader, writer))
                else:
                    failed += 1
                    writer.close()
            except (OSError, asyncio.TimeoutError):
                failed += 1

    started = time.perf_counter()
    await asyncio.gather(*(open_one(i) for i in range(streams)))
    open_s = time.perf_counter() - started
    print(f"READY {opened}", flush=True)
    await asyncio.sleep(hold)
    # Still open: nothing read EOF; drain what heartbeats arrived without blocking.
    alive = 0
    for reader, _ in writers:
        try:
            await asyncio.wait_for(reader.read(65536), 0.001)
        except asyncio.TimeoutError:
            pass
        if not reader.at_eof():
            alive += 1
    for _, writer in writers:
        writer.close()
    print(json.dumps({"asked": streams, "opened": opened, "failed": failed, "still_open": alive,
                      "open_s": round(open_s, 1)}), flush=True)


def sh(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def proc_cpu(pid, children=False):
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read().rsplit(")", 1)[1].split()
    ticks = int(stat[11]) + int(stat[12]) + ((int(stat[13]) + int(stat[14])) if children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def snapshot(redis_port, pg_port, db, pids):
    engines = pids_by_name(pids)
    redis = lambda *a: sh("redis-cli", "-p", redis_port, *a)
    info = {}
    for line in redis("INFO", "all").splitlines():
        if ":" in line and not line.startswith("#"):
            k, v = line.split(":", 1)
            info[k] = v.strip()
    commands, usec = {}, {}
    for k, v in info.items():
        if k.startswith("cmdstat_"):
            fields = dict(f.split("=") for f in v.split(","))
            commands[k[8:]] = int(fields["calls"])
            usec[k[8:]] = int(fields["usec"])
    keys = [k for k in redis("--scan", "--pattern", "grizz:*").split() if k]
    key_bytes, stream_entries = {}, 0
    for k in keys:
        kind = k.split(":")[1]
        key_bytes[kind] = key_bytes.get(kind, 0) + int(redis("MEMORY", "USAGE", k, "SAMPLES", "0").strip() or 0)
        if kind == "events":
            stream_entries += int(redis("XLEN", k).strip() or 0)
    psql = lambda q: sh("psql", "-h", "127.0.0.1", "-p", pg_port, "-U", "postgres", "-d", db,
                        "-AtF", "|", "-c", q)
    db_row = psql("select xact_commit, tup_inserted, tup_updated, tup_deleted, blks_hit + blks_read,"
                  " pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')"
                  f" from pg_stat_database where datname = '{db}'").strip().split("|")
    tables = {}
    for line in psql("select relname, n_tup_ins, n_tup_upd, n_tup_del, pg_total_relation_size(relid)"
                     " from pg_stat_user_tables").splitlines():
        name, ins, upd, dele, size = line.split("|")
        tables[name] = [int(ins), int(upd), int(dele), int(size)]
    cpus = {name: proc_cpu(pid) for name, pid in engines.items()}
    # PostgreSQL: the postmaster (with its reaped children) and its live backends.
    pg_pid = int(sh("pgrep", "-o", "-f", f"postgres .*-p {pg_port} ").split()[0])
    pg_cpu = proc_cpu(pg_pid, children=True) + sum(
        proc_cpu(int(c)) for c in sh("sh", "-c", f"pgrep -P {pg_pid} || true").split())
    rss_kb = {}
    for name, pid in engines.items():
        with open(f"/proc/{pid}/status") as f:
            rss_kb[name] = next(int(l.split()[1]) for l in f if l.startswith("VmRSS"))
    print(json.dumps({
        "redis": {"commands": commands, "usec": usec, "net_in": int(info["total_net_input_bytes"]),
                  "net_out": int(info["total_net_output_bytes"]),
                  "used_memory": int(info["used_memory"]), "keys": len(keys),
                  "cpu_s": float(info["used_cpu_sys"]) + float(info["used_cpu_user"]),
                  "key_bytes": key_bytes, "stream_entries": stream_entries},
        "pg": {"commits": int(db_row[0]), "inserted": int(db_row[1]), "updated": int(db_row[2]),
               "deleted": int(db_row[3]), "wal": int(float(db_row[5])), "tables": tables,
               "cpu_s": pg_cpu},
        "engine": {"cpu_s": sum(cpus.values()), "rss_kb": sum(rss_kb.values()), "by_process": cpus}}))


def pids_by_name(pids):
    return dict((p.split(":") if ":" in p else ("engine", p)) for p in pids.split(","))


def idle(pids, seconds):
    engines = pids_by_name(pids)
    before = {name: proc_cpu(pid) for name, pid in engines.items()}
    time.sleep(seconds)
    print(json.dumps({name: (proc_cpu(pid) - before[name]) / seconds for name, pid in engines.items()}))


def diff(before_path, after_path, answers_path, idle_path=None):
    b, a, r = (json.load(open(p)) for p in (before_path, after_path, answers_path))
    n, deltas, tokens = r["answers"] + r["failed"], r["delta_events"], r["delta_tokens"]
    cmds = {k: v - b["redis"]["commands"].get(k, 0) for k, v in a["redis"]["commands"].items()}
    cmds = {k: v for k, v in cmds.items() if v > 0 and k not in ("info", "memory|usage", "scan", "xlen")}
    rows = [("answers (completed / failed)", f"{r['answers']} / {r['failed']}"),
            ("delta events seen by the client / tokens they cover", f"{deltas} / {tokens}"),
            ("engine CPU ms per answer", f"{1000 * (a['engine']['cpu_s'] - b['engine']['cpu_s']) / n:.1f}")]
    by = a["engine"].get("by_process", {})
    if len(by) > 1:
        for name, cpu in by.items():
            rows.append((f"{name} CPU ms per answer", f"{1000 * (cpu - b['engine']['by_process'][name]) / n:.1f}"))
    if idle_path:
        rates = json.load(open(idle_path))
        for name, cpu in by.items():
            used = cpu - b["engine"]["by_process"][name]
            rows.append((f"{name} CPU ms per answer net of idle ({1000 * rates[name]:.1f} ms/s idle"
                         f" × {r['wall_s']:.0f} s)", f"{1000 * (used - rates[name] * r['wall_s']) / n:.1f}"))
    rows.append(("Redis CPU ms per answer (INFO used_cpu)",
                 f"{1000 * (a['redis']['cpu_s'] - b['redis']['cpu_s']) / n:.2f}"))
    busy = sum(v - b["redis"]["usec"].get(k, 0) for k, v in a["redis"]["usec"].items()
               if k in cmds and k not in ("xadd", "get", "time", "xrevrange"))
    rows.append(("Redis time inside commands per answer (commandstats usec; a script's own commands"
                 " counted once, in evalsha)", f"{busy / 1000 / n:.2f} ms"))
    rows.append(("PostgreSQL CPU ms per answer (server processes)",
                 f"{1000 * (a['pg']['cpu_s'] - b['pg']['cpu_s']) / n:.2f}"))
    for k, v in sorted(cmds.items(), key=lambda kv: -kv[1]):
        rows.append((f"Redis `{k}` per answer", f"{v / n:.2f}"))
    rows.append(("Redis commands per answer (all)", f"{sum(cmds.values()) / n:.1f}"))
    rows.append(("Redis commands per delta event", f"{sum(cmds.values()) / max(1, deltas):.2f}"))
    rows.append(("Redis bytes in / out per answer",
                 f"{(a['redis']['net_in'] - b['redis']['net_in']) / n:,.0f} / {(a['redis']['net_out'] - b['redis']['net_out']) / n:,.0f}"))
    ev = a["redis"]["key_bytes"].get("events", 0) - b["redis"]["key_bytes"].get("events", 0)
    entries = a["redis"]["stream_entries"] - b["redis"]["stream_entries"]
    rows.append(("Redis event-stream memory per answer (MEMORY USAGE)", f"{ev / n:,.0f} B"))
    rows.append(("stream entries per answer / bytes per entry", f"{entries / n:.1f} / {ev / max(1, entries):,.0f} B"))
    rows.append(("Redis used_memory growth per answer", f"{(a['redis']['used_memory'] - b['redis']['used_memory']) / n:,.0f} B"))
    for k in ("commits", "inserted", "updated", "deleted"):
        rows.append((f"PostgreSQL {k} per answer", f"{(a['pg'][k] - b['pg'][k]) / n:.2f}"))
    rows.append(("PostgreSQL WAL bytes per answer", f"{(a['pg']['wal'] - b['pg']['wal']) / n:,.0f}"))
    growth = {t: [x - y for x, y in zip(v, b["pg"]["tables"].get(t, [0, 0, 0, 0]))]
              for t, v in a["pg"]["tables"].items()}
    rows.append(("PostgreSQL table+index bytes per answer",
                 f"{sum(g[3] for g in growth.values()) / n:,.0f}"))
    for t, g in sorted(growth.items(), key=lambda kv: -(kv[1][0] + kv[1][1])):
        if g[0] or g[1] or g[2]:
            rows.append((f"`{t}` inserts / updates / deletes per answer; bytes grown per answer",
                         f"{g[0] / n:.2f} / {g[1] / n:.2f} / {g[2] / n:.2f}; {g[3] / n:,.0f}"))
    rows.append(("SSE bytes received per answer (client)", f"{r['sse_bytes'] / n:,.0f}"))
    print("| quantity | value |\n|---|---|")
    for k, v in rows:
        print(f"| {k} | {v} |")
    print(json.dumps({"commands": cmds, "answers": r}))


if __name__ == "__main__":
    mode, base = sys.argv[1], sys.argv[2]
    if mode == "answers":
        answers(base, int(sys.argv[3]), int(sys.argv[4]))
    elif mode == "snapshot":
        snapshot(*sys.argv[2:6])
    elif mode == "diff":
        diff(*sys.argv[2:6])
    elif mode == "idle":
        idle(sys.argv[2], float(sys.argv[3]))
    elif mode == "sse-idle":
        asyncio.run(sse_idle(base, int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])))
    else:
        sys.exit(__doc__)
