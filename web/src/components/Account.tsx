"use client";

import { useState } from "react";
import { errorText } from "../lib/api";
import type { SessionUser } from "../lib/session";

type Mode = "signin" | "signup" | null;

/** The sidebar's account area: "Guest" or the email, sign in / create account / sign out. */
export function Account({
  user,
  onSignIn,
  onSignUp,
  onSignOut,
}: {
  user: SessionUser | null;
  onSignIn: (email: string, password: string) => Promise<unknown>;
  onSignUp: (email: string, password: string) => Promise<unknown>;
  onSignOut: () => Promise<unknown>;
}) {
  const [mode, setMode] = useState<Mode>(null);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const guest = !user || user.kind === "anonymous";

  const open = (m: Mode) => {
    setMode(m);
    setError(null);
    setPassword("");
  };

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      if (mode === "signup") await onSignUp(email.trim(), password);
      else await onSignIn(email.trim(), password);
      setMode(null);
      setPassword("");
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const signOut = async () => {
    setBusy(true);
    setError(null);
    try {
      await onSignOut();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="account" aria-label="Account" role="group">
      <p className="account-who" data-kind={user?.kind ?? ""}>
        {guest ? "Guest" : user?.email || user?.display_name || "Signed in"}
      </p>
      {mode ? (
        <form
          className="account-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <label>
            <span>Email</span>
            <input
              type="email"
              autoComplete={mode === "signup" ? "email" : "username"}
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </label>
          <label>
            <span>Password</span>
            <input
              type="password"
              autoComplete={mode === "signup" ? "new-password" : "current-password"}
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          {mode === "signup" && guest && <p className="small account-note">Your conversations are kept.</p>}
          {error && (
            <p className="error-inline small" role="alert">
              {error}
            </p>
          )}
          <div className="account-buttons">
            <button type="submit" className="primary" disabled={busy}>
              {mode === "signup" ? "Create account" : "Sign in"}
            </button>
            <button type="button" className="link" onClick={() => open(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          {error && (
            <p className="error-inline small" role="alert">
              {error}
            </p>
          )}
          <div className="account-buttons">
            {guest ? (
              <>
                <button type="button" className="link" onClick={() => open("signin")}>
                  Sign in
                </button>
                <button type="button" className="link" onClick={() => open("signup")}>
                  Create account
                </button>
              </>
            ) : (
              <button type="button" className="link" disabled={busy} onClick={() => void signOut()}>
                Sign out
              </button>
            )}
          </div>
        </>
      )}
    </div>
  );
}
