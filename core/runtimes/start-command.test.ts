import { describe, expect, it } from "vitest";
import { procfileStart, startCommand } from "./start-command.ts";

const node = { direct: ["node"], binDir: "node_modules/.bin" };

describe("startCommand", () => {
  it("runs a plain interpreter command directly, without a shell", () => {
    expect(startCommand("node server.js", node)).toEqual(["node", "server.js"]);
    expect(startCommand("  node --enable-source-maps dist/main.js  ", node)).toEqual([
      "node",
      "--enable-source-maps",
      "dist/main.js",
    ]);
  });

  it("puts the deps' bin folder on PATH and execs other programs", () => {
    expect(startCommand("next start", node)).toEqual([
      "sh",
      "-c",
      'export PATH="$PWD/node_modules/.bin:$PATH"; exec next start',
    ]);
  });

  it("keeps leading assignments before exec and expansions for the shell", () => {
    expect(startCommand("NODE_OPTIONS=--max-old-space-size=256 node server.js --port $PORT", node)).toEqual([
      "sh",
      "-c",
      'export PATH="$PWD/node_modules/.bin:$PATH"; NODE_OPTIONS=--max-old-space-size=256 exec node server.js --port $PORT',
    ]);
  });

  it("runs lists and pipes as a script, without exec", () => {
    expect(startCommand("npm run migrate && node server.js", node)).toEqual([
      "sh",
      "-c",
      'export PATH="$PWD/node_modules/.bin:$PATH"; npm run migrate && node server.js',
    ]);
    expect(startCommand("node a.js | tee log", { direct: ["node"] })).toEqual([
      "sh",
      "-c",
      "node a.js | tee log",
    ]);
  });

  it("runs plain commands directly when there is no bin folder to add", () => {
    expect(startCommand("./app --verbose", { direct: [] })).toEqual(["./app", "--verbose"]);
    expect(startCommand("java -jar app.jar", { direct: [] })).toEqual(["java", "-jar", "app.jar"]);
    expect(startCommand('java -jar "my app.jar"', { direct: [] })).toEqual([
      "sh",
      "-c",
      'exec java -jar "my app.jar"',
    ]);
  });
});

describe("procfileStart", () => {
  it("is undefined without a Procfile web line", () => {
    expect(procfileStart(undefined, node)).toBeUndefined();
  });

  it("names the Procfile as the source and keeps the text as written", () => {
    expect(procfileStart("gunicorn app:app", { direct: ["python3"], binDir: ".deps/bin" })).toEqual({
      argv: ["sh", "-c", 'export PATH="$PWD/.deps/bin:$PATH"; exec gunicorn app:app'],
      text: "gunicorn app:app",
      source: "Procfile web",
    });
  });
});
