import { test } from "vitest";
import { cpuUsage } from "node:process";
import { createTestDatabase } from "../support/test-db.js";
import { startBot } from "../support/bot.js";
const cpu = () => { const u = cpuUsage(); return (u.user + u.system) / 1e6; };
test("cost", async () => {
  let t = cpu();
  const first = await createTestDatabase(); await first.close();
  console.log("first seeded db", (cpu() - t).toFixed(2));
  t = cpu();
  for (let i = 0; i < 5; i++) { const db = await createTestDatabase(); await db.close(); }
  console.log("seeded db each", ((cpu() - t) / 5).toFixed(2));
  t = cpu();
  for (let i = 0; i < 5; i++) { const db = await createTestDatabase({ seed: false }); await db.close(); }
  console.log("unseeded db each", ((cpu() - t) / 5).toFixed(2));
  const db = await createTestDatabase();
  t = cpu();
  const b0 = await startBot(db); await b0.stop();
  console.log("first bot", (cpu() - t).toFixed(2));
  t = cpu();
  for (let i = 0; i < 5; i++) { const b = await startBot(db); await b.stop(); }
  console.log("bot each", ((cpu() - t) / 5).toFixed(2));
  t = cpu();
  for (let i = 0; i < 5; i++) { await db.prisma.$executeRawUnsafe("BEGIN"); await db.prisma.$executeRawUnsafe("ROLLBACK"); }
  await db.close();
}, 300_000);
