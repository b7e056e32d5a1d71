// Which window this page is: the same index.html serves the main window and the small
// quick-add window, which the core opens at `index.html#/quick-add`.

export type WindowRoute = "main" | "quick-add";

export function windowRoute(hash: string): WindowRoute {
  return hash.startsWith("#/quick-add") ? "quick-add" : "main";
}
