import type { ReactNode } from "react";

export function Message({ kind, children }: { kind: "info" | "error" | "ok"; children: ReactNode }) {
  return (
    <p className={`message ${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </p>
  );
}
