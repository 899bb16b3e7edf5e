#!/usr/bin/env bash
# The main job: starts partner-sandbox and partner-gateway on free loopback
# ports (the sandbox delivering signed webhooks to the gateway), runs the
# quickstart example through the gateway, follows the order's events until
# it completes, and stops both.
# Usage: run_quickstart.sh SANDBOX_BIN GATEWAY_BIN QUICKSTART_BIN
set -euo pipefail
sandbox_bin=$1 gateway_bin=$2 quickstart_bin=$3
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Waits for a line starting with $2 in file $1 and prints the rest of it.
wait_for_line() {
  for _ in $(seq 1 200); do
    line=$(grep -m1 "^$2" "$1" 2>/dev/null || true)
    if [ -n "$line" ]; then echo "${line#"$2"}"; return 0; fi
    sleep 0.05
  done
  echo "timed out waiting for \"$2\"; log:" >&2
  cat "$1" >&2
  return 1
}

# A loopback port nobody listens on yet. The gateway's webhook port must be
# known before either process starts: the sandbox needs the gateway's webhook
# URL, the gateway the sandbox's API URL.
free_port() {
  for _ in $(seq 1 100); do
    local port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "no free loopback port" >&2
  return 1
}

# A made-up sandbox key (partner-sandbox accepts any pk_test_ key) and a
# made-up webhook secret shared by the two.
printf 'pk_test_local_demo_key\n' > "$work/sandbox.key"
printf 'whsec_local_demo_secret\n' > "$work/webhook.secret"
chmod 600 "$work/sandbox.key" "$work/webhook.secret"
webhook_port=$(free_port)

echo "==> starting partner-sandbox"
"$sandbox_bin" --listen 127.0.0.1:0 \
  --webhook-url "http://127.0.0.1:$webhook_port/webhooks/peeker" --webhook-secret-file "$work/webhook.secret" \
  --webhook-interval-ms 100 >"$work/sandbox.out" 2>"$work/sandbox.log" &
pids+=($!)
sandbox_url=$(wait_for_line "$work/sandbox.out" "partner-sandbox listening on ")
echo "    listening on $sandbox_url"

echo "==> starting partner-gateway"
"$gateway_bin" --grpc-listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 --partner-base-url "$sandbox_url/partner/v1" \
  --sandbox-key-file "$work/sandbox.key" --webhook-listen "127.0.0.1:$webhook_port" \
  --webhook-sandbox-secret-file "$work/webhook.secret" --event-log "$work/events.db" \
  >"$work/gateway.out" 2>"$work/gateway.log" &
pids+=($!)
gateway_port=$(wait_for_line "$work/gateway.out" "partner-gateway serving gRPC on port ")
echo "    serving gRPC on 127.0.0.1:$gateway_port, receiving webhooks on 127.0.0.1:$webhook_port"

echo "==> running the quickstart through the gateway"
status=0
"$quickstart_bin" --gateway "127.0.0.1:$gateway_port" || status=$?

echo "==> gateway access log"
grep 'msg=rpc' "$work/gateway.log" | sed 's/^/    /' || true
echo "==> stopping"
exit $status
