#!/usr/bin/env python3
"""The modelled step time of data-parallel training on N machines (docs/distributed.md).

Each task's measured compute time per step on one core (the whole global batch) and the bytes
all-reduced per step (every parameter's gradient as float32, plus a flag per parameter) are
given below. With the global batch fixed, as Glossa keeps it (the result equals one process's),
a step on N machines takes compute / N plus a ring all-reduce: 2 (N - 1) / N of the bytes over
each link and 2 (N - 1) messages of latency. Prints the step time, the speed-up over one machine
and the efficiency for 2 to 64 machines on 10 and 100 Gbit/s networks.
"""

TASKS = {  # name: (milliseconds of compute per step on one core, megabytes all-reduced per step)
    "classify": (20.0, 2.89),
    "lm": (118.6, 12.53),
    "tag": (66.9, 3.92),
    "translate": (144.1, 16.60),
}
LATENCY_S = 50e-6  # per message, TCP between machines
MACHINES = [2, 4, 8, 16, 32, 64]


def step_seconds(compute_ms, megabytes, machines, gbits):
    compute = compute_ms / 1000 / machines
    if machines == 1:
        return compute
    bytes_per_link = 2 * (machines - 1) / machines * megabytes * 1e6
    return compute + bytes_per_link * 8 / (gbits * 1e9) + 2 * (machines - 1) * LATENCY_S


for gbits in (10, 100):
    print(f"\n{gbits} Gbit/s: step ms (speed-up, efficiency)")
    print("| task | " + " | ".join(f"{n} machines" for n in MACHINES) + " | best |")
    print("|---|" + "---|" * (len(MACHINES) + 1))
    for name, (compute, megabytes) in TASKS.items():
        one = step_seconds(compute, megabytes, 1, gbits)
        cells = []
        for n in MACHINES:
            t = step_seconds(compute, megabytes, n, gbits)
            cells.append(f"{t * 1000:.1f} ({one / t:.1f}×, {one / t / n:.0%})")
        best = min(range(1, 257), key=lambda n: step_seconds(compute, megabytes, n, gbits))
        print(f"| {name} | " + " | ".join(cells) + f" | {best} |")
