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

/** The torrent's name a magnet carries (`dn=`), if any. */
export function magnetName(magnet: string): string | null {
  const query = magnet.trim().replace(/^magnet:\?/i, "");
  try {
    const name = new URLSearchParams(query).get("dn");
    return name && name.trim() !== "" ? name.trim() : null;
  } catch {
    return null;
  }
}

/** The info hash of a magnet (`xt=urn:btih:`), if it has one. */
export function magnetHash(magnet: string): string | null {
  return /xt=urn:btih:([a-z0-9]+)/i.exec(magnet)?.[1] ?? null;
}

/** What a link is called for a person: its file name, or its host when the path has none. */
export function linkName(link: string): string {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return link.trim();
  }
  const last = url.pathname.split("/").filter(Boolean).pop();
  if (last === undefined) return url.hostname;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/**
 * One line saying what the text is and what it will add, as the quick-add window shows it
 * ("Magnet: Show S01", "Link: ubuntu.iso"), or what to paste when it is nothing Haul adds.
 */
export function describeInput(input: string): { kind: InputKind; line: string } {
  const text = input.trim();
  const { kind, label } = recognise(text);
  switch (kind) {
    case "empty":
      return { kind, line: "Paste a magnet or an http(s) link." };
    case "magnet": {
      const name = magnetName(text) ?? magnetHash(text)?.toLowerCase() ?? null;
      return { kind, line: name === null ? "Magnet link" : `Magnet: ${name}` };
    }
    case "http":
      return { kind, line: `Link: ${linkName(text)}` };
    case "torrent-file":
      return { kind, line: `.torrent file: ${text.split(/[\\/]/).pop() ?? text}` };
    case "other-link":
      return { kind, line: `${label}: Haul adds magnets and http(s) links.` };
    case "not-a-link":
      return { kind, line: "Not a magnet or a link: Haul adds magnets and http(s) links." };
  }
}
