"""Seeds the data shape of scripts/bench-pages through the public API, and signs learners in.

Used by scripts/bench-pages. Everything goes through the same HTTP endpoints an institution
uses (no SQL, no bench-seed command), with a platform administrator's API token:

  seed BASE TOKEN SERVER_LOG SCALE OUT_DIR
      SCALE 1 (the shape measured on Moodle) or 10 (ten times as much):
        - one tenant (POST /tenants, the administrator as its first_admin);
        - its people from one CSV (POST /tenants/{t}/people/import): 1,000 (10,000);
        - published, curated courses (POST …/courses, …/sections, …/activities, …/publish,
          /curation/courses/{id}/approve): 85 (850), every title with the word "Pelatihan";
          one of them, the outline course, has 64 activities in 11 sections (200 in 20), the
          others one section of four activities;
        - 32 learners activated through the link of their activation mail (read from the
          server log: the server runs with --log notice, whose LogMailer writes each mail),
          given an API token (POST /tokens) and enrolled by themselves
          (POST /courses/{id}/enrolments) in 13 courses (40), the outline course among them;
        - everyone else enrolled by the administrator (POST …/courses/{id}/assignments, one
          request per course) up to 2,300 enrolments in all (23,000).
      Writes OUT_DIR/info.txt (`tenant outline_course_slug search_word courses`) and
      OUT_DIR/learners.txt (`email password`, one learner a line); prints each step's time.
  sessions BASE LEARNERS_FILE OUT_FILE
      Signs every learner in through the sign-in form (GET /masuk for the CSRF cookie, POST
      /masuk) and writes, one a line, each browser's gotong_session and gotong_csrf cookie values
      (what a browser sends on every later page).

Requests run on a pool of BENCH_SEED_WORKERS threads (default 8). Any unexpected answer stops
the script with the request and the start of the response, exit status 1.
"""
import concurrent.futures
import csv
import http.client
import io
import json
import os
import re
import sys
import threading
import time
import urllib.parse

WORKERS = int(os.environ.get("BENCH_SEED_WORKERS", "8"))
PASSWORD = "bench-sandi-2026"
SEARCH_WORD = "pelatihan"
TENANT = "pusdiklat-bench"
DOMAIN = "pusdiklat-bench.go.id"

# The two shapes of issue 15. `enrolments` counts every enrolment, the learners' own included.
SHAPES = {
    1: dict(courses=85, people=1_000, enrolments=2_300, learners=32, learner_courses=13,
            outline_activities=64, outline_sections=11),
    10: dict(courses=850, people=10_000, enrolments=23_000, learners=32, learner_courses=40,
             outline_activities=200, outline_sections=20),
}

TOPICS = ["Pengelolaan Keuangan Negara", "Pelayanan Publik", "Manajemen Aset", "Pengadaan Barang dan Jasa",
          "Kepemimpinan Pengawas", "Analisis Kebijakan", "Tata Naskah Dinas", "Penyusunan Anggaran",
          "Audit Internal", "Etika Jabatan", "Literasi Digital", "Komunikasi Publik", "Perencanaan Pembangunan",
          "Manajemen Risiko", "Statistik Terapan", "Keamanan Informasi", "Kearsipan", "Manajemen Kinerja"]
COMPETENCIES = ["teknis", "manajerial", "sosial_kultural"]
LEVELS = ["dasar", "menengah", "lanjut"]
METHODS = ["mandiri", "blended", "sinkron", "klasikal"]

_local = threading.local()


class Failure(Exception):
    pass


def fail(message):
    raise Failure(message)


def connect(base):
    url = urllib.parse.urlsplit(base)
    return url.hostname, url.port or 80


