// The baseline of the `korus status` figure: a node process that connects to the bot's database over its socket
// (as the korus command does) and asks one trivial question. Argument: the socket's folder.
import pg from "pg";

const client = new pg.Client({ host: process.argv[2], port: 5432, user: "postgres", database: "postgres" });
await client.connect();
await client.query("SELECT 1");
await client.end();
