import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminFor,
  startPostgresServer,
  type PostgresTestServer,
} from "../../test/support/postgres-server.ts";
import { checkAdminPrivileges } from "./check-admin-privileges.ts";
import { createPostgresAdmin, type PostgresAdmin } from "./postgres-admin.ts";
import { AdminPermissionError } from "./previewdb-errors.ts";

let server: PostgresTestServer;
let superuser: PostgresAdmin;
const others: PostgresAdmin[] = [];

beforeAll(async () => {
  server = await startPostgresServer();
  superuser = adminFor(server);
  await superuser.query("CREATE ROLE plain LOGIN PASSWORD 'plain-password' NOCREATEDB NOCREATEROLE");
  await superuser.query("CREATE ROLE maker LOGIN PASSWORD 'maker-password' CREATEDB NOCREATEROLE");
});
afterAll(async () => {
  for (const admin of others) await admin.close();
  await superuser?.close();
  await server?.stop();
});

function as(user: string, password: string): PostgresAdmin {
  const admin = createPostgresAdmin({ host: server.host, port: server.port, user, password });
  others.push(admin);
  return admin;
}

describe("checkAdminPrivileges", () => {
  it("passes a superuser whatever is needed", async () => {
    await checkAdminPrivileges(superuser, ["CREATEDB", "CREATEROLE"], "create a preview database");
  });

  it("names the role and every privilege it lacks, and how to grant them", async () => {
    const error = await checkAdminPrivileges(
      as("plain", "plain-password"),
      ["CREATEDB", "CREATEROLE"],
      "create a preview database",
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminPermissionError);
    expect(String(error)).toContain(`the admin connection to 127.0.0.1:${server.port}`);
    expect(String(error)).toContain(
      'role "plain" lacks CREATEDB and CREATEROLE, needed to create a preview database; grant it with ALTER ROLE "plain" CREATEDB CREATEROLE',
    );
  });

  it("passes a role that has what is needed, and names only what is missing", async () => {
    const maker = as("maker", "maker-password");
    await checkAdminPrivileges(maker, ["CREATEDB"], "clone a database");
    await expect(checkAdminPrivileges(maker, ["CREATEDB", "CREATEROLE"], "create a role")).rejects.toThrow(
      /role "maker" lacks CREATEROLE, needed/,
    );
  });
});
