import type { RouteObject } from "react-router";
import { Layout } from "../app/Layout.js";
import { RequireUser } from "../app/RequireUser.js";
import { useLocale } from "../i18n/index.js";
import { BuyPage } from "./BuyPage.js";
import { FacePage } from "./FacePage.js";
import { HomePage } from "./HomePage.js";
import { NotFoundPage } from "./NotFoundPage.js";
import { OrdersPage } from "./OrdersPage.js";
import { RunPage } from "./RunPage.js";
import { TicketPrintPage } from "./TicketPrintPage.js";
import { TicketsPage } from "./TicketsPage.js";
import { TripPage } from "./TripPage.js";

function PassengerLayout() {
  const { t } = useLocale();
  return (
    <Layout
      brand={t("brand")}
      home="/"
      nav={[
        { to: "/buy", label: t("nav.buy") },
        { to: "/tickets", label: t("nav.tickets"), private: true },
        { to: "/trip", label: t("nav.trip"), private: true },
        { to: "/orders", label: t("nav.orders"), private: true },
        { to: "/face", label: t("nav.face"), private: true },
      ]}
    />
  );
}

const privatePage = (page: React.ReactNode) => <RequireUser>{page}</RequireUser>;

/** The passenger site at `/`. Every page has its own address, so links and reloads land where they point. */
export const passengerRoutes: RouteObject[] = [
  {
    path: "/",
    element: <PassengerLayout />,
    children: [
      { index: true, element: <HomePage /> },
      { path: "buy", element: <BuyPage /> },
      { path: "buy/:runId", element: privatePage(<RunPage />) },
      { path: "tickets", element: privatePage(<TicketsPage />) },
      { path: "trip", element: privatePage(<TripPage />) },
      { path: "orders", element: privatePage(<OrdersPage />) },
      { path: "face", element: privatePage(<FacePage />) },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
  // The printable ticket has no site frame around it.
  { path: "/tickets/:ticketId/print", element: privatePage(<TicketPrintPage />) },
];
