// The window's pages, and a way for any component to open one (e.g. "Log in" on an
// AuthRequired error opens Accounts) without threading callbacks through every layer.

import { getContext, setContext } from "svelte";

export type View =
  | "transfers"
  | "sources"
  | "history"
  | "library"
  | "people"
  | "duplicates"
  | "bin"
  | "statistics"
  | "accounts"
  | "diagnostics"
  | "settings";

type Navigate = (view: View) => void;

const KEY = Symbol("haul.navigate");

/** Called once by the shell; components below it can then navigate. */
export function provideNavigation(navigate: Navigate): void {
  setContext(KEY, navigate);
}

/** The shell's navigate function; a no-op outside the shell (e.g. a component in isolation). */
export function useNavigation(): Navigate {
  return getContext<Navigate | undefined>(KEY) ?? (() => {});
}
