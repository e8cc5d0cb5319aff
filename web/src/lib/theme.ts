// The colour theme: the system's (prefers-color-scheme), or light or dark as chosen, remembered in
// localStorage["grizz.theme"]. The chosen one is set as <html data-theme> before the page paints
// (an inline script in the layout), so a reload does not flash the other theme.

export type ThemeChoice = "system" | "light" | "dark";
export const THEME_KEY = "grizz.theme";

export function readTheme(storage: Pick<Storage, "getItem"> | null | undefined): ThemeChoice {
  try {
    const v = storage?.getItem(THEME_KEY);
    return v === "light" || v === "dark" ? v : "system";
  } catch {
    return "system";
  }
}

export function saveTheme(storage: Pick<Storage, "setItem" | "removeItem"> | null | undefined, choice: ThemeChoice) {
  try {
    if (choice === "system") storage?.removeItem(THEME_KEY);
    else storage?.setItem(THEME_KEY, choice);
  } catch {
    // storage unavailable: the choice lasts for this page only
  }
}

/** Sets the choice on the document: data-theme="light"|"dark", absent for the system's. */
export function applyTheme(root: HTMLElement, choice: ThemeChoice) {
  if (choice === "system") root.removeAttribute("data-theme");
  else root.setAttribute("data-theme", choice);
}

/** Runs before the page paints (inline in <head>): the remembered choice, if any. */
export const THEME_BOOT_SCRIPT = `try{var t=localStorage.getItem("${THEME_KEY}");if(t==="light"||t==="dark")document.documentElement.setAttribute("data-theme",t)}catch(e){}`;
