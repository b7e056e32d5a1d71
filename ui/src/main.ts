import { mount } from "svelte";
import App from "./App.svelte";
import { applyTheme } from "$lib/theme";
import "./app.css";

// Follow the OS until the saved setting has loaded, so the first paint has the right colours.
applyTheme("system");

const target = document.getElementById("app");
if (!target) throw new Error("#app element missing from index.html");

export default mount(App, { target });
