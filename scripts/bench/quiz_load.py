"""Load for scripts/bench-assessment: participants start the same post-test within a ramp and
answer at human pace compressed (about 30 s a question, ten times faster: 3 s, give or take
half), each answer a POST to /api/v1/quiz-answers with the attempt's ticket, then hand in.

    quiz_load.py BASE_URL ACTIVITY_ID TOKENS_FILE [--participants N] [--ramp S] [--pace S]

Each participant has its own keep-alive connection, as each phone does. The client is a few
lines of HTTP/1.1 over asyncio (on uvloop): a general client spent more of this two-core
machine than the server it measured, and its queueing showed as the server's latency. A
request's time runs from writing it to the last byte of its answer arriving.

Prints per kind of request (start, answer, finish): count, errors, p50 / p90 / p99 / max in
ms; the answers' throughput over the busiest ten seconds and over the run. Asserts nothing.
"""

import argparse
import asyncio
import collections
import json
import random
import time
import urllib.parse

import uvloop


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
        self.reconnects = 0
        self.timeline = []

    def note(self, kind, ms, status, ok):
        self.latency[kind].append(ms)
        if not ok:
            self.errors[f"{kind} {status}"] += 1
        if kind == "answer":
            self.answer_times.append(time.monotonic())
        self.timeline.append((time.monotonic(), kind, ms))


class HTTPError(Exception):
    pass


class Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection, one request at a time."""

    def __init__(self, loop):
        self.loop = loop
        self.transport = None
        self.buffer = bytearray()
        self.waiter = None
        self.sent = 0.0
        self.lost = False

    def connection_made(self, transport):
        self.transport = transport

    def connection_lost(self, exc):
        self.lost = True
        if self.waiter and not self.waiter.done():
            self.waiter.set_exception(HTTPError("connection closed"))

    def data_received(self, data):
        self.buffer += data
        if self.waiter is None or self.waiter.done():
            return
        parsed = self.parse()
        if parsed is not None:
            status, body = parsed
            self.waiter.set_result((status, body, (time.perf_counter() - self.sent) * 1000))

    def parse(self):
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return None
        lines = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        start = end + 4
        if "content-length" in headers:
            length = int(headers["content-length"])
            if len(self.buffer) < start + length:
                return None
            body = bytes(self.buffer[start : start + length])
            del self.buffer[: start + length]
            return status, body
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body, at = bytearray(), start
            while True:
                line_end = self.buffer.find(b"\r\n", at)
                if line_end < 0:
                    return None
                size = int(bytes(self.buffer[at:line_end]).split(b";")[0], 16)
                if len(self.buffer) < line_end + 2 + size + 2:
                    return None
                body += self.buffer[line_end + 2 : line_end + 2 + size]
                at = line_end + 2 + size + 2
                if size == 0:
                    del self.buffer[:at]
                    return status, bytes(body)
        del self.buffer[:start]
        return status, b""

    async def request(self, host, method, path, headers, body=b""):
        head = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        self.waiter = self.loop.create_future()
        self.sent = time.perf_counter()
        self.transport.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        return await self.waiter


class Client:
    """A participant's connection, opened again if the server closed it."""

    def __init__(self, loop, base, rec):
        url = urllib.parse.urlsplit(base)
        self.loop, self.host, self.port, self.rec = loop, url.hostname, url.port or 80, rec
        self.authority = url.netloc
        self.conn = None

    async def send(self, kind, method, path, headers, body=b"", ok=(200,)):
        try:
            if self.conn is None or self.conn.lost:
                if self.conn is not None:
                    self.rec.reconnects += 1
                _, self.conn = await self.loop.create_connection(
                    lambda: Connection(self.loop), self.host, self.port)
            status, answer, ms = await asyncio.wait_for(
                self.conn.request(self.authority, method, path, headers, body), 60)
        except (OSError, HTTPError, asyncio.TimeoutError) as e:
            self.rec.note(kind, 60_000.0, type(e).__name__, False)
            if self.conn is not None and self.conn.transport is not None:
                self.conn.transport.close()
            self.conn = None
            return None
        self.rec.note(kind, ms, status, status in ok)
        return answer if status in ok else None

    def close(self):
        if self.conn is not None and self.conn.transport is not None:
            self.conn.transport.close()


async def participant(loop, args, token, delay, rec, rng):
    await asyncio.sleep(delay)
    client = Client(loop, args.base, rec)
    try:
        auth = {"Authorization": f"Bearer {token}"}
        attempts = f"/api/v1/activities/{args.activity}/attempts"
        body = await client.send("start", "POST", attempts, auth, ok=(200, 201))
        if body is None:
            return
        detail = json.loads(body)
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
            await client.send("answer", "POST", "/api/v1/quiz-answers", headers, payload.encode())
        await client.send("finish", "POST", f"{attempts}/{attempt}/finish", auth)
    finally:
        client.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("activity")
    parser.add_argument("tokens")
    parser.add_argument("--participants", type=int, default=10000)
    parser.add_argument("--ramp", type=float, default=60)
    parser.add_argument("--pace", type=float, default=3.0)
    parser.add_argument("--timeline", action="store_true", help="print each 10 s of the run")
    args = parser.parse_args()
    with open(args.tokens) as f:
        tokens = [line.strip() for line in f if line.strip()][: args.participants]
    loop = asyncio.get_running_loop()
    rng = random.Random(20261205)
    rec = Recorder()
    began = time.monotonic()
    await asyncio.gather(
        *(participant(loop, args, tok, rng.uniform(0, args.ramp), rec, random.Random(i)) for i, tok in enumerate(tokens))
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
    if args.timeline:
        print("every 10 s: starts, finishes, answers and their p50 / p99 in ms")
        bins = collections.defaultdict(lambda: collections.defaultdict(list))
        for at, kind, ms in rec.timeline:
            bins[int((at - began) // 10)][kind].append(ms)
        for b in sorted(bins):
            k = bins[b]
            print(
                f"  {b * 10:4d} s  start {len(k['start']):5d}  finish {len(k['finish']):5d}  answer {len(k['answer']):6d}"
                f"  p50 {percentile(k['answer'], 50):8.1f}  p99 {percentile(k['answer'], 99):8.1f}"
            )
    total = sum(len(v) for v in rec.latency.values())
    print(f"requests/s  {total / took:.0f} over the run   connections opened again {rec.reconnects}")
    if rec.errors:
        print("errors: " + ", ".join(f"{k} ×{n}" for k, n in rec.errors.most_common()))
    print(
        f"bench: answer_p50_ms={percentile(rec.latency['answer'], 50):.1f} "
        f"answer_p99_ms={percentile(rec.latency['answer'], 99):.1f} errors={sum(rec.errors.values())}"
    )


if __name__ == "__main__":
    uvloop.run(main())
