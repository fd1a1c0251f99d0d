#!/usr/bin/env python3
"""One run of a command, measured: prints "WALL CPU KB".

    bench/measure.py TIMEOUT COMMAND [ARG...]

WALL and CPU (user + system) are in seconds to the microsecond, from the
clock and the child's rusage; KB is its peak resident set. GNU time prints
hundredths, which is 5% of a 0.2 s run: too coarse to compare two builds.
Prints "timeout timeout 0" past TIMEOUT seconds, and "failed failed 0" when
the command exits with 2 or more (`check` exits 1 on a ledger with errors,
which is still a run). Output and errors of the command are discarded.
"""
import os
import subprocess
import sys
import time


def main() -> int:
    timeout = float(sys.argv[1])
    command = sys.argv[2:]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            child.kill()
            os.wait4(child.pid, 0)
            print("timeout timeout 0")
            return 0
        time.sleep(0.001)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code >= 2 or code < 0:
        print(f"failed with exit status {code}: {' '.join(command)}", file=sys.stderr)
        print("failed failed 0")
        return 0
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    kb = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // 1024
    print(f"{wall:.4f} {usage.ru_utime + usage.ru_stime:.4f} {kb}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
