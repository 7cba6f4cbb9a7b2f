/**
 * Who is at the terminal: the console and the `korus` command act as `cli:<system account>` (the stable id that
 * permissions and the audit trail use) and show that person by name: KORUS_USER_NAME when set, else the account's full
 * name (the GECOS field of the passwd file, up to its first comma), else the account name itself.
 */
import { readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { TERMINAL_ID_PREFIX } from "../people/names.js";
import { personName } from "../people/store.js";

/** The terminal's user: the id things are recorded under, and the name shown for it. */
export interface LocalUser {
  id: string;
  name: string;
}

/**
 * The full name of account `username` (uid `uid`) in a passwd file's text: the first comma-separated part of the GECOS
 * field, with `&` standing for the capitalised account name (as finger(1) reads it); undefined when empty.
 */
export function gecosName(passwd: string, username: string, uid: number): string | undefined {
  for (const line of passwd.split("\n")) {
    const fields = line.split(":");
    if (fields.length < 7 || fields[0] !== username || Number(fields[2]) !== uid) continue;
    const full = (fields[4] ?? "").split(",")[0]!.replace(/&/g, username.charAt(0).toUpperCase() + username.slice(1));
    return personName(full) ?? undefined;
  }
  return undefined;
}

function readPasswd(): string {
  try {
    return readFileSync("/etc/passwd", "utf8");
  } catch {
    // Windows, or a container without one: the account name is what there is.
    return "";
  }
}

/** The terminal's user, named by `configuredName` (KORUS_USER_NAME), else the system account's full name, else its name. */
export function localUser(configuredName?: string, passwd: () => string = readPasswd): LocalUser {
  const account = userInfo();
  const name = personName(configuredName) ?? gecosName(passwd(), account.username, account.uid) ?? account.username;
  return { id: `${TERMINAL_ID_PREFIX}${account.username}`, name };
}
