// node with the `pg` client: connects to the bot's database over its socket and asks one trivial question. Not the floor
// of figure 8 (bench/pg-ping.mjs is): loading pg costs more than the whole `korus status`; the bench times it beside, as
// it is in node_modules and bundled as the command is. Argument: the socket's folder.
import pg from "pg";

const client = new pg.Client({ host: process.argv[2], port: 5432, user: "postgres", database: "postgres" });
await client.connect();
await client.query("SELECT 1");
await client.end();
