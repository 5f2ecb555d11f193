#!/usr/bin/env bash
# `arichat score` end to end on the UCI bank data repeated to 1 M and 4 M rows, with
# the 25-rule card benches/cli/bank25.toml: wall and CPU seconds, rows/s and peak RSS
# (GNU time), from a file and from stdin. Usage: benches/cli/score_stream.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
src="${BANK_CSV:-../shared/datasets/bank-additional-full.csv}"
out=target/bench
mkdir -p "$out"
CARGO_INCREMENTAL=0 cargo build --release -q -p arichat-cli
for n in 1000000 4000000; do
  f="$out/bank_$((n / 1000000))m.csv"
  [ -s "$f" ] || python3 - "$src" "$f" "$n" <<'PY'
import sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = open(src).read().splitlines()
head, body = lines[0], lines[1:]
with open(dst, "w") as f:
    f.write(head + "\n")
    full, rest = divmod(n, len(body))
    block = "\n".join(body) + "\n"
    for _ in range(full):
        f.write(block)
    f.write("\n".join(body[:rest]) + "\n")
PY
done
uptime
for r in $(seq "$rounds"); do
  for n in 1 4; do
    f="$out/bank_${n}m.csv"
    /usr/bin/time -f "file  ${n}M rows: %e s wall, %U+%S s CPU, peak RSS %M KB" \
      target/release/arichat score --scorecard benches/cli/bank25.toml "$f" >/dev/null
    /usr/bin/time -f "stdin ${n}M rows: %e s wall, %U+%S s CPU, peak RSS %M KB" \
      sh -c "target/release/arichat score --scorecard benches/cli/bank25.toml - < $f > /dev/null"
  done
done
