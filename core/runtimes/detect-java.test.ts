import { afterEach, describe, expect, it } from "vitest";
import { detectJava } from "./detect-java.ts";
import { BuildToolMissingError, NoStartCommandError } from "./detection-errors.ts";
import { sourceFixture } from "./source-fixture.ts";

const fixture = sourceFixture();
afterEach(fixture.cleanup);

const mainClass = (pkg: string, name: string): string =>
  `${pkg ? `package ${pkg};\n` : ""}public class ${name} { public static void main(String[] args) {} }\n`;

async function detect(files: Record<string, string>, options: { procfileWeb?: string; has?: string[] } = {}) {
  const dir = await fixture.make(files);
  const { has } = options;
  return detectJava({
    dir,
    procfileWeb: options.procfileWeb,
    hasCommand: has === undefined ? undefined : async (name) => has.includes(name),
  });
}

describe("detectJava", () => {
  it("is undefined without pom.xml or .java files (and ignores build output)", async () => {
    expect(await detect({ "README.md": "", "target/Gen.java": mainClass("", "Gen") })).toBeUndefined();
  });

  it("builds .java sources with javac and runs the jar", async () => {
    expect(await detect({ "src/main/java/App.java": mainClass("", "App") })).toMatchObject({
      runtime: "java",
      tool: "javac",
      start: ["java", "-jar", "app.jar"],
      startSource: "convention",
      port: 8080,
    });
    expect((await detect({ "Hello.java": mainClass("", "Hello") }))?.tool).toBe("javac");
  });

  it("uses Maven for a pom.xml and runs the main class with lib/ on the class path", async () => {
    const files = {
      "pom.xml": "<project/>",
      "src/main/java/com/acme/Util.java": "package com.acme; class Util {}",
      "src/main/java/com/acme/App.java": mainClass("com.acme", "App"),
      "src/main/java/com/acme/Tool.java": mainClass("com.acme", "Tool"),
    };
    expect(await detect(files, { has: ["mvn"] })).toMatchObject({
      tool: "maven",
      lockfile: "pom.xml",
      start: ["java", "-cp", "app.jar:lib/*", "com.acme.App"],
    });
  });

  it("fails clearly for a pom.xml when mvn is not installed", async () => {
    const attempt = detect(
      { "pom.xml": "<project/>", "src/main/java/App.java": mainClass("", "App") },
      { has: [] },
    );
    await expect(attempt).rejects.toThrow(BuildToolMissingError);
    await expect(
      detect({ "pom.xml": "<project/>", "App.java": mainClass("", "App") }, { has: ["javac"] }),
    ).rejects.toThrow(/pom\.xml needs Maven \("mvn"\), which is not on PATH\. Install Maven/);
  });

  it("fails when no class has a main method, unless the Procfile starts the app", async () => {
    await expect(detect({ "Lib.java": "class Lib {}" })).rejects.toThrow(NoStartCommandError);
    await expect(detect({ "pom.xml": "<project/>" })).rejects.toThrow(/java app in .* has no start command/);
    expect(await detect({ "Lib.java": "class Lib {}" }, { procfileWeb: "java -jar app.jar" })).toMatchObject({
      startSource: "Procfile web",
    });
  });
});
