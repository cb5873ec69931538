#!/usr/bin/env python3
"""Time from a write acknowledged by node A to the first answer of node B
that shows it, over N writes on keep-alive connections. Each write is the
first event of a new user; node B shows it when that user's profile (kept in
its memory, fed by the change log) answers 200 instead of 404.

  bench/propagation.py PORT_A PORT_B KEY [N]
Prints: propagation p50_ms=.. p99_ms=.. max_ms=.. n=..
"""
import http.client
import json
import sys
import time


def main():
    port_a, port_b, key = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    headers = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
    a = http.client.HTTPConnection("127.0.0.1", port_a)
    b = http.client.HTTPConnection("127.0.0.1", port_b)
    run = str(int(time.time()))
    lags = []
    for i in range(n):
        user = f"prop-{run}-{i}"
        b.request("GET", f"/v1/users/{user}/profile", headers=headers)
        r = b.getresponse()
        r.read()
        if r.status != 404:
            sys.exit(f"{user} known before the write: {r.status}")
        event = {"user_id": user, "item_id": "i1", "type": "view", "event_id": user}
        a.request("POST", "/v1/events", json.dumps(event), headers)
        r = a.getresponse()
        r.read()
        if r.status != 200:
            sys.exit(f"write failed: {r.status}")
        acked = time.perf_counter()
        while True:
            b.request("GET", f"/v1/users/{user}/profile", headers=headers)
            r = b.getresponse()
            r.read()
            if r.status == 200:
                lags.append((time.perf_counter() - acked) * 1000)
                break
            if time.perf_counter() - acked > 5:
                sys.exit(f"{user} did not reach node B within 5 s")
    lags.sort()
    pct = lambda q: lags[min(len(lags) - 1, int(q * len(lags)))]
    print(f"propagation p50_ms={pct(0.5):.1f} p99_ms={pct(0.99):.1f} max_ms={lags[-1]:.1f} n={n}")


if __name__ == "__main__":
    main()
