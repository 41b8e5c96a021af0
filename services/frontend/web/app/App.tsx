import { lazy, Suspense } from "react";
import { createBrowserRouter, RouterProvider } from "react-router";
import { passengerRoutes } from "../passenger/routes.js";
import { Callback } from "./Callback.js";

// The console and the terminal are their own chunks: passengers never download them.
const ConsoleApp = lazy(() => import("../console/ConsoleApp.js").then((m) => ({ default: m.ConsoleApp })));
const TerminalApp = lazy(() =>
  import("../terminal/TerminalApp.js").then((m) => ({ default: m.TerminalApp })),
);

/**
 * One single-page app, several route trees: the passenger site at `/`; the engineer console (`/console/`) and
 * the store terminal (`/terminal/`) are further trees here, sharing Layout, i18n and the API clients.
 */
const router = createBrowserRouter([
  { path: "/callback", element: <Callback /> },
  {
    path: "/console/*",
    element: (
      <Suspense fallback={null}>
        <ConsoleApp />
      </Suspense>
    ),
  },
  {
    path: "/terminal/*",
    element: (
      <Suspense fallback={null}>
        <TerminalApp />
      </Suspense>
    ),
  },
  ...passengerRoutes,
]);

export function App() {
  return <RouterProvider router={router} />;
}
