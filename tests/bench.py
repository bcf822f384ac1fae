#!/usr/bin/python3
"""Run inside the lab by tests/bench.sh: time commands alternately, report medians.

  bench.py list MPSESSION RUNS
      mpsession list --all --json vs loginctl list-sessions -o json and plain
  bench.py end MPSESSION -- IDS...
      ends the given sessions (mpsession end --wait) and reports the time
  bench.py end-nowait MPSESSION -- IDS...
      mpsession end IDS (returns when logind took every call), then polls
  bench.py loginctl-end IDS...
      loginctl terminate-session IDS, then polls until all are gone
Prints "name seconds" lines, "rss_kib N" for mpsession's peak memory and
"cpu_PROCESS seconds" for the CPU time the bus daemon, logind, PID 1 and
mpsession itself spend on one listing (medians).
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
    # Not os.wait4 on our own child: its ru_maxrss would count the Python
    # process it was forked from, which Linux keeps across the exec.
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, check=True).stderr
    return int(out.split()[-1])


def pid_of(*names):
    for name in names:
        out = subprocess.run(["pidof", "-s", name], capture_output=True, text=True).stdout
        if out.strip():
            return int(out)
    return None


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def servers():
    pids = {"dbus_daemon": pid_of("dbus-daemon"), "logind": pid_of("systemd-logind"),
            "pid1": 1}
    return {k: v for k, v in pids.items() if v}


def cpu_split(cmd, runs):
    """CPU seconds per run of cmd, for each process that serves it.

    The mean, not the median: the counters tick every 10 ms, about as long
    as a whole listing."""
    pids = servers()
    got = dict.fromkeys(list(pids) + ["mpsession"], 0.0)
    for _ in range(runs):
        before = {k: cpu_seconds(p) for k, p in pids.items()}
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
        _, _, usage = os.wait4(p.pid, 0)
        for k, pid in pids.items():
            got[k] += cpu_seconds(pid) - before[k]
        got["mpsession"] += usage.ru_utime + usage.ru_stime
    return {k: v / runs for k, v in got.items()}


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
        print("loginctl_rss_kib", rss_kib(cmds["loginctl_list_json"]))
        for k, v in cpu_split(cmds["mpsession_list_all_json"], runs).items():
            print("cpu_" + k, "%.4f" % v)
    elif what == "end":
        mp = sys.argv[2]
        ids = set(sys.argv[4:])
        pids = servers()
        before = {k: cpu_seconds(p) for k, p in pids.items()}
        t = time.monotonic()
        p = subprocess.Popen([mp, "-q", "end", "--wait", "--timeout", "5m"] + sorted(ids))
        _, status, usage = os.wait4(p.pid, 0)
        el = time.monotonic() - t
        if status != 0:
            sys.exit("bench: mpsession end --wait failed")
        for k, pid in pids.items():
            print("cpu_" + k, "%.4f" % (cpu_seconds(pid) - before[k]))
        print("cpu_mpsession", "%.4f" % (usage.ru_utime + usage.ru_stime))
        left = ids & sessions()
        print("mpsession_end_wait", "%.4f" % el)
        print("left", len(left))
    elif what == "end-nowait":
        mp = sys.argv[2]
        ids = set(sys.argv[4:])
        t = time.monotonic()
        subprocess.run([mp, "-q", "end"] + sorted(ids), check=True)
        returned = time.monotonic() - t
        while ids & sessions():
            time.sleep(0.05)
        print("mpsession_end_return", "%.4f" % returned)
        print("mpsession_end_all_gone", "%.4f" % (time.monotonic() - t))
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
