// First: in a browser (no Tauri), the HTTP transport stands in for Tauri's IPC before
// anything can call the core.
import { installHttpTransport } from "$lib/ipc/transport";
import { mount } from "svelte";
import App from "./App.svelte";
import BrowserRoot from "./app/BrowserRoot.svelte";
import QuickAdd from "./features/quickadd/QuickAdd.svelte";
import { applyTheme } from "$lib/theme";
import { windowRoute } from "$lib/route";
import "./app.css";

const browser = installHttpTransport();

// Follow the OS until the saved setting has loaded, so the first paint has the right colours.
applyTheme("system");

const target = document.getElementById("app");
if (!target) throw new Error("#app element missing from index.html");

// In a browser: the login page until there is a session, then the app. On the desktop, one
// page for two windows: the core opens the quick-add window at `index.html#/quick-add`.
export default browser
  ? mount(BrowserRoot, { target })
  : windowRoute(location.hash) === "quick-add"
    ? mount(QuickAdd, { target })
    : mount(App, { target });
