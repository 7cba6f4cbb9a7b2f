import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, symlinkSync, writeFileSync, lstatSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CliFailure } from "../../../src/cli/facts.js";
import { writeOutputFile } from "../../../src/cli/output-file.js";

const folder = () => mkdtempSync(path.join(tmpdir(), "korus-out-"));

describe("files a command writes (--out, -o)", () => {
  it("writes a new file, and refuses to replace an existing one without --force", async () => {
    const dir = folder();
    const file = path.join(dir, "memo.md");
    await writeOutputFile(file, "first");
    expect(readFileSync(file, "utf8")).toBe("first");
    const refused = writeOutputFile(file, "second");
    await expect(refused).rejects.toThrow(`${file} already exists; nothing was written. Add --force to replace it, or choose another name.`);
    await expect(refused).rejects.toMatchObject({ exitCode: 2 });
    expect(readFileSync(file, "utf8")).toBe("first");
    await writeOutputFile(file, "second", { force: true });
    expect(readFileSync(file, "utf8")).toBe("second");
    await expect(writeOutputFile(file, "x", { forceFlag: "--overwrite" })).rejects.toThrow("Add --overwrite to replace it");
  });

  it("never writes through a symbolic link: refused without --force, the link itself replaced with it", async () => {
    const dir = folder();
    const target = path.join(dir, "precious.txt");
    writeFileSync(target, "keep me");
    const link = path.join(dir, "out.md");
    symlinkSync(target, link);
    await expect(writeOutputFile(link, "evil")).rejects.toThrow(`${link} already exists as a symbolic link (to ${target}); nothing was written.`);
    await writeOutputFile(link, "the memo", { force: true });
    expect(readFileSync(target, "utf8")).toBe("keep me");
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
    expect(readFileSync(link, "utf8")).toBe("the memo");
    // A dangling link too: writing would create its target.
    const dangling = path.join(dir, "dangling.md");
    symlinkSync(path.join(dir, "nowhere.txt"), dangling);
    await expect(writeOutputFile(dangling, "x")).rejects.toThrow("as a symbolic link");
    expect(readlinkSync(dangling)).toBe(path.join(dir, "nowhere.txt"));
  });

  it("names a folder as a folder (with or without --force), and a missing folder as missing", async () => {
    const dir = folder();
    mkdirSync(path.join(dir, "exports"));
    for (const force of [false, true]) {
      const error = await writeOutputFile(path.join(dir, "exports"), "x", { force }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CliFailure);
      expect((error as CliFailure).message).toBe(`${path.join(dir, "exports")} is a folder; give the name of a file in it (${path.join(dir, "exports", "NAME")}). Nothing was written.`);
    }
    await expect(writeOutputFile(path.join(dir, "no", "such", "memo.md"), "x")).rejects.toThrow(`the folder ${path.join(dir, "no", "such")} does not exist`);
  });
});
