/* global setInterval */
// Preloaded (`node --require`) into a policy pack the CLI host starts. A pack's gRPC server never
// returns: the Pulumi CLI stops the pack when the update ends. The host here may be a jest worker that
// is ended without running its exit handlers, so the pack also ends itself once it has been
// re-parented (its parent is gone). Lifecycle only: nothing about how the pack loads changes.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 500).unref();
