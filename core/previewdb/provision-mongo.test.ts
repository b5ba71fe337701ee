import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { destroyMongo, provisionMongo } from "./provision-mongo.ts";

// No MongoDB server can be installed on the build machine: these run against AETHER_TEST_MONGODB_URL (an
// admin connection string) when it is set, and are reported as skipped otherwise.
const url = process.env.AETHER_TEST_MONGODB_URL;
let admin: MongoClient;

describe.skipIf(url === undefined)("provisionMongo (needs AETHER_TEST_MONGODB_URL)", () => {
  beforeAll(async () => {
    admin = new MongoClient(url ?? "");
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.close();
  });

  it("creates a user that reads and writes its own database only, and destroys both", async () => {
    const hosts = new URL(url ?? "").host;
    const env = await provisionMongo({ client: admin, repository: "octo/shop", env: "pr-1", hosts });
    const other = await provisionMongo({ client: admin, repository: "octo/shop", env: "pr-2", hosts });
    const app = new MongoClient(env.mongoUrl ?? "");
    try {
      await app.connect();
      await app.db(env.database).collection("carts").insertOne({ n: 1 });
      expect(await app.db(env.database).collection("carts").countDocuments()).toBe(1);
      await expect(app.db(other.database).collection("carts").insertOne({ n: 1 })).rejects.toThrow(
        /not authorized/,
      );
      await expect(app.db("admin").command({ listDatabases: 1 })).rejects.toThrow(/not authorized/);
    } finally {
      await app.close();
    }
    const again = await provisionMongo({ client: admin, repository: "octo/shop", env: "pr-1", hosts });
    expect(again.password).not.toBe(env.password);
    expect(await destroyMongo({ client: admin, repository: "octo/shop", env: "pr-1" })).toEqual({
      deletedUser: true,
    });
    expect(await destroyMongo({ client: admin, repository: "octo/shop", env: "pr-1" })).toEqual({
      deletedUser: false,
    });
    await destroyMongo({ client: admin, repository: "octo/shop", env: "pr-2" });
  });
});
