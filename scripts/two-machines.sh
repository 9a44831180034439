#!/usr/bin/env bash
# Two "machines" on one: two network namespaces joined by a veth pair (10.77.0.1 and 10.77.0.2),
# one MPI process in each, talking over Open MPI's TCP transport only. Trains the language model
# on the demo's Austen sample for one epoch (a few hundred steps) across them and alone, and
# prints how far apart the two models' parameters are (relative to each tensor's largest value).
# Needs root, iproute2 and Open MPI (scripts/setup.sh --mpi); builds glossa with the MPI trait.
# Usage: scripts/two-machines.sh [WORK]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mkdir -p "${1:-/tmp/glossa-two-machines}" && cd "${1:-/tmp/glossa-two-machines}" && pwd)
swift build -c release --traits MPI --product glossa >&2
glossa=$(swift build -c release --traits MPI --show-bin-path)/glossa
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

cleanup() { ip netns del glossa-a 2>/dev/null || true; ip netns del glossa-b 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add glossa-a
ip netns add glossa-b
ip link add veth-a type veth peer name veth-b
ip link set veth-a netns glossa-a
ip link set veth-b netns glossa-b
ip -n glossa-a addr add 10.77.0.1/24 dev veth-a
ip -n glossa-b addr add 10.77.0.2/24 dev veth-b
for n in a b; do
  ip -n glossa-$n link set veth-$n up
  ip -n glossa-$n link set lo up
done

# mpirun starts the remote daemon through this "ssh": a shell in the other machine's namespace,
# with a host name of its own.
cat > "$work/agent.sh" <<'AGENT'
#!/bin/sh
host=$1; shift
case "$host" in
  10.77.0.1) ns=glossa-a ;;
  10.77.0.2) ns=glossa-b ;;
  *) echo "agent: unknown host $host" >&2; exit 1 ;;
esac
exec ip netns exec "$ns" unshare --uts sh -c "hostname $ns; $*"
AGENT
chmod +x "$work/agent.sh"
printf "10.77.0.1 slots=1\n10.77.0.2 slots=1\n" > "$work/hosts"

data=Sources/glossa/Demo/DemoData/austen.txt
head -1800 "$data" > "$work/train.txt"
sed -n 1801,2000p "$data" > "$work/valid.txt"
arguments="train lm --train $work/train.txt --valid $work/valid.txt --epochs 1 --dropout 0 --lr 1 --hidden 64 --embedding-dim 64 --threads 1"
rm -rf "$work/alone" "$work/two"
echo "one process:" >&2
"$glossa" $arguments --output "$work/alone"
echo "two machines over TCP:" >&2
ip netns exec glossa-a unshare --uts sh -c "hostname glossa-a; mpirun --hostfile $work/hosts -np 2 \
  --mca plm_rsh_agent $work/agent.sh --mca btl tcp,self --mca btl_tcp_if_include 10.77.0.0/24 \
  --mca oob_tcp_if_include 10.77.0.0/24 $glossa $arguments --output $work/two"
python3 - "$work/alone/model.safetensors" "$work/two/model.safetensors" "$work/two/metrics.jsonl" <<'PY'
import json, struct, sys

def load(path):
    data = open(path, "rb").read()
    size = struct.unpack("<Q", data[:8])[0]
    header, body = json.loads(data[8:8 + size]), data[8 + size:]
    return {name: struct.unpack("<%df" % ((e - s) // 4), body[s:e])
            for name, entry in header.items() if name != "__metadata__"
            for s, e in [entry["data_offsets"]]}

alone, two = load(sys.argv[1]), load(sys.argv[2])
worst = max(max(abs(x - y) for x, y in zip(alone[n], two[n])) / max(max(map(abs, alone[n])), 1e-6) for n in alone)
last = json.loads(open(sys.argv[3]).read().splitlines()[-1])
print(f"{last['step']} steps; largest difference from one process: {worst:.2e} of a tensor's largest value; "
      f"communication {last['communication_share']:.0%} of the two-machine run's training time")
sys.exit(0 if worst < 1e-5 else 1)
PY
