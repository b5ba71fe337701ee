import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { digestOf } from "../artifact/digest.ts";
import { hashingStream } from "./hashing-stream.ts";

describe("hashingStream", () => {
  it("passes bytes through unchanged while hashing and counting them", async () => {
    const tap = hashingStream();
    const seen: Buffer[] = [];
    await pipeline(
      Readable.from([Buffer.from("hello "), Buffer.from("world")]),
      tap.stream,
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          seen.push(chunk);
          done();
        },
      }),
    );
    expect(Buffer.concat(seen).toString()).toBe("hello world");
    expect(tap.digest()).toBe(digestOf("hello world"));
    expect(tap.bytes()).toBe(11);
  });
});
