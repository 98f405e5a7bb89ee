#!/usr/bin/env bash
# Preview-server load benchmark, loopback only and bounded in time: builds the sample site
# in release, then measures requests per second and p99 latency for a small JSON file
# (api/v1/dates.json) and a district page (districts/02/) against `toaststats serve` and
# against `python3 -m http.server` serving the same snapshot folder (and nginx with the
# snapshot's own nginx-headers.conf when nginx is installed), and prints the ratios.
# Uses wrk when installed (apt-get install wrk), else (or with CLIENT=python) a small
# threaded Python client. Not a test: it prints figures. DURATION (seconds per run,
# default 5), CONNECTIONS (default 16, at most the server's 32 per client address),
# BIN (a toaststats binary to measure instead of building this tree, e.g. to compare two
# versions).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-16}
CLIENT=${CLIENT:-auto}
if [ -n "${BIN:-}" ]; then
    bin=$BIN
else
    cargo build --release --quiet
    bin=$PWD/target/release/toaststats
fi
work=$(mktemp -d)
chmod 755 "$work" # nginx workers run as another user
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$bin" build --cache sample --site "$work/site" --snapshot-time 2026-11-09T06:00:00Z >/dev/null 2>&1
snapshot=$(cd "$work/site/current" && pwd -P)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {
    for _ in $(seq 1 100); do
        python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2)' "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "nothing listens on 127.0.0.1:$1" >&2
    return 1
}

"$bin" serve --site "$work/site" --bind 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
pids+=($!)
for _ in $(seq 1 100); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
ours=$(sed -n 's#^listening on http://127.0.0.1:##p' "$work/serve.out")
[ -n "$ours" ] || { cat "$work/serve.err" >&2; exit 1; }

python_port=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$snapshot" "$python_port" >/dev/null 2>&1 &
pids+=($!)
wait_port "$python_port"

servers="toaststats=$ours python-http.server=$python_port"
if command -v nginx >/dev/null; then
    nginx_port=$(free_port)
    mkdir -p "$work/nginx"
    cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        set \$toaststats_site $work/site;
        include $snapshot/nginx-headers.conf;
    }
}
EOF
    nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
    pids+=($!)
    wait_port "$nginx_port"
    servers="$servers nginx-1-worker=$nginx_port"
fi

python3 - "$DURATION" "$CONNECTIONS" "$CLIENT" $servers <<'PY'
import http.client, re, shutil, subprocess, sys, threading, time

duration, connections, client = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
servers = [s.split("=") for s in sys.argv[4:]]
paths = [("small JSON (api/v1/dates.json)", "/api/v1/dates.json"),
         ("district page (districts/02/)", "/districts/02/")]
wrk = shutil.which("wrk") if client != "python" else None

def seconds(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]

def with_wrk(port, path):
    out = subprocess.run([wrk, "-t2", f"-c{connections}", f"-d{duration}s", "--latency",
                          f"http://127.0.0.1:{port}{path}"],
                         check=True, capture_output=True, text=True, timeout=duration + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = seconds(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", out)
    return rps, p99, errors.group(0) if errors else ""

def with_python(port, path):
    latencies, lock, stop = [], threading.Lock(), time.monotonic() + duration
    def client():
        conn, mine = None, []
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", path)
                r = conn.getresponse()
                r.read()
                if r.getheader("Connection", "").lower() == "close" or r.version == 10:
                    conn.close(); conn = None
            except OSError:
                conn = None
                continue
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for t in threads: t.start()
    for t in threads: t.join(duration + 30)
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan")
    return len(latencies) / duration, p99, ""

measure = with_wrk if wrk else with_python
print(f"client: {'wrk -t2 -c%d' % connections if wrk else 'python threads x%d' % connections}, "
      f"{duration} s per run, loopback only")
results = {}
for label, path in paths:
    print(f"\n{label}")
    for name, port in servers:
        rps, p99, note = measure(port, path)
        results[(name, path)] = (rps, p99)
        print(f"  {name:20} {rps:10.0f} req/s   p99 {p99 * 1000:8.2f} ms  {note}")
    ours = results[("toaststats", path)]
    for name, _ in servers[1:]:
        other = results[(name, path)]
        print(f"  toaststats / {name}: {ours[0] / other[0]:.3g}x the throughput, "
              f"{ours[1] / other[1]:.3g}x the p99 latency")
PY
