#!/usr/bin/env bash
# The crash test: the server is killed with SIGKILL in the middle of a stream of report
# submissions, restarted, and killed again, for several rounds. The clients retry whatever
# was not acknowledged with the same Idempotency-Key, as a browser would. At the end:
#   - every acknowledged report is in the database, with the id the client was given;
#   - no submission was stored twice (one report per key, one audit entry per report);
#   - PRAGMA integrity_check is ok.
# Halfway through, `keyproj backup` copies the database while the stream goes on. The backup
# must hold every report acknowledged before it began (same id), one audit 'submit' entry per
# report, pass integrity_check, and serve again: a server started on it answers.
# Prints its figures; exits non-zero on any failure.
#   bash scripts/kill-test.sh [rounds (default 5)] [max seconds between kills (default 3)]
set -euo pipefail

rounds="${1:-5}"
max_gap="${2:-3}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

cargo build --quiet --locked --bin keyproj
bin="${CARGO_TARGET_DIR:-$root/target}/debug/keyproj"

dir="$(mktemp -d /tmp/keyproj-kill.XXXXXX)"
trap 'rm -rf "$dir"' EXIT

db="$dir/keyproj.db"
printf 'kill test password\n' \
    | "$bin" --database-url "$db" user add --username kill-owner --role owner --org 韶山市民政局 >/dev/null

python3 - "$bin" "$db" "$dir" "$rounds" "$max_gap" <<'PY'
import http.client, json, os, random, signal, socket, sqlite3, subprocess, sys, threading, time
import urllib.parse

binary, db, workdir, rounds, max_gap = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port

port = free_port()
log = open(os.path.join(workdir, "server.log"), "ab")

def start():
    p = subprocess.Popen(
        [binary, "--database-url", db, "--bind", f"127.0.0.1:{port}", "--static-dir", os.path.join(workdir, "none")],
        stdout=log, stderr=log)
    for _ in range(300):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return p
        except OSError:
            pass
        if p.poll() is not None:
            sys.exit(f"the server exited at start (see {workdir}/server.log)")
        time.sleep(0.05)
    sys.exit("the server did not come up")

def request(method, path, body=None, headers=None, timeout=10):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = {"X-Requested-With": "keyproj", "Content-Type": "application/json"}
    h.update(headers or {})
    c.request(method, path, body=None if body is None else json.dumps(body), headers=h)
    r = c.getresponse()
    return r.status, r.headers, r.read()

server = start()
status, headers, _ = request("POST", "/api/session", {"username": "kill-owner", "password": "kill test password"})
assert status == 200, status
cookie = headers["Set-Cookie"].split(";")[0]
owner = urllib.parse.quote("韶山市民政局")
_, _, body = request("GET", f"/api/projects?owner={owner}&per_page=100")
codes = [p["code"] for p in json.loads(body)["items"]]

lock = threading.Lock()
acked = {}          # key -> report id, only after a 201 reached the client
pending = []        # keys sent but not acknowledged: retried
next_key = [0]
issuing = [True]
stats = {"sent": 0, "lost_to_kill": 0, "busy": 0, "replayed": 0}

def body_for(n):
    return {
        "period": f"{2021 + (n // 12) % 5}-{n % 12 + 1:02d}",
        "physical_progress_pct": str(n % 101),
        "investment_completed": f"{n % 40}.{n % 100:02d}",
        "status": "in_progress",
        "progress_text": f"第 {n} 次提交",
    }

def worker():
    while True:
        with lock:
            if pending:
                n = pending.pop()
            elif issuing[0]:
                n = next_key[0]
                next_key[0] += 1
            else:
                return
        key = f"kill-{n:06d}"
        while True:
            try:
                with lock:
                    stats["sent"] += 1
                status, headers, raw = request("POST", f"/api/projects/{codes[n % len(codes)]}/reports",
                                         body_for(n), {"Cookie": cookie, "Idempotency-Key": key})
            except OSError:
                # killed under us: the server may or may not have stored it; retry later, same key
                with lock:
                    stats["lost_to_kill"] += 1
                    pending.append(n)
                time.sleep(0.1)
                break
            if status == 503:
                with lock:
                    stats["busy"] += 1
                time.sleep(0.05)
                continue
            if status != 201:
                print(f"FAIL: {key} answered {status}: {raw[:300]!r}")
                os._exit(1)
            report = json.loads(raw)
            with lock:
                if headers.get("Idempotent-Replayed") == "true":
                    # stored before the kill, its answer lost: the retry gets the same report
                    stats["replayed"] += 1
                if key in acked:
                    print(f"FAIL: {key} acknowledged twice")
                    os._exit(1)
                acked[key] = report["id"]
            break

threads = [threading.Thread(target=worker) for _ in range(4)]
for t in threads:
    t.start()
