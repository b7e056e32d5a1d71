// One provider's device / PIN login: start it, show the code with a countdown, poll the
// core every `pollIntervalSeconds` until the user has confirmed, the code expired, the
// core refused, or the user cancelled. Lives as long as the window, so leaving the
// Accounts page does not cancel a login in progress.

import type { AccountView, CoreError, LoginPrompt, Outcome, Provider, LoginStatus } from "$lib/ipc/api";
import { nextPollDelay, secondsLeft } from "./login";

export type LoginApi = {
  startLogin: (provider: Provider) => Promise<Outcome<LoginPrompt>>;
  pollLogin: (loginId: number) => Promise<Outcome<LoginStatus>>;
};

export type LoginPhase =
  | { kind: "idle" }
  | { kind: "starting" }
  | { kind: "waiting"; prompt: LoginPrompt; deadline: number }
  | { kind: "failed"; error: CoreError }
  | { kind: "expired" };

export class LoginFlow {
  phase = $state.raw<LoginPhase>({ kind: "idle" });
  /** Seconds before the code expires; ticks once a second while waiting. */
  secondsLeft = $state(0);

  readonly provider: Provider;
  readonly #api: LoginApi;
  readonly #ondone: (account: AccountView) => void;
  /** Bumped by every start and cancel, so the answer to an abandoned call is dropped. */
  #attempt = 0;
  #pollTimer: ReturnType<typeof setTimeout> | null = null;
  #tickTimer: ReturnType<typeof setInterval> | null = null;

  constructor(provider: Provider, api: LoginApi, ondone: (account: AccountView) => void) {
    this.provider = provider;
    this.#api = api;
    this.#ondone = ondone;
  }

  get active(): boolean {
    return this.phase.kind === "starting" || this.phase.kind === "waiting";
  }

  async start(): Promise<void> {
    this.#stopTimers();
    const attempt = ++this.#attempt;
    this.phase = { kind: "starting" };
    const result = await this.#api.startLogin(this.provider);
    if (attempt !== this.#attempt) return;
    if (!result.ok) {
      this.phase = { kind: "failed", error: result.error };
      return;
    }
    const prompt = result.value;
    const deadline = Date.now() + prompt.expiresInSeconds * 1000;
    this.phase = { kind: "waiting", prompt, deadline };
    this.secondsLeft = secondsLeft(deadline, Date.now());
    this.#tickTimer = setInterval(() => this.#tick(attempt, deadline), 1000);
    this.#schedulePoll(attempt, prompt, deadline);
  }

  /** Stops waiting; a late answer from the core is ignored. */
  cancel(): void {
    this.#attempt += 1;
    this.#stopTimers();
    this.phase = { kind: "idle" };
  }

  #tick(attempt: number, deadline: number): void {
    if (attempt !== this.#attempt) return;
    this.secondsLeft = secondsLeft(deadline, Date.now());
    if (this.secondsLeft === 0) this.#expire();
  }

  #schedulePoll(attempt: number, prompt: LoginPrompt, deadline: number): void {
    const delay = nextPollDelay(prompt.pollIntervalSeconds, deadline, Date.now());
    if (delay === null) {
      this.#expire();
      return;
    }
    this.#pollTimer = setTimeout(() => void this.#poll(attempt, prompt, deadline), delay);
  }

  async #poll(attempt: number, prompt: LoginPrompt, deadline: number): Promise<void> {
    this.#pollTimer = null;
    const result = await this.#api.pollLogin(prompt.loginId);
    if (attempt !== this.#attempt) return;
    if (!result.ok) {
      this.#attempt += 1;
      this.#stopTimers();
      this.phase = { kind: "failed", error: result.error };
    } else if (result.value.status === "done") {
      this.#attempt += 1;
      this.#stopTimers();
      this.phase = { kind: "idle" };
      this.#ondone(result.value.account);
    } else {
      this.#schedulePoll(attempt, prompt, deadline);
    }
  }

  #expire(): void {
    this.#attempt += 1;
    this.#stopTimers();
    this.secondsLeft = 0;
    this.phase = { kind: "expired" };
  }

  #stopTimers(): void {
    if (this.#pollTimer !== null) clearTimeout(this.#pollTimer);
    if (this.#tickTimer !== null) clearInterval(this.#tickTimer);
    this.#pollTimer = null;
    this.#tickTimer = null;
  }
}
