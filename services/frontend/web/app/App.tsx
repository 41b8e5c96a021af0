import { createBrowserRouter, RouterProvider } from "react-router";
import { passengerRoutes } from "../passenger/routes.js";
import { Callback } from "./Callback.js";

/**
 * One single-page app, several route trees: the passenger site at `/`; the engineer console (`/console/`) and
 * the store terminal (`/terminal/`) are further trees here, sharing Layout, i18n and the API clients.
 */
const router = createBrowserRouter([{ path: "/callback", element: <Callback /> }, ...passengerRoutes]);

export function App() {
  return <RouterProvider router={router} />;
}
