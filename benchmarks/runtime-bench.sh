#!/usr/bin/env bash
# Runtime (issue 7) launch and density benchmark: the C baseline (src/main/c/kvm_launch_bench.c)
# and the Java VMM (dev.carapace.benchmarks.VmLaunchBenchmark) doing the same KVM calls.
#
#   benchmarks/runtime-bench.sh [launches] [idle-vms]      (defaults: 500 and 1000)
#
# Needs /dev/kvm, gcc and a built benchmarks jar
# (mvn -B -pl benchmarks -am package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/.."
LAUNCHES=${1:-500}
IDLE=${2:-1000}
JAR=benchmarks/target/benchmarks.jar
[ -f "$JAR" ] || { echo "missing $JAR: run mvn -B -pl benchmarks -am package -DskipTests" >&2; exit 1; }
OUT=benchmarks/target/c
mkdir -p "$OUT"
gcc -O2 -Wall -pthread -o "$OUT/kvm_launch_bench" benchmarks/src/main/c/kvm_launch_bench.c

# ulimit: two descriptors per VM plus the JVM's own
ulimit -n "$(( IDLE * 2 + 1024 ))" 2>/dev/null || true

run() { echo "$*" >&2; "$@"; }
C_LAUNCH=$(run "$OUT/kvm_launch_bench" launch "$LAUNCHES")
J_LAUNCH=$(run java -cp "$JAR" dev.carapace.benchmarks.VmLaunchBenchmark launch "$LAUNCHES")
C_DENSITY=$(run "$OUT/kvm_launch_bench" density "$IDLE")
J_DENSITY=$(run java -cp "$JAR" dev.carapace.benchmarks.VmLaunchBenchmark density "$IDLE")

field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

echo
echo "$C_LAUNCH"
echo "$J_LAUNCH"
echo "$C_DENSITY"
echo "$J_DENSITY"
echo
printf '| %-38s | %12s | %12s | %8s |\n' metric C Java Java/C
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..40})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..10})"
row() {
  local c j
  c=$(field "$2" "$4"); j=$(field "$3" "$4")
  printf '| %-38s | %12s | %12s | %8s |\n' "$1" "$c" "$j" "$(awk -v a="$j" -v b="$c" 'BEGIN{printf "%.2f", a/b}')"
}
row "create -> first guest exit p50 (us)" "$C_LAUNCH" "$J_LAUNCH" p50
row "create -> first guest exit p90 (us)" "$C_LAUNCH" "$J_LAUNCH" p90
row "create -> first guest exit p99 (us)" "$C_LAUNCH" "$J_LAUNCH" p99
row "launches per second (sequential)" "$C_LAUNCH" "$J_LAUNCH" rate_per_s
row "RSS per idle VM, added (KiB)" "$C_DENSITY" "$J_DENSITY" per_vm_kib
row "RSS per idle VM, incl. baseline (KiB)" "$C_DENSITY" "$J_DENSITY" per_vm_incl_baseline_kib
