import { describe, expect, it } from "vitest";
import { parseAdminUrl, redactUrl } from "./admin-url.ts";

describe("parseAdminUrl", () => {
  it("reads host, port, user, password and database, with libpq's defaults", () => {
    expect(parseAdminUrl("postgres://admin:s%40cret@db.internal:5433/maint", {})).toEqual({
      host: "db.internal",
      port: 5433,
      user: "admin",
      password: "s@cret",
      database: "maint",
    });
    expect(parseAdminUrl("postgresql://db", { PGPASSWORD: "from-env" })).toEqual({
      host: "db",
      port: 5432,
      user: "postgres",
      password: "from-env",
      database: "postgres",
    });
    expect(parseAdminUrl("postgres://a@[::1]:6000/", {}).host).toBe("::1");
  });

  it("refuses what is not a postgres URL, without echoing a password", () => {
    expect(() => parseAdminUrl("db.internal:5432", {})).toThrow(/must start with postgres:\/\//);
    expect(() => parseAdminUrl("not a url", {})).toThrow(/is not a URL/);
    expect(() => parseAdminUrl("mysql://u:pw@h/d", {})).toThrow(/must start with postgres:\/\//);
    expect(redactUrl("postgres://u:topsecret@h/d")).toBe("postgres://u:***@h/d");
  });
});
