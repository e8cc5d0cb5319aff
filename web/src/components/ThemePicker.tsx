"use client";

import { useEffect, useState } from "react";
import { applyTheme, readTheme, saveTheme, type ThemeChoice } from "../lib/theme";

const storage = () => (typeof window === "undefined" ? null : window.localStorage);

/** System / Light / Dark, remembered. */
export function ThemePicker() {
  const [choice, setChoice] = useState<ThemeChoice>("system");
  useEffect(() => setChoice(readTheme(storage())), []);
  const choose = (c: ThemeChoice) => {
    setChoice(c);
    saveTheme(storage(), c);
    applyTheme(document.documentElement, c);
  };
  return (
    <div className="theme-picker">
      <label htmlFor="theme">Theme</label>
      <select id="theme" value={choice} onChange={(e) => choose(e.target.value as ThemeChoice)}>
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </div>
  );
}
