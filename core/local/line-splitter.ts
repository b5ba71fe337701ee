import { StringDecoder } from "node:string_decoder";

/** Lines longer than this are cut into pieces, so one runaway line cannot hold the supervisor's memory. */
const MAX_LINE = 16 * 1024;

/**
 * Turns a byte stream (a child's stdout) into lines, decoding UTF-8 across chunk borders and dropping the
 * `\r` of CRLF. `end` emits a last line that had no newline.
 */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer): void; end(): void } {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  const emit = (line: string): void => onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
  return {
    push(chunk) {
      pending += decoder.write(chunk);
      let newline: number;
      while ((newline = pending.indexOf("\n")) !== -1) {
        emit(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
      }
      while (pending.length > MAX_LINE) {
        emit(pending.slice(0, MAX_LINE));
        pending = pending.slice(MAX_LINE);
      }
    },
    end() {
      pending += decoder.end();
      if (pending !== "") emit(pending);
      pending = "";
    },
  };
}
