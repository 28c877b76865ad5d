#!/usr/bin/env bash
# A real single-node Slurm cluster on loopback, all of its state in one directory, so the project
# can test its Slurm array jobs for real on a plain Debian machine (as root, no systemd needed).
#
#   slurm-local.sh install            Debian's slurm-wlm and munge, only when missing
#   slurm-local.sh start STATE_DIR    munged + slurmctld + slurmd from STATE_DIR; waits until idle
#   slurm-local.sh stop STATE_DIR     stops what `start` started there (by pid files); idempotent
#   slurm-local.sh env STATE_DIR      prints `export SLURM_CONF=...` for `eval`
#
# Nothing is taken from /etc/slurm or the system munged: the conf points AuthInfo at our own
# munged socket, so a cluster started here never talks to (or breaks) another one.
set -euo pipefail
me="slurm-local"
die() { echo "$me: error: $*" >&2; exit 1; }
say() { echo "$me: $*" >&2; }

usage() { die "usage: $0 install | start STATE_DIR | stop STATE_DIR | env STATE_DIR"; }

# pid from a pid file if that process is alive and is the daemon we expect (pids get reused).
live_pid() { # FILE COMM
  local pid
  [ -s "$1" ] || return 1
  pid="$(tr -dc 0-9 <"$1")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] || return 1
  echo "$pid"
}

# A TCP port is taken if something on loopback accepts a connection (bash's /dev/tcp: no ss needed).
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

cmd_install() {
  local c missing=0
  for c in slurmctld slurmd sbatch munged; do
    command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] || missing=1
  done
  [ "$missing" = 1 ] || return 0
  [ "$(id -u)" -eq 0 ] || die "slurm-wlm/munge missing; run as root or install them by hand"
  say "installing slurm-wlm and munge with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  # apt's chatter goes to a log that is shown only when it fails.
  local log; log="$(mktemp)"
  if ! { apt-get update -qq && apt-get install -y -qq slurm-wlm munge; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2; rm -f "$log"; die "apt-get could not install slurm-wlm munge"
  fi
  rm -f "$log"
}

cmd_env() { echo "export SLURM_CONF=$(printf %q "$state/slurm.conf")"; }

tail_logs() {
  local f
  for f in "$state"/munged.log "$state"/slurmctld.log "$state"/slurmd.log; do
    [ -s "$f" ] || continue
    echo "--- tail $f" >&2; tail -n 15 "$f" >&2
  done
}

fail_start() { echo "$me: error: $*" >&2; tail_logs; exit 1; }

write_conf() {
  local node cpus mem_total mem port
  node="$(hostname -s 2>/dev/null || true)"; node="${node:-localhost}"
  cpus="$(nproc)"
  mem_total="$(free -m | awk '/^Mem:/ {print $2}')"
  # A bit under the real total: a node whose RealMemory exceeds what slurmd sees gets drained.
  mem=$(( mem_total * 9 / 10 ))
  # First free pair of ports (ctld, d) from 6817 up, so a system Slurm or a second cluster coexists.
  port=6817
  while port_taken "$port" || port_taken $((port + 1)); do
    port=$((port + 2)); [ "$port" -lt 6999 ] || die "no free port pair in 6817-6999"
  done
  cat >"$state/slurm.conf" <<EOF
# Written by scripts/slurm-local.sh: one node on loopback, all state in $state.
ClusterName=normforge
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$state/munge.socket
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
# No cgroups anywhere (they rarely work in containers): plain /proc tracking, no task binding;
# with these, slurmd 22.05 never loads a cgroup plugin, so no cgroup.conf is needed.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# A node that was down (e.g. slurmd restarted) comes back by itself.
ReturnToService=2
# Keep finished jobs visible to "scontrol show job" for a while: there is no sacct here.
MinJobAge=600
# No mail program on a bare machine; slurmctld logs an error without this.
MailProg=/bin/true
# Start a submitted batch job at once (the default lets it wait up to 3 s).
SchedulerParameters=batch_sched_delay=0
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=normforge Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
}

