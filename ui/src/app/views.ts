export type View = "transfers" | "settings";
