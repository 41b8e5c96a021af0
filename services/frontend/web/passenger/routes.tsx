import { lazy, Suspense, type ReactNode } from "react";
import type { RouteObject } from "react-router";
import { Layout } from "../app/Layout.js";
import { RequireUser } from "../app/RequireUser.js";
import { Message } from "../components/Message.js";
import { useLocale } from "../i18n/index.js";
import { HomePage } from "./HomePage.js";
import { NotFoundPage } from "./NotFoundPage.js";

// Pages load on first visit (their own chunks), so a phone opening the home page downloads only the frame.
const BuyPage = lazy(() => import("./BuyPage.js").then((m) => ({ default: m.BuyPage })));
const RunPage = lazy(() => import("./RunPage.js").then((m) => ({ default: m.RunPage })));
const TicketsPage = lazy(() => import("./TicketsPage.js").then((m) => ({ default: m.TicketsPage })));
const TicketPrintPage = lazy(() =>
  import("./TicketPrintPage.js").then((m) => ({ default: m.TicketPrintPage })),
);
const TripPage = lazy(() => import("./TripPage.js").then((m) => ({ default: m.TripPage })));
const OrdersPage = lazy(() => import("./OrdersPage.js").then((m) => ({ default: m.OrdersPage })));
const FacePage = lazy(() => import("./FacePage.js").then((m) => ({ default: m.FacePage })));

function Loading() {
  const { t } = useLocale();
  return <Message kind="info">{t("common.loading")}</Message>;
}
const page = (node: ReactNode) => <Suspense fallback={<Loading />}>{node}</Suspense>;

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

const privatePage = (node: ReactNode) => <RequireUser>{page(node)}</RequireUser>;

/** The passenger site at `/`. Every page has its own address, so links and reloads land where they point. */
export const passengerRoutes: RouteObject[] = [
  {
    path: "/",
    element: <PassengerLayout />,
    children: [
      { index: true, element: <HomePage /> },
      { path: "buy", element: page(<BuyPage />) },
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
