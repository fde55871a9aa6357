"""Load for scripts/bench-assessment: participants start the same post-test within a ramp and
answer at human pace compressed (about 30 s a question, ten times faster: 3 s, give or take
half), each answer a POST to /api/v1/quiz-answers with the attempt's ticket, then hand in.

    quiz_load.py BASE_URL ACTIVITY_ID TOKENS_FILE [--participants N] [--ramp S] [--pace S]

Prints per kind of request (start, answer, finish): count, errors, p50 / p90 / p99 / max in
ms; the answers' throughput over the busiest ten seconds and over the run. Asserts nothing.
"""

import argparse
import asyncio
import collections
import json
import random
import statistics
import sys
import time

import aiohttp


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


class Recorder:
    def __init__(self):
        self.latency = collections.defaultdict(list)
        self.errors = collections.Counter()
        self.answer_times = []

    def note(self, kind, started, status, ok):
        ms = (time.monotonic() - started) * 1000
        self.latency[kind].append(ms)
        if not ok:
            self.errors[f"{kind} {status}"] += 1
        if kind == "answer":
            self.answer_times.append(time.monotonic())


async def participant(session, args, token, delay, rec, rng):
    await asyncio.sleep(delay)
    auth = {"Authorization": f"Bearer {token}"}
    t = time.monotonic()
    try:
        async with session.post(f"{args.base}/api/v1/activities/{args.activity}/attempts", headers=auth) as r:
            body = await r.read()
            rec.note("start", t, r.status, r.status in (200, 201))
            if r.status not in (200, 201):
                return
            detail = json.loads(body)
    except Exception as e:  # a refused connection is an error like any other
        rec.note("start", t, type(e).__name__, False)
        return
    ticket = detail["answer_ticket"]
    attempt = detail["attempt"]["id"]
    questions = detail["questions"]
    order = list(range(len(questions)))
    rng.shuffle(order)
    headers = {"X-Attempt-Ticket": ticket, "Content-Type": "application/json"}
    for slot in order:
        await asyncio.sleep(args.pace * rng.uniform(0.5, 1.5))
        choices = questions[slot].get("choices") or [{"index": 0}]
        payload = json.dumps({"slot": slot, "response": {"choices": [rng.choice(choices)["index"]]}})
        t = time.monotonic()
        try:
            async with session.post(f"{args.base}/api/v1/quiz-answers", data=payload, headers=headers) as r:
                await r.read()
                rec.note("answer", t, r.status, r.status == 200)
        except Exception as e:
            rec.note("answer", t, type(e).__name__, False)
    t = time.monotonic()
    try:
        async with session.post(
            f"{args.base}/api/v1/activities/{args.activity}/attempts/{attempt}/finish", headers=auth
        ) as r:
            await r.read()
            rec.note("finish", t, r.status, r.status == 200)
    except Exception as e:
        rec.note("finish", t, type(e).__name__, False)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("activity")
    parser.add_argument("tokens")
    parser.add_argument("--participants", type=int, default=10000)
    parser.add_argument("--ramp", type=float, default=60)
    parser.add_argument("--pace", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=256)
    args = parser.parse_args()
    with open(args.tokens) as f:
        tokens = [line.strip() for line in f if line.strip()][: args.participants]
    rng = random.Random(20261205)
    rec = Recorder()
    connector = aiohttp.TCPConnector(limit=args.connections)
    timeout = aiohttp.ClientTimeout(total=60)
    began = time.monotonic()
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(
            *(participant(session, args, tok, rng.uniform(0, args.ramp), rec, random.Random(i)) for i, tok in enumerate(tokens))
        )
    took = time.monotonic() - began
    print(f"participants {len(tokens)}   ramp {args.ramp:.0f} s   pace {args.pace:.1f} s/answer   run {took:.1f} s")
    for kind in ("start", "answer", "finish"):
        values = rec.latency[kind]
        errors = sum(n for k, n in rec.errors.items() if k.startswith(kind + " "))
        print(
            f"{kind:7s} {len(values):7d} requests   errors {errors:5d}   p50 {percentile(values, 50):7.1f} ms   "
            f"p90 {percentile(values, 90):7.1f} ms   p99 {percentile(values, 99):7.1f} ms   max {max(values or [0]):7.1f} ms"
        )
    if rec.answer_times:
        first = min(rec.answer_times)
        bins = collections.Counter(int((t - first) // 10) for t in rec.answer_times)
        busiest = max(bins.values()) / 10
        span = max(rec.answer_times) - first
        print(f"answers/s   busiest 10 s {busiest:.0f}   whole run {len(rec.answer_times) / max(span, 1):.0f}")
    total = sum(len(v) for v in rec.latency.values())
    print(f"requests/s  {total / took:.0f} over the run")
    if rec.errors:
        print("errors: " + ", ".join(f"{k} ×{n}" for k, n in rec.errors.most_common()))
    print(f"bench: answer_p50_ms={percentile(rec.latency['answer'], 50):.1f} answer_p99_ms={percentile(rec.latency['answer'], 99):.1f} errors={sum(rec.errors.values())}")


if __name__ == "__main__":
    asyncio.run(main())
