// Ratio records for benches/run (see benches/record.py, whose format this writes): one
// JSON line per contender and round, only when ARICHAT_BENCH_RECORD names a file.
import { appendFileSync } from 'node:fs'

export function record(bench, kase, arichatSecs, contender, contenderSecs, versions = {}) {
  const path = process.env.ARICHAT_BENCH_RECORD
  if (!path) return
  const line = {
    bench,
    case: kase,
    contender,
    arichat_secs: arichatSecs,
    contender_secs: contenderSecs,
    speedup: contenderSecs / arichatSecs,
    round: Number(process.env.ARICHAT_BENCH_ROUND ?? 0),
    versions,
  }
  appendFileSync(path, JSON.stringify(line) + '\n')
}
