import { existsSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDirs } from "../../test/support/temp-dirs.ts";
import { findPgTools, PgToolsMissingError } from "./find-pg-tools.ts";

const PG15 = "/usr/lib/postgresql/15/bin";
const tempDir = useTempDirs("aether-pg-tools-");

/** A folder with a pg_dump that reports `version` and a pg_restore beside it. */
async function fakeTools(version: string): Promise<string> {
  const dir = join(await tempDir(), "bin");
  await mkdir(dir);
  await writeFile(join(dir, "pg_dump"), `#!/bin/sh\necho "pg_dump (PostgreSQL) ${version}"\n`);
  await writeFile(join(dir, "pg_restore"), "#!/bin/sh\nexit 0\n");
  await chmod(join(dir, "pg_dump"), 0o755);
  await chmod(join(dir, "pg_restore"), 0o755);
  return dir;
}

describe.skipIf(!existsSync(join(PG15, "pg_dump")))("findPgTools", () => {
  it("picks the newest folder that holds both tools, skipping others", async () => {
    const newer = await fakeTools("17.2");
    const empty = await tempDir();
    const found = await findPgTools({ serverMajor: 15, candidates: [empty, PG15, newer], where: "db:5432" });
    expect(found).toEqual({ binDir: newer, major: 17 });
    expect(await findPgTools({ serverMajor: 15, candidates: [PG15], where: "db:5432" })).toEqual({
      binDir: PG15,
      major: 15,
    });
  });

  it("says which versions it found when none is new enough for the server", async () => {
    const error = await findPgTools({ serverMajor: 18, candidates: [PG15], where: "db:5432" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PgToolsMissingError);
    expect(String(error)).toContain(
      "PostgreSQL 18 server at db:5432 needs pg_dump and pg_restore 18 or newer",
    );
    expect(String(error)).toContain(`found: 15 in ${PG15}`);
    expect(String(error)).toContain("AETHER_PG_BIN");
  });

  it("uses the preferred folder alone, and says so when it is too old", async () => {
    const newer = await fakeTools("17.2");
    await expect(
      findPgTools({ serverMajor: 16, candidates: [newer], preferred: PG15, where: "db:1" }),
    ).rejects.toThrow(/found: 15 in/);
  });
});
