#!/usr/bin/env bash
# Key-release load test on loopback: starts the key broker (built-in attestation service,
# development mode, fresh state), runs KeyReleaseLoadTest against it, prints the OpenSSL crypto
# bound, stops the broker. Usage: benchmarks/kbs-load.sh [SECONDS=20] [CLIENTS=8] [WARMUP=10]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs=${1:-20}; clients=${2:-8}; warmup=${3:-10}; port=${KBS_PORT:-18443}
work=$(mktemp -d /tmp/kbs-load.XXXXXX)
(cd "$here" && mvn -B -q -ntp -o -DskipTests -pl key-broker,benchmarks -am package) >&2
openssl genpkey -algorithm ed25519 -out "$work/admin.key" 2>/dev/null
openssl pkey -in "$work/admin.key" -pubout -out "$work/admin.pub"
java ${BROKER_JAVA_OPTS:-} -jar "$here/key-broker/target/key-broker-exec.jar" --port "$port" \
  --data "$work/data" --dev --admin-key "$work/admin.pub" \
  --carapace.attestation.snp.dev-products=Genoa > "$work/broker.log" 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null; wait $broker 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1 && break; sleep 0.5
done
java ${CLIENT_JAVA_OPTS:-} -Dbroker.pid="$broker" -cp "$here/benchmarks/target/benchmarks.jar" \
  dev.carapace.benchmarks.KeyReleaseLoadTest "http://127.0.0.1:$port" "$work/data" \
  "$work/admin.key" "$secs" "$clients" "$warmup"
echo "broker RSS: $(awk '/VmRSS/{print $2, $3}' /proc/$broker/status)"
echo "crypto bound (OpenSSL on this machine):"
openssl speed -seconds 3 ecdsap256 ecdhp256 2>/dev/null | grep -E '^ *256 bits|ecdh \(nistp256\)|nistp256' | tail -3
