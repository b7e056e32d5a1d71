// What an account's state reads as: on its card (a sentence) and in the status bar
// (a few words after the provider's name).

import { formatDate } from "$lib/format";
import type { AccountView, CoreError } from "$lib/ipc/api";

export type AccountState = {
  /** ok: usable premium; warn: needs the user (login, no premium); error: cannot check; muted: unknown yet. */
  tone: "ok" | "warn" | "error" | "muted";
  /** For the card: "alice · premium until 1 Mar 2026". */
  text: string;
  /** For the status bar, after "AllDebrid: ". */
  short: string;
  /** Logging in (again) would fix it. */
  needsLogin: boolean;
};

function fromError(error: CoreError): AccountState {
  return error.code === "AuthRequired"
    ? { tone: "warn", text: error.message, short: "not logged in", needsLogin: true }
    : { tone: "error", text: error.message, short: "cannot check", needsLogin: false };
}

/**
 * @param account what listAccounts / checkAccount / a login last said
 * @param failure why the last call about it failed, if it did
 * @param checking a checkAccount is under way
 */
export function accountState(
  account: AccountView | undefined,
  failure: CoreError | undefined,
  checking: boolean,
  locale?: string,
): AccountState {
  if (failure) return fromError(failure);
  if (account?.error) return fromError(account.error);
  if (account === undefined) {
    return { tone: "muted", text: "Checking…", short: "checking…", needsLogin: false };
  }
  if (!account.configured) {
    return { tone: "warn", text: "Not logged in", short: "not logged in", needsLogin: true };
  }
  if (account.username === null) {
    return checking
      ? { tone: "muted", text: "Checking…", short: "checking…", needsLogin: false }
      : { tone: "muted", text: "Logged in (not checked yet)", short: "logged in", needsLogin: false };
  }
  if (account.premium === false) {
    return { tone: "warn", text: `${account.username} · no premium`, short: "no premium", needsLogin: false };
  }
  if (account.premium === true) {
    const until = account.premiumUntil === null ? "" : ` until ${formatDate(account.premiumUntil, locale)}`;
    return { tone: "ok", text: `${account.username} · premium${until}`, short: "premium ✓", needsLogin: false };
  }
  return { tone: "ok", text: account.username, short: account.username, needsLogin: false };
}
