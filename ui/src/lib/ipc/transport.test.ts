import { describe, expect, it, vi } from "vitest";
import { createHttpTransport, isDesktop, readError, type EventSourceLike, type HttpTransportOptions } from "./transport";

type Call = { url: string; init: RequestInit | undefined };

/** A fetch that answers from a list (one answer per call, the last one repeated) and records the calls. */
function fakeFetch(...answers: Array<Response | (() => Response) | Error>) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (answer instanceof Error) throw answer;
    return typeof answer === "function" ? answer() : (answer as Response).clone();
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

/** A stand-in for the browser's EventSource: the test sends messages and failures through it. */
class FakeEventSource implements EventSourceLike {
  static opened: FakeEventSource[] = [];
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  readonly listeners = new Map<string, Array<(event: MessageEvent) => void>>();

  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }

  addEventListener(type: string, listener: (event: MessageEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  /** The server sends `event: <name>` with `data: <data>`. */
  send(name: string, data: string): void {
    for (const listener of this.listeners.get(name) ?? []) listener(new MessageEvent(name, { data }));
  }

  /** The browser gave up on the stream (a refusal, e.g. 401). */
  fail(): void {
    this.readyState = 2;
    this.onerror?.(new Event("error"));
  }
}

function transport(overrides: Partial<HttpTransportOptions> = {}) {
  FakeEventSource.opened = [];
  const timers: Array<{ run: () => void; ms: number }> = [];
  const lost = vi.fn();
  const options: HttpTransportOptions = {
    fetch: fakeFetch(json(200, null)).fetch,
    openEvents: (url) => new FakeEventSource(url),
    csrf: () => "token-1",
    onUnauthenticated: lost,
    setTimeout: (run, ms) => timers.push({ run, ms }),
    ...overrides,
  };
  return { t: createHttpTransport(options), lost, timers };
}

describe("the HTTP transport's commands", () => {
  it("posts the bindings' arguments as JSON to /api/rpc/<cmd> with the CSRF token", async () => {
    const { fetch, calls } = fakeFetch(json(200, { id: 3, state: "queued" }));
    const { t } = transport({ fetch });
    const value = await t.internals.invoke("add_download", { url: "https://example.com/a.iso", dir: null });
    expect(value).toEqual({ id: 3, state: "queued" });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.url).toBe("/api/rpc/add_download");
    expect(call?.init?.method).toBe("POST");
    expect(call?.init?.credentials).toBe("same-origin");
    expect(call?.init?.headers).toEqual({ "Content-Type": "application/json", "X-CSRF-Token": "token-1" });
    expect(call?.init?.body).toBe(JSON.stringify({ url: "https://example.com/a.iso", dir: null }));
  });

  it("sends {} for a command without arguments, and resolves a 204 to null", async () => {
    const { fetch, calls } = fakeFetch(new Response(null, { status: 204 }));
    const { t } = transport({ fetch });
    await expect(t.internals.invoke("pause_all")).resolves.toBeNull();
    expect(calls[0]?.init?.body).toBe("{}");
  });

  it("leaves the token out before there is a session", async () => {
    const { fetch, calls } = fakeFetch(json(200, []));
    const { t } = transport({ fetch, csrf: () => null });
    await t.internals.invoke("list_downloads", {});
    expect(calls[0]?.init?.headers).toEqual({ "Content-Type": "application/json" });
  });

  it("rejects with the server's CoreError object, not an Error", async () => {
    const { fetch } = fakeFetch(json(400, { code: "InvalidUrl", message: '"x" is not an http or https URL.' }));
    const { t, lost } = transport({ fetch });
    const error = await t.internals.invoke("add_download", { url: "x", dir: null }).catch((e: unknown) => e);
    expect(error).toEqual({ code: "InvalidUrl", message: '"x" is not an http or https URL.' });
    expect(error).not.toBeInstanceOf(Error);
    expect(lost).not.toHaveBeenCalled();
  });

  it("names the status when the body is not a CoreError", async () => {
    const { fetch } = fakeFetch(new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    const { t } = transport({ fetch });
    await expect(t.internals.invoke("list_tasks")).rejects.toEqual({
      code: "Internal",
      message: "The Haul server answered HTTP 502 Bad Gateway.",
    });
  });

  it("turns a network failure into a CoreError", async () => {
    const { fetch } = fakeFetch(new TypeError("Failed to fetch"));
    const { t } = transport({ fetch });
    await expect(t.internals.invoke("list_tasks")).rejects.toEqual({
      code: "Internal",
      message: "Could not reach the Haul server (Failed to fetch).",
    });
  });

  it("reports a session the server no longer knows (401 NotAuthenticated), and still rejects", async () => {
    const { fetch } = fakeFetch(json(401, { code: "NotAuthenticated", message: "The session has expired." }));
    const { t, lost } = transport({ fetch });
    await expect(t.internals.invoke("list_downloads")).rejects.toEqual({ code: "NotAuthenticated", message: "The session has expired." });
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it("does not take another 401 for a lost session", async () => {
    const { fetch } = fakeFetch(json(401, { code: "TotpRequired", message: "Enter the code." }));
    const { t, lost } = transport({ fetch });
    await expect(t.internals.invoke("list_downloads")).rejects.toMatchObject({ code: "TotpRequired" });
    expect(lost).not.toHaveBeenCalled();
  });

  it("answers other plugins' commands itself: the server has none", async () => {
    const { fetch, calls } = fakeFetch(json(200, null));
    const { t } = transport({ fetch });
    await expect(t.internals.invoke("plugin:window|title")).rejects.toMatchObject({ code: "NotFound" });
    expect(calls).toHaveLength(0);
  });
});

describe("the HTTP transport's events", () => {
  async function listen(t: ReturnType<typeof transport>["t"], event: string) {
    const received: unknown[] = [];
    const handler = t.internals.transformCallback((data) => received.push(data));
    const eventId = (await t.internals.invoke("plugin:event|listen", { event, target: { kind: "Any" }, handler })) as number;
    return { received, eventId, handler };
  }

  it("opens one shared stream and delivers each named event as Tauri does", async () => {
    const { t } = transport();
    const progress = await listen(t, "progress-snapshot-event");
    const library = await listen(t, "library-changed-event");
    expect(FakeEventSource.opened).toHaveLength(1);
    const [stream] = FakeEventSource.opened;
    expect(stream?.url).toBe("/api/events");

    stream?.send("progress-snapshot-event", JSON.stringify({ revision: 4, transfers: [] }));
    stream?.send("library-changed-event", "null");
    expect(progress.received).toEqual([{ event: "progress-snapshot-event", id: progress.eventId, payload: { revision: 4, transfers: [] } }]);
    expect(library.received).toEqual([{ event: "library-changed-event", id: library.eventId, payload: null }]);
  });

  it("stops delivering after unlisten (both the plugin command and the sync unregister)", async () => {
    const { t } = transport();
    const a = await listen(t, "history-changed-event");
    const b = await listen(t, "history-changed-event");
    const stream = FakeEventSource.opened[0];
    t.eventInternals.unregisterListener("history-changed-event", a.eventId);
    await t.internals.invoke("plugin:event|unlisten", { event: "history-changed-event", eventId: b.eventId });
    stream?.send("history-changed-event", "null");
    expect(a.received).toEqual([]);
    expect(b.received).toEqual([]);
  });

  it("calls a once-callback only once", async () => {
    const { t } = transport();
    const received: unknown[] = [];
    const handler = t.internals.transformCallback((data) => received.push(data), true);
    await t.internals.invoke("plugin:event|listen", { event: "sources-changed-event", handler });
    FakeEventSource.opened[0]?.send("sources-changed-event", "null");
    FakeEventSource.opened[0]?.send("sources-changed-event", "null");
    expect(received).toHaveLength(1);
  });

  it("ignores data that is not JSON", async () => {
    const { t } = transport();
    const { received } = await listen(t, "library-changed-event");
    FakeEventSource.opened[0]?.send("library-changed-event", "{not json");
    expect(received).toEqual([]);
  });

  it("on a refused stream, asks the session: gone → reported as lost", async () => {
    const { fetch, calls } = fakeFetch(json(401, { code: "NotAuthenticated", message: "No session." }));
    const { t, lost, timers } = transport({ fetch });
    await listen(t, "library-changed-event");
    FakeEventSource.opened[0]?.fail();
    await vi.waitFor(() => expect(lost).toHaveBeenCalledTimes(1));
    expect(calls[0]?.url).toBe("/api/session");
    expect(FakeEventSource.opened[0]?.closed).toBe(true);
    expect(timers).toHaveLength(0);
  });

  it("on a refused stream with the session still there, opens it again later with every listener", async () => {
    const { fetch } = fakeFetch(json(200, { user: "admin", csrf: "t", expiresAt: 0, totpEnabled: false }));
    const { t, lost, timers } = transport({ fetch });
    const first = await listen(t, "library-changed-event");
    FakeEventSource.opened[0]?.fail();
    await vi.waitFor(() => expect(timers).toHaveLength(1));
    expect(lost).not.toHaveBeenCalled();
    expect(timers[0]?.ms).toBe(1_000);
    timers[0]?.run();
    expect(FakeEventSource.opened).toHaveLength(2);
    FakeEventSource.opened[1]?.send("library-changed-event", "null");
    expect(first.received).toHaveLength(1);
  });

  it("closes the stream and forgets the listeners on disconnect; the next listen opens a new one", async () => {
    const { t } = transport();
    const before = await listen(t, "library-changed-event");
    t.disconnect();
    expect(FakeEventSource.opened[0]?.closed).toBe(true);
    const after = await listen(t, "library-changed-event");
    expect(FakeEventSource.opened).toHaveLength(2);
    FakeEventSource.opened[1]?.send("library-changed-event", "null");
    expect(before.received).toEqual([]);
    expect(after.received).toHaveLength(1);
  });
});

describe("readError", () => {
  it("reads a CoreError body, and names the status otherwise", async () => {
    await expect(readError(json(429, { code: "TooManyRequests", message: "Slow down." }))).resolves.toEqual({
      code: "TooManyRequests",
      message: "Slow down.",
    });
    await expect(readError(new Response("", { status: 500 }))).resolves.toEqual({
      code: "Internal",
      message: "The Haul server answered HTTP 500.",
    });
  });
});

describe("isDesktop", () => {
  it("is false without Tauri's internals (as in a browser, and here)", () => {
    expect(isDesktop()).toBe(false);
  });
});
