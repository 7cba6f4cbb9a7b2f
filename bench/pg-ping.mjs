// The floor of the `korus status` figure (bench figure 8): node starting, connecting to the bot's database socket and
// asking one trivial question, with nothing loaded but node's own net module: PostgreSQL's wire protocol (version 3.0)
// spoken by hand, the startup packet, one simple query (SELECT 1, its row checked) and Terminate. A client library
// costs more to load than the whole command (bench/pg-client-ping.mjs). Argument: the socket's folder.
import net from "node:net";

const message = (type, body) => {
  const head = Buffer.alloc(5);
  head.write(type);
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
};
const cstring = (s) => Buffer.from(`${s}\0`);
const params = Buffer.concat([cstring("user"), cstring("postgres"), cstring("database"), cstring("postgres"), Buffer.from([0])]);
const startup = Buffer.alloc(8);
startup.writeInt32BE(8 + params.length, 0);
startup.writeInt32BE(3 << 16, 4);

const socket = net.connect(`${process.argv[2]}/.s.PGSQL.5432`);
const fail = (why) => {
  console.error(`pg-ping: ${why}`);
  process.exit(1);
};
socket.on("error", (e) => fail(e.message));
socket.on("connect", () => socket.write(Buffer.concat([startup, params])));
let pending = Buffer.alloc(0);
let ready = 0;
let value;
socket.on("data", (data) => {
  pending = Buffer.concat([pending, data]);
  while (pending.length >= 5 && pending.length >= 1 + pending.readInt32BE(1)) {
    const type = String.fromCharCode(pending[0]);
    const body = pending.subarray(5, 1 + pending.readInt32BE(1));
    pending = pending.subarray(1 + pending.readInt32BE(1));
    if (type === "E") fail(`the server answered an error: ${body.toString("utf8").replace(/\0/g, " ").trim()}`);
    // A DataRow of one column: its length, then its text.
    if (type === "D") value = body.subarray(6, 6 + body.readInt32BE(2)).toString("utf8");
    if (type !== "Z") continue;
    // ReadyForQuery: after the startup, ask; after the query, check the answer and say goodbye.
    if (++ready === 1) socket.write(message("Q", cstring("SELECT 1")));
    else if (value !== "1") fail(`SELECT 1 answered ${value}`);
    else socket.end(message("X", Buffer.alloc(0)));
  }
});
