// Tells the user what the add bar understood before anything is sent to the core.
// The core stays the judge: this only labels the input, it never blocks it.

export type InputKind = "empty" | "http" | "magnet" | "torrent-file" | "other-link" | "not-a-link";

export type Recognised = { kind: InputKind; label: string };

const TORRENT_PATH = /^(?:\/|~\/|[a-z]:[\\/]|\\\\|file:\/\/).*\.torrent$/i;

export function recognise(input: string): Recognised {
  const text = input.trim();
  if (text === "") return { kind: "empty", label: "" };
  if (/^magnet:\?/i.test(text)) return { kind: "magnet", label: "Magnet link" };
  if (TORRENT_PATH.test(text)) return { kind: "torrent-file", label: ".torrent file" };

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { kind: "not-a-link", label: "not a link" };
  }
  if ((url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "") {
    return { kind: "http", label: "HTTP link" };
  }
  const scheme = url.protocol.replace(/:$/, "").toUpperCase();
  return { kind: "other-link", label: `${scheme} link (not supported)` };
}