cmd_start() {
  [ "$(id -u)" -eq 0 ] || die "start needs root (slurmd runs jobs as their users)"
  for c in slurmctld slurmd sinfo munged; do
    command -v "$c" >/dev/null 2>&1 || die "$c not found: run '$0 install' first"
  done
  mkdir -p "$state/ctld" "$state/spool"
  # munged refuses a socket directory that others cannot traverse; the key itself stays 0400.
  chmod 0755 "$state"
  export SLURM_CONF="$state/slurm.conf"

  if ! live_pid "$state/munged.pid" munged >/dev/null; then
    if [ ! -s "$state/munge.key" ]; then
      dd if=/dev/urandom of="$state/munge.key" bs=1 count=1024 status=none
      chmod 0400 "$state/munge.key"   # owned by root, the user munged runs as here
    fi
    # --force: munged's path checks (e.g. a group-writable parent of STATE_DIR in a CI workspace)
    # become warnings; --origin: no warning when the hostname does not resolve.
    munged --force --origin=127.0.0.1 --key-file="$state/munge.key" --socket="$state/munge.socket" \
      --pid-file="$state/munged.pid" --log-file="$state/munged.log" \
      --seed-file="$state/munged.seed" || fail_start "munged did not start"
  fi
  # munged daemonizes before its socket exists; wait for it (bounded).
  for _ in $(seq 50); do [ -S "$state/munge.socket" ] && break; sleep 0.1; done
  [ -S "$state/munge.socket" ] || fail_start "munged socket $state/munge.socket did not appear"

  # Keep the conf of a cluster that is (partly) running: new ports would cut it off from itself.
  if [ ! -s "$state/slurm.conf" ] || { ! live_pid "$state/slurmctld.pid" slurmctld >/dev/null \
       && ! live_pid "$state/slurmd.pid" slurmd >/dev/null; }; then
    write_conf
  fi
  local node
  node="$(sed -n 's/^NodeName=\([^ ]*\).*/\1/p' "$SLURM_CONF")"

  if ! live_pid "$state/slurmctld.pid" slurmctld >/dev/null; then
    slurmctld -f "$SLURM_CONF" || fail_start "slurmctld did not start"
  fi
  if ! live_pid "$state/slurmd.pid" slurmd >/dev/null; then
    # -N: the node is called what the conf says, whatever gethostname() returns.
    slurmd -f "$SLURM_CONF" -N "$node" || fail_start "slurmd did not start"
  fi

  # "idle" alone can be stale (a restarted slurmctld recovers it from its state files): also ask
  # the local slurmd, and require that slurmctld has its registration (same start time).
  local st=""
  for _ in $(seq 60); do
    st="$(node_state "$node")" && break
    sleep 0.5
  done
  [ -n "$st" ] || fail_start "node $node not up after 30 s: $(sinfo -h -N -o '%T %E' 2>&1 | head -n 1)"
  say "node $node is $st (SLURM_CONF=$SLURM_CONF)"
}

node_state() { # NODE -> prints idle/mixed/... once slurmd is up and registered
  local boot reg st
  boot="$(scontrol show slurmd 2>/dev/null | sed -n 's/^Boot time *= *//p')"
  reg="$(scontrol show node "$1" 2>/dev/null | grep -o 'SlurmdStartTime=[^ ]*' | cut -d= -f2)"
  [ -n "$boot" ] && [ "$boot" = "$reg" ] || return 1
  st="$(sinfo -h -N -n "$1" -o %T 2>/dev/null)" || return 1
  case "$st" in idle|mixed|allocated|completing) echo "$st" ;; *) return 1 ;; esac
}

any_alive() { local p; for p in "$@"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }

cmd_stop() {
  [ -d "$state" ] || return 0
  export SLURM_CONF="$state/slurm.conf"
  # Cancel leftover jobs first so no job outlives its slurmd (bounded wait).
  if live_pid "$state/slurmctld.pid" slurmctld >/dev/null \
     && [ -n "$(squeue -h -o %i 2>/dev/null || true)" ]; then
    scancel --full -p normforge 2>/dev/null || true
    for _ in $(seq 50); do [ -z "$(squeue -h -o %i 2>/dev/null || true)" ] && break; sleep 0.2; done
  fi
  # SIGTERM to all three at once (each takes 1-2 s to exit), then wait; SIGKILL after 10 s.
  local name pid pids=()
  for name in slurmd slurmctld munged; do
    pid="$(live_pid "$state/$name.pid" "$name")" || continue
    kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
  done
  for _ in $(seq 100); do any_alive "${pids[@]}" || break; sleep 0.1; done
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || continue
    say "pid $pid ignored SIGTERM for 10 s; killing it"; kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$state"/slurmd.pid "$state"/slurmctld.pid "$state"/munged.pid
}

[ $# -ge 1 ] || usage
sub="$1"; shift
case "$sub" in
  install) [ $# -eq 0 ] || usage; cmd_install ;;
  start|stop|env)
    [ $# -eq 1 ] || usage
    # Absolute, so the conf and the pid files mean the same from any working directory.
    case "$1" in /*) state="$1" ;; *) state="$PWD/$1" ;; esac
    state="${state%/}"
    [ "$sub" != start ] || mkdir -p "$state" || die "cannot create $state"
    "cmd_$sub" ;;
  *) usage ;;
esac
