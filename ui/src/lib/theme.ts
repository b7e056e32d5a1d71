// Applies the theme setting to <html data-theme="light|dark">. "system" follows the OS
// (prefers-color-scheme) and keeps following it while it is selected.

import type { Theme } from "$lib/ipc/api";

const darkQuery = (): MediaQueryList | null =>
  typeof window !== "undefined" && typeof window.matchMedia === "function"
    ? window.matchMedia("(prefers-color-scheme: dark)")
    : null;

let stopFollowing: (() => void) | null = null;

function setResolved(resolved: "light" | "dark"): void {
  document.documentElement.dataset.theme = resolved;
}

export function applyTheme(theme: Theme): void {
  stopFollowing?.();
  stopFollowing = null;

  if (theme !== "system") {
    setResolved(theme);
    return;
  }
  const query = darkQuery();
  setResolved(query?.matches ? "dark" : "light");
  if (query) {
    const onChange = (event: MediaQueryListEvent) => setResolved(event.matches ? "dark" : "light");
    query.addEventListener("change", onChange);
    stopFollowing = () => query.removeEventListener("change", onChange);
  }
}
