"""Creates N tenants through the API and prints provisioning percentiles.

Used by scripts/bench-tenants. Reports both the server's own figure (provisioning_ms: the
transaction that clones the master template) and the client's round trip.
"""
import json, os, statistics, sys, time, uuid, urllib.request

base, token, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
run = uuid.uuid4().hex[:6]
server, client = [], []
for i in range(count):
    body = json.dumps({"slug": f"b{run}-{i}", "name": f"Instansi Uji {i}", "kind": "pemda"}).encode()
    req = urllib.request.Request(f"{base}/api/v1/tenants", data=body, method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(req) as resp:
        payload = json.load(resp)
    client.append((time.perf_counter() - started) * 1000)
    server.append(payload["provisioning_ms"])

def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]

for name, values in (("server transaction", server), ("client round trip", client)):
    print(f"  {name:20s} n={len(values)}  p50={pct(values,50):7.1f} ms  p99={pct(values,99):7.1f} ms  max={max(values):7.1f} ms  mean={statistics.mean(values):7.1f} ms")
