#!/usr/bin/env bash
# Runs a regression plan's Slurm array job on a real, throw-away single-node cluster:
#   test-slurm.sh PLAN_DIR
# PLAN_DIR holds slurm.sbatch and jobs.txt as `normforge regress plan --out PLAN_DIR` writes them.
# It installs Slurm when missing, starts a cluster in a fresh temp dir (stopped and removed on
# exit), submits the array, waits for it and fails unless every array task (one per line of
# jobs.txt) completed with exit code 0.
# It does not merge the shards: the caller runs `normforge regress merge PLAN_DIR` afterwards.
# NORMFORGE_SLURM_TIMEOUT (seconds, default 3600) bounds the wait for the whole array.
set -euo pipefail
me="test-slurm"
die() { echo "$me: error: $*" >&2; exit 1; }
here="$(cd "$(dirname "$0")" && pwd)"
local_sh="$here/slurm-local.sh"
limit="${NORMFORGE_SLURM_TIMEOUT:-3600}"

[ $# -eq 1 ] || die "usage: $0 PLAN_DIR"
plan="$(cd "$1" 2>/dev/null && pwd)" || die "no such directory: $1"
[ -f "$plan/slurm.sbatch" ] || die "$plan/slurm.sbatch missing"
[ -f "$plan/jobs.txt" ] || die "$plan/jobs.txt missing"
tasks="$(grep -c '' "$plan/jobs.txt" || true)"
[ "$tasks" -gt 0 ] || die "$plan/jobs.txt is empty"

"$local_sh" install

state="$(mktemp -d /tmp/normforge-slurm.XXXXXX)"
cleanup() { "$local_sh" stop "$state" || true; rm -rf "$state"; }
trap cleanup EXIT
trap 'exit 130' INT TERM   # runs the EXIT trap too

t0=$SECONDS
"$local_sh" start "$state"
eval "$("$local_sh" env "$state")"
echo "$me: cluster up in $((SECONDS - t0)) s; submitting $plan/slurm.sbatch ($tasks tasks)" >&2

# Submit, then poll squeue every second (sbatch --wait polls at 2, 8, 32 s: up to half a minute
# lost per run). Done when no task of the job is pending, running or completing.
t0=$SECONDS
job="$(sbatch --parsable "$plan/slurm.sbatch")" || die "sbatch could not submit $plan/slurm.sbatch"
job="${job%%;*}"
echo "$me: submitted job $job" >&2
while :; do
  left="$(squeue -h -j "$job" -o %i)" || die "squeue failed while waiting for job $job"
  [ -n "$left" ] || break
  if [ $((SECONDS - t0)) -ge "$limit" ]; then
    scancel "$job" 2>/dev/null || true
    die "job $job still running after $limit s (NORMFORGE_SLURM_TIMEOUT); cancelled"
  fi
  sleep 1
done

# Each array task's own record (kept MinJobAge seconds by slurmctld; there is no sacct here).
ok=0; bad=()
while read -r line; do
  id="$(grep -o 'ArrayTaskId=[0-9]*' <<<"$line" | cut -d= -f2)"
  st="$(grep -o 'JobState=[A-Z_]*' <<<"$line" | cut -d= -f2)"
  ec="$(grep -o ' ExitCode=[0-9:]*' <<<"$line" | cut -d= -f2)"
  if [ "$st" = COMPLETED ] && [ "$ec" = 0:0 ]; then ok=$((ok + 1)); else bad+=("$id:$st:$ec"); fi
done < <(scontrol show job -o "$job" 2>/dev/null | grep 'ArrayTaskId=' || true)

elapsed=$((SECONDS - t0))
if [ "$ok" -ne "$tasks" ] || [ "${#bad[@]}" -ne 0 ]; then
  echo "$me: job $job FAILED after $elapsed s: $ok/$tasks array tasks exited 0" >&2
  for b in "${bad[@]}"; do
    IFS=: read -r id st ec sig <<<"$b"
    echo "$me:   task $id: $st, exit code $ec:$sig (log $plan/slurm-${job}_$id.out)" >&2
  done
  exit 1
fi
echo "$me: job $job: all $tasks array tasks exited 0 in $elapsed s"
