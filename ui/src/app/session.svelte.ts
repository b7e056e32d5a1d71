// Where the browser stands with `haul serve`: checking the session, on the login page, or
// in the app. The root component shows one of them; a session the server ends (a 401
// `NotAuthenticated` on any command or on the event stream) brings the login page back.

import {
  createSession,
  deleteSession,
  fetchSession,
  type Session,
  type SessionOutcome,
  type SessionRefusal,
} from "$lib/ipc/session";
import { csrfTokenNow, disconnectEvents, onSessionLost, setCsrfToken } from "$lib/ipc/transport";

export type SessionStatus = "checking" | "login" | "ready";

/** What the store needs from the server (the real session API, or a fake in tests). */
export type SessionApi = {
  fetchSession: () => Promise<SessionOutcome<Session>>;
  createSession: (password: string, totp: string | null) => Promise<SessionOutcome<null>>;
  deleteSession: (csrf: string | null) => Promise<SessionOutcome<null>>;
};

const httpSessionApi: SessionApi = {
  fetchSession: () => fetchSession(),
  createSession: (password, totp) => createSession(password, totp),
  deleteSession: (csrf) => deleteSession(csrf),
};

export class SessionStore {
  status = $state<SessionStatus>("checking");
  user = $state<string | null>(null);
  /** Why the login page is shown again, or why the server could not be asked. */
  notice = $state<string | null>(null);

  readonly #api: SessionApi;
  #stopWatching: (() => void) | null = null;

  constructor(api: SessionApi = httpSessionApi) {
    this.#api = api;
  }

  /** Asks whether a session is already there (a reload keeps it), and watches for its end. */
  async start(): Promise<void> {
    this.#stopWatching ??= onSessionLost(() => this.lost());
    const result = await this.#api.fetchSession();
    if (result.ok) this.#enter(result.value);
    else this.#leave(result.error.code === "NotAuthenticated" ? null : result.error.message);
  }

  stop(): void {
    this.#stopWatching?.();
    this.#stopWatching = null;
  }

  /**
   * Logs in, then reads the session for its CSRF token and opens the app. Resolves to the
   * refusal (for the login page to show), or null once in.
   */
  async logIn(password: string, totp: string | null): Promise<SessionRefusal | null> {
    const created = await this.#api.createSession(password, totp);
    if (!created.ok) return created.error;
    const session = await this.#api.fetchSession();
    if (!session.ok) return session.error;
    this.#enter(session.value);
    return null;
  }

  async logOut(): Promise<void> {
    // Out of the app whatever the server answers: a session it no longer knows is gone anyway.
    await this.#api.deleteSession(csrfTokenNow());
    this.#leave(null);
  }

  /** The server ended the session: back to the login page (once, however many calls noticed). */
  lost(): void {
    if (this.status !== "ready") return;
    this.#leave("Your session has ended. Log in again.");
  }

  #enter(session: Session): void {
    setCsrfToken(session.csrf);
    this.user = session.user;
    this.notice = null;
    this.status = "ready";
  }

  #leave(notice: string | null): void {
    setCsrfToken(null);
    disconnectEvents();
    this.user = null;
    this.notice = notice;
    this.status = "login";
  }
}
