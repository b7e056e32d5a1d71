// How the generated bindings reach the core. In the desktop app Tauri provides
// `window.__TAURI_INTERNALS__` (commands over IPC, events from the core). In a browser
// against `haul serve` there is no such object, so this file installs one with the same
// surface over HTTP before the app mounts: a command is `POST /api/rpc/<cmd>` with the
// session's CSRF token, and events come from one shared `EventSource("/api/events")`.
// The bindings, @tauri-apps/api and every view stay unaware of which one they run on.

/** A refusal as the core and the server send it (a CoreError, whatever its code). */
export type WireError = { code: string; message: string };

/** The part of an EventSource the transport uses (a fake in the unit tests). */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
}

export interface HttpTransportOptions {
  fetch: typeof fetch;
  openEvents: (url: string) => EventSourceLike;
  /** The session's CSRF token (null until logged in). */
  csrf: () => string | null;
  /** The server said the session is gone (expired, revoked, logged out elsewhere). */
  onUnauthenticated: () => void;
  setTimeout?: (run: () => void, ms: number) => unknown;
}

/** `EventSource.CLOSED`: the browser gave up on the stream and will not reconnect by itself. */
const CLOSED = 2;
/** Waits before opening the event stream again after the browser gave up on it. */
const REOPEN_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000] as const;

// Whether Tauri was there before this file could install anything: read once, at load,
// which is before `installHttpTransport` runs (main.ts imports this file first).
const nativeIpc =
  typeof window !== "undefined" && (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ !== undefined;

/** True in the desktop app; false in a browser against `haul serve` (no tray, updater, clipboard…). */
export function isDesktop(): boolean {
  return nativeIpc;
}

function isWireError(value: unknown): value is WireError {
  if (typeof value !== "object" || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === "string" && code !== "" && typeof message === "string";
}

/** The CoreError a failed response carries, or an `Internal` one naming the status when it carries none. */
export async function readError(response: Response): Promise<WireError> {
  let body: unknown = null;
  try {
    body = JSON.parse(await response.text());
  } catch {
    body = null;
  }
  if (isWireError(body)) return { code: body.code, message: body.message };
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  return { code: "Internal", message: `The Haul server answered ${status}.` };
}

/** A network failure (server down, connection cut) as a CoreError, never a raw exception. */
export function unreachable(error: unknown): WireError {
  const detail = error instanceof Error ? error.message : String(error ?? "");
  return { code: "Internal", message: `Could not reach the Haul server${detail ? ` (${detail})` : ""}.` };
}

type Handler = (data: unknown) => void;
type Listener = { event: string; handlerId: number };

/** The surface the bindings and @tauri-apps/api call, over HTTP. */
export interface HttpTransport {
  internals: {
    invoke: (cmd: string, args?: unknown) => Promise<unknown>;
    transformCallback: (callback?: Handler, once?: boolean) => number;
    unregisterCallback: (id: number) => void;
    metadata: { currentWindow: { label: string }; currentWebview: { windowLabel: string; label: string } };
  };
  eventInternals: { unregisterListener: (event: string, eventId: number) => void };
  /** Closes the event stream and forgets every listener (the app is being torn down). */
  disconnect: () => void;
}

export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const later = options.setTimeout ?? ((run: () => void, ms: number) => setTimeout(run, ms));
  const callbacks = new Map<number, Handler>();
  let nextCallbackId = 1;
  const listeners = new Map<number, Listener>();
  let nextEventId = 1;
  let source: EventSourceLike | null = null;
  /** Event names with a listener on the current stream. */
  let attached = new Set<string>();
  let failures = 0;
  let reopenPending = false;

  function transformCallback(callback?: Handler, once = false): number {
    const id = nextCallbackId++;
    callbacks.set(id, (data) => {
      if (once) callbacks.delete(id);
      callback?.(data);
    });
    return id;
  }

  function deliver(event: string, data: string): void {
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return; // not a message of ours
    }
    for (const [id, listener] of [...listeners]) {
      if (listener.event === event) callbacks.get(listener.handlerId)?.({ event, id, payload });
    }
  }

  function attach(event: string): void {
    if (source === null || attached.has(event)) return;
    attached.add(event);
    source.addEventListener(event, (message) => deliver(event, String(message.data)));
  }

  function open(): void {
    if (source !== null) return;
    const stream = options.openEvents("/api/events");
    source = stream;
    attached = new Set();
    stream.onopen = () => {
      failures = 0;
    };
    // The browser reconnects by itself after a dropped connection; it gives up (CLOSED) on
    // a refusal, e.g. a 401 once the session is gone. Then ask the session which it was.
    stream.onerror = () => {
      if (stream.readyState === CLOSED && source === stream) void streamFailed(stream);
    };
    for (const { event } of listeners.values()) attach(event);
  }

  async function streamFailed(stream: EventSourceLike): Promise<void> {
    stream.close();
    source = null;
    try {
      const response = await options.fetch("/api/session", { credentials: "same-origin" });
      if (response.status === 401) {
        const error = await readError(response);
        if (error.code === "NotAuthenticated") {
          options.onUnauthenticated();
          return;
        }
      }
    } catch {
      // the server is down: try again later, as below
    }
    const delay = REOPEN_DELAYS_MS[Math.min(failures, REOPEN_DELAYS_MS.length - 1)] ?? 30_000;
    failures += 1;
    if (reopenPending) return;
    reopenPending = true;
    later(() => {
      reopenPending = false;
      if (listeners.size > 0) open();
    }, delay);
  }

  function unregisterListener(_event: string, eventId: number): void {
    listeners.delete(eventId);
  }

  async function rpc(cmd: string, args: unknown): Promise<unknown> {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    const csrf = options.csrf();
    if (csrf !== null) headers["X-CSRF-Token"] = csrf;
    let response: Response;
    try {
      response = await options.fetch(`/api/rpc/${encodeURIComponent(cmd)}`, {
        method: "POST",
        credentials: "same-origin",
        headers,
        body: JSON.stringify(args ?? {}),
      });
    } catch (error) {
      throw unreachable(error);
    }
    if (response.ok) {
      if (response.status === 204) return null;
      const text = await response.text();
      if (text === "") return null;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw { code: "Internal", message: `The Haul server's answer to ${cmd} is not JSON.` } satisfies WireError;
      }
    }
    const error = await readError(response);
    if (response.status === 401 && error.code === "NotAuthenticated") options.onUnauthenticated();
    throw error;
  }

  async function invoke(cmd: string, args?: unknown): Promise<unknown> {
    if (cmd === "plugin:event|listen") {
      const { event, handler } = args as { event: string; handler: number };
      const eventId = nextEventId++;
      listeners.set(eventId, { event, handlerId: handler });
      if (source === null && !reopenPending) open();
      else attach(event);
      return eventId;
    }
    if (cmd === "plugin:event|unlisten") {
      const { eventId } = args as { eventId: number };
      listeners.delete(eventId);
      return null;
    }
    // Plugins live in the desktop shell; the server has none.
    if (cmd.startsWith("plugin:")) throw { code: "NotFound", message: `${cmd} is not available in a browser.` } satisfies WireError;
    return rpc(cmd, args);
  }

  return {
    internals: {
      invoke,
      transformCallback,
      unregisterCallback: (id) => void callbacks.delete(id),
      metadata: { currentWindow: { label: "main" }, currentWebview: { windowLabel: "main", label: "main" } },
    },
    eventInternals: { unregisterListener },
    disconnect() {
      source?.close();
      source = null;
      attached = new Set();
      listeners.clear();
      failures = 0;
      // A reopen still pending finds the stream open (or nobody listening) and does nothing.
      reopenPending = false;
    },
  };
}

