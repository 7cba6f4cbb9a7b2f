/**
 * The one place that recognises database errors by their codes, whichever adapter raised them: Prisma's own code
 * (P2002, P2003) when it maps the error, PostgreSQL's SQLSTATE (23505, 23503) in `meta.code` or in the message when
 * the driver adapter (pg, PGlite) passes it through.
 */

/** The codes of each kind of violation: Prisma's, then PostgreSQL's SQLSTATE, then words of the message. */
const VIOLATIONS = {
  unique: { prisma: "P2002", sqlState: "23505", words: /\b23505\b|unique constraint/i },
  foreignKey: { prisma: "P2003", sqlState: "23503", words: /\b23503\b|foreign key/i },
} as const;

function isViolation(error: unknown, kind: keyof typeof VIOLATIONS): boolean {
  const e = error as { code?: unknown; meta?: { code?: unknown }; message?: unknown } | null | undefined;
  const v = VIOLATIONS[kind];
  return e?.code === v.prisma || e?.meta?.code === v.sqlState || (typeof e?.message === "string" && v.words.test(e.message));
}

/** True for PostgreSQL's unique_violation (23505), however Prisma wraps it. */
export function isUniqueViolation(error: unknown): boolean {
  return isViolation(error, "unique");
}

/** True for PostgreSQL's foreign_key_violation (23503), however Prisma wraps it. */
export function isForeignKeyViolation(error: unknown): boolean {
  return isViolation(error, "foreignKey");
}
