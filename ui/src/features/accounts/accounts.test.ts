import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AccountView, LoginPrompt, LoginStatus, Outcome, Provider } from "$lib/ipc/api";
import { AccountsStore, type AccountsApi } from "./accounts.svelte";

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });

function account(provider: Provider, patch: Partial<AccountView> = {}): AccountView {
  return {
    provider,
    label: provider,
    loginMethod: provider === "torbox" ? "apiKey" : "pin",
    configured: false,
    fromEnvironment: false,
    username: null,
    premium: null,
    premiumUntil: null,
    error: null,
    ...patch,
  };
}

const PROMPT: LoginPrompt = {
  loginId: 7,
  provider: "alldebrid",
  userCode: "ABCD",
  verificationUrl: "https://alldebrid.com/pin/",
  expiresInSeconds: 30,
  pollIntervalSeconds: 5,
};

function fakeApi() {
  const state = {
    calls: [] as string[],
    /** Answers of pollLogin, in turn; "pending" once they run out. */
    polls: [] as Outcome<LoginStatus>[],
    configured: new Set<Provider>(["realdebrid"]),
  };
  const api: AccountsApi = {
    async listAccounts() {
      state.calls.push("list");
      return ok((["alldebrid", "realdebrid", "torbox"] as const).map((p) => account(p, { configured: state.configured.has(p) })));
    },
    async checkAccount(provider) {
      state.calls.push(`check ${provider}`);
      if (!state.configured.has(provider)) {
        return { ok: false, error: { code: "AuthRequired", message: `Log in to ${provider}.` } };
      }
      return ok(account(provider, { configured: true, username: "bob", premium: true }));
    },
    async startLogin(provider) {
      state.calls.push(`start ${provider}`);
      return ok(PROMPT);
    },
    async pollLogin(id) {
      state.calls.push(`poll ${id}`);
      return state.polls.shift() ?? ok({ status: "pending" });
    },
    async setApiKey(provider, key) {
      state.calls.push(`key ${provider} ${key}`);
      if (key === "bad") return { ok: false, error: { code: "AuthRequired", message: "Refused." } };
      state.configured.add(provider);
      return ok(account(provider, { configured: true, username: "tb" }));
    },
    async logout(provider) {
      state.calls.push(`logout ${provider}`);
      state.configured.delete(provider);
      return ok(account(provider));
    },
  };
  return { api, state };
}

describe("AccountsStore", () => {
  it("lists every provider, then checks only the configured ones", async () => {
    const { api, state } = fakeApi();
    const store = new AccountsStore(api);
    await store.load();
    expect(state.calls).toEqual(["list", "check realdebrid"]);
    expect(store.list.map((a) => a.provider)).toEqual(["alldebrid", "realdebrid", "torbox"]);
    expect(store.stateOf("realdebrid")).toMatchObject({ tone: "ok", short: "premium ✓" });
    expect(store.stateOf("alldebrid")).toMatchObject({ short: "not logged in", needsLogin: true });

    // Listing again keeps what the check found for the same credential.
    await store.load();
    expect(store.accounts.realdebrid?.username).toBe("bob");
  });

  it("reads a refused check as needing a login", async () => {
    const { api } = fakeApi();
    const store = new AccountsStore(api);
    await store.check("alldebrid");
    expect(store.stateOf("alldebrid")).toMatchObject({ text: "Log in to alldebrid.", needsLogin: true });
  });

  it("saves an API key and logs out", async () => {
    const { api, state } = fakeApi();
    const store = new AccountsStore(api);
    expect((await store.setApiKey("torbox", " bad ")).ok).toBe(false);
    expect(await store.setApiKey("torbox", "good")).toMatchObject({ ok: true });
    expect(store.stateOf("torbox").text).toBe("tb");
    await store.logout("torbox");
    expect(store.stateOf("torbox").short).toBe("not logged in");
    expect(state.calls).toEqual(["key torbox bad", "key torbox good", "logout torbox"]);
  });
});

describe("LoginFlow", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("polls every interval until the login is done, then checks the account", async () => {
    const { api, state } = fakeApi();
    const store = new AccountsStore(api);
    const flow = store.logins.alldebrid;
    state.polls = [ok({ status: "pending" }), ok({ status: "done", account: account("alldebrid", { configured: true, username: "alice" }) })];
    state.configured.add("alldebrid");

    await flow.start();
    expect(flow.phase.kind).toBe("waiting");
    expect(flow.secondsLeft).toBe(30);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(state.calls.filter((c) => c.startsWith("poll"))).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.calls.filter((c) => c.startsWith("poll"))).toEqual(["poll 7"]);
    expect(flow.secondsLeft).toBe(25);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(flow.phase.kind).toBe("idle");
    expect(state.calls).toEqual(["start alldebrid", "poll 7", "poll 7", "check alldebrid"]);
    expect(store.accounts.alldebrid?.username).toBe("bob"); // the check's answer came last

    await vi.advanceTimersByTimeAsync(60_000);
    expect(state.calls.filter((c) => c.startsWith("poll"))).toHaveLength(2); // polling stopped
  });

  it("expires with the code and stops polling", async () => {
    const { api, state } = fakeApi();
    const flow = new AccountsStore(api).logins.alldebrid;
    await flow.start();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(flow.phase.kind).toBe("expired");
    expect(flow.secondsLeft).toBe(0);
    const polls = state.calls.filter((c) => c.startsWith("poll")).length;
    expect(polls).toBeLessThanOrEqual(6);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(state.calls.filter((c) => c.startsWith("poll"))).toHaveLength(polls);
  });

  it("shows a refused poll and stops; cancel drops a late answer", async () => {
    const { api, state } = fakeApi();
    const flow = new AccountsStore(api).logins.alldebrid;
    state.polls = [{ ok: false, error: { code: "AuthRequired", message: "The user denied access." } }];
    await flow.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(flow.phase).toEqual({ kind: "failed", error: { code: "AuthRequired", message: "The user denied access." } });

    await flow.start();
    flow.cancel();
    expect(flow.phase.kind).toBe("idle");
    await vi.advanceTimersByTimeAsync(20_000);
    expect(state.calls.filter((c) => c.startsWith("poll"))).toHaveLength(1);
  });
});
