// The Add dialog's preview: what Haul recognises in the URL being typed (asked ~400 ms
// after the last keystroke, at once on a paste), its first items, or the core's reason it
// cannot read it. Answers to an older URL are dropped.

import { api as coreApi, type CoreError, type SourcePreview } from "$lib/ipc/api";
import { looksLikeUrl } from "./sourceForm";

export type PreviewApi = Pick<typeof coreApi, "sourcePreview">;

export const PREVIEW_DELAY_MS = 400;

export class SourcePreviewStore {
  /** The URL the preview, error or loading state belongs to. */
  url = $state("");
  preview = $state.raw<SourcePreview | null>(null);
  error = $state<CoreError | null>(null);
  loading = $state(false);

  readonly #api: PreviewApi;
  readonly #delay: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Counts requests, so only the newest answer is shown. */
  #sequence = 0;

  constructor(api: PreviewApi = coreApi, delayMs = PREVIEW_DELAY_MS) {
    this.#api = api;
    this.#delay = delayMs;
  }

  /** The field changed by typing: ask once it has been still for a moment. */
  input(text: string): void {
    this.#schedule(text, this.#delay);
  }

  /** The field changed by a paste (or Enter): ask now. */
  now(text: string): void {
    this.#schedule(text, 0);
  }

  /** Forgets everything (the dialog closed). */
  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#sequence++;
    this.url = "";
    this.preview = null;
    this.error = null;
    this.loading = false;
  }

  #schedule(text: string, delay: number): void {
    const url = text.trim();
    if (!looksLikeUrl(url)) {
      this.clear();
      return;
    }
    // Already shown or asked: nothing new to ask.
    if (url === this.url && (this.loading || this.preview !== null || this.error !== null) && this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const sequence = ++this.#sequence;
    if (url !== this.url) {
      this.preview = null;
      this.error = null;
    }
    this.url = url;
    this.loading = true;
    if (delay <= 0) {
      void this.#ask(url, sequence);
    } else {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        void this.#ask(url, sequence);
      }, delay);
    }
  }

  async #ask(url: string, sequence: number): Promise<void> {
    const result = await this.#api.sourcePreview(url);
    if (sequence !== this.#sequence) return;
    this.loading = false;
    if (result.ok) {
      this.preview = result.value;
      this.error = null;
    } else {
      this.preview = null;
      this.error = result.error;
    }
  }
}
