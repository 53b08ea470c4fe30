// Preloaded into a measured process: reports its peak resident set size (KiB) to the file named
// by MCPGW_RSS_FILE when it exits.
process.on("exit", () => {
  const file = process.env.MCPGW_RSS_FILE;
  if (file) require("node:fs").writeFileSync(file, String(process.resourceUsage().maxRSS));
});
