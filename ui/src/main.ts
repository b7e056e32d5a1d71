import { mount } from "svelte";
import App from "./App.svelte";
import QuickAdd from "./features/quickadd/QuickAdd.svelte";
import { applyTheme } from "$lib/theme";
import { windowRoute } from "$lib/route";
import "./app.css";

// Follow the OS until the saved setting has loaded, so the first paint has the right colours.
applyTheme("system");

const target = document.getElementById("app");
if (!target) throw new Error("#app element missing from index.html");

// One page, two windows: the core opens the quick-add window at `index.html#/quick-add`.
export default windowRoute(location.hash) === "quick-add" ? mount(QuickAdd, { target }) : mount(App, { target });
