"""Writes signed WhatsApp webhook deliveries for scripts/bench-desk, one per line:
`signature<TAB>body`. Signed by the platforms' stand-in's own code (Python's hmac).

    python3 scripts/lib/desk-deliveries.py COUNT CONTACTS ACCOUNT SECRET RUN > deliveries.tsv

Message i comes from contact i % CONTACTS: the first message of a contact opens a case, the
next ones join it. Ids are `wamid.bench.RUN.i`, unique per run.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "e2e"))
from peers.social_platforms import delivery  # noqa: E402

count, contacts, account, secret, run = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
out = sys.stdout
for i in range(count):
    signed = delivery({
        "channel": "whatsapp", "secret": secret, "account": account, "from": f"62812{i % contacts:08d}",
        "name": f"Warga {i % contacts}", "id": f"wamid.bench.{run}.{i}",
        "text": f"Laporan {i}: lampu penerangan jalan di RT {i % 50:02d} padam sejak kemarin malam.",
    })
    out.write(signed["signature"] + "\t" + signed["body"] + "\n")
