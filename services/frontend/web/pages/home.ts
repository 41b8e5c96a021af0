import { h } from "../dom.js";
import type { PageContext } from "./context.js";

export async function homePage({ auth, navigate }: PageContext): Promise<HTMLElement> {
  const user = await auth.user();
  if (user) {
    const name = user.profile.name ?? user.profile.preferred_username ?? "passenger";
    return h(
      "section",
      {},
      h("h1", {}, `Welcome, ${name}`),
      h(
        "p",
        {},
        "Your tickets carry a QR code the robot on the train scans; enrol your face to board without it.",
      ),
      h(
        "div",
        { class: "actions" },
        h("button", { onclick: () => navigate("/tickets") }, "My tickets"),
        h("button", { class: "secondary", onclick: () => navigate("/buy") }, "Buy a ticket"),
      ),
    );
  }
  return h(
    "section",
    { class: "hero" },
    h("h1", {}, "Railway robot services"),
    h(
      "p",
      {},
      "Buy tickets between Moscow and Saint Petersburg, board with a QR code or your face, and see your orders from the train's stores.",
    ),
    h(
      "div",
      { class: "actions" },
      h("button", { onclick: () => void auth.signIn("/tickets") }, "Sign in"),
      h("button", { class: "secondary", onclick: () => void auth.register("/tickets") }, "Register"),
    ),
  );
}
