#!/usr/bin/env bash
# A client's stream opened from now and cut before its first event must miss
# nothing stored while it was cut. Two gateways share a redis-server: the
# client streams from gateway A, A is killed, three events are posted to B,
# and A starts again on the same port; the client must get all three.
#
# Usage: resume_from_now.sh --redis BIN --gateway BIN -- COMMAND [ARG...]
#   COMMAND gets `--gateway 127.0.0.1:PORT --order ORDER --events 3` appended
#   and must exit 0 once it printed three `event <id>` lines.
set -euo pipefail

redis_bin="" gateway_bin=""
while [ $# -gt 0 ]; do
  case $1 in
    --redis) redis_bin=$2; shift 2 ;;
    --gateway) gateway_bin=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "resume_from_now.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$redis_bin" ] && [ -n "$gateway_bin" ] && [ $# -gt 0 ] ||
  { echo "usage: resume_from_now.sh --redis BIN --gateway BIN -- COMMAND [ARG...]" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  for _ in $(seq 1 100); do
    local port=$((20000 + RANDOM % 12768))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}
# Waits until file $1 has a line starting with $2.
wait_for() {
  for _ in $(seq 1 400); do grep -qs "^$2" "$1" && return 0; sleep 0.05; done
  echo "no \"$2\" in $1:" >&2; cat "$1" >&2; return 1
}

secret=whsec_resume_from_now
printf '%s\n' pk_test_resume_from_now > "$work/sandbox.key"
printf '%s\n' "$secret" > "$work/webhook.secret"
redis_port=$(free_port)
"$redis_bin" --port "$redis_port" --bind 127.0.0.1 --dir "$work" --appendonly yes --save "" >"$work/redis.log" 2>&1 &
pids+=($!)
wait_for "$work/redis.log" ".*Ready to accept connections"

grpc_port=$(free_port) a_webhooks=$(free_port) b_webhooks=$(free_port)
# Gateway $1 with webhooks on port $2 and gRPC on $3; no Partner needed.
start_gateway() {
  "$gateway_bin" --grpc-listen "127.0.0.1:$3" --admin-listen 127.0.0.1:0 --partner-base-url http://127.0.0.1:9 \
    --sandbox-key-file "$work/sandbox.key" --webhook-sandbox-secret-file "$work/webhook.secret" \
    --webhook-listen "127.0.0.1:$2" --event-log "redis://127.0.0.1:$redis_port" >"$work/$1.out" 2>"$work/$1.log" &
  pids+=($!)
  wait_for "$work/$1.out" "partner-gateway serving gRPC"
}
start_gateway a "$a_webhooks" "$grpc_port"
a_pid=${pids[-1]}
start_gateway b "$b_webhooks" 0
a_admin=$(sed -n 's/^partner-gateway admin on port //p' "$work/a.out")

post() {  # event id → gateway B
  local body timestamp signature
  body="{\"id\":\"$1\",\"type\":\"order.in_progress\",\"created_at\":\"2026-07-01T11:00:00Z\",\"data\":{\"order\":{\"id\":\"ord_resume_from_now\",\"status\":\"in_progress\"}}}"
  timestamp=$(date +%s)
  signature=$(printf '%s.%s' "$timestamp" "$body" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)
  curl -sf -o /dev/null -H "Peeker-Event-Id: $1" -H "Peeker-Timestamp: $timestamp" -H "Peeker-Signature: v1=$signature" \
    -H 'Content-Type: application/json' --data "$body" "http://127.0.0.1:$b_webhooks/webhooks/peeker"
}

echo "==> streaming from now on gateway A: $*"
"$@" --gateway "127.0.0.1:$grpc_port" --order ord_resume_from_now --events 3 >"$work/client.out" 2>&1 &
client_pid=$!
for _ in $(seq 1 200); do
  curl -s "http://127.0.0.1:$a_admin/metrics" | grep -q '^gateway_event_subscribers 1$' && break
  sleep 0.05
done
sleep 0.2  # The stream's first message, its start cursor, is on its way.
echo "==> killing gateway A; posting three events to gateway B"
kill -KILL "$a_pid"
wait "$a_pid" 2>/dev/null || true
for i in 1 2 3; do post "evt_resume_from_now_$i"; done
echo "==> starting gateway A again"
start_gateway a2 "$a_webhooks" "$grpc_port"
status=0
for _ in $(seq 1 300); do kill -0 "$client_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$client_pid" 2>/dev/null; then
  kill -KILL "$client_pid"
  echo "FAILED: the client did not get three events within 30 s"
fi
wait "$client_pid" || status=$?
sed 's/^/    /' "$work/client.out"
[ "$status" -eq 0 ] || { echo "FAILED: the client exited with status $status"; exit 1; }
expected=$'event evt_resume_from_now_1\nevent evt_resume_from_now_2\nevent evt_resume_from_now_3'
[ "$(grep '^event ' "$work/client.out")" = "$expected" ] || { echo "FAILED: not exactly the three events"; exit 1; }
grep -q "^resumed after '[0-9]" "$work/client.out" || { echo "FAILED: no resume from the start cursor"; exit 1; }
echo "    ok"