// ---- the page's one transport ------------------------------------------------------------

let csrfToken: string | null = null;
const lostHandlers = new Set<() => void>();
let installed: HttpTransport | null = null;

/** The token the session API gave (sent as `X-CSRF-Token`); null when logged out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function csrfTokenNow(): string | null {
  return csrfToken;
}

/** Called whenever the server says the session is gone; returns the unsubscribe function. */
export function onSessionLost(handler: () => void): () => void {
  lostHandlers.add(handler);
  return () => void lostHandlers.delete(handler);
}

/** Closes the event stream (logging out); the next listener opens a new one. */
export function disconnectEvents(): void {
  installed?.disconnect();
}

/**
 * In a browser, installs the HTTP transport as `window.__TAURI_INTERNALS__`; in the desktop
 * app it does nothing. Returns whether it installed it.
 */
export function installHttpTransport(): boolean {
  if (nativeIpc || typeof window === "undefined" || installed !== null) return false;
  installed = createHttpTransport({
    fetch: (input, init) => window.fetch(input, init),
    openEvents: (url) => new EventSource(url),
    csrf: () => csrfToken,
    onUnauthenticated: () => {
      for (const handler of [...lostHandlers]) handler();
    },
  });
  const globals = window as unknown as Record<string, unknown>;
  globals.__TAURI_INTERNALS__ = installed.internals;
  globals.__TAURI_EVENT_PLUGIN_INTERNALS__ = installed.eventInternals;
  return true;
}
