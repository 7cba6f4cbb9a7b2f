// Bundled in place of raw-body (scripts/build.mjs). Bolt requires it when it loads; the real module, and iconv-lite's
// encoding tables (0.5 MB) with it, load when Bolt first reads a request body that way (korus-bot reads its own).
let real;
module.exports = function getRawBody(...args) {
  real ??= require(require.resolve("raw-body", { paths: [require.resolve("@slack/bolt")] }));
  return real(...args);
};
