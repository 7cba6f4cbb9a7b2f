// The bench's baseline: a bare Bolt app on its HTTP receiver whose /korus handler and memo_write view handler only
// ack. Plain JavaScript run by node, as the bot runs bundled JavaScript. Prints "port N" when listening.
import bolt from "@slack/bolt";

const [secret, apiUrl] = process.argv.slice(2);
const receiver = new bolt.HTTPReceiver({ signingSecret: secret, endpoints: ["/slack/events"] });
const app = new bolt.App({ token: "xoxb-bench", receiver, clientOptions: { slackApiUrl: apiUrl } });
app.command("/korus", async ({ ack }) => {
  await ack();
});
app.view("memo_write", async ({ ack }) => {
  await ack();
});
const server = await receiver.start(0);
console.log(`port ${server.address().port}`);
process.on("SIGTERM", () => void receiver.stop().then(() => process.exit(0)));
