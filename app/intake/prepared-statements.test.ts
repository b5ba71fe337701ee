import { Pool } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgresServer, type PostgresTestServer } from "../../test/support/postgres-server.ts";
import { preparedStatements } from "./prepared-statements.ts";

let server: PostgresTestServer;
let pool: Pool;

beforeAll(async () => {
  server = await startPostgresServer();
  pool = new Pool({ connectionString: server.url, max: 1 });
  // A connection still closing when the server stops at the end gets PostgreSQL's goodbye: not a failure.
  pool.on("error", () => undefined);
});

afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

describe("preparedStatements", () => {
  it("prepares each distinct text once per connection under its own name, and answers like a plain query", async () => {
    const db = preparedStatements(pool);
    const square = "select $1::int * $1::int as n";
    const sum = "select $1::int + $2::int as n";
    expect((await db.executeSql(square, [7])).rows).toEqual([{ n: 49 }]);
    expect((await db.executeSql(sum, [2, 3])).rows).toEqual([{ n: 5 }]);
    expect((await db.executeSql(square, [9])).rows).toEqual([{ n: 81 }]);
    const prepared = await pool.query<{ name: string; statement: string }>(
      "select name, statement from pg_prepared_statements order by name",
    );
    expect(prepared.rows.map((row) => row.statement).sort()).toEqual([square, sum].sort());
    expect(new Set(prepared.rows.map((row) => row.name)).size).toBe(2);
    for (const { name } of prepared.rows) expect(name).toMatch(/^aether_[0-9a-f]{40}$/);
  });

  it("shares the pool with other runners, and passes a database error through as a plain query would", async () => {
    const db = preparedStatements(pool);
    expect((await db.executeSql("select 'other runner' as s")).rows).toEqual([{ s: "other runner" }]);
    await expect(db.executeSql("select * from no_such_table")).rejects.toThrow(/no_such_table/);
  });
});
