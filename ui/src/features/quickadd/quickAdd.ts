// The quick-add window's pure side: the line under its field.

import type { ClipboardOffer } from "$lib/ipc/api";
import { describeInput, type InputKind } from "$lib/recognise";

export type QuickAddLine = { kind: InputKind; line: string };

/**
 * What the field holds, in one line. The clipboard offer the field was filled from keeps the
 * core's name for it ("Magnet: Show S01"); typed or edited text is recognised here.
 */
export function describeQuickAdd(value: string, offer: ClipboardOffer | null): QuickAddLine {
  if (offer !== null && value.trim() === offer.text.trim() && offer.name.trim() !== "") {
    return offer.kind === "magnet"
      ? { kind: "magnet", line: `Magnet: ${offer.name}` }
      : { kind: "http", line: `Link: ${offer.name}` };
  }
  return describeInput(value);
}

/** Kinds the Add button can send with a fair chance; the rest get a hint (the core still judges). */
export function looksAddable(kind: InputKind): boolean {
  return kind === "magnet" || kind === "http" || kind === "torrent-file";
}
