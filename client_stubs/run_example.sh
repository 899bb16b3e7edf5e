#!/usr/bin/env bash
# Runs a client's quickstart example against a local stack and checks what it
# printed. Starts partner-sandbox and partner-gateway on loopback ports (the
# sandbox delivering signed webhooks to the gateway), runs COMMAND with
# `--gateway 127.0.0.1:PORT` appended, stops both.
#
# With --restart-gateway, the gateway is stopped (SIGTERM) and started again
# on the same ports and event log right after the example's first `event`
# line, so the example's event stream is cut and must resume without loss.
#
# With --redis BIN, it runs a fleet instead: a redis-server (AOF,
# `appendfsync always`) and two gateways sharing it as their event log and
# rate budget. The sandbox delivers its webhooks to the second gateway, and
# the example talks to the first, so every event it streams crossed
# replicas.
#
# The sandbox refuses the example's first POST /bundles with a 503, which
# the client retries: the check wants both attempts to carry the one
# request_id the client generated (the gateway's audit lines name it), and
# one bundle made.
#
# Every example prints the same lines (client_stubs/README.md); the check
# fails the run unless the example placed the order, showed the refused
# CreateBundle with its details, and streamed the order's events once each,
# in cursor order, every domain connected, ending with order.completed.
#
# Usage: run_example.sh [--restart-gateway] [--redis BIN] --sandbox BIN --gateway BIN -- COMMAND [ARG...]
set -euo pipefail

