import { describe, expect, it } from "vitest";
import type { Session, SessionOutcome } from "$lib/ipc/session";
import { csrfTokenNow } from "$lib/ipc/transport";
import { SessionStore, type SessionApi } from "./session.svelte";

const SESSION: Session = { user: "admin", csrf: "tok-1", expiresAt: 0, totpEnabled: true };
const refused = (code: string, message: string, retryAfterSeconds: number | null = null): SessionOutcome<never> => ({
  ok: false,
  error: { code, message, retryAfterSeconds },
});

function fakeApi(loggedIn: boolean) {
  const state = { loggedIn, logins: [] as Array<[string, string | null]>, logouts: [] as Array<string | null> };
  const api: SessionApi = {
    async fetchSession() {
      return state.loggedIn ? { ok: true, value: SESSION } : refused("NotAuthenticated", "Log in first.");
    },
    async createSession(password, totp) {
      state.logins.push([password, totp]);
      if (password !== "right") return refused("NotAuthenticated", "Wrong password.");
      if (totp !== "123456") return refused("TotpRequired", "Enter the code from your authenticator app.");
      state.loggedIn = true;
      return { ok: true, value: null };
    },
    async deleteSession(csrf) {
      state.logouts.push(csrf);
      state.loggedIn = false;
      return { ok: true, value: null };
    },
  };
  return { api, state };
}

describe("SessionStore", () => {
  it("opens the app at once when a session is there, with its CSRF token", async () => {
    const store = new SessionStore(fakeApi(true).api);
    await store.start();
    expect(store.status).toBe("ready");
    expect(store.user).toBe("admin");
    expect(csrfTokenNow()).toBe("tok-1");
    store.stop();
  });

  it("shows the login page, asks for the code, then opens the app", async () => {
    const { api, state } = fakeApi(false);
    const store = new SessionStore(api);
    await store.start();
    expect(store.status).toBe("login");
    expect(store.notice).toBeNull();

    expect(await store.logIn("wrong", null)).toMatchObject({ code: "NotAuthenticated", message: "Wrong password." });
    expect(await store.logIn("right", null)).toMatchObject({ code: "TotpRequired" });
    expect(store.status).toBe("login");
    expect(await store.logIn("right", "123456")).toBeNull();
    expect(store.status).toBe("ready");
    expect(csrfTokenNow()).toBe("tok-1");
    expect(state.logins).toEqual([["wrong", null], ["right", null], ["right", "123456"]]);
    store.stop();
  });

  it("goes back to the login page, saying why, when the server ends the session", async () => {
    const store = new SessionStore(fakeApi(true).api);
    await store.start();
    store.lost();
    expect(store.status).toBe("login");
    expect(store.notice).toMatch(/session has ended/);
    expect(csrfTokenNow()).toBeNull();
    store.stop();
  });

  it("logs out with the token, forgetting it", async () => {
    const { api, state } = fakeApi(true);
    const store = new SessionStore(api);
    await store.start();
    await store.logOut();
    expect(state.logouts).toEqual(["tok-1"]);
    expect(store.status).toBe("login");
    expect(store.notice).toBeNull();
    expect(csrfTokenNow()).toBeNull();
    store.stop();
  });

  it("says why when the server cannot be asked", async () => {
    const api: SessionApi = {
      ...fakeApi(false).api,
      fetchSession: async () => refused("Internal", "Could not reach the Haul server (Failed to fetch)."),
    };
    const store = new SessionStore(api);
    await store.start();
    expect(store.status).toBe("login");
    expect(store.notice).toMatch(/Could not reach/);
    store.stop();
  });
});
