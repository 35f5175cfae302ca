#!/usr/bin/env bash
# Runs each fuzz target built in build-fuzz/ (scripts/test --fuzz builds them first):
#  1. fuzzes for FUZZ_SECONDS (default 60; 30 for hl7 and fhir) from the seeds in corpus/<target>/ plus a scratch
#     corpus in build-fuzz/fuzz-run/ (new inputs go there, so the repo's corpus stays as is);
#  2. runs every input kept in regressions/<target>/ once.
# A crash, sanitizer report, leak, timeout (10 s) or memory blow-up (2 GB) fails the run;
# the input that caused it is copied into regressions/<target>/ so it is kept and rerun.
# Ends with one line per target; exits 1 if anything failed.
set -euo pipefail
cd "$(dirname "$0")/../.."

targets=(event_parser layout_loader config_loader hl7 fhir)
# How long to fuzz a target: FUZZ_SECONDS if set, else 60 s (30 s for hl7 and fhir, to keep
# the whole run bounded).
seconds_for() {
  if [ "$1" = hl7 ] || [ "$1" = fhir ]; then echo "${FUZZ_SECONDS:-30}"; else echo "${FUZZ_SECONDS:-60}"; fi
}
bin=build-fuzz/tests/fuzz
work=build-fuzz/fuzz-run
limits=(-timeout=10 -rss_limit_mb=2048)
if [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi
export UBSAN_OPTIONS="print_stacktrace=1:${UBSAN_OPTIONS:-}"
export TMPDIR="$PWD/$work/tmp"  # the loaders' targets write their input files here
rm -rf "$work/artifacts" "$work/tmp" "$work/logs"
mkdir -p "$work/tmp" "$work/logs"
shopt -s nullglob

failed=0
summary=()

# Prints the part of a log that explains a failure: from the first error line on.
show_failure() {
  echo "---- $1 ----"
  awk '/ERROR: libFuzzer|ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|terminate called|ALARM:|out-of-memory/ {on=1} on' "$2" |
    head -n 80
  echo "---- (full log: $2) ----"
}

for target in "${targets[@]}"; do
  corpus="$work/corpus/$target"
  artifacts="$work/artifacts/$target"
  log="$work/logs/$target.log"
  mkdir -p "$corpus" "$artifacts" "tests/fuzz/regressions/$target"
  seconds=$(seconds_for "$target")
  echo "fuzzing $target for ${seconds}s (log: $log)"
  status=0
  "$bin/${target}_fuzz" -max_total_time="$seconds" "${limits[@]}" -print_final_stats=1 \
    -dict="tests/fuzz/$target.dict" -artifact_prefix="$artifacts/" \
    "$corpus" "tests/fuzz/corpus/$target" </dev/null >"$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || true)
  found=("$artifacts"/crash-* "$artifacts"/leak-* "$artifacts"/timeout-* "$artifacts"/oom-*)
  for input in "${found[@]}"; do
    cp "$input" "tests/fuzz/regressions/$target/"
    echo "kept $(basename "$input") in tests/fuzz/regressions/$target/"
  done
  if [ "$status" -ne 0 ] || [ ${#found[@]} -gt 0 ]; then
    failed=1
    show_failure "$target: fuzzer exited with status $status" "$log"
  fi
  crashes=${#found[@]}
  [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ] && crashes=1
  summary+=("fuzz $target: ${runs:-0} runs, $crashes crashes")
done

for target in "${targets[@]}"; do
  inputs=()
  for input in "tests/fuzz/regressions/$target"/*; do
    [ -f "$input" ] && inputs+=("$input")
  done
  bad=0
  for input in "${inputs[@]}"; do
    log="$work/logs/$target-regression-$(basename "$input").log"
    if ! "$bin/${target}_fuzz" "${limits[@]}" -artifact_prefix="$work/artifacts/$target/rerun-" "$input" \
      </dev/null >"$log" 2>&1; then
      bad=$((bad + 1))
      failed=1
      show_failure "$target: regression input $input fails" "$log"
    fi
  done
  summary+=("regressions $target: ${#inputs[@]} inputs, $bad failing")
done

printf '%s\n' "${summary[@]}"
exit "$failed"