restart=false sandbox_bin="" gateway_bin="" redis_bin=""
while [ $# -gt 0 ]; do
  case $1 in
    --restart-gateway) restart=true; shift ;;
    --redis) redis_bin=$2; shift 2 ;;
    --sandbox) sandbox_bin=$2; shift 2 ;;
    --gateway) gateway_bin=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "run_example.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$sandbox_bin" ] || [ -z "$gateway_bin" ] || [ $# -eq 0 ]; then
  echo "usage: run_example.sh [--restart-gateway] [--redis BIN] --sandbox BIN --gateway BIN -- COMMAND [ARG...]" >&2
  exit 2
fi

work=$(mktemp -d)
sandbox_pid="" gateway_pid="" second_gateway_pid="" redis_pid=""
cleanup() {
  local pids="$gateway_pid $second_gateway_pid $sandbox_pid $redis_pid"
  for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $pids; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Waits for a line starting with $2 in file $1, written by process $3, and
# prints the rest of it.
wait_for_line() {
  for _ in $(seq 1 200); do
    line=$(grep -m1 "^$2" "$1" 2>/dev/null || true)
    if [ -n "$line" ]; then echo "${line#"$2"}"; return 0; fi
    kill -0 "$3" 2>/dev/null || break
    sleep 0.05
  done
  echo "no \"$2\" line; output:" >&2
  cat "$1" >&2
  return 1
}

# A loopback port nobody listens on yet, for the gateway's webhooks: it must
# be known before either process starts (the sandbox needs the gateway's
# webhook URL, the gateway the sandbox's API URL). Below Linux's ephemeral
# range (32768 and up), where outgoing connections take theirs.
free_port() {
  for _ in $(seq 1 100); do
    local port=$((20000 + RANDOM % 12768))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "no free loopback port" >&2
  return 1
}

# A made-up sandbox key (partner-sandbox accepts any pk_test_ key) and a
# made-up webhook secret shared by the two.
key=pk_test_local_demo_key secret=whsec_local_demo_secret
printf '%s\n' "$key" > "$work/sandbox.key"
printf '%s\n' "$secret" > "$work/webhook.secret"
chmod 600 "$work/sandbox.key" "$work/webhook.secret"
webhook_port=$(free_port)
grpc_port=0  # The first start picks it; a restart keeps it.
event_log=$work/events.db
if [ -n "$redis_bin" ]; then
  redis_port=$(free_port)
  mkdir "$work/redis"
  echo "==> starting redis-server"
  "$redis_bin" --port "$redis_port" --bind 127.0.0.1 --dir "$work/redis" --appendonly yes --appendfsync always \
    --save "" >"$work/redis.log" 2>&1 &
  redis_pid=$!
  wait_for_line "$work/redis.log" ".*Ready to accept connections" "$redis_pid" >/dev/null
  echo "    listening on 127.0.0.1:$redis_port"
  event_log=redis://127.0.0.1:$redis_port
fi

# A restart needs room: events 200 ms apart, and a failed delivery retried
# after 100 ms (doubling), well before the order's last event.
if $restart; then pacing=(--webhook-interval-ms 200 --webhook-retry-base-ms 100); else pacing=(--webhook-interval-ms 100); fi

echo "==> starting partner-sandbox"
"$sandbox_bin" --listen 127.0.0.1:0 "${pacing[@]}" \
  --webhook-url "http://127.0.0.1:$webhook_port/webhooks/peeker" --webhook-secret-file "$work/webhook.secret" \
  >"$work/sandbox.out" 2>"$work/sandbox.log" &
sandbox_pid=$!
if ! sandbox_url=$(wait_for_line "$work/sandbox.out" "partner-sandbox listening on " "$sandbox_pid"); then
  cat "$work/sandbox.log" >&2
  exit 1
fi
echo "    listening on $sandbox_url"

starts=0
# Starts a gateway receiving webhooks on port $1, serving gRPC on port $2 (0:
# any), with the fleet's flags when there is one; sets started_pid and
# started_port.
start_one() {
  starts=$((starts + 1))
  local fleet=()
  [ -z "$redis_bin" ] || fleet=(--fleet-size 2)
  "$gateway_bin" --grpc-listen "127.0.0.1:$2" --admin-listen 127.0.0.1:0 \
    --partner-base-url "$sandbox_url/partner/v1" --sandbox-key-file "$work/sandbox.key" \
    --webhook-listen "127.0.0.1:$1" --webhook-sandbox-secret-file "$work/webhook.secret" \
    --event-log "$event_log" "${fleet[@]}" >"$work/gateway.$starts.out" 2>>"$work/gateway.log" &
  started_pid=$!
  if ! started_port=$(wait_for_line "$work/gateway.$starts.out" "partner-gateway serving gRPC on port " "$started_pid"); then
    echo "partner-gateway did not start; its log:" >&2
    cat "$work/gateway.log" >&2
    return 1
  fi
}
# The gateway the example talks to.
start_gateway() {
  start_one "$example_webhook_port" "$grpc_port"
  gateway_pid=$started_pid grpc_port=$started_port
}

example_webhook_port=$webhook_port
if [ -n "$redis_bin" ]; then
  example_webhook_port=$(free_port)
  echo "==> starting the second partner-gateway, which receives the sandbox's webhooks"
  start_one "$webhook_port" 0
  second_gateway_pid=$started_pid
  echo "    serving gRPC on 127.0.0.1:$started_port, receiving webhooks on 127.0.0.1:$webhook_port"
fi
echo "==> starting partner-gateway"
start_gateway
echo "    serving gRPC on 127.0.0.1:$grpc_port, receiving webhooks on 127.0.0.1:$example_webhook_port"

echo "==> the sandbox refuses the first POST /bundles (503): the client retries it under the same request_id"
curl -fsS -o /dev/null -X POST "$sandbox_url/_sandbox/faults" \
  -d '{"method":"POST","path":"/partner/v1/bundles","status":503,"times":1}'

echo "==> running the example: $*"
"$@" --gateway "127.0.0.1:$grpc_port" > >(tee "$work/example.out") 2>&1 &
example_pid=$!
if $restart; then
  while kill -0 "$example_pid" 2>/dev/null && ! grep -qs '^      event ' "$work/example.out"; do sleep 0.02; done
  if grep -qs '^      event ' "$work/example.out"; then
    echo "==> restarting partner-gateway"
    kill -TERM "$gateway_pid"
    wait "$gateway_pid" || true
    start_gateway
  fi
fi
status=0
wait "$example_pid" || status=$?
sleep 0.1  # lets tee write the last lines

echo "==> gateway access log"
grep 'msg=rpc' "$work/gateway.log" | sed 's/^/    /' || true

# Checks the example's output; prints every problem found.
check() {
  local out=$work/example.out problems=0
  fail() { echo "    FAILED: $*"; problems=$((problems + 1)); }
  [ "$status" -eq 0 ] || fail "the example exited with status $status"
  for step in 1 2 3 4 5; do grep -q "^\[$step/5\] " "$out" || fail "no step $step/5"; done
  grep -Eq '^      refused: INVALID_ARGUMENT reason=INVALID_REQUEST field=google_percent \(.+\)$' "$out" ||
    fail "no 'refused: INVALID_ARGUMENT reason=INVALID_REQUEST field=google_percent (…)' line"
  local order domains
  order=$(sed -nE 's/^      order (ord_[^ ]+) for .*, ([0-9]+) domains, .*/\1 \2/p' "$out" | head -1)
  [ -n "$order" ] || { fail "no placed order"; return 1; }
  domains=${order#* } order=${order% *}
  # Events: cursors strictly increasing, ids unique, every domain connected
  # once, order.completed last; with a restart, a resume followed by events.
  awk -v order="$order" -v domains="$domains" -v restart="$restart" '
    /^      event / {
      n++; cursor = $2 + 0; type = $3; id = $4
      if (n > 1 && cursor <= last) printf "    FAILED: cursor %s after %s\n", $2, last
      if (id in seen) printf "    FAILED: event %s streamed twice\n", id
      seen[id] = 1; last = cursor; last_type = type
      if (type == "domain.connected") connected[$5] = 1
      if (resumed) after_resume++
    }
    /^      stream cut: / { resumed = 1 }
    END {
      if (n == 0) print "    FAILED: no event streamed"
      if (last_type != "order.completed") printf "    FAILED: the last event is %s, not order.completed\n", last_type
      c = 0; for (d in connected) c++
      if (c != domains) printf "    FAILED: %d of %d domains connected\n", c, domains
      if (restart == "true" && !after_resume) print "    FAILED: the stream was not resumed after the gateway restart"
      printf "    %d events of %s, %d of %d domains connected%s\n", n, order, c, domains, resumed ? ", resumed after the restart" : ""
    }' "$out" | tee "$work/events.check"
  if grep -q FAILED "$work/events.check"; then problems=$((problems + 1)); fi
  grep -q "^      order $order completed: $domains of $domains domains connected$" "$out" ||
    fail "no 'order $order completed: $domains of $domains domains connected' line"
  if grep -qF -e "$key" -e "$secret" "$out"; then fail "the example printed the key or the webhook secret"; fi
  # The refused split never reached the Partner; the other CreateBundle was
  # refused once by the Partner and retried under its id.
  local ids statuses
  ids=$(grep 'log=audit' "$work/gateway.log" | grep 'BundleService/CreateBundle ' |
    sed -nE 's/.* request_id=([^ ]+).*/\1/p' | tail -2 | sort -u)
  statuses=$(curl -fsS "$sandbox_url/_sandbox/requests" | python3 -c '
import json, sys
print(" ".join(str(r["status"]) for r in json.load(sys.stdin)["data"] if r["method"] == "POST" and r["path"].endswith("/bundles")))')
  if [ "$(echo "$ids" | wc -l)" -ne 1 ] ||
    ! echo "$ids" | grep -Eq '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'; then
    fail "the retried CreateBundle did not keep one generated request_id (audited: $(echo $ids))"
  fi
  [ "$statuses" = "503 201" ] || fail "POST /bundles answered \"$statuses\", not one 503 then one 201"
  echo "    CreateBundle retried after a 503 under request_id $ids, one bundle made"
  [ "$problems" -eq 0 ]
}
echo "==> checking the example's output"
if check; then echo "    ok"; else echo "==> the example did not do what it should; gateway log:"; sed 's/^/    /' "$work/gateway.log"; exit 1; fi
echo "==> stopping"
