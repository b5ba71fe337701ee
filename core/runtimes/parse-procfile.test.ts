import { describe, expect, it } from "vitest";
import { InvalidProjectFileError } from "./detection-errors.ts";
import { parseProcfile } from "./parse-procfile.ts";

describe("parseProcfile", () => {
  it("reads process types, skipping comments and blank lines, with CRLF endings", () => {
    const text =
      "# processes\r\nweb:   gunicorn app:app --bind 0.0.0.0:$PORT  \r\n\r\nworker: python3 worker.py\r\n";
    expect(parseProcfile(text, "Procfile")).toEqual({
      web: "gunicorn app:app --bind 0.0.0.0:$PORT",
      worker: "python3 worker.py",
    });
  });

  it("keeps colons inside the command", () => {
    expect(parseProcfile("web: node server.js --listen=0.0.0.0:8080", "Procfile").web).toBe(
      "node server.js --listen=0.0.0.0:8080",
    );
  });

  it("names the file and line of a malformed entry", () => {
    expect(() => parseProcfile("web: ok\nthis is not a process\n", "/app/Procfile")).toThrow(
      /\/app\/Procfile line 2: "this is not a process" is not "name: command"/,
    );
    expect(() => parseProcfile("web:\n", "Procfile")).toThrow(InvalidProjectFileError);
    expect(() => parseProcfile("web:   \n", "Procfile")).toThrow(/process "web" has no command/);
  });

  it("gives an empty record for an empty file", () => {
    expect(parseProcfile("\n# nothing\n", "Procfile")).toEqual({});
  });
});
