// The add dialog's pure side: what is being added (a magnet, a .torrent path, or a dropped
// .torrent's bytes), how it is named to the user, and the options sent with it.

import { formatBytes } from "$lib/format";
import type { AddTaskOptions, Provider } from "$lib/ipc/api";
import { magnetHash, magnetName } from "$lib/recognise";

// The magnet helpers live with the rest of the recognition (the quick-add window uses them too).
export { magnetHash, magnetName };

export type AddTaskSource =
  /** A magnet link or the path of a .torrent file, as typed or pasted. */
  | { kind: "text"; text: string }
  /** A .torrent file dropped on the window, already read. */
  | { kind: "bytes"; bytes: number[]; fileName: string };

/** What opens the add dialog; `onadded` runs once the core has the task (e.g. clears the add bar). */
export type AddTaskRequest = { source: AddTaskSource; onadded?: () => void };

export type AddTaskForm = {
  provider: Provider;
  dir: string;
  label: string;
  /** "Let me choose": the task stops for the user to pick its files. */
  manual: boolean;
};

/** How the dialog names what is added: a title and a line under it. */
export function describeSource(source: AddTaskSource): { title: string; detail: string } {
  if (source.kind === "bytes") {
    return { title: source.fileName, detail: `.torrent file · ${formatBytes(source.bytes.length)}` };
  }
  const text = source.text.trim();
  if (/^magnet:\?/i.test(text)) {
    const hash = magnetHash(text);
    return {
      title: magnetName(text) ?? "Magnet link",
      detail: hash ? `Magnet link · ${hash.toLowerCase()}` : "Magnet link",
    };
  }
  const name = text.split(/[\\/]/).pop() || text;
  return { title: name, detail: text };
}

/** The options for addTask / addTorrent; blank fields are left to the core's settings. */
export function addTaskOptions(form: AddTaskForm): AddTaskOptions {
  const dir = form.dir.trim();
  const label = form.label.trim();
  return {
    provider: form.provider,
    dir: dir === "" ? null : dir,
    label: label === "" ? null : label,
    selection: form.manual ? { mode: "manual" } : { mode: "auto" },
  };
}

/** Dropped files Haul can add: .torrent files, by name (browsers give no reliable type). */
export function isTorrentFile(file: { name: string }): boolean {
  return /\.torrent$/i.test(file.name);
}

/** A dropped file's bytes as the IPC carries them: one number per byte. */
export async function readTorrent(file: Blob): Promise<number[]> {
  return Array.from(new Uint8Array(await file.arrayBuffer()));
}
