"use client";

import { useState } from "react";
import type { ConversationSettings, ModelInfo, ToolInfo } from "../lib/types";

/**
 * The `tools` setting for the boxes ticked: every tool ticked is "not set" (every tool the user
 * may use, new ones included), none is [], some are their names in the listed order.
 */
export function toolsSetting(tools: ToolInfo[], enabled: Set<string>): string[] | undefined {
  const names = tools.map((t) => t.name).filter((n) => enabled.has(n));
  return names.length === tools.length ? undefined : names;
}

/**
 * A conversation's own settings (model, system prompt, temperature, max tokens, tools), stored with it and
 * applied to each of its answers. A field left empty is not set: the engine's default applies. The
 * engine checks the values when they are saved, and its message is shown as it gives it.
 */
export function ConversationSettingsPanel({
  settings,
  models,
  tools = [],
  onSave,
  onClose,
}: {
  settings: ConversationSettings;
  models: ModelInfo[];
  tools?: ToolInfo[];
  onSave: (settings: ConversationSettings) => Promise<void>;
  onClose: () => void;
}) {
  const [model, setModel] = useState(settings.model ?? "");
  const [systemPrompt, setSystemPrompt] = useState(settings.system_prompt ?? "");
  const [temperature, setTemperature] = useState(
    settings.temperature != null ? String(settings.temperature) : "",
  );
  const [maxTokens, setMaxTokens] = useState(settings.max_tokens != null ? String(settings.max_tokens) : "");
  // Null until a box is changed: the stored choice, read against the list when it arrives.
  const [changed, setEnabled] = useState<Set<string> | null>(null);
  const enabled = changed ?? new Set(settings.tools ?? tools.map((t) => t.name));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    const next: ConversationSettings = {};
    if (model) next.model = model;
    if (systemPrompt.trim()) next.system_prompt = systemPrompt;
    if (temperature.trim()) next.temperature = Number(temperature);
    if (maxTokens.trim()) next.max_tokens = Number(maxTokens);
    // Without the engine's list (not loaded), the stored choice is kept as it is.
    const chosenTools = tools.length && changed ? toolsSetting(tools, changed) : (settings.tools ?? undefined);
    if (chosenTools) next.tools = chosenTools;
    setSaving(true);
    setError(null);
    try {
      await onSave(next);
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="conv-settings" aria-label="Conversation settings" onSubmit={(e) => void save(e)}>
      <label>
        Model
        <select value={model} onChange={(e) => setModel(e.target.value)} aria-label="Conversation model">
          <option value="">Engine default</option>
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.id}
            </option>
          ))}
        </select>
      </label>
      <label>
        System prompt
        <textarea
          value={systemPrompt}
          rows={3}
          placeholder="Engine default"
          onChange={(e) => setSystemPrompt(e.target.value)}
          aria-label="System prompt"
        />
      </label>
      <div className="row">
        <label>
          Temperature
          <input
            type="number"
            step="0.1"
            min="0"
            max="2"
            value={temperature}
            placeholder="default"
            onChange={(e) => setTemperature(e.target.value)}
            aria-label="Temperature"
          />
        </label>
        <label>
          Max tokens
          <input
            type="number"
            step="1"
            min="1"
            value={maxTokens}
            placeholder="default"
            onChange={(e) => setMaxTokens(e.target.value)}
            aria-label="Max tokens"
          />
        </label>
      </div>
      {tools.length > 0 && (
        <fieldset className="tool-toggles">
          <legend>Tools</legend>
          {tools.map((t) => (
            <label key={t.name} className="check" title={t.description}>
              <input
                type="checkbox"
                checked={enabled.has(t.name)}
                onChange={(e) => {
                  const next = new Set(enabled);
                  if (e.target.checked) next.add(t.name);
                  else next.delete(t.name);
                  setEnabled(next);
                }}
              />
              {t.name}
            </label>
          ))}
        </fieldset>
      )}
      {error && (
        <p className="error-inline" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={saving}>
          Save
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
