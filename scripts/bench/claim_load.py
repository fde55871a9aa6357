"""Load for scripts/bench-live: civil servants claim attendance at one episode, each once,
spread evenly over a window (default: 20,000 claims in 5 minutes). A share of them first
types a wrong code (a typo), answered 422, then the right one.

    claim_load.py BASE_URL TENANT PROGRAMME EPISODE CODE TOKENS_FILE [--claims N] [--window S] [--typos F]

Each claimant has its own keep-alive connection, as each phone does (the HTTP client is
quiz_load.py's). Prints claims per second, p50 / p90 / p99 / max in ms, and errors: any
answer but 201 to a right code, or but 422 to a typo. Asserts nothing.
"""

import argparse
import asyncio
import json
import random
import time

import uvloop

from quiz_load import Client, Recorder, percentile


async def claimant(loop, args, token, delay, rec, rng, path):
    await asyncio.sleep(delay)
    client = Client(loop, args.base, rec)
    try:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if rng.random() < args.typos:
            wrong = "ZZZZZZ" if args.code != "ZZZZZZ" else "YYYYYY"
            await client.send("typo", "POST", path, headers, json.dumps({"code": wrong}).encode(), ok=(422,))
        typed = args.code[:3].lower() + " " + args.code[3:]
        await client.send("claim", "POST", path, headers, json.dumps({"code": typed}).encode(), ok=(201,))
    finally:
        client.close()


async def main():
    parser = argparse.ArgumentParser()
    for name in ("base", "tenant", "programme", "episode", "code", "tokens"):
        parser.add_argument(name)
    parser.add_argument("--claims", type=int, default=20000)
    parser.add_argument("--window", type=float, default=300)
    parser.add_argument("--typos", type=float, default=0.05)
    args = parser.parse_args()
    with open(args.tokens) as f:
        tokens = [line.strip() for line in f if line.strip()][: args.claims]
    path = f"/api/v1/tenants/{args.tenant}/live/programmes/{args.programme}/episodes/{args.episode}/claim"
    loop = asyncio.get_running_loop()
    rng = random.Random(20261205)
    rec = Recorder()
    started = time.monotonic()
    step = args.window / max(1, len(tokens))
    await asyncio.gather(*(claimant(loop, args, t, i * step, rec, rng, path) for i, t in enumerate(tokens)))
    elapsed = time.monotonic() - started
    for kind in ("claim", "typo"):
        values = rec.latency.get(kind, [])
        errors = sum(n for key, n in rec.errors.items() if key.startswith(kind + " "))
        if not values:
            continue
        print(
            f"{kind:5}  n={len(values):6d} errors={errors:4d}  p50={percentile(values, 50):7.1f} ms  "
            f"p90={percentile(values, 90):7.1f} ms  p99={percentile(values, 99):7.1f} ms  max={max(values):7.1f} ms")
    for key, n in sorted(rec.errors.items()):
        print(f"  error: {key} x{n}")
    claims = rec.latency.get("claim", [])
    errors = sum(rec.errors.values())
    print(
        f"bench: claims={len(claims)} seconds={elapsed:.1f} claims_per_s={len(claims) / elapsed:.1f} "
        f"claim_p50_ms={percentile(claims, 50):.1f} claim_p99_ms={percentile(claims, 99):.1f} errors={errors}")


if __name__ == "__main__":
    uvloop.install()
    asyncio.run(main())
