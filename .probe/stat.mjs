import { PGlite } from "@electric-sql/pglite";
const p = await PGlite.create("memory://");
await p.exec("create table t(a int); insert into t select generate_series(1,5000);");
console.log((await p.query("select relname, n_mod_since_analyze, n_live_tup, last_analyze from pg_stat_user_tables")).rows);
await p.exec("analyze t");
await p.exec("insert into t select generate_series(1,300);");
console.log((await p.query("select relname, n_mod_since_analyze, n_live_tup, last_analyze from pg_stat_user_tables")).rows);
await p.close();
