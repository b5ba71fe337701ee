/** What every runtime detector is handed: the folder and what detectRuntime already read from it. */
export interface DetectContext {
  /** Absolute path of the source folder. */
  dir: string;
  /** The Procfile's `web:` command, which wins over every other start command. */
  procfileWeb: string | undefined;
  /** Checks that a program is installed; when absent, build tools are assumed to be there. */
  hasCommand: ((name: string) => Promise<boolean>) | undefined;
}