backup = os.path.join(workdir, "backup.db")
backup_round = rounds // 2
before_backup = {}
kills = 0
for r in range(rounds):
    gap = random.uniform(0.3, max_gap)
    if r == backup_round:
        time.sleep(gap / 2)
        gap /= 2
        # taken while the clients keep writing: the server is up between kills
        with lock:
            before_backup = dict(acked)
        started = time.monotonic()
        out = subprocess.run([binary, "--database-url", db, "backup", "--to", backup],
                             capture_output=True, text=True, env={**os.environ, "RUST_LOG": "warn"})
        if out.returncode != 0:
            print(f"FAIL: keyproj backup: {out.stderr[-2000:]}")
            os._exit(1)
        with lock:
            during = len(acked) - len(before_backup)
        print(f"backup after {len(before_backup)} acknowledged reports, "
              f"{time.monotonic() - started:.2f} s, {during} more acknowledged meanwhile")
    time.sleep(gap)
    server.send_signal(signal.SIGKILL)
    server.wait()
    kills += 1
    with lock:
        print(f"round {r + 1}: SIGKILL after {len(acked)} acknowledged reports")
    server = start()
time.sleep(0.5)
issuing[0] = False
for t in threads:
    t.join()
server.terminate()
server.wait()

con = sqlite3.connect(db)
integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
stored = dict(con.execute("SELECT idempotency_key, id FROM reports WHERE idempotency_key LIKE 'kill-%'").fetchall())
reports = con.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
submits = con.execute("SELECT COUNT(*) FROM audit_log WHERE entity = 'report' AND action = 'submit'").fetchone()[0]
keys_per_report = con.execute("SELECT COUNT(*) FROM (SELECT idempotency_key FROM reports GROUP BY idempotency_key HAVING COUNT(*) > 1) AS d").fetchone()[0]
missing = [k for k, i in acked.items() if stored.get(k) != i]
con.close()

print(f"rounds (SIGKILL + restart):     {kills}")
print(f"submission requests sent:       {stats['sent']}")
print(f"requests cut off by a kill:     {stats['lost_to_kill']} (retried with their key)")
print(f"answered 503 busy and retried:  {stats['busy']}")
print(f"retries answered with the report stored before the kill: {stats['replayed']}")
print(f"distinct submissions (keys):    {next_key[0]}")
print(f"acknowledged reports:           {len(acked)}")
print(f"reports in the database:        {reports}")
print(f"acknowledged but missing:       {len(missing)}")
print(f"keys stored more than once:     {keys_per_report}")
print(f"audit 'submit' entries:         {submits}")
print(f"PRAGMA integrity_check:         {integrity}")

con = sqlite3.connect(backup)
b_integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
b_stored = dict(con.execute("SELECT idempotency_key, id FROM reports WHERE idempotency_key LIKE 'kill-%'").fetchall())
b_reports = con.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
b_submits = sorted(r[0] for r in con.execute(
    "SELECT entity_id FROM audit_log WHERE entity = 'report' AND action = 'submit'"))
b_ids = sorted(str(r[0]) for r in con.execute("SELECT id FROM reports"))
con.close()
b_missing = [k for k, i in before_backup.items() if b_stored.get(k) != i]
b_phantom = [k for k, i in b_stored.items() if acked.get(k) != i]
# the backup's audit trail is one unbroken hash chain
chain = subprocess.run([binary, "audit", "verify", "--database-url", backup],
                       capture_output=True, text=True, env={**os.environ, "RUST_LOG": "warn"})
b_chain = chain.returncode == 0
# the backup serves: on a copy of it, the owner's session (it is in the backup) reads the
# last report acknowledged before the backup began
restored = os.path.join(workdir, "restored.db")
with open(backup, "rb") as src, open(restored, "wb") as dst:
    dst.write(src.read())
db = restored
server = start()
last = max(before_backup.values(), default=0)
status, _, body = request("GET", f"/api/reports/{last}", headers={"Cookie": cookie})
served = status == 200 and json.loads(body)["id"] == last
server.terminate()
server.wait()
print(f"backup: reports acknowledged before it began: {len(before_backup)}")
print(f"backup: reports it holds:       {b_reports}")
print(f"backup: of those acknowledged before, missing: {len(b_missing)}")
print(f"backup: reports never acknowledged (or with another id): {len(b_phantom)}")
print(f"backup: audit 'submit' entries match its reports: {b_submits == b_ids}")
print(f"backup: PRAGMA integrity_check: {b_integrity}")
print(f"backup: keyproj audit verify: {(chain.stdout or chain.stderr).strip()[:300]}")
print(f"backup: a server on it serves report {last}: {served}")
backup_ok = (b_chain and b_integrity == "ok" and not b_missing and not b_phantom and b_submits == b_ids
             and b_reports >= len(before_backup) > 0 and served)
ok = (integrity == "ok" and not missing and keys_per_report == 0 and reports == len(acked) == next_key[0]
      and submits == reports and backup_ok)
print("OK: every acknowledged report survived, none doubled; the backup holds every one acknowledged before it" if ok else "FAILED")
sys.exit(0 if ok else 1)
PY
