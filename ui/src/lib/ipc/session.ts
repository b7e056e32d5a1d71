// The browser's session with `haul serve` (the desktop app has none): who is logged in and
// the CSRF token every command carries; logging in with the password (and a TOTP or
// recovery code when the server asks for one); logging out. The session cookie itself is
// HttpOnly: this code never sees it.

import { readError, unreachable, type WireError } from "./transport";

export type Session = {
  user: string;
  csrf: string;
  /** Unix ms. */
  expiresAt: number;
  totpEnabled: boolean;
};

/** A refusal of the session API; `retryAfterSeconds` comes with `LockedOut`. */
export type SessionRefusal = WireError & { retryAfterSeconds: number | null };

export type SessionOutcome<T> = { ok: true; value: T } | { ok: false; error: SessionRefusal };

type Fetch = typeof fetch;

/** `Retry-After` as seconds from `now`: a number of seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: number = Date.now()): number | null {
  if (header === null || header.trim() === "") return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

async function refusal(response: Response): Promise<SessionRefusal> {
  return { ...(await readError(response)), retryAfterSeconds: retryAfterSeconds(response.headers.get("Retry-After")) };
}

function isSession(value: unknown): value is Session {
  if (typeof value !== "object" || value === null) return false;
  const { user, csrf } = value as Record<string, unknown>;
  return typeof user === "string" && typeof csrf === "string";
}

async function send<T>(call: () => Promise<Response>, read: (response: Response) => Promise<T>): Promise<SessionOutcome<T>> {
  let response: Response;
  try {
    response = await call();
  } catch (error) {
    return { ok: false, error: { ...unreachable(error), retryAfterSeconds: null } };
  }
  if (!response.ok) return { ok: false, error: await refusal(response) };
  try {
    return { ok: true, value: await read(response) };
  } catch {
    return { ok: false, error: { code: "Internal", message: "The Haul server sent a session this page cannot read.", retryAfterSeconds: null } };
  }
}

/** `GET /api/session`: the session, or `NotAuthenticated`. */
export function fetchSession(fetchImpl: Fetch = fetch): Promise<SessionOutcome<Session>> {
  return send(
    () => fetchImpl("/api/session", { credentials: "same-origin", headers: { Accept: "application/json" } }),
    async (response) => {
      const body: unknown = await response.json();
      if (!isSession(body)) throw new Error("not a session");
      return body;
    },
  );
}

/**
 * `POST /api/session`: logs in (the cookie comes back HttpOnly). Refusals: `NotAuthenticated`
 * (wrong password), `TotpRequired` (a code is missing or wrong), `LockedOut` (with Retry-After).
 */
export function createSession(password: string, totp: string | null, fetchImpl: Fetch = fetch): Promise<SessionOutcome<null>> {
  const body = totp === null || totp.trim() === "" ? { password } : { password, totp: totp.trim() };
  return send(
    () =>
      fetchImpl("/api/session", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      }),
    async () => null,
  );
}

/** `DELETE /api/session`: logs out. */
export function deleteSession(csrf: string | null, fetchImpl: Fetch = fetch): Promise<SessionOutcome<null>> {
  return send(
    () =>
      fetchImpl("/api/session", {
        method: "DELETE",
        credentials: "same-origin",
        headers: csrf === null ? {} : { "X-CSRF-Token": csrf },
      }),
    async () => null,
  );
}
