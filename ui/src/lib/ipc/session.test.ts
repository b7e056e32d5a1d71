import { describe, expect, it, vi } from "vitest";
import { createSession, deleteSession, fetchSession, retryAfterSeconds } from "./session";

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

function fetchAnswering(response: Response) {
  const fetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => response);
  return fetch;
}

describe("the session API", () => {
  it("reads the session, or NotAuthenticated", async () => {
    const session = { user: "admin", csrf: "c5rf", expiresAt: 1_760_000_000_000, totpEnabled: true };
    await expect(fetchSession(fetchAnswering(json(200, session)))).resolves.toEqual({ ok: true, value: session });
    await expect(fetchSession(fetchAnswering(json(401, { code: "NotAuthenticated", message: "Log in." })))).resolves.toEqual({
      ok: false,
      error: { code: "NotAuthenticated", message: "Log in.", retryAfterSeconds: null },
    });
  });

  it("logs in with the password, and the code only when there is one", async () => {
    const fetch = fetchAnswering(new Response(null, { status: 204 }));
    await expect(createSession("pw", null, fetch)).resolves.toEqual({ ok: true, value: null });
    await createSession("pw", " 123456 ", fetch);
    const [first, second] = fetch.mock.calls;
    expect(first?.[0]).toBe("/api/session");
    expect(first?.[1]?.method).toBe("POST");
    expect(first?.[1]?.body).toBe(JSON.stringify({ password: "pw" }));
    expect(second?.[1]?.body).toBe(JSON.stringify({ password: "pw", totp: "123456" }));
    // No CSRF token: there is no session yet.
    expect(first?.[1]?.headers).toEqual({ "Content-Type": "application/json" });
  });

  it("says how long a lockout lasts", async () => {
    const fetch = fetchAnswering(json(429, { code: "LockedOut", message: "Too many attempts." }, { "Retry-After": "300" }));
    await expect(createSession("pw", null, fetch)).resolves.toEqual({
      ok: false,
      error: { code: "LockedOut", message: "Too many attempts.", retryAfterSeconds: 300 },
    });
  });

  it("logs out with the CSRF token", async () => {
    const fetch = fetchAnswering(new Response(null, { status: 204 }));
    await deleteSession("tok", fetch);
    expect(fetch.mock.calls[0]?.[1]).toMatchObject({ method: "DELETE", headers: { "X-CSRF-Token": "tok" } });
  });

  it("turns a server that cannot be reached into a refusal", async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(fetchSession(fetch)).resolves.toMatchObject({ ok: false, error: { code: "Internal" } });
  });
});

describe("retryAfterSeconds", () => {
  it("reads seconds and HTTP dates", () => {
    expect(retryAfterSeconds("120")).toBe(120);
    expect(retryAfterSeconds(null)).toBeNull();
    expect(retryAfterSeconds("soon")).toBeNull();
    const now = Date.parse("2025-03-01T10:00:00Z");
    expect(retryAfterSeconds("Sat, 01 Mar 2025 10:01:30 GMT", now)).toBe(90);
    expect(retryAfterSeconds("Sat, 01 Mar 2025 09:00:00 GMT", now)).toBe(0);
  });
});
