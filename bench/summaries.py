#!/usr/bin/env python3
"""Time to first token of each turn of one long conversation, against a running engine.

Usage: summaries.py BASE_URL TURNS [THINK_MS]
THINK_MS: a pause after each answer before the next message (a user reading; default 0).
Prints one JSON line: per-turn time from sending the message (streaming POST) to its first
message.delta event, in ms, and how many summary steps the conversation got.
"""
import json
import sys
import time
import urllib.request

base, turns = sys.argv[1], int(sys.argv[2])
think = float(sys.argv[3]) / 1000 if len(sys.argv) > 3 else 0.0


def call(method, path, body=None, token=None, stream=False):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if stream:
        req.add_header("Accept", "text/event-stream")
    return urllib.request.urlopen(req, timeout=60)


token = json.load(call("POST", "/api/v1/sessions", {}))["access_token"]
conversation = json.load(call("POST", "/api/v1/conversations", {}, token))["id"]
ttft = []
for turn in range(1, turns + 1):
    words = f"Turn {turn}: a message of filler words that takes room in the context window, " * 3
    started = time.perf_counter()
    first = None
    with call("POST", f"/api/v1/conversations/{conversation}/messages",
              {"content": words}, token, stream=True) as response:
        for raw in response:
            line = raw.decode()
            if first is None and "message.delta" in line:
                first = (time.perf_counter() - started) * 1000
            if "step.finished" in line:
                break
    ttft.append(round(first if first is not None else -1, 2))
    time.sleep(think)
detail = json.load(call("GET", f"/api/v1/conversations/{conversation}", None, token))
summaries = sum(1 for s in detail["steps"] if s["type"] == "summary")
print(json.dumps({"turns": turns, "summaries": summaries, "ttft_ms": ttft}))