def call(base, method, path, body=None, headers=None, expect=(200, 201)):
    """One request on this thread's keep-alive connection; returns (status, headers, body bytes).

    A connection the server closed while idle is reopened once (the request is sent again: on
    a refused or reset connection it did not reach the server)."""
    host, port = connect(base)
    headers = dict(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    elif isinstance(body, str):
        body = body.encode()
    for attempt in (1, 2):
        conn = getattr(_local, "conn", None)
        if conn is None:
            conn = _local.conn = http.client.HTTPConnection(host, port, timeout=600)
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            break
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            conn.close()
            _local.conn = None
            if attempt == 2:
                raise
    if expect and resp.status not in expect:
        shown = body[:300].decode(errors="replace") if isinstance(body, bytes) else ""
        fail(f"{method} {path} answered {resp.status} (wanted {'/'.join(map(str, expect))})\n"
             f"  request body: {shown}\n  response: {data[:600].decode(errors='replace')}")
    return resp.status, resp.headers, data


def api(base, token, method, path, body=None, expect=(200, 201), content_type=None):
    headers = {"Authorization": f"Bearer {token}"}
    if content_type:
        headers["Content-Type"] = content_type
    _, _, data = call(base, method, "/api/v1" + path, body, headers, expect)
    return json.loads(data) if data else None


def cookies(headers):
    """The name=value pairs of a response's Set-Cookie headers."""
    found = {}
    for line in headers.get_all("Set-Cookie") or []:
        name, _, rest = line.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def pool_map(function, items):
    """Runs function over items on the thread pool, results in order; the first failure
    cancels what has not started yet and stops the script."""
    pool = concurrent.futures.ThreadPoolExecutor(WORKERS)
    futures = [pool.submit(function, item) for item in items]
    try:
        for future in concurrent.futures.as_completed(futures):
            future.result()
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    return [future.result() for future in futures]


class Timer:
    def __init__(self):
        self.started = self.last = time.perf_counter()

    def step(self, label):
        now = time.perf_counter()
        print(f"    {label:52s} {now - self.last:7.1f} s", flush=True)
        self.last = now

    def total(self):
        return time.perf_counter() - self.started


def activation_links(log_path, emails, wait_seconds=300):
    """Reads the activation link of each of emails from the mails the LogMailer logged.

    A log entry reads `[ NOTICE ] mail to EMAIL: SUBJECT` and then the body, which holds the
    link; mails are sent one after another after the import commits, so this waits for them."""
    wanted = set(emails)
    deadline = time.monotonic() + wait_seconds
    while True:
        with open(log_path, encoding="utf-8", errors="replace") as log:
            text = log.read()
        links = {}
        for chunk in text.split("mail to ")[1:]:
            email = chunk.split(":", 1)[0].strip()
            match = re.search(r"/atur-sandi/([A-Za-z0-9_-]+)", chunk)
            if email in wanted and match:
                links[email] = match.group(1)
        if len(links) == len(wanted):
            return links
        if time.monotonic() > deadline:
            missing = sorted(wanted - set(links))
            fail(f"no activation mail in {log_path} for {len(missing)} learners, e.g. {missing[:3]}")
        time.sleep(0.5)


def seed(base, token, log_path, scale, out_dir):
    shape = SHAPES.get(scale) or fail(f"unknown scale {scale}: use one of {sorted(SHAPES)}")
    timer = Timer()
    admin = json.loads(call(base, "GET", "/api/v1/me", headers={"Authorization": f"Bearer {token}"})[2])
    print(f"  seeding through the API ({WORKERS} threads): {shape['courses']} courses, {shape['people']} people, "
          f"{shape['enrolments']} enrolments, {shape['learners']} learners × {shape['learner_courses']} courses, "
          f"an outline of {shape['outline_activities']} activities in {shape['outline_sections']} sections", flush=True)

    # 1. The institution, with the administrator as its first administrator.
    api(base, token, "POST", "/tenants", {"slug": TENANT, "name": "Pusdiklat Bench", "kind": "lembaga",
                                          "first_admin": admin["email"]})
    timer.step("tenant (POST /tenants)")

    # 2. Its people, one CSV. The learners come first; everyone is a `peserta`.
    learners = [f"pembelajar{i:02d}@{DOMAIN}" for i in range(1, shape["learners"] + 1)]
    others = [f"pegawai{i:05d}@{DOMAIN}" for i in range(1, shape["people"] - len(learners) + 1)]
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(["nama", "email", "nip", "unit_kerja", "jabatan", "peran"])
    for i, email in enumerate(learners + others):
        writer.writerow([f"Pegawai Bench {i + 1}", email, "", f"Bidang {i % 40 + 1}",
                         "Analis" if i % 3 else "Pengelola", "peserta"])
    report = api(base, token, "POST", f"/tenants/{TENANT}/people/import", rows.getvalue(), content_type="text/csv")
    if report.get("new_people") != shape["people"]:
        fail(f"the import made {report.get('new_people')} people, not {shape['people']}: {report}")
    timer.step(f"people ({shape['people']} rows, POST …/people/import)")

    # 3. Courses: created, given content, published and approved for the marketplace.
    def make_course(n):
        outline = n == 0
        course = api(base, token, "POST", f"/tenants/{TENANT}/courses", {
            "title": f"Pelatihan {TOPICS[n % len(TOPICS)]} {n + 1:03d}",
            "summary": f"Pelatihan {TOPICS[n % len(TOPICS)].lower()} untuk aparatur, angkatan {n + 1}.",
            "description": "Pelatihan ini membekali peserta dengan pengetahuan dan keterampilan kerja.\n\n"
                           "- materi bacaan\n- video\n- tautan rujukan",
            "tags": [TOPICS[n % len(TOPICS)].split()[0].lower(), "aparatur"],
            "competency_type": COMPETENCIES[n % 3], "level": LEVELS[n % 3],
            "delivery_method": METHODS[n % len(METHODS)], "jp": 2 + n % 20})
        cid = course["id"]
        sections = shape["outline_sections"] if outline else 1
        activities = shape["outline_activities"] if outline else 4
        per_section = [activities // sections + (1 if s < activities % sections else 0) for s in range(sections)]
        k = 0
        for s, count in enumerate(per_section):
            section = api(base, token, "POST", f"/tenants/{TENANT}/courses/{cid}/sections",
                          {"title": f"Bagian {s + 1}: {TOPICS[(n + s) % len(TOPICS)]}"})
            for _ in range(count):
                k += 1
                kind = ("page", "link", "video", "page")[k % 4]
                settings = {"page": {"body": f"## Materi {k}\n\nBacaan untuk bagian {s + 1}, dengan **poin penting**."},
                            "link": {"url": f"https://example.org/rujukan/{k}", "description": "Bacaan lanjutan."},
                            "video": {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"}}[kind]
                api(base, token, "POST", f"/tenants/{TENANT}/courses/{cid}/sections/{section['id']}/activities",
                    {"type": kind, "title": f"{kind.capitalize()} {k}: {TOPICS[k % len(TOPICS)]}",
                     "settings": settings})
        api(base, token, "POST", f"/tenants/{TENANT}/courses/{cid}/publish")
        api(base, token, "POST", f"/curation/courses/{cid}/approve")
        return cid, course["slug"]

    courses = pool_map(make_course, range(shape["courses"]))
    timer.step(f"courses ({shape['courses']}, content, publish, approve)")

    # 4. Who is in which course. Learner i: the outline course and K-1 others spread over the
    # list; everyone else by assignment, course by course, up to the total.
    n_courses, k = shape["courses"], shape["learner_courses"]
    own = {email: [0] + [1 + (i * (k - 1) + j) % (n_courses - 1) for j in range(k - 1)]
           for i, email in enumerate(learners)}
    assigned = {c: [] for c in range(n_courses)}
    remaining = shape["enrolments"] - len(learners) * k
    j = 0
    while remaining > 0:
        course, person = j % n_courses, others[j % len(others)]
        if person not in assigned[course]:
            assigned[course].append(person)
            remaining -= 1
        j += 1

    def assign(c):
        if assigned[c]:
            report = api(base, token, "POST", f"/tenants/{TENANT}/courses/{courses[c][0]}/assignments",
                         {"people": assigned[c], "due_at": "2030-12-31"})
            if report["newly_enrolled"] != len(assigned[c]):
                fail(f"assignment to course {c} enrolled {report['newly_enrolled']} of {len(assigned[c])}: {report}")

    pool_map(assign, range(n_courses))
    timer.step(f"assignments ({sum(map(len, assigned.values()))} people, POST …/assignments)")

    # 5. The learners: the activation link from their mail, then their own token and enrolments.
    links = activation_links(log_path, learners)

    def activate(email):
        path = f"/atur-sandi/{links[email]}"
        _, headers, page = call(base, "GET", path, expect=(200,))
        csrf = cookies(headers).get("gotong_csrf") or fail(f"GET {path} set no gotong_csrf cookie")
        if b'name="password_confirmation"' not in page:
            fail(f"GET {path} has no password_confirmation field:\n{page[:600].decode(errors='replace')}")
        form = urllib.parse.urlencode({"_csrf": csrf, "password": PASSWORD, "password_confirmation": PASSWORD})
        call(base, "POST", path, form, {"Content-Type": "application/x-www-form-urlencoded",
                                        "Cookie": f"gotong_csrf={csrf}"}, expect=(303,))
        mine = json.loads(call(base, "POST", "/api/v1/tokens", {"email": email, "password": PASSWORD, "name": "bench"},
                               expect=(201,))[2])["token"]
        for c in own[email]:
            call(base, "POST", f"/api/v1/courses/{courses[c][0]}/enrolments",
                 headers={"Authorization": f"Bearer {mine}"}, expect=(201,))

    pool_map(activate, learners)
    timer.step(f"learners ({len(learners)}: activation, token, {len(learners) * k} self-enrolments)")

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "info.txt"), "w") as f:
        f.write(f"{TENANT} {courses[0][1]} {SEARCH_WORD} {n_courses}\n")
    with open(os.path.join(out_dir, "learners.txt"), "w") as f:
        f.writelines(f"{email} {PASSWORD}\n" for email in learners)
    print(f"  seeded in {timer.total():.1f} s", flush=True)


def sessions(base, learners_file, out_file):
    with open(learners_file) as f:
        accounts = [line.split() for line in f if line.strip()]

    def sign_in(account):
        email, password = account
        _, headers, _ = call(base, "GET", "/masuk", expect=(200,))
        csrf = cookies(headers).get("gotong_csrf") or fail("GET /masuk set no gotong_csrf cookie")
        form = urllib.parse.urlencode({"_csrf": csrf, "email": email, "password": password})
        _, headers, _ = call(base, "POST", "/masuk", form, {"Content-Type": "application/x-www-form-urlencoded",
                                                            "Cookie": f"gotong_csrf={csrf}"}, expect=(303,))
        session = cookies(headers).get("gotong_session") or fail(f"signing in as {email} set no gotong_session cookie")
        # A browser keeps sending the form token's cookie too (the newest one it was given).
        return f"{session} {cookies(headers).get('gotong_csrf') or csrf}"

    values = pool_map(sign_in, accounts)
    with open(out_file, "w") as f:
        f.writelines(value + "\n" for value in values)


def main(argv):
    try:
        if len(argv) == 6 and argv[0] == "seed":
            seed(argv[1], argv[2], argv[3], int(argv[4]), argv[5])
        elif len(argv) == 4 and argv[0] == "sessions":
            sessions(*argv[1:])
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except Failure as failure:
        print(f"  seeding failed: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
