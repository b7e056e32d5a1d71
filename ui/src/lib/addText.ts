// Adding from text in one step, without the add dialog: the quick-add window and the
// clipboard offer. The add bar makes the same choice of call (`addRoute`), then asks about a
// task in the add dialog first.

import type { AddTaskOptions, DownloadView, Outcome, TaskView } from "$lib/ipc/api";
import { recognise } from "$lib/recognise";

/** Which core call takes the text. */
export type AddRoute = "task" | "download";

/**
 * A magnet or a .torrent path is a debrid task; anything else goes to `addDownload`, which
 * takes http(s) links and refuses the rest with the core's message (the core stays the judge).
 */
export function addRoute(text: string): AddRoute {
  const { kind } = recognise(text);
  return kind === "magnet" || kind === "torrent-file" ? "task" : "download";
}

/** The two calls, from the core directly (quick-add window) or through the transfers store. */
export type TextAdders = {
  addTask: (source: string, options: AddTaskOptions) => Promise<Outcome<TaskView>>;
  addDownload: (url: string) => Promise<Outcome<DownloadView>>;
};

export type Added = { kind: "task"; task: TaskView } | { kind: "download"; download: DownloadView };

/**
 * Adds the text: a task with no options (provider, folder and file rules come from the
 * settings, as the add dialog's defaults do), or a download to the download folder.
 */
export async function addText(text: string, adders: TextAdders): Promise<Outcome<Added>> {
  const source = text.trim();
  if (addRoute(source) === "task") {
    const result = await adders.addTask(source, {});
    return result.ok ? { ok: true, value: { kind: "task", task: result.value } } : result;
  }
  const result = await adders.addDownload(source);
  return result.ok ? { ok: true, value: { kind: "download", download: result.value } } : result;
}
