#!/usr/bin/env python3
"""Concurrent streaming generations against a server (glossa-server or server_reference.py).

  stream_load.py URL MODEL --streams 16 --seconds 30 --tokens 100

Each of --streams threads asks, again and again, for a streamed generation of --tokens tokens
(temperature 1, top-k 40, a new seed each time) and counts the token events as they arrive.
Prints one JSON line: total tokens per second, requests, errors, and the time to the first
token (median and 99th percentile).
"""
import argparse, http.client, json, statistics, threading, time, urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("url")
parser.add_argument("model")
parser.add_argument("--streams", type=int, default=16)
parser.add_argument("--seconds", type=float, default=30)
parser.add_argument("--tokens", type=int, default=100)
args = parser.parse_args()
address = urllib.parse.urlparse(args.url)

lock = threading.Lock()
totals = {"tokens": 0, "requests": 0, "errors": 0, "first": []}
deadline = time.time() + args.seconds


def worker(k):
    seed = k * 100_000
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    while time.time() < deadline:
        seed += 1
        body = json.dumps({"model": args.model, "prompt": "it is a truth", "max_tokens": args.tokens,
                           "temperature": 1.0, "top_k": 40, "seed": seed, "stream": True})
        start, tokens, first, done = time.time(), 0, None, False
        try:
            connection.request("POST", "/v1/generate", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            if response.status != 200:
                raise RuntimeError(response.status)
            for line in response:
                if line.startswith(b"event: token"):
                    tokens += 1
                    first = first or time.time() - start
                elif line.startswith(b"event: done"):
                    done = True
            response.close()
            if not done or tokens != args.tokens:
                raise RuntimeError(f"{tokens} tokens, done {done}")
            with lock:
                totals["tokens"] += tokens
                totals["requests"] += 1
                totals["first"].append(first)
        except Exception:
            with lock:
                totals["errors"] += 1
            connection.close()
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)


threads = [threading.Thread(target=worker, args=(k,)) for k in range(args.streams)]
begin = time.time()
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.time() - begin
first = sorted(totals["first"]) or [float("nan")]
print(json.dumps({
    "streams": args.streams, "seconds": round(elapsed, 1), "tokens_per_s": round(totals["tokens"] / elapsed, 1),
    "requests": totals["requests"], "errors": totals["errors"],
    "first_token_ms_median": round(1000 * statistics.median(first), 1),
    "first_token_ms_p99": round(1000 * first[min(len(first) - 1, int(0.99 * len(first)))], 1)}))
