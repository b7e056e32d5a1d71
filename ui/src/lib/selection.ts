// Selecting in a list the way file managers do: a click selects one item, Ctrl/⌘+click
// adds or takes away one, Shift+click selects the run from the last plain click (the
// anchor). Positions are list indexes; what is selected is ids (positions move when the
// list changes, ids do not).

export type ClickModifiers = { shift: boolean; toggle: boolean };

export type Selection = { ids: ReadonlySet<number>; anchor: number | null };

export const NO_SELECTION: Selection = { ids: new Set(), anchor: null };

export function modifiersOf(event: MouseEvent | KeyboardEvent): ClickModifiers {
  return { shift: event.shiftKey, toggle: event.ctrlKey || event.metaKey };
}

/**
 * The selection after a click on position `index`. `idAt` gives the id at a position
 * (undefined where nothing is loaded, which a Shift run skips).
 */
export function clickSelect(
  current: Selection,
  index: number,
  idAt: (index: number) => number | undefined,
  modifiers: ClickModifiers,
): Selection {
  const id = idAt(index);
  if (id === undefined) return current;
  if (modifiers.shift && current.anchor !== null) {
    const ids = new Set(modifiers.toggle ? current.ids : []);
    const [from, to] = current.anchor <= index ? [current.anchor, index] : [index, current.anchor];
    for (let i = from; i <= to; i++) {
      const at = idAt(i);
      if (at !== undefined) ids.add(at);
    }
    return { ids, anchor: current.anchor };
  }
  if (modifiers.toggle) {
    const ids = new Set(current.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: index };
  }
  return { ids: new Set([id]), anchor: index };
}

/** Selection without the ids that left the list. */
export function keepPresent(current: Selection, present: (id: number) => boolean): Selection {
  const ids = new Set([...current.ids].filter(present));
  return ids.size === current.ids.size ? current : { ids, anchor: current.anchor };
}
