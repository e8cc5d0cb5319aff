#!/usr/bin/env bash
# Measures how long a cancel takes to stop a running answer: from just before sending
# POST …/steps/{id}/cancel to the server-side timestamp (ts) of the step.cancelled event, which
# is written after the provider call has returned and the partial answer is stored.
# Usage: bench/cancel-latency.sh [base-url] [runs]   (a running engine with the demo provider)
set -euo pipefail
base=${1:-http://localhost:8080}
runs=${2:-10}
token=$(curl -s -X POST "$base/api/v1/sessions" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
auth="Authorization: Bearer $token"
for i in $(seq "$runs"); do
  c=$(curl -s "$base/api/v1/conversations" -H "$auth" -H 'Content-Type: application/json' -d '{}' | sed -E 's/^\{"id":"([^"]+)".*/\1/')
  step=$(curl -s "$base/api/v1/conversations/$c/messages" -H "$auth" -H 'Content-Type: application/json' \
    -d '{"content":"a long answer to stop half way"}' | sed -E 's/.*"step_id":"([^"]+)".*/\1/')
  sleep 0.5
  sent=$(date +%s%N)
  curl -s -o /dev/null -H "$auth" -X POST "$base/api/v1/conversations/$c/steps/$step/cancel"
  ts=""
  until [ -n "$ts" ]; do
    ts=$(curl -s -H "$auth" "$base/api/v1/conversations/$c/events?wait=5s" | tr '}' '\n' \
      | grep '"type":"step.cancelled"' | grep -o '"ts":"[^"]*"' | cut -d'"' -f4 || true)
  done
  got=$(date -d "$ts" +%s%N)
  echo "run $i: $(( (got - sent) / 1000000 )) ms"
done
