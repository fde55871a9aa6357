"""Times a 10,000-row account import (dry run, then commit) through the API.

Used by scripts/bench-tenants. The rows are all valid and all new, the worst case for writes.
"""
import os, sys, time, uuid, urllib.request

base, token, slug = sys.argv[1], sys.argv[2], sys.argv[3]
rows = int(sys.argv[4]) if len(sys.argv) > 4 else 10_000
run = uuid.uuid4().hex[:6]
lines = ["nama,email,nip,unit_kerja,jabatan,peran"]
for i in range(rows):
    # a valid NIP: birth 1980-01-01 plus i days spread over months, start 2005-01, sequence
    month, day = 1 + (i // 28) % 12, 1 + i % 28
    nip = f"1980{month:02d}{day:02d}200501{1 + (i // 336) % 2}{(i // 672) % 1000:03d}"
    lines.append(f"Peserta {i},p{run}.{i}@contoh.go.id,{nip},Unit {i % 50},Staf,peserta")
data = ("\n".join(lines) + "\n").encode()
for label, query in (("validate (dry run)", "?dry_run=true"), ("validate + commit", "")):
    req = urllib.request.Request(f"{base}/api/v1/tenants/{slug}/people/import{query}", data=data, method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"})
    started = time.perf_counter()
    with urllib.request.urlopen(req) as resp:
        body = resp.read().decode()
    print(f"  {label:20s} {rows} rows in {time.perf_counter() - started:6.2f} s  → {body}")
