import { describe, expect, it } from "vitest";
import type { AccountView } from "$lib/ipc/api";
import { accountState } from "./status";

function account(patch: Partial<AccountView> = {}): AccountView {
  return {
    provider: "alldebrid",
    label: "AllDebrid",
    loginMethod: "pin",
    configured: true,
    fromEnvironment: false,
    username: "alice",
    premium: true,
    premiumUntil: 1_772_323_200,
    error: null,
    ...patch,
  };
}

describe("accountState", () => {
  it("reads a premium account with its end date", () => {
    expect(accountState(account(), undefined, false, "en-GB")).toEqual({
      tone: "ok",
      text: "alice · premium until 1 Mar 2026",
      short: "premium ✓",
      needsLogin: false,
    });
    expect(accountState(account({ premiumUntil: null }), undefined, false).text).toBe("alice · premium");
  });

  it("asks for a login when there is no credential or it was refused", () => {
    expect(accountState(account({ configured: false, username: null }), undefined, false)).toMatchObject({
      short: "not logged in",
      needsLogin: true,
    });
    const refused = { code: "AuthRequired" as const, message: "AllDebrid refused the key." };
    expect(accountState(account(), refused, false)).toEqual({
      tone: "warn",
      text: "AllDebrid refused the key.",
      short: "not logged in",
      needsLogin: true,
    });
    expect(accountState(account({ error: refused }), undefined, false).needsLogin).toBe(true);
  });

  it("shows other errors as they are, without a login", () => {
    const down = { code: "ProviderUnavailable" as const, message: "AllDebrid is in maintenance." };
    expect(accountState(account(), down, false)).toMatchObject({ tone: "error", short: "cannot check", needsLogin: false });
  });

  it("says so while it checks or before it is checked", () => {
    expect(accountState(undefined, undefined, true).short).toBe("checking…");
    expect(accountState(account({ username: null, premium: null }), undefined, true).text).toBe("Checking…");
    expect(accountState(account({ username: null, premium: null }), undefined, false).short).toBe("logged in");
    expect(accountState(account({ premium: false }), undefined, false)).toMatchObject({ tone: "warn", short: "no premium" });
  });
});
