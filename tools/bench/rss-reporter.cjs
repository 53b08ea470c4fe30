// Preloaded into a measured process (tools/bench/bench.ts): when it exits, writes to the file named by
// MCPGW_BENCH_FILE its own peak resident set size and CPU time, plus those of the child processes
// still running at that moment (a pack or helper the process started and kills on exit), read from
// /proc on Linux. Peaks of different processes are added: an upper bound of the tree's peak.
"use strict";
const fs = require("node:fs");

function childPids() {
  const pids = [];
  try {
    for (const task of fs.readdirSync("/proc/self/task")) {
      const text = fs.readFileSync(`/proc/self/task/${task}/children`, "utf8").trim();
      if (text) pids.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // Not Linux, or no /proc: the process's own figures only.
  }
  return pids;
}

function childUsage(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const peakKiB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime (fields 14 and 15 of stat), in clock ticks of 1/100 s on Linux.
    const cpuMs = (Number(fields[11]) + Number(fields[12])) * 10;
    return { peakKiB, cpuMs };
  } catch {
    return { peakKiB: 0, cpuMs: 0 };
  }
}

process.on("exit", () => {
  const file = process.env.MCPGW_BENCH_FILE;
  if (!file) return;
  const usage = process.resourceUsage();
  const children = childPids().map(childUsage);
  fs.writeFileSync(
    file,
    JSON.stringify({
      peakKiB: usage.maxRSS + children.reduce((sum, child) => sum + child.peakKiB, 0),
      cpuMs:
        (usage.userCPUTime + usage.systemCPUTime) / 1000 +
        children.reduce((sum, child) => sum + child.cpuMs, 0),
      children: children.length,
    }),
  );
});
