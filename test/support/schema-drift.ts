import { readFileSync } from "node:fs";
import wasm from "@prisma/prisma-schema-wasm";
import type { SqlSession } from "../../src/db/client.js";

interface DmmfField {
  name: string;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  dbName?: string | null;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  uniqueIndexes: Array<{ name: string | null; fields: string[] }>;
  primaryKey: unknown;
}

/** Prisma's DMMF of a schema text, kept per text: get_dmmf takes about 0.3 s, and the migration tests ask three times. */
const dmmfs = new Map<string, { datamodel: { models: DmmfModel[] } }>();
function dmmfOf(schema: string): { datamodel: { models: DmmfModel[] } } {
  let dmmf = dmmfs.get(schema);
  if (!dmmf) {
    dmmf = JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: schema }))) as { datamodel: { models: DmmfModel[] } };
    dmmfs.set(schema, dmmf);
  }
  return dmmf;
}

/** The column a Prisma field needs: name, PostgreSQL type (as information_schema spells it) and nullability. */
export interface ExpectedColumn {
  table: string;
  column: string;
  udtName: string;
  precision?: number;
  nullable: boolean;
  field: string;
}

// Prisma's default PostgreSQL type for each scalar, and the udt_name information_schema reports for it.
const DEFAULT_UDT: Record<string, string> = {
  String: "text",
  Int: "int4",
  BigInt: "int8",
  Float: "float8",
  Decimal: "numeric",
  Boolean: "bool",
  DateTime: "timestamp",
  Json: "jsonb",
  Bytes: "bytea",
};
const NATIVE_UDT: Record<string, string> = {
  Date: "date",
  Timestamptz: "timestamptz",
  Timestamp: "timestamp",
  Text: "text",
  VarChar: "varchar",
  Integer: "int4",
  SmallInt: "int2",
  JsonB: "jsonb",
  Uuid: "uuid",
};

/** Reads prisma/schema.prisma with Prisma's own parser (the WebAssembly build the CLI uses) and lists its columns. */
export function expectedColumns(schemaPath: URL): ExpectedColumn[] {
  const schema = readFileSync(schemaPath, "utf8");
  const dmmf = dmmfOf(schema);
  const columns: ExpectedColumn[] = [];
  for (const model of dmmf.datamodel.models) {
    for (const field of model.fields) {
      if (field.kind === "object") continue;
      const native = field.nativeType?.[0];
      const udtName = native ? NATIVE_UDT[native] : DEFAULT_UDT[field.type];
      if (!udtName) throw new Error(`no mapping for ${model.name}.${field.name} (${field.type} ${native ?? ""})`);
      const precisionArg = field.nativeType?.[1]?.[0];
      columns.push({
        table: model.dbName ?? model.name,
        column: field.dbName ?? field.name,
        udtName: field.isList ? `_${udtName}` : udtName,
        precision: udtName.startsWith("timestamp") ? (precisionArg !== undefined ? Number(precisionArg) : 3) : undefined,
        nullable: !field.isRequired,
        field: `${model.name}.${field.name}`,
      });
    }
  }
  return columns;
}

/** Every way the migrated database differs from schema.prisma: missing tables or columns, other types or nullability. */
export async function schemaDrift(session: SqlSession, schemaPath: URL): Promise<string[]> {
  const actual = await session.query<{
    table_name: string;
    column_name: string;
    udt_name: string;
    is_nullable: string;
    datetime_precision: number | null;
  }>(
    `SELECT table_name, column_name, udt_name, is_nullable, datetime_precision
       FROM information_schema.columns WHERE table_schema = current_schema()`,
  );
  const byKey = new Map(actual.map((c) => [`${c.table_name}.${c.column_name}`, c]));
  const tables = new Set(actual.map((c) => c.table_name));
  const problems: string[] = [];
  for (const e of expectedColumns(schemaPath)) {
    if (!tables.has(e.table)) {
      problems.push(`${e.field}: table "${e.table}" is missing`);
      continue;
    }
    const a = byKey.get(`${e.table}.${e.column}`);
    if (!a) {
      problems.push(`${e.field}: column "${e.table}"."${e.column}" is missing`);
      continue;
    }
    if (a.udt_name !== e.udtName) problems.push(`${e.field}: column type is ${a.udt_name}, schema.prisma says ${e.udtName}`);
    if (e.precision !== undefined && a.datetime_precision !== e.precision) {
      problems.push(`${e.field}: timestamp precision is ${a.datetime_precision}, schema.prisma says ${e.precision}`);
    }
    if ((a.is_nullable === "YES") !== e.nullable) {
      problems.push(`${e.field}: column is ${a.is_nullable === "YES" ? "nullable" : "NOT NULL"}, schema.prisma says ${e.nullable ? "optional" : "required"}`);
    }
  }
  return problems;
}
