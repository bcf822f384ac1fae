#!/usr/bin/python3
"""Run inside the lab by tests/bench.sh: time commands alternately, report medians.

  bench.py list MPSESSION RUNS
      mpsession list --all --json vs loginctl list-sessions -o json and plain
  bench.py end MPSESSION -- IDS...
      ends the given sessions (mpsession end --all --wait) and reports the time
  bench.py loginctl-end IDS...
      loginctl terminate-session IDS, then polls until all are gone
Prints "name seconds" lines, and "rss_kib N" for mpsession's peak memory.
"""
import os
import statistics
import subprocess
import sys
import time


def run(cmd):
    t = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return time.monotonic() - t


def rss_kib(cmd):
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, _, usage = os.wait4(p.pid, 0)
    return usage.ru_maxrss


def sessions():
    out = subprocess.run(["loginctl", "list-sessions", "--no-legend"],
                         capture_output=True, text=True, check=True).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip()}


def main():
    what = sys.argv[1]
    if what == "list":
        mp, runs = sys.argv[2], int(sys.argv[3])
        cmds = {
            "mpsession_list_all_json": [mp, "--json", "list", "--all"],
            "loginctl_list_json": ["loginctl", "list-sessions", "-o", "json"],
            "loginctl_list": ["loginctl", "list-sessions"],
            "busctl_ListSessions": ["busctl", "call", "org.freedesktop.login1",
                                    "/org/freedesktop/login1",
                                    "org.freedesktop.login1.Manager", "ListSessions"],
        }
        times = {k: [] for k in cmds}
        for _ in range(runs):          # alternate, so drift hits all alike
            for k, c in cmds.items():
                times[k].append(run(c))
        for k, v in times.items():
            print(k, "%.4f" % statistics.median(v))
        print("rss_kib", rss_kib(cmds["mpsession_list_all_json"]))
    elif what == "end":
        mp = sys.argv[2]
        ids = set(sys.argv[4:])
        t = time.monotonic()
        subprocess.run([mp, "-q", "end", "--wait", "--timeout", "5m"] + sorted(ids),
                       check=True)
        el = time.monotonic() - t
        left = ids & sessions()
        print("mpsession_end_wait", "%.4f" % el)
        print("left", len(left))
    elif what == "loginctl-end":
        ids = set(sys.argv[2:])
        t = time.monotonic()
        subprocess.run(["loginctl", "terminate-session"] + sorted(ids), check=True)
        returned = time.monotonic() - t
        while ids & sessions():
            time.sleep(0.05)
        print("loginctl_terminate_return", "%.4f" % returned)
        print("loginctl_terminate_all_gone", "%.4f" % (time.monotonic() - t))


main()
