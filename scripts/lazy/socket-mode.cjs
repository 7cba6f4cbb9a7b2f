// Bundled in place of @slack/socket-mode (scripts/build.mjs). Bolt requires Socket Mode when it loads, whether or not
// the bot uses it; the real module, and undici (1 MB) with it, loads when a Socket Mode client is made.
let real;
const load = () => (real ??= require(require.resolve("@slack/socket-mode", { paths: [require.resolve("@slack/bolt")] })));
module.exports = {
  get SocketModeClient() {
    return load().SocketModeClient;
  },
};
